"""The package is the product: the wheel and sdist hold every file of the package (templates, assets, theme
files, `init`'s templates), and the wheel alone, installed into a fresh virtual environment, starts a catalog
with `persona-catalog init` that lints and builds strict there."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

from conftest import ROOT


def run(command: list[str | Path], cwd: Path, ok: bool = True) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "SITE_URL", "REPO_URL", "EDIT_URI",
                                                            "VIRTUAL_ENV")}
    done = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True, timeout=900,
                          env={**env, "NO_MKDOCS_2_WARNING": "1"})
    problems = [line for line in done.stderr.splitlines() if not line.startswith("INFO")]
    assert not ok or done.returncode == 0, (command, done.stdout[-2000:], problems[-30:])
    return done


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_wheel_alone_starts_a_catalog_that_builds(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    run([sys.executable, "-m", "build", "--outdir", dist, ROOT], cwd=tmp_path)
    [wheel], [sdist] = dist.glob("*.whl"), dist.glob("*.tar.gz")
    package = {p.relative_to(ROOT / "plugins").as_posix() for p in (ROOT / "plugins/persona_catalog").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(".pyc")}
    assert {"persona_catalog/site/templates/persona.html", "persona_catalog/site/assets/search-worker.js",
            "persona_catalog/engines/mkdocs/theme/404.html", "persona_catalog/cli/templates/init/mkdocs.yml"} <= package
    in_wheel = set(zipfile.ZipFile(wheel).namelist())
    assert package - in_wheel == set()
    in_sdist = {name.split("/", 1)[1] for name in tarfile.open(sdist).getnames() if "/" in name}
    assert {f"plugins/{name}" for name in package} - in_sdist == set()

    venv = tmp_path / "venv"  # nothing else in it: the wheel and what it depends on
    run([sys.executable, "-m", "venv", venv], cwd=tmp_path)
    bin_ = venv / "bin"
    run([bin_ / "python", "-m", "pip", "install", "--quiet", wheel], cwd=tmp_path)
    where = run([bin_ / "python", "-c", "import persona_catalog; print(persona_catalog.__file__)"], cwd=tmp_path)
    assert where.stdout.startswith(str(venv)), where.stdout  # the installed package, not this checkout

    work = tmp_path / "work"
    work.mkdir()
    made = run([bin_ / "persona-catalog", "init", "my-catalog", "--name", "My Catalog"], cwd=work)
    assert "wrote my-catalog/mkdocs.yml" in made.stdout
    catalog = work / "my-catalog"
    linted = run([bin_ / "persona-catalog", "lint"], cwd=catalog)
    assert "1 file(s) checked: 0 error(s), 0 warning(s)" in linted.stderr
    built = run([bin_ / "mkdocs", "build", "--strict"], cwd=catalog)
    assert "WARNING" not in built.stderr and "built 1 personas" in built.stderr
    site = catalog / "site"
    home = (site / "index.html").read_text()
    assert "My Catalog</h1>" in home and 'data-slug="plain-language-editor"' in home
    assert "Plain Language Editor" in (site / "personas/plain-language-editor/index.html").read_text()
    assert (site / "pagefind/pagefind-entry.json").is_file() or list((site / "pagefind").rglob("pagefind-entry.json"))
    assert (site / "assets/persona-catalog/search-worker.js").is_file()

    before = tree(catalog)
    refused = run([bin_ / "persona-catalog", "init", "my-catalog"], cwd=work, ok=False)
    assert refused.returncode == 2 and "is not empty" in refused.stderr
    assert tree(catalog) == before
