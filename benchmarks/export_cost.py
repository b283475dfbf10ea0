"""Cost of the exports at build time, as ratios against a baseline measured in the same run: writing the
per-persona JSON API documents. Measures writing every persona's export for every tool and cutting it around
the prompt (the parts the pages carry), the whole-catalog and per-category zips and the Claude Code
marketplace, and the zips' total size.

Run: `.venv/bin/python benchmarks/export_cost.py [N ...]` (default: 1000 5000 synthetic personas).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

from scale import synthetic

from persona_catalog.exports import export_parts, marketplace_bundle, tool_bundles
from persona_catalog.loader import load_catalog
from persona_catalog.outputs import dump_json, index_entry


def seconds(work) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def main(sizes: list[int]) -> None:
    print(f"{'personas':>9} {'api json s':>10} {'exports s':>9} {'x base':>7} {'zips s':>7} {'x base':>7} "
          f"{'zips MB':>8} {'zip files':>9}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            synthetic(Path(tmp), size)
            catalog = load_catalog(Path(tmp)).catalog
        base = seconds(lambda: [dump_json({**index_entry(p, str), "prompt": p.body}) for p in catalog.personas])
        exports: dict = {}
        files = seconds(lambda: exports.update(export_parts(catalog)))
        zips: dict[str, bytes] = {}
        packing = seconds(lambda: zips.update(tool_bundles(catalog, exports),
                                              **marketplace_bundle(catalog, "bench", "Bench", exports)))
        print(f"{size:>9} {base:10.2f} {files:9.2f} {files / base:7.1f} {packing:7.2f} {packing / base:7.1f} "
              f"{sum(map(len, zips.values())) / 2**20:8.1f} {len(zips):>9}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 5000])
