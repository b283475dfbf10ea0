"""Compare two built sites file by file: `python scripts/compare_sites.py SITE_A SITE_B`.

Every file must be byte-identical (the search index included: it is written in the order the pages are). Exits 0
when the sites are the same, 1 with a list of differences otherwise.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _files(site: Path) -> dict[str, Path]:
    return {p.relative_to(site).as_posix(): p for p in site.rglob("*") if p.is_file()}


def compare(a: Path, b: Path) -> list[str]:
    """The differences between two sites, one line each."""
    left, right = _files(a), _files(b)
    differences = [f"only in {a}: {name}" for name in sorted(left.keys() - right.keys())]
    differences += [f"only in {b}: {name}" for name in sorted(right.keys() - left.keys())]
    differences += [f"differs: {name}" for name in sorted(left.keys() & right.keys())
                    if left[name].read_bytes() != right[name].read_bytes()]
    return differences


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.splitlines()[0], file=sys.stderr)
        return 2
    a, b = map(Path, argv)
    differences = compare(a, b)
    for line in differences:
        print(line)
    print(f"{len(_files(a))} files compared: " + ("identical" if not differences else f"{len(differences)} difference(s)"))
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
