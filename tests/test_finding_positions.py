"""Findings point at the place a value was written, through everything that moves values around:
an extension descriptor's merge, a duplicate key (the last one wins), a merge key (``<<``), and
a name claimed twice (the hint names the first one's line)."""
from __future__ import annotations

from conftest import run_cli

MTAD = """\
_schema-version: '3.1'
ID: com.example.pos
version: 1.0.0
parameters:
  hcp-deployer-version: '1.2.0'
modules:
  - name: web
    type: com.sap.java
    parameters:
      <<: &sizes {minimum-processes: one, maximum-processes: 4}
      name: web
      java-version: JRE 8
      runtime: neo-javaee7-wp
      runtime-version: '1'
      maximum-processes: 2
      maximum-processes: many
  - name: api
    type: com.sap.java
    parameters:
      <<: *sizes
      name: api
      java-version: JRE 8
      runtime: neo-javaee7-wp
      runtime-version: '1'
resources:
  - name: db
    type: com.sap.hcp.persistence
  - name: db
    type: com.sap.hcp.persistence
"""

EXT = """\
_schema-version: '3.1'
ID: com.example.pos.prod
extends: com.example.pos
modules:
  - name: web
    parameters:
      minimum-processes: few
"""


def test_findings_point_where_each_value_was_written(tmp_path, capsys, monkeypatch):
    (tmp_path / "mtad.yaml").write_text(MTAD, encoding="utf-8")
    (tmp_path / "prod.mtaext").write_text(EXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(capsys, "validate", "mtad.yaml", "-e", "prod.mtaext", "--color",
                           "never")
    assert code == 1
    places = [line.split(": ", 2)[:2] for line in out.splitlines() if not line.startswith(" ")
              and ": error " in line]
    assert places == [
        # api's value came through the merge key: where the anchor wrote it
        ["mtad.yaml:10:38", "error N010"],
        # the second of a duplicate key, which the deployer keeps, and its value
        ["mtad.yaml:16:7", "error Y002"],
        ["mtad.yaml:16:26", "error N010"],
        # the second resource "db"
        ["mtad.yaml:28:11", "error S005"],
        # the extension descriptor's value replaced web's
        ["prod.mtaext:7:26", "error N010"],
    ]
    assert "first at line 15, column 7" in out
    assert "rename one: resource \"db\" at line 26 has the same name" in out
    assert "api" in out.split("mtad.yaml:10:38: ")[1].splitlines()[0]
