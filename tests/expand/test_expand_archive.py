"""Rewriting an ``.mtar``: only ``META-INF/mtad.yaml`` changes; every other entry is copied as
stored (local header, compressed bytes, data descriptor, central record), never inflated."""
from __future__ import annotations

import io
import struct
import zipfile

import pytest

from expand_helpers import FIXED_TIME, SAMPLE, run
from mta_sfsf.descriptor import mtar_rewrite
from mta_sfsf.errors import InputError

DESCRIPTOR = "META-INF/mtad.yaml"
NEW = b"_schema-version: '3.1'\nID: new\nversion: 1.0.0\n"


def _stored(path_or_bytes) -> dict:
    """name -> (local header + compressed data as stored, central record fields that matter)."""
    data = path_or_bytes if isinstance(path_or_bytes, bytes) else path_or_bytes.read_bytes()
    out = {}
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for info in archive.infolist():
            start = info.header_offset
            name_len, extra_len = struct.unpack_from("<HH", data, start + 26)
            end = start + 30 + name_len + extra_len + info.compress_size
            out[info.filename] = (data[start:end], info.compress_type, info.date_time,
                                  info.external_attr, info.internal_attr, info.extra,
                                  info.comment, info.create_system, info.create_version)
    return out


def _rewritten(source: bytes, new: bytes = NEW) -> bytes:
    target = io.BytesIO()
    mtar_rewrite.rewrite(io.BytesIO(source), DESCRIPTOR, new, target, "app.mtar")
    return target.getvalue()


def _archive(entries, comment: bytes = b"", stream=None) -> bytes:
    buffer = stream or io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, method, level, extra, entry_comment in entries:
            info = zipfile.ZipInfo(name, FIXED_TIME)
            info.compress_type, info.extra, info.comment = method, extra, entry_comment
            info.external_attr = 0o755 << 16
            archive.writestr(info, data, compresslevel=level)
        archive.comment = comment
    return buffer.getvalue()


MIXED = [("META-INF/MANIFEST.MF", b"Manifest-Version: 1.0\n", zipfile.ZIP_STORED, None, b"", b""),
         (DESCRIPTOR, (SAMPLE / "mtad.yaml").read_bytes(), zipfile.ZIP_DEFLATED, 9, b"", b"d"),
         ("app.war", bytes(range(256)) * 400, zipfile.ZIP_DEFLATED, 1,
          struct.pack("<HHB", 0x5455, 1, 0) + b"", b"a comment"),
         ("lib/x.bin", b"\x00" * 5000, zipfile.ZIP_BZIP2, None, b"", b""),
         ("résumé.txt", b"utf-8 name\n", zipfile.ZIP_LZMA, None, b"", b"")]


def test_every_other_entry_keeps_its_stored_bytes_and_attributes():
    source = _archive(MIXED, comment=b"archive comment")
    result = _rewritten(source)
    before, after = _stored(source), _stored(result)
    assert list(before) == list(after)
    for name in before:
        if name != DESCRIPTOR:
            assert before[name] == after[name], name
    with zipfile.ZipFile(io.BytesIO(result)) as archive:
        assert archive.testzip() is None
        assert archive.read(DESCRIPTOR) == NEW
        assert archive.comment == b"archive comment"
        info = archive.getinfo(DESCRIPTOR)
        assert (info.compress_type, info.date_time, info.comment) == (
            zipfile.ZIP_DEFLATED, FIXED_TIME, b"d")


def test_a_stored_descriptor_stays_stored():
    entries = [(DESCRIPTOR, b"old", zipfile.ZIP_STORED, None, b"", b"")] + MIXED[2:3]
    with zipfile.ZipFile(io.BytesIO(_rewritten(_archive(entries)))) as archive:
        assert archive.getinfo(DESCRIPTOR).compress_type == zipfile.ZIP_STORED
        assert archive.read(DESCRIPTOR) == NEW and archive.testzip() is None


class _Unseekable(io.RawIOBase):
    """Makes zipfile write data descriptors (bit 3), as streaming zip tools do."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        return self.buffer.write(data)

    def getvalue(self) -> bytes:
        return self.buffer.getvalue()


def test_entries_with_data_descriptors_are_copied_with_them():
    stream = _Unseekable()
    _archive(MIXED[:3], stream=stream)
    source = stream.getvalue()
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        assert all(info.flag_bits & 0x8 for info in archive.infolist())
    result = _rewritten(source)
    with zipfile.ZipFile(io.BytesIO(result)) as archive:
        assert archive.testzip() is None and archive.read(DESCRIPTOR) == NEW
        assert not archive.getinfo(DESCRIPTOR).flag_bits & 0x8
        war = archive.getinfo("app.war")
    start = war.header_offset + 30 + len(b"app.war") + len(war.extra)
    # the data descriptor (with its optional signature) follows the copied data
    assert result[start + war.compress_size:start + war.compress_size + 4] == b"PK\x07\x08"


def test_an_archive_with_a_prefix_is_rewritten_without_it():
    source = b"#!/bin/sh\nexit 0\n" + _archive(MIXED[:3])
    with zipfile.ZipFile(io.BytesIO(_rewritten(source))) as archive:
        assert archive.testzip() is None and archive.read(DESCRIPTOR) == NEW


def test_a_zip64_archive_is_refused(monkeypatch):
    with monkeypatch.context() as patch:  # zipfile writes ZIP64 records past this limit
        patch.setattr(zipfile, "ZIP64_LIMIT", 10)
        source = _archive(MIXED[:3])
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        assert archive.read(DESCRIPTOR)  # readable, so only the rewrite refuses it
    with pytest.raises(InputError, match="ZIP64"):
        _rewritten(source)


def test_a_central_directory_that_lies_about_an_entry_is_refused():
    source = bytearray(_archive(MIXED[:3]))
    local = source.index(b"PK\x03\x04", 1)  # the descriptor's local header: break its signature
    source[local:local + 4] = b"XX\x03\x04"
    with pytest.raises(InputError, match="bad local header"):
        _rewritten(bytes(source))


def test_entries_sharing_their_data_are_refused():
    """An "overlapping" zip bomb: many central records point at one entry's data; copying each
    in full would multiply the output."""
    source = _archive(MIXED[:3])
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        start = archive.start_dir
    end = source.rindex(b"PK\x05\x06")
    war = source.index(b"PK\x01\x02", source.index(b"PK\x01\x02", start) + 1)
    war = source.index(b"PK\x01\x02", war + 1)  # the third record: app.war
    records = source[start:end] + source[war:end] * 20
    count = 3 + 20
    eocd = struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, count, count, len(records), start, 0)
    bomb = source[:start] + records + eocd
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert len(archive.infolist()) == count  # zipfile 3.11 opens it
    with pytest.raises(InputError, match="overlap"):
        _rewritten(bomb)


def test_expand_writes_the_rewritten_archive_and_check_agrees(tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    work.mkdir()
    (work / "app.mtar").write_bytes(_archive(MIXED))
    (work / "sample.mtaext").write_bytes((SAMPLE / "sample.mtaext").read_bytes())
    args = ["expand", "app.mtar", "-e", "sample.mtaext", "-o", "out"]
    assert run(args, work, monkeypatch, capsys)[0] == 0
    before, after = _stored(work / "app.mtar"), _stored(work / "out" / "app.mtar")
    assert [n for n in before if before[n] != after[n]] == [DESCRIPTOR]
    assert run(args + ["--check"], work, monkeypatch, capsys)[0] == 0
    (work / "out" / "app.mtar").write_bytes(b"changed")
    code, _, err = run(args + ["--check"], work, monkeypatch, capsys)
    assert code == 1 and "would change out/app.mtar" in err


def test_a_rewrite_that_does_not_read_back_is_exit_3(tmp_path, monkeypatch, capsys):
    work = tmp_path / "work"
    work.mkdir()
    (work / "app.mtar").write_bytes(_archive(MIXED))
    (work / "sample.mtaext").write_bytes((SAMPLE / "sample.mtaext").read_bytes())
    monkeypatch.setattr(mtar_rewrite, "_deflate", lambda data, level=None: b"\x03\x00")
    code, _, err = run(["expand", "app.mtar", "-e", "sample.mtaext", "-o", "out"], work,
                       monkeypatch, capsys)
    assert code == 3 and "nothing written" in err
    assert not (work / "out" / "app.mtar").exists()
