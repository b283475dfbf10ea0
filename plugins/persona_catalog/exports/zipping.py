"""Zip archives from files compressed once: `deflate` a file, then put the same compressed bytes into any number
of archives (a persona's file goes into its tool's whole-catalog zip, its category's zip and the marketplace).

Python's `zipfile` compresses every member it writes and has no way to take compressed bytes (python/cpython
issue 113924, open), so this writes the archive itself, per PKWARE's APPNOTE.TXT (4.3: local file headers, then
the central directory and its end record; 4.3.14-4.3.15 and 4.5.3: ZIP64). Every header field has the value
`zipfile` gives it for the same member (`writestr` of a `ZipInfo` dated 1980-01-01, Unix mode 0644, DEFLATE at
zlib's default level), so an archive is byte for byte the one `zipfile` writes: the tests compare the two."""

from __future__ import annotations

import hashlib
import struct
import zlib
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import NamedTuple

ZIP64_LIMIT = (1 << 31) - 1  # offsets and sizes above it go in ZIP64 fields (zipfile's own bound, kept for equality)
COUNT_LIMIT = 0xFFFF  # more entries than this: ZIP64 end records
MAX_MEMBER = 1 << 30  # a larger member is refused (a persona's export is a few hundred KB at most)

_LOCAL = struct.Struct("<4s2B4HL2L2H")  # APPNOTE 4.3.7
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # 4.3.12
_END64 = struct.Struct("<4sQ2H2L4Q")  # 4.3.14
_LOCATOR64 = struct.Struct("<4sLQL")  # 4.3.15
_END = struct.Struct("<4s4H2LH")  # 4.3.16
_VERSION, _VERSION64 = 20, 45  # version needed to extract: DEFLATE; ZIP64 (4.4.3.2)
_UNIX, _MODE = 3, 0o644 << 16  # made on Unix, so unzip applies the permissions in the high bits
_DEFLATED = 8
_DOS_DATE = (0 << 9) | (1 << 5) | 1  # 1980-01-01, the earliest date a zip entry holds; time 00:00:00
_UTF8 = 0x800  # general purpose bit 11: the name is UTF-8 (set only when it is not ASCII, as zipfile does)


class Deflated(NamedTuple):
    """A file compressed for a zip: its CRC-32 and size, and its raw DEFLATE stream."""

    crc: int
    size: int
    data: bytes


class Deflations:
    """Files compressed by an earlier build (`before`, by a digest of their bytes) and by this one (`now`): a
    build cache's, used by `deflate` within `reusing`, so a file that did not change is not compressed again."""

    def __init__(self, before: dict[bytes, Deflated] | None = None) -> None:
        self.before = before or {}
        self.now: dict[bytes, Deflated] = {}

    def get(self, content: bytes) -> Deflated:
        key = hashlib.sha256(content).digest()
        found = self.now.get(key) or self.before.get(key)
        if found is None or found.size != len(content):
            found = _deflate(content)
        self.now[key] = found
        return found


_REUSING: ContextVar[Deflations | None] = ContextVar("persona_catalog_deflations", default=None)


@contextmanager
def reusing(deflations: Deflations) -> Iterator[None]:
    """`deflate` takes and keeps its files in `deflations` within this block (in this thread or task)."""
    token = _REUSING.set(deflations)
    try:
        yield
    finally:
        _REUSING.reset(token)


def deflate(content: bytes) -> Deflated:
    """`content` compressed as zipfile would (raw DEFLATE, zlib's default level)."""
    if len(content) > MAX_MEMBER:
        raise ValueError(f"a zip member of {len(content):,} bytes is larger than this writer takes "
                         f"({MAX_MEMBER:,} bytes)")
    deflations = _REUSING.get()
    return _deflate(content) if deflations is None else deflations.get(content)


def _deflate(content: bytes) -> Deflated:
    return Deflated(zlib.crc32(content), len(content), zlib.compress(content, zlib.Z_DEFAULT_COMPRESSION, -15))


def zip_archive(members: Iterable[tuple[str, Deflated]]) -> bytes:
    """A zip of `members` (name, compressed file), sorted by name; ZIP64 records where offsets or the number of
    entries need them. The same members always give the same bytes."""
    chunks: list[bytes] = []
    central: list[bytes] = []
    offset = count = 0
    for count, (name, member) in enumerate(sorted(members, key=lambda item: item[0]), 1):  # noqa: B007 (read after)
        encoded, flags = _name(name)
        chunks += (_LOCAL.pack(b"PK\x03\x04", _VERSION, 0, flags, _DEFLATED, 0, _DOS_DATE, member.crc,
                               len(member.data), member.size, len(encoded), 0), encoded, member.data)
        extra, version, at = b"", _VERSION, offset
        if offset > ZIP64_LIMIT:  # the header's offset in a ZIP64 extra field (4.5.3)
            extra, version, at = struct.pack("<HHQ", 1, 8, offset), _VERSION64, 0xFFFFFFFF
        central += (_CENTRAL.pack(b"PK\x01\x02", version, _UNIX, version, 0, flags, _DEFLATED, 0, _DOS_DATE,
                                  member.crc, len(member.data), member.size, len(encoded), len(extra), 0, 0, 0,
                                  _MODE, at), encoded, extra)
        offset += _LOCAL.size + len(encoded) + len(member.data)
    start, size = offset, sum(map(len, central))
    if count > COUNT_LIMIT or start > ZIP64_LIMIT or size > ZIP64_LIMIT:
        central += (_END64.pack(b"PK\x06\x06", _END64.size - 12, _VERSION64, _VERSION64, 0, 0, count, count, size,
                                start), _LOCATOR64.pack(b"PK\x06\x07", 0, start + size, 1))
        count, start, size = min(count, 0xFFFF), min(start, 0xFFFFFFFF), min(size, 0xFFFFFFFF)
    return b"".join(chunks + central + [_END.pack(b"PK\x05\x06", 0, 0, count, count, size, start, 0)])


def _name(name: str) -> tuple[bytes, int]:
    try:
        return name.encode("ascii"), 0
    except UnicodeEncodeError:
        return name.encode("utf-8"), _UTF8
