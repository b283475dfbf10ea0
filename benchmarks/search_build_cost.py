"""What the search index adds to a build: the same synthetic catalog built with `search: false` and with
`search: true`, interleaved in one run, reported as the ratio of the medians (issue budget: at most 1.2).

Run: `.venv/bin/python benchmarks/search_build_cost.py [N] [ROUNDS]` (default 5000 personas, 2 rounds).
"""

from __future__ import annotations

import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from mkdocs.commands.build import build
from mkdocs.config import load_config

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import ROOT, synthetic  # the same synthetic catalog as the scale benchmark


def main(count: int, rounds: int) -> None:
    logging.disable(logging.WARNING)
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        shutil.copytree(ROOT / "docs", project / "docs")
        shutil.copytree(ROOT / "overrides", project / "overrides")
        (project / "personas").mkdir()
        synthetic(project / "personas", count)
        config = (ROOT / "mkdocs.yml").read_text("utf-8")
        seconds: dict[bool, list[float]] = {False: [], True: []}
        for search in (False, True) * rounds:
            (project / "mkdocs.yml").write_text(
                config.replace("  - persona-catalog:", f"  - persona-catalog:\n      search: {str(search).lower()}", 1))
            start = time.perf_counter()
            build(load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site")))
            seconds[search].append(time.perf_counter() - start)
        off, on = median(seconds[False]), median(seconds[True])
        print(f"{count} personas, {rounds} rounds: without search {', '.join(f'{s:.1f}' for s in seconds[False])} s; "
              f"with search {', '.join(f'{s:.1f}' for s in seconds[True])} s; median ratio {on / off:.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000, int(sys.argv[2]) if len(sys.argv) > 2 else 2)
