"""Size of what issue 22 adds to a site, at scale: the Claude Code marketplace the site serves (its
`marketplace.json` and plugin zips) and the Agent Skills, Kiro and Antigravity zips, for the synthetic catalogs of
`scale.py`, against the whole-catalog zips the site already wrote for the other tools (the baseline, same run).

Run: `nice .venv/bin/python benchmarks/install_outputs.py [N ...]` (default 500 5000; under a minute). Made from the
catalog directly (`each_bundle`, as a build writes them), without MkDocs.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from persona_catalog import load_catalog
from persona_catalog.exports import Marketplace, each_bundle, export_parts
from scale import synthetic

NEW = ("agent-skills", "kiro", "antigravity")


def sizes(count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        personas = Path(folder)
        synthetic(personas, count)
        catalog = load_catalog(personas, {}).catalog
        started = time.perf_counter()
        market = Marketplace("bench", "Bench", lambda path: "https://catalog.example.org/" + path)
        totals = {"marketplace.json": 0, "marketplace plugins": 0, "largest plugin": 0, "whole-catalog plugin": 0,
                  **{f"{tool} zips": 0 for tool in NEW}, "other tools' zips": 0, "files": 0}
        for path, data in each_bundle(catalog, export_parts(catalog), market):
            totals["files"] += 1
            if path.endswith("marketplace.json"):
                totals["marketplace.json"] += len(data)
            elif "/claude-code/plugins/" in path:
                totals["marketplace plugins"] += len(data)
                totals["largest plugin"] = max(totals["largest plugin"], len(data))
                if path.endswith("all-personas.zip"):
                    totals["whole-catalog plugin"] = len(data)
            elif any(f"/bundles/{tool}/" in path for tool in NEW):
                totals[next(f"{tool} zips" for tool in NEW if f"/bundles/{tool}/" in path)] += len(data)
            else:
                totals["other tools' zips"] += len(data)
        totals["seconds"] = time.perf_counter() - started
        return totals


def main() -> None:
    counts = [int(arg) for arg in sys.argv[1:]] or [500, 5000]
    results = {n: sizes(n) for n in counts}
    keys = list(next(iter(results.values())))
    print("| output | " + " | ".join(f"{n:,} personas" for n in counts) + " |")
    print("|---|" + "---:|" * len(counts))
    for key in keys:
        cells = [f"{v:.1f} s" if key == "seconds" else f"{int(v):,}" if key == "files" else f"{v / 1e6:.2f} MB"
                 for v in (results[n][key] for n in counts)]
        print(f"| {key} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
