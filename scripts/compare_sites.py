"""Compare two built sites file by file: `python scripts/compare_sites.py SITE_A SITE_B`.

Every file must be byte-identical, with one exception Pagefind forces: its filter files list the filters in
the order of a Rust hash map, which differs from run to run of the same index, and the names of the filter
files and the index's meta file carry hashes of those bytes. So under `pagefind/` those files are compared by
what they hold (the filters decoded, as sets) and hash-bearing names are matched by their role. Exits 0 when
the sites are the same, 1 with a list of differences otherwise.
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

HASHED = re.compile(r"\b[a-z]{2,3}_[0-9a-f]{7,10}\b")  # Pagefind's language_hash, in names and in its meta
CBOR_PREFIX = re.compile(rb"^pagefind_[a-z]{2,4}")


def _cbor(data: bytes, at: int = 0) -> tuple[object, int]:
    """One CBOR item (the subset Pagefind writes: ints, strings, arrays, maps) and where the next begins."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        value = info
    else:
        size = 1 << (info - 24)
        value, at = int.from_bytes(data[at:at + size], "big"), at + size
    if major in (0, 1):
        return (value if major == 0 else -1 - value), at
    if major in (2, 3):
        chunk = data[at:at + value]
        return (chunk.decode() if major == 3 else chunk), at + value
    items = []
    for _ in range(value * (2 if major == 5 else 1)):
        item, at = _cbor(data, at)
        items.append(item)
    if major == 5:  # a map: as a set of pairs, since Pagefind's order is not stable
        return frozenset((_freeze(k), _freeze(v)) for k, v in zip(items[::2], items[1::2], strict=True)), at
    return tuple(items), at


def _freeze(value: object) -> object:
    return frozenset(value) if isinstance(value, set) else value


def _decoded(path: Path) -> object:
    data = CBOR_PREFIX.sub(b"", gzip.decompress(path.read_bytes()))
    value, _ = _cbor(data)
    if path.suffix == ".pf_filter":  # filter -> {value: pages}: the order of entries is the hash map's
        return _unordered(value)
    return HASHED.sub("<hash>", repr(value))


def _unordered(value: object) -> object:
    """Pagefind's lists of (name, values) pairs as sets, at every depth."""
    if not isinstance(value, tuple):
        return value
    items = tuple(_unordered(v) for v in value)
    return frozenset(items) if value and all(isinstance(v, tuple) for v in value) else items


def _files(site: Path) -> dict[str, Path]:
    return {HASHED.sub("<hash>", p.relative_to(site).as_posix()): p for p in site.rglob("*") if p.is_file()}


def compare(a: Path, b: Path) -> list[str]:
    """The differences between two sites, one line each."""
    left, right = _files(a), _files(b)
    differences = [f"only in {a}: {name}" for name in sorted(left.keys() - right.keys())]
    differences += [f"only in {b}: {name}" for name in sorted(right.keys() - left.keys())]
    for name in sorted(left.keys() & right.keys()):
        x, y = left[name], right[name]
        if x.read_bytes() == y.read_bytes():
            continue
        if name.startswith("pagefind/") and x.suffix in (".pf_filter", ".pf_meta") and _decoded(x) == _decoded(y):
            continue
        if (name.startswith("pagefind/") and name.endswith("pagefind-entry.json")
                and HASHED.sub("<hash>", x.read_text()) == HASHED.sub("<hash>", y.read_text())):
            continue
        differences.append(f"differs: {name}")
    return differences


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    a, b = map(Path, argv)
    differences = compare(a, b)
    count = sum(1 for _ in a.rglob("*") if _.is_file())
    for line in differences:
        print(line)
    print(f"{count} files compared: " + ("identical" if not differences else f"{len(differences)} difference(s)"))
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
