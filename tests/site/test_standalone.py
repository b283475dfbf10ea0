"""The repository stands alone: a fresh clone with nothing beside it collects its whole suite and runs it."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT


def pytest_in(clone: Path, *args: str, ci: bool = False) -> subprocess.CompletedProcess[str]:
    """Run the clone's own tests with the clone's own package (PYTHONPATH wins over the editable install)."""
    env = {key: value for key, value in os.environ.items() if key != "CI"}
    env["PYTHONPATH"] = str(clone / "plugins")
    if ci:
        env["CI"] = "true"
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args],
                          cwd=clone, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def clone(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (ROOT / ".git").exists():
        pytest.skip("the tests are not running from a git checkout, so there is no HEAD to clone")
    target = tmp_path_factory.mktemp("fresh") / "persona-catalog"
    subprocess.run(["git", "clone", "--quiet", str(ROOT), str(target)], check=True, timeout=120)
    assert not (target.parent / "shared").exists()
    return target


def test_fresh_clone_uses_its_own_package(clone: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(clone / "plugins")}
    found = subprocess.run([sys.executable, "-c", "import persona_catalog; print(persona_catalog.__file__)"],
                           env=env, capture_output=True, text=True, check=True).stdout
    assert Path(found.strip()).is_relative_to(clone)


def test_fresh_clone_collects_every_test(clone: Path) -> None:
    result = pytest_in(clone, "--collect-only", "-q")
    assert result.returncode == 0, result.stdout + result.stderr
    assert re.search(r"^\d+ tests collected", result.stdout, re.MULTILINE), result.stdout[-2000:]
    assert "error" not in result.stdout.lower().split("collected")[-1]


def test_fresh_clone_skips_corpus_tests_with_a_reason_and_ci_fails_them(clone: Path) -> None:
    collected = pytest_in(clone, "-m", "corpus", "--collect-only", "-q")
    count = int(re.search(r"(\d+)/\d+ tests collected", collected.stdout).group(1))
    assert count >= 5
    skipped = pytest_in(clone, "-m", "corpus", "-rs")
    assert skipped.returncode == 0, skipped.stdout[-3000:]
    assert f"{count} skipped" in skipped.stdout
    assert "needs the third-party persona collections" in skipped.stdout
    in_ci = pytest_in(clone, "-m", "corpus", ci=True)
    assert in_ci.returncode == 1 and f"{count} errors" in in_ci.stdout, in_ci.stdout[-3000:]  # failed in setup
    assert "CI must run the corpus tests" in in_ci.stdout


def test_fresh_clone_runs_the_suite_without_shared(clone: Path) -> None:
    """A fast slice of the suite (no browser, no corpus) passes in the clone."""
    result = pytest_in(clone, "-m", "not corpus and not browser", "-q", "-x",
                       "tests/unit/test_loader.py", "tests/unit/test_model.py", "tests/unit/test_docs.py",
                       "tests/site/test_lint.py")
    assert result.returncode == 0, result.stdout[-3000:]
    assert re.search(r"\d+ passed", result.stdout) and "skipped" not in result.stdout
