"""Build time and page weight of the catalog, as ratios against a baseline measured in the same run.

Run: `.venv/bin/python benchmarks/build_cost.py [N ...]` (default sizes: 0, the bundled catalog, 1000).
The baseline is the same site with an empty personas folder: what Material for MkDocs costs by itself.
"""

from __future__ import annotations

import gzip
import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from mkdocs.commands.build import build
from mkdocs.config import load_config

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
logging.getLogger("mkdocs").setLevel(logging.ERROR)

WORDS = ("review api sql data cloud test docs design security ops writing product coach python rust "
         "kubernetes incident pricing research tutor").split()


def synthetic(folder: Path, count: int) -> None:
    """`count` personas with realistic size: 6 tags from 200, 4 models, 12 categories, a 5 KB prompt."""
    for i in range(count):
        tags = sorted({f"{WORDS[(i * k) % len(WORDS)]}-{(i * 7 + k) % 10}" for k in range(1, 7)})
        body = "\n\n".join(f"## Section {s}\n\nYou are persona {i}. " + "Do the work carefully. " * 40
                           for s in range(6))
        (folder / f"p{i:05d}.md").write_text(
            f"---\nname: Persona {i:05d}\ncategory: category-{i % 12}\nmodels: [\"claude-code\", \"cursor\"]\n"
            f"context_window: large\nversion: 1.0.0\nauthor: bench\ntags: {tags}\n---\n\n# Persona {i}\n\n{body}\n",
            "utf-8")


def measure(personas: Path, runs: int = 3) -> dict[str, float]:
    """Median build seconds and page weights for a site whose personas are in `personas`."""
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        shutil.copytree(ROOT / "docs", project / "docs")
        shutil.copytree(ROOT / "overrides", project / "overrides")
        shutil.copytree(personas, project / "personas")
        shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            build(load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site")))
            times.append(time.perf_counter() - start)
        site = project / "site"
        home = (site / "index.html").read_bytes()
        pages = [p.read_bytes() for p in (site / "personas").glob("*/index.html")] or [b""]
        return {
            "seconds": median(times),
            "home_bytes": len(home),
            "home_gzip": len(gzip.compress(home)),
            "persona_page_bytes": max(len(p) for p in pages),
            "personas": len(pages) if pages != [b""] else 0,
        }


def main(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp, "empty")
        empty.mkdir()
        baseline = measure(empty)
        print(f"baseline (empty catalog): build {baseline['seconds']:.2f} s, home {baseline['home_bytes']} B")
        print(f"{'personas':>9} {'build s':>8} {'x baseline':>10} {'home KB':>8} {'home gz KB':>10} "
              f"{'home x base':>11} {'max persona page KB':>20}")
        for size in sizes:
            if size < 0:
                folder, label = ROOT / "personas", "bundled"
            else:
                folder, label = Path(tmp, f"n{size}"), str(size)
                folder.mkdir()
                synthetic(folder, size)
            m = measure(folder)
            print(f"{label:>9} {m['seconds']:8.2f} {m['seconds'] / baseline['seconds']:10.2f} "
                  f"{m['home_bytes'] / 1024:8.1f} {m['home_gzip'] / 1024:10.1f} "
                  f"{m['home_bytes'] / baseline['home_bytes']:11.2f} {m['persona_page_bytes'] / 1024:20.1f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [-1, 1000])
