"""No persona can break the generator's tests: run them on a copy of this repository whose catalog an owner has
edited as owners do (run by .ci/run after the suite; about 3-5 minutes).

The copy gets the seed persona from ../shared/examples/ (repaired by `persona-catalog lint --fix`), loses five
bundled personas, and another persona's tags are changed to share one with the new persona. The catalog's own
checks must pass there (`persona-catalog lint`, `mkdocs build --strict`: what its workflow runs before a deploy),
and so must the copy's tests: every test that is not a browser test, and the browser search tests (a ranking
test broke on a shared tag when the tests read personas/). The package test is left out: it builds and installs
the wheel, which no persona touches, and takes a minute.

    .venv/bin/python scripts/owner_edits.py
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "examples" / "backend-api-developer.md"
BIN = Path(sys.executable).parent


def run(command: list[str], cwd: Path, **kwargs: object) -> None:
    print("$", " ".join(command), flush=True)
    done = subprocess.run(command, cwd=cwd, **kwargs)  # type: ignore[call-overload]
    if done.returncode:
        sys.exit(f"owner_edits: failed ({done.returncode}): {' '.join(command)}")


def copy_repository(target: Path) -> None:
    """The files git knows of (tracked, or new and not ignored), as they are in the working tree."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)


def main() -> None:
    if not SEED.is_file():
        sys.exit(f"owner_edits: the seed persona {SEED} is absent (../shared/ is beside the clone in CI)")
    with tempfile.TemporaryDirectory(prefix="owner-edits-") as folder:
        copy = Path(folder) / "catalog"
        copy_repository(copy)
        (Path(folder) / "shared").symlink_to(SEED.parent.parent)  # the corpus tests read ../shared/, as here
        personas = copy / "personas"
        added = personas / "development" / "backend-api-developer.md"
        added.write_bytes(SEED.read_bytes())  # not its mode: ../shared/ is read-only
        bundled = sorted(p for p in personas.rglob("*.md") if p != added)
        removed, edited = bundled[::6][:5], bundled[1]  # from five categories; another keeps its file
        for path in removed:
            path.unlink()
        text = edited.read_text("utf-8")
        edited.write_text(re.sub(r"^tags: .*$", 'tags: ["api", "backend", "owner-edited"]', text, count=1,
                                 flags=re.MULTILINE), "utf-8")
        print(f"added {added.relative_to(copy)}, removed {', '.join(p.name for p in removed)}, "
              f"retagged {edited.relative_to(copy)}", flush=True)
        env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
        env.pop("SITE_URL", None)
        run([str(BIN / "persona-catalog"), "lint", "--fix", str(added.relative_to(copy))], copy, env=env)
        run([str(BIN / "persona-catalog"), "lint"], copy, env=env)  # the catalog's checks, as its workflow runs them
        run([str(BIN / "mkdocs"), "build", "--strict", "--site-dir", str(Path(folder) / "site")], copy, env=env)
        pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        run([*pytest, "tests/browser/test_browser_search.py", "tests/browser/test_browser_search_blocks.py"], copy,
            env=env)
        run([*pytest, "-m", "not browser", "--ignore=tests/site/test_package.py"], copy, env=env)  # its summary: last


if __name__ == "__main__":
    main()
