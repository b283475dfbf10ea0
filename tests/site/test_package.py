"""The package is the product: the wheel and sdist hold every file of the package (templates, assets, theme
files, `init`'s templates), and the wheel alone, installed into a fresh virtual environment, starts a catalog
with `persona-catalog init` that lints and builds strict there, with MkDocs and with ProperDocs (docs/engines.md)."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, demo_project


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


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel and the sdist, built by `python -m build` as a release would be."""
    folder = tmp_path_factory.mktemp("dist")
    run([sys.executable, "-m", "build", "--outdir", folder, ROOT], cwd=folder)
    return folder


def fresh_venv(folder: Path, *packages: str | Path) -> Path:
    """A new virtual environment with `packages` (and what they depend on) and nothing else; its bin folder."""
    run([sys.executable, "-m", "venv", folder], cwd=folder.parent)
    run([folder / "bin/python", "-m", "pip", "install", "--quiet", *packages], cwd=folder.parent)
    return folder / "bin"


def check_site(site: Path, title: str) -> None:
    """A home page listing the example persona, its page, the search index and its worker."""
    home = (site / "index.html").read_text()
    assert f"{title}</h1>" in home and 'data-slug="plain-language-editor"' in home
    assert "Plain Language Editor" in (site / "personas/plain-language-editor/index.html").read_text()
    assert (site / "search-index/persona/meta.json").is_file()
    assert (site / "assets/persona-catalog/search-worker.js").is_file()


def test_the_wheel_alone_starts_a_catalog_that_builds(dist: Path, tmp_path: Path) -> None:
    [wheel], [sdist] = dist.glob("*.whl"), dist.glob("*.tar.gz")
    package = {p.relative_to(ROOT / "plugins").as_posix() for p in (ROOT / "plugins/persona_catalog").rglob("*")
               if p.is_file() and "__pycache__" not in p.parts and not p.name.endswith(".pyc")}
    assert {"persona_catalog/site/templates/persona.html", "persona_catalog/site/assets/search-worker.js",
            "persona_catalog/engines/mkdocs/theme/404.html", "persona_catalog/cli/templates/init/mkdocs.yml"} <= package
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = set(archive.namelist())
    assert package - in_wheel == set()
    with tarfile.open(sdist) as archive:
        in_sdist = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    assert {f"plugins/{name}" for name in package} - in_sdist == set()

    venv = tmp_path / "venv"
    bin_ = fresh_venv(venv, wheel)
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
    check_site(catalog / "site", "My Catalog")

    before = tree(catalog)
    refused = run([bin_ / "persona-catalog", "init", "my-catalog"], cwd=work, ok=False)
    assert refused.returncode == 2 and "is not empty" in refused.stderr
    assert tree(catalog) == before


def test_properdocs_builds_an_init_catalog_and_the_demo_catalog_unchanged(dist: Path, tmp_path: Path) -> None:
    """ProperDocs, the maintained fork of MkDocs 1.x, in a venv of its own: `properdocs build -f mkdocs.yml
    --strict` builds both catalogs, and a persona warning still stops it."""
    [wheel] = dist.glob("*.whl")
    bin_ = fresh_venv(tmp_path / "venv", wheel, "properdocs")
    version = run([bin_ / "properdocs", "--version"], cwd=tmp_path).stdout
    assert version.startswith("properdocs, version 1."), version
    run([bin_ / "persona-catalog", "init", "new", "--name", "Proper"], cwd=tmp_path)
    built = run([bin_ / "properdocs", "build", "-f", "mkdocs.yml", "--strict"], cwd=tmp_path / "new")
    assert "WARNING" not in built.stderr and "built 1 personas" in built.stderr
    check_site(tmp_path / "new/site", "Proper")

    demo = demo_project(tmp_path / "demo")
    built = run([bin_ / "properdocs", "build", "-f", "mkdocs.yml", "--strict"], cwd=demo)
    personas = len(list((demo / "personas").rglob("*.md")))
    assert f"built {personas} personas" in built.stderr and (demo / "site/tags/index.html").is_file()

    editor = tmp_path / "new/personas/writing/plain-language-editor.md"
    editor.write_text(editor.read_text().replace("tags:", "colour: red\ntags:", 1))
    stopped = run([bin_ / "properdocs", "build", "-f", "mkdocs.yml", "--strict"], cwd=tmp_path / "new", ok=False)
    assert stopped.returncode == 1 and "colour: unknown field" in stopped.stderr
