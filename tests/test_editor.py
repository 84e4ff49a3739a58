"""The exported schema in a real editor back end: Red Hat's ``yaml-language-server`` (the one VS
Code's YAML extension runs), driven over stdio as an editor drives it, with the README's modeline.

It needs node and the server: ``.ci/run`` installs it with npm and names it in
``MTA_SFSF_YAML_LANGUAGE_SERVER``; else ``yaml-language-server`` on PATH is used, and without
either the test skips.
"""
from __future__ import annotations

import json
import os
import queue
import re
import shutil
import subprocess
import threading
import time

import pytest

from conftest import ROOT, SAMPLE
from mta_sfsf.schema import descriptor_schema

README = (ROOT / "README.md").read_text(encoding="utf-8")
SERVER = os.environ.get("MTA_SFSF_YAML_LANGUAGE_SERVER") or shutil.which("yaml-language-server")
pytestmark = pytest.mark.skipif(not SERVER or not shutil.which("node"),
                                reason="no node or yaml-language-server (npm install "
                                       "yaml-language-server; .ci/run does)")


class _Client:
    """Just enough of a language client: framed JSON-RPC, answers to the server's requests."""

    def __init__(self, command, settings: dict) -> None:
        self.settings = settings  # the "yaml" section, as an editor's settings hold it
        self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self.messages: "queue.Queue[dict]" = queue.Queue()
        self.next_id = 0
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        stream = self.process.stdout
        while True:
            header = b""
            while not header.endswith(b"\r\n\r\n"):
                byte = stream.read(1)
                if not byte:
                    return
                header += byte
            length = int(header.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            self.messages.put(json.loads(stream.read(length)))

    def send(self, method: str, params: dict, request: bool = False):
        message = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.next_id += 1
            message["id"] = self.next_id
        body = json.dumps(message).encode()
        self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.process.stdin.flush()
        return message.get("id")

    def wait(self, wanted, timeout: float = 30.0) -> dict:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                message = self.messages.get(timeout=0.2)
            except queue.Empty:
                continue
            if "id" in message and "method" in message:  # workspace/configuration and the like
                items = message.get("params", {}).get("items", [])
                result = ([self.settings if item.get("section") == "yaml" else None
                           for item in items]
                          if message["method"] == "workspace/configuration" else None)
                body = json.dumps({"jsonrpc": "2.0", "id": message["id"], "result": result})
                self.process.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body.encode())
                                         + body.encode())
                self.process.stdin.flush()
                continue
            if wanted(message):
                return message
        raise AssertionError("no answer from yaml-language-server")

    def close(self) -> None:
        try:
            request = self.send("shutdown", {}, request=True)
            self.wait(lambda m: m.get("id") == request, timeout=5)
            self.send("exit", {})
            self.process.wait(timeout=5)
        finally:
            if self.process.poll() is None:
                self.process.kill()


def _readme_settings() -> dict:
    """The README's VS Code settings.json block."""
    block = re.search(r"```json\n(\{\n  \"yaml.schemas\".*?)```", README, re.S).group(1)
    return json.loads(block)


@pytest.mark.parametrize("how", ["modeline", "settings"])
def test_the_language_server_checks_and_completes_with_the_schema(tmp_path, how):
    """Both ways the README names the schema: the modeline, and VS Code's yaml.schemas."""
    schema = tmp_path / ".vscode" / "mtad.schema.json"
    schema.parent.mkdir()
    schema.write_text(json.dumps(descriptor_schema("mtad")), encoding="utf-8")
    modeline = re.search(r"^# yaml-language-server: \$schema=\S+$", README, re.M).group(0)
    assert modeline.endswith("=.vscode/mtad.schema.json")
    sample = (SAMPLE / "mtad.yaml").read_text(encoding="utf-8")
    text = ((modeline + "\n" if how == "modeline" else "")
            + sample.replace("maximum-processes: 2", "maximum-process: 2")
                    .replace("      java-version: JRE 8\n", "      java-version: JRE 8\n      \n"))
    lines = text.splitlines()
    misspelt = next(i for i, line in enumerate(lines) if "maximum-process:" in line)
    empty = next(i for i, line in enumerate(lines) if line == " " * 6)
    uri = (tmp_path / "mtad.yaml").as_uri()
    settings = {"validate": True, "completion": True, "schemaStore": {"enable": False}}
    if how == "settings":
        settings["schemas"] = _readme_settings()["yaml.schemas"]

    client = _Client([SERVER, "--stdio"], settings)
    try:
        initialize = client.send("initialize", {
            "processId": os.getpid(), "rootUri": tmp_path.as_uri(),
            "workspaceFolders": [{"uri": tmp_path.as_uri(), "name": "w"}],
            "capabilities": {"workspace": {"configuration": True},
                             "textDocument": {"completion": {}, "publishDiagnostics": {}}}},
            request=True)
        client.wait(lambda m: m.get("id") == initialize)
        client.send("initialized", {})
        client.send("workspace/didChangeConfiguration", {"settings": {"yaml": settings}})
        client.send("textDocument/didOpen", {"textDocument": {
            "uri": uri, "languageId": "yaml", "version": 1, "text": text}})
        published = client.wait(lambda m: m.get("method") == "textDocument/publishDiagnostics"
                                and m["params"]["diagnostics"])
        diagnostics = [(d["range"]["start"]["line"], d["message"])
                       for d in published["params"]["diagnostics"]]
        assert any(line == misspelt and "maximum-process" in message
                   for line, message in diagnostics), diagnostics
        # the rest of the sample is clean: nothing else is flagged but the missing partner
        assert all(line == misspelt or "maximum-processes" in message
                   or "minimum-processes" in message for line, message in diagnostics), diagnostics

        completion = client.send("textDocument/completion", {
            "textDocument": {"uri": uri}, "position": {"line": empty, "character": 6}},
            request=True)
        answer = client.wait(lambda m: m.get("id") == completion)["result"]
        labels = {item["label"] for item in (answer["items"] if isinstance(answer, dict)
                                             else answer)}
        assert {"compute-unit-size", "jvm-arguments", "rolling-update"} <= labels, labels
        assert "name" not in labels  # already there

        java = next(i for i, line in enumerate(lines) if "java-version:" in line)
        hover = client.send("textDocument/hover", {
            "textDocument": {"uri": uri}, "position": {"line": java, "character": 8}},
            request=True)
        shown = json.dumps(client.wait(lambda m: m.get("id") == hover)["result"])
        assert "com.sap.java parameter java-version" in shown and "JRE 8" in shown, shown
    finally:
        client.close()
