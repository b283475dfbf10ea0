"""Cost of the exports at build time, in CPU seconds (`time.process_time`, so a busy shared machine counts less),
as ratios against a baseline measured in the same run: writing the per-persona JSON API documents. Measures
writing every persona's export for every tool and cutting it around the prompt (the parts the pages carry), all
the zips (each tool's whole-catalog and category zips and the Claude Code marketplace), every machine-readable
output of the site (`outputs.site_outputs`, zips included), and the zips' total size. Medians of R rounds.

Run: `nice .venv/bin/python benchmarks/export_cost.py [N ...] [--rounds R]` (default: 1000 5000 personas, 3).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from statistics import median

from persona_catalog import export_parts, index_entry, load_catalog, site_outputs
from persona_catalog.exports import each_bundle, json_file
from scale import synthetic


def cpu_seconds(work: Callable[[], object], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return median(times)


def main(sizes: list[int], rounds: int) -> None:
    print(f"{'personas':>9} {'api json s':>10} {'exports s':>9} {'x base':>7} {'zips s':>7} {'x base':>7} "
          f"{'outputs s':>9} {'x base':>7} {'zips MB':>8} {'zip files':>9}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            synthetic(Path(tmp), size)
            catalog = load_catalog(Path(tmp)).catalog
        base = cpu_seconds(lambda: [json_file({**index_entry(p, str), "prompt": p.body}) for p in catalog.personas],
                           rounds)
        exports = export_parts(catalog)
        files = cpu_seconds(lambda: export_parts(catalog), rounds)
        zips = dict(each_bundle(catalog, exports, ("bench", "Bench")))
        packing = cpu_seconds(lambda: list(each_bundle(catalog, exports, ("bench", "Bench"))), rounds)
        outputs = cpu_seconds(lambda: [len(data) for _, data in site_outputs(catalog, str, exports=exports)], rounds)
        print(f"{size:>9} {base:10.2f} {files:9.2f} {files / base:7.1f} {packing:7.2f} {packing / base:7.1f} "
              f"{outputs:9.2f} {outputs / base:7.1f} {sum(map(len, zips.values())) / 2**20:8.1f} {len(zips):>9}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[1000, 5000])
    parser.add_argument("--rounds", type=int, default=3)
    arguments = parser.parse_args()
    main(arguments.sizes, arguments.rounds)
