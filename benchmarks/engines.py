"""Both engines on the same catalogs, in the same run: build time and output size of `mkdocs build` (the plugin)
and `persona-catalog build --engine zensical` (generate, `zensical build`, finish), on the bundled catalog and
on synthetic catalogs (scale.py's personas), each figure also as a ratio Zensical / MkDocs.

Run: `nice .venv/bin/python benchmarks/engines.py [N ...] [--rounds R]` (default: the bundled catalog and 5000,
1 round; the builds alternate, MkDocs first). Prints a Markdown table (docs/engines.md's).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from scale import ROOT, project, synthetic

BIN = Path(sys.executable).parent
COMMANDS = {"MkDocs": [str(BIN / "mkdocs"), "build", "--strict"],
            "Zensical": [str(BIN / "persona-catalog"), "build", "--engine", "zensical", "--strict"]}


def size(folder: Path) -> tuple[int, int]:
    """Bytes and files under `folder`."""
    files = [p for p in folder.rglob("*") if p.is_file()]
    return sum(p.stat().st_size for p in files), len(files)


def run(engine: str, folder: Path) -> tuple[float, int, int]:
    shutil.rmtree(folder / "site", ignore_errors=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": "https://catalog.example.org/"}
    start = time.perf_counter()
    subprocess.run(COMMANDS[engine], cwd=folder, env=env, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    return (seconds, *size(folder / "site"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[0, 5000], help="0: the bundled catalog")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    print("| catalog | engine | build | output | files |\n|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as temp:
        for n in args.sizes:
            personas = Path(temp, f"personas-{n}")
            if n:
                personas.mkdir()
                synthetic(personas, n)
            else:
                shutil.copytree(ROOT / "personas", personas)
            folder = project("catalog", personas, Path(temp, f"project-{n}"))
            times: dict[str, list[float]] = {engine: [] for engine in COMMANDS}
            sizes: dict[str, tuple[int, int]] = {}
            for _ in range(args.rounds):
                for engine in COMMANDS:
                    seconds, total, count = run(engine, folder)
                    times[engine].append(seconds)
                    sizes[engine] = (total, count)
            label = f"{n:,} synthetic" if n else "bundled (32)"
            for engine in COMMANDS:
                print(f"| {label} | {engine} | {median(times[engine]):.1f} s | {sizes[engine][0] / 1e6:.1f} MB | "
                      f"{sizes[engine][1]:,} |", flush=True)
            ratio = median(times["Zensical"]) / median(times["MkDocs"])
            print(f"| {label} | Zensical / MkDocs | **{ratio:.2f}×** | "
                  f"**{sizes['Zensical'][0] / sizes['MkDocs'][0]:.2f}×** | "
                  f"**{sizes['Zensical'][1] / sizes['MkDocs'][1]:.2f}×** |", flush=True)
            shutil.rmtree(folder)


if __name__ == "__main__":
    main()
