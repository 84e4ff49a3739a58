"""Real-world descriptors without ``sfsf-outbound-connections`` come out of ``expand`` byte for
byte; those with validation errors stop with exit 1 and leave nothing behind."""
from __future__ import annotations

import pytest

from conftest import CORPUS
from expand_helpers import run

FILES = sorted((CORPUS / "mtad").glob("*.yaml")) if (CORPUS / "mtad").is_dir() else []
WITHOUT = [p for p in FILES if b"sfsf-outbound-connections" not in p.read_bytes()]


@pytest.mark.skipif(not WITHOUT, reason="the shared corpus is not available")
@pytest.mark.parametrize("path", WITHOUT, ids=lambda p: p.name)
def test_corpus_descriptor_is_unchanged(path, tmp_path, monkeypatch, capsys):
    source = tmp_path / "mtad.yaml"
    source.write_bytes(path.read_bytes())
    code, out, err = run(["expand", "mtad.yaml", "-o", "out", "--host", "eu2.hana.ondemand.com",
                          "--account", "corpus"], tmp_path, monkeypatch, capsys)
    if code == 1:
        assert " error " in out and "nothing written" in err
        assert not (tmp_path / "out").exists()
        return
    assert code == 0, err
    assert (tmp_path / "out" / "mtad.yaml").read_bytes() == path.read_bytes()
