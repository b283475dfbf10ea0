"""What git dates and history cost: a synthetic catalog in a git repository with history, built with
`git_history: true` and with `git_history: false` (file times), as a ratio measured in the same run.

Run: `nice .venv/bin/python benchmarks/dates_cost.py [N] [RUNS]` (default: 5000 personas, 3 builds each).
History: the personas are added in 50 commits, 20 commits each edit 5% of them, one commit moves 10% into
another folder (renames), so `git log` has about 5,000 + 5,000 + 500 file changes to read.
"""

from __future__ import annotations

import logging
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from statistics import median

from mkdocs.commands.build import build
from mkdocs.config import load_config

sys.path.insert(0, str(Path(__file__).resolve().parent))
from persona_catalog import read_history
from scale import ROOT, synthetic

logging.getLogger("mkdocs").setLevel(logging.ERROR)
os.environ.update(SITE_URL="https://example.org/catalog/", REPO_URL="https://github.com/example/catalog")


def git(repo: Path, *args: str, day: int = 0) -> None:
    stamp = "2024-01-01T00:00:00+00:00" if not day else f"{1704067200 + day * 86400} +0000"
    env = {**os.environ, "GIT_AUTHOR_NAME": "bench", "GIT_AUTHOR_EMAIL": "b@example.com",
           "GIT_COMMITTER_NAME": "bench", "GIT_COMMITTER_EMAIL": "b@example.com",
           "GIT_AUTHOR_DATE": stamp, "GIT_COMMITTER_DATE": stamp}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def project_with_history(root: Path, count: int) -> None:
    """The project's docs and config, and `count` personas committed with adds, edits and renames."""
    shutil.copytree(ROOT / "docs", root / "docs")
    shutil.copytree(ROOT / "overrides", root / "overrides")
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    staging = root / "staging"
    staging.mkdir()
    synthetic(staging, count)
    personas = root / "personas"
    personas.mkdir()
    (root / ".gitignore").write_text("site/\nstaging/\n")
    git(root, "init", "-q", "-b", "main")
    files = sorted(staging.iterdir())
    batch = max(1, len(files) // 50)
    for n, start in enumerate(range(0, len(files), batch), start=1):
        for path in files[start:start + batch]:
            path.rename(personas / path.name)
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"Add personas, batch {n}", day=n)
    names = sorted(p.name for p in personas.iterdir())
    for n in range(20):
        for name in names[n::20][: max(1, len(names) // 20)]:
            with open(personas / name, "a", encoding="utf-8") as handle:
                handle.write(f"\nRevision {n}: be more careful.\n")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", f"Edit round {n}", day=60 + n)
    (personas / "moved").mkdir()
    for name in names[:: 10]:
        (personas / name).rename(personas / "moved" / name)
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "Move a tenth of the personas", day=90)


def cpu() -> float:
    """CPU seconds of this process and its finished children (git): steady on a machine shared with others."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def build_seconds(root: Path, git_history: bool) -> tuple[float, float]:
    """(wall, CPU) seconds of one build."""
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"))
    config.plugins["persona-catalog"].config.git_history = git_history
    start, start_cpu = time.perf_counter(), cpu()
    build(config)
    return time.perf_counter() - start, cpu() - start_cpu


def main(count: int, runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        project_with_history(root, count)
        print(f"{count} personas committed with history in {time.perf_counter() - start:.0f} s")
        sources = [p.relative_to(root / "personas").as_posix() for p in (root / "personas").rglob("*.md")]
        start = time.perf_counter()
        history = read_history(root / "personas", sources)
        print(f"read_history alone: {time.perf_counter() - start:.2f} s for {len(history.files)} files, "
              f"{sum(len(d.revisions) for d in history.files.values())} revisions")
        assert all(history.files[s].from_git for s in sources)
        with_git, without = [], []
        for _ in range(runs):  # interleaved, so drift on a shared machine hits both alike
            without.append(build_seconds(root, False))
            with_git.append(build_seconds(root, True))
        for label, index in (("wall", 0), ("CPU", 1)):
            base, dated = median(t[index] for t in without), median(t[index] for t in with_git)
            print(f"{label:>4}: without git dates (file times) {base:6.1f} s, with git dates and history {dated:6.1f} s, "
                  f"ratio {dated / base:.3f} (target: at most 1.10)  runs: "
                  f"{[round(t[index], 1) for t in without]} / {[round(t[index], 1) for t in with_git]}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000, int(sys.argv[2]) if len(sys.argv) > 2 else 3)
