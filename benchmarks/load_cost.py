"""CPU cost of loading a synthetic catalog, with the front matter read by LibYAML's parser (the build's path when
PyYAML has LibYAML) and, as the baseline measured in the same run, by PyYAML's own parser; and of writing every
persona's export parts. Medians of three runs of `time.process_time`, so a busy machine counts less.

Run: `.venv/bin/python benchmarks/load_cost.py [N ...]` (default: 2000 synthetic personas).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from persona_catalog import export_parts, load_catalog
from persona_catalog.catalog import yaml_boundary
from scale import synthetic


def cpu_seconds(work: Callable[[], object], runs: int = 3) -> float:
    times = []
    for _ in range(runs):
        start = time.process_time()
        work()
        times.append(time.process_time() - start)
    return statistics.median(times)


def main(sizes: list[int]) -> None:
    print(f"{'personas':>9} {'load s':>7} {'pyyaml s':>8} {'x base':>7} {'ms/persona':>10} {'exports s':>9}")
    libyaml = yaml_boundary.CParser
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            synthetic(Path(tmp), size)
            load = cpu_seconds(lambda: load_catalog(Path(tmp)))
            yaml_boundary.CParser = None  # as on a PyYAML without LibYAML: the baseline
            try:
                base = cpu_seconds(lambda: load_catalog(Path(tmp)))
            finally:
                yaml_boundary.CParser = libyaml
            catalog = load_catalog(Path(tmp)).catalog
        exports = cpu_seconds(lambda: export_parts(catalog))
        print(f"{size:>9} {load:7.2f} {base:8.2f} {load / base:7.2f} {1000 * load / size:10.2f} {exports:9.2f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [2000])
