"""Where a catalog build's time goes: `mkdocs build` of `scale.py`'s synthetic catalog under cProfile (the build
process only: the prompt worker and the search indexer run beside it), summed into a few named parts.

Run: `nice .venv/bin/python benchmarks/build_profile.py [N]` (default 2,000 personas; cProfile about doubles the
build's time). Prints a Markdown table: each part's cumulative CPU seconds under the profiler and its share of the
build process's, largest first. The parts are the functions named below (a part's time includes what it calls,
so a part inside another is counted in both: the listed ones do not nest, except where said).
"""

from __future__ import annotations

import os
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

from scale import project, synthetic

# (part, (file suffix, function name) of the functions whose cumulative time it is)
PARTS = (
    ("our page templates (Renderer.render, prompt HTML included)", ("site/render.py", "render")),
    ("of it: prompt HTML made in the build process", ("prompt/pool.py", "html")),
    ("of it: related personas", ("catalog/model.py", "related_personas")),
    ("Material's page template (MkDocs' _build_page less our hooks)", ("mkdocs/commands/build.py", "_build_page")),
    ("load: files, dates, export parts (CatalogBuild.load)", ("build/core.py", "load")),
    ("of it: export parts", ("exports/bundles.py", "export_parts")),
    ("outputs: API, zips, raw files (SiteWork.finish)", ("build/work.py", "finish")),
    ("search: pages fed to the indexer (add_page)", ("build/core.py", "add_page")),
    ("the whole build (mkdocs build)", ("mkdocs/commands/build.py", "build")),
)

# The build under cProfile counting the process's CPU time (not the wall clock: the machine may be shared).
_PROFILED = """
import cProfile, sys, time
from mkdocs.__main__ import cli
out = sys.argv.pop(1)
profile = cProfile.Profile(time.process_time)
try:
    profile.runcall(cli, prog_name="mkdocs")
except SystemExit:
    pass
profile.dump_stats(out)
"""


def cumulative(stats: pstats.Stats) -> dict[tuple[str, str], float]:
    """(file, function) -> cumulative seconds, summed over the function's definitions."""
    found: dict[tuple[str, str], float] = {}
    for (filename, _, name), (_, _, _, cum, _) in stats.stats.items():  # type: ignore[attr-defined]
        for _, (suffix, function) in PARTS:
            if filename.endswith(suffix) and name == function:
                found[suffix, function] = found.get((suffix, function), 0.0) + cum
    return found


def main(size: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        personas = Path(tmp, "personas")
        personas.mkdir()
        synthetic(personas, size)
        folder = project("catalog", personas, Path(tmp, "catalog"))
        out = Path(tmp, "build.prof")
        subprocess.run([sys.executable, "-c", _PROFILED, str(out), "build", "-q", "-f", str(folder / "mkdocs.yml"),
                        "-d", str(folder / "site")], check=True,
                       env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": ""})
        found = cumulative(pstats.Stats(str(out)))
    whole = found.get(PARTS[-1][1], 0.0) or 1.0
    # MkDocs' page step includes our page hooks (the render above, the search feed): Material's own is the rest.
    page_hooks = found.get(PARTS[0][1], 0.0) + found.get(PARTS[7][1], 0.0)
    print(f"| part ({size:,} personas, cProfile) | seconds | share |\n|---|---:|---:|")
    for part, key in PARTS:
        seconds = found.get(key, 0.0) - (page_hooks if key == PARTS[3][1] else 0.0)
        print(f"| {part} | {seconds:.1f} | {seconds / whole:.0%} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
