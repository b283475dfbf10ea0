"""Incremental builds: the build cache (`build/cache.py`) after one persona is edited, against clean builds of the
same sources, in one run.

Run: `nice .venv/bin/python benchmarks/incremental.py [N ...]` (default 2000; the issue's figure is at 20000). For
each size, on `scale.py`'s synthetic catalog, each build a `mkdocs build` process of its own:

1. a clean build (no cache folder), which fills the cache;
2. one persona's prompt edited, then a plain `mkdocs build` again: the cached build;
3. the cache folder deleted, a clean build of the edited sources.

Reported: the seconds of each, the cached build's time as a share of the mean of the two clean builds, the pages
taken from the cache, and whether the cached build's site is the clean build's byte for byte (every file, the
search index's too).
"""

from __future__ import annotations

import argparse
import filecmp
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import project, synthetic

EDITED = "persona-00042.md"


def mkdocs_build(folder: Path, site: Path) -> tuple[float, str]:
    """One `mkdocs build` in its own process, started once what the last one wrote is on disk (the kernel writes
    gigabytes back in the background, slowing whichever build writes next): its seconds and its log."""
    os.sync()
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(folder / "mkdocs.yml"), "-d", str(site)],
                          capture_output=True, text=True, env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": ""})
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"mkdocs build failed:\n{done.stderr[-3000:]}")
    return seconds, done.stderr


def differences(a: Path, b: Path) -> list[str]:
    """Files that differ between two sites, or are in one only (relative paths)."""
    found: list[str] = []

    def walk(compare: filecmp.dircmp[str], prefix: str) -> None:
        found.extend(prefix + name for name in compare.left_only + compare.right_only + compare.funny_files)
        _, mismatch, errors = filecmp.cmpfiles(compare.left, compare.right, compare.common_files, shallow=False)
        found.extend(prefix + name for name in mismatch + errors)
        for name, sub in compare.subdirs.items():
            walk(sub, f"{prefix}{name}/")

    walk(filecmp.dircmp(a, b), "")
    return sorted(found)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[2000])
    args = parser.parse_args()
    print("| personas | clean build | cached build after one edit | cached / clean | pages from the cache | "
          "cached site = clean site |\n|---:|---:|---:|---:|---:|---|")
    notes: list[str] = []
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            personas = Path(tmp, "personas")
            personas.mkdir()
            synthetic(personas, n)
            folder = project("catalog", personas, Path(tmp, "catalog"))
            first, _ = mkdocs_build(folder, Path(tmp, "site-first"))
            edited = folder / "personas" / EDITED
            edited.write_text(edited.read_text("utf-8") + "\nOne more sentence, edited.\n", "utf-8")
            cached, log = mkdocs_build(folder, Path(tmp, "site-cached"))
            reused = re.search(r"(\d+) page\(s\) taken from the build cache", log)
            shutil.rmtree(folder / ".cache")
            clean, _ = mkdocs_build(folder, Path(tmp, "site-clean"))
            differ = differences(Path(tmp, "site-cached"), Path(tmp, "site-clean"))
            same = "yes" if not differ else f"no: {len(differ)} files differ, {differ[:5]}"
            mean = (first + clean) / 2
            print(f"| {n:,} | {first:.1f} s, {clean:.1f} s | {cached:.1f} s | **{cached / mean:.0%}** | "
                  f"{reused.group(1) if reused else '?'} | {same} |", flush=True)
            stages = re.search(r"seconds: ([^;]*);", log)
            notes.append(f"{n:,}: the cached build's stages: {stages.group(1) if stages else '?'}")
    print("\n" + "\n".join(notes) + f"\n{os.cpu_count()} CPUs.")


if __name__ == "__main__":
    main()
