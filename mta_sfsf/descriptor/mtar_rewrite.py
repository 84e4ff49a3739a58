"""Rewriting one entry of an MTA archive: ``META-INF/mtad.yaml`` gets new bytes; every other entry
is copied as it is stored (local header, compressed data, data descriptor, central directory
record), never inflated, so its bytes, order, compression, time stamps and attributes stay and a
huge entry costs no memory.

``zipfile`` reads the central directory (and refuses what it cannot parse); the raw records are
then read here and checked against what ``zipfile`` found before anything is copied. ZIP64
archives (over 4 GiB or 65,535 entries) are refused: they are rare for MTAs, and their extra
fields would have to be rewritten.
"""
from __future__ import annotations

import struct
import zipfile
import zlib
from typing import BinaryIO, List, Optional, Tuple

from ..errors import InputError

LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")  # signature .. extra length: 30 bytes
CENTRAL_RECORD = struct.Struct("<4sHHHHHHIIIHHHHHII")  # signature .. header offset: 46 bytes
END_RECORD = struct.Struct("<4sHHHHIIH")  # 22 bytes, then the archive comment
LOCAL_SIG, CENTRAL_SIG, END_SIG, DESCRIPTOR_SIG = (b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06",
                                                   b"PK\x07\x08")
ZIP32_LIMIT = 0xFFFFFFFF  # this value in a size or offset field means "see the ZIP64 extra"
UTF8_NAME, DATA_DESCRIPTOR, DEFLATE_LEVEL_BITS = 0x800, 0x8, 0x6
CHUNK = 1 << 20


class _Entry:
    """One entry as stored: where its local header starts and its raw central record."""

    __slots__ = ("info", "central")

    def __init__(self, info: zipfile.ZipInfo, central: bytes) -> None:
        self.info, self.central = info, central


def rewrite(source: BinaryIO, member: str, new_data: bytes, target: BinaryIO,
            name: str = "archive") -> None:
    """Write to ``target`` the archive ``source`` with ``member``'s content replaced."""
    try:
        archive = zipfile.ZipFile(source)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise InputError(f"{name}: not a readable MTA archive ({exc})") from None
    with archive:
        entries = _entries(source, archive, name)
        comment = archive.comment
    # Entries that share their data (an "overlapping" zip bomb) would each be copied in full:
    # stored entries that do not overlap fit in the file, so more than that is refused.
    size = source.seek(0, 2)
    if sum(LOCAL_HEADER.size + e.info.compress_size for e in entries) > size:
        raise InputError(f"{name}: its entries overlap; not a well-formed MTA archive")
    written = 0
    central = []
    for entry in entries:
        offset = written
        if entry.info.filename == member:
            local, record = _replaced(source, entry, new_data, offset, name)
            written += _write(target, local)
        else:
            record = _with_offset(entry.central, offset)
            written += _copy_entry(source, entry.info, target, name)
        if written > ZIP32_LIMIT:
            raise InputError(f"{name}: the rewritten archive would need ZIP64; not supported")
        central.append(record)
    directory = b"".join(central)
    if len(entries) > 0xFFFF or written + len(directory) > ZIP32_LIMIT:
        raise InputError(f"{name}: the rewritten archive would need ZIP64; not supported")
    _write(target, directory)
    _write(target, END_RECORD.pack(END_SIG, 0, 0, len(entries), len(entries), len(directory),
                                   written, len(comment)) + comment)


def _write(target: BinaryIO, data: bytes) -> int:
    target.write(data)
    return len(data)


def _entries(source: BinaryIO, archive: zipfile.ZipFile, name: str) -> List[_Entry]:
    """The raw central records, in order, each checked against what zipfile parsed."""
    infos = archive.infolist()
    start = getattr(archive, "start_dir", None)
    if not isinstance(start, int):
        raise InputError(f"{name}: cannot locate the central directory")
    source.seek(start)
    entries = []
    for info in infos:
        fixed = source.read(CENTRAL_RECORD.size)
        if len(fixed) != CENTRAL_RECORD.size:
            raise InputError(f"{name}: truncated central directory")
        fields = CENTRAL_RECORD.unpack(fixed)
        if fields[0] != CENTRAL_SIG:
            raise InputError(f"{name}: unexpected central directory layout")
        crc, compressed, size = fields[7:10]
        name_len, extra_len, comment_len = fields[10:13]
        tail = source.read(name_len + extra_len + comment_len)
        if len(tail) != name_len + extra_len + comment_len:
            raise InputError(f"{name}: truncated central directory")
        if ZIP32_LIMIT in (compressed, size, fields[16]) or fields[13] == 0xFFFF:
            raise InputError(f"{name}: a ZIP64 archive; rewriting one is not supported")
        encoding = "utf-8" if fields[3] & UTF8_NAME else "cp437"
        stored_name = tail[:name_len].decode(encoding, "replace")
        if (stored_name != info.orig_filename or crc != info.CRC
                or compressed != info.compress_size or size != info.file_size):
            raise InputError(f"{name}: unexpected central directory layout")
        entries.append(_Entry(info, fixed + tail))
    return entries


def _with_offset(central: bytes, offset: int) -> bytes:
    return central[:42] + struct.pack("<I", offset) + central[46:]


def _local_header(source: BinaryIO, info: zipfile.ZipInfo, name: str) -> Tuple[tuple, bytes]:
    source.seek(info.header_offset)
    fixed = source.read(LOCAL_HEADER.size)
    if len(fixed) != LOCAL_HEADER.size or fixed[:4] != LOCAL_SIG:
        raise InputError(f"{name}: bad local header for {info.filename!r}")
    fields = LOCAL_HEADER.unpack(fixed)
    tail = source.read(fields[9] + fields[10])
    if len(tail) != fields[9] + fields[10]:
        raise InputError(f"{name}: truncated entry {info.filename!r}")
    return fields, fixed + tail


def _copy_entry(source: BinaryIO, info: zipfile.ZipInfo, target: BinaryIO, name: str) -> int:
    """Local header, compressed data and data descriptor, as stored, in chunks."""
    fields, header = _local_header(source, info, name)
    written = _write(target, header)
    remaining = info.compress_size
    while remaining:
        chunk = source.read(min(CHUNK, remaining))
        if not chunk:
            raise InputError(f"{name}: truncated entry {info.filename!r}")
        written += _write(target, chunk)
        remaining -= len(chunk)
    if fields[2] & DATA_DESCRIPTOR:
        written += _write(target, _data_descriptor(source, info, name))
    return written


def _data_descriptor(source: BinaryIO, info: zipfile.ZipInfo, name: str) -> bytes:
    """The 12 bytes (crc, sizes) after the data, or 16 with the optional signature."""
    raw = source.read(16)
    expected = struct.pack("<III", info.CRC, info.compress_size, info.file_size)
    if raw[:4] == DESCRIPTOR_SIG and raw[4:16] == expected:
        return raw
    if raw[:12] == expected:
        return raw[:12]
    raise InputError(f"{name}: bad data descriptor for {info.filename!r}")


def _replaced(source: BinaryIO, entry: _Entry, data: bytes, offset: int,
              name: str) -> Tuple[bytes, bytes]:
    """(local header + data, central record) for the entry's new content. It keeps its name,
    time stamp, extra fields and attributes; stored stays stored, anything else is deflated."""
    fields, header = _local_header(source, entry.info, name)
    method = zipfile.ZIP_STORED if entry.info.compress_type == zipfile.ZIP_STORED else \
        zipfile.ZIP_DEFLATED
    payload = data if method == zipfile.ZIP_STORED else _deflate(data)
    crc = zlib.crc32(data)
    flags = fields[2] & (UTF8_NAME | (DEFLATE_LEVEL_BITS if method == zipfile.ZIP_DEFLATED else 0))
    version = max(fields[1], 20) if method == zipfile.ZIP_DEFLATED else fields[1]
    local = LOCAL_HEADER.pack(LOCAL_SIG, version, flags, method, fields[4], fields[5], crc,
                              len(payload), len(data), fields[9], fields[10])
    central = bytearray(entry.central)
    struct.pack_into("<HHH", central, 6, max(struct.unpack_from("<H", central, 6)[0], version),
                     flags, method)
    struct.pack_into("<III", central, 16, crc, len(payload), len(data))
    struct.pack_into("<I", central, 42, offset)
    return local + header[LOCAL_HEADER.size:] + payload, bytes(central)


def _deflate(data: bytes, level: Optional[int] = None) -> bytes:
    compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION if level is None else level,
                                  zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()
