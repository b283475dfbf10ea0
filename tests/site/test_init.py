"""`persona-catalog init`: a new catalog that lints and builds strict at once; a folder that is not empty is
refused with nothing written; nothing is written outside the folder; in a terminal each value is asked for."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from mkdocs.utils.yaml import get_yaml_loader

from conftest import BuildSite, new_in_terminal, persona_text
from persona_catalog import main

# What the issue asks `init` to write: configuration, one example persona, the home page, a README, requirements
# pinning the package, a .gitignore and a publishing workflow.
NEW_FILES = {"mkdocs.yml", "docs/index.md", "personas/writing/plain-language-editor.md", "README.md",
             "requirements.txt", ".gitignore", ".github/workflows/publish.yml"}
EXAMPLE = "personas/writing/plain-language-editor.md"


def tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def strict_build(project: Path) -> subprocess.CompletedProcess[str]:
    """`mkdocs build --strict` in the project, as its README and workflow run it (no SITE_URL set)."""
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "REPO_URL", "EDIT_URI")}
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict"], cwd=project, env=env,
                          capture_output=True, text=True, timeout=300)


def test_init_writes_a_catalog_that_lints_and_builds_strict(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                            capsys: pytest.CaptureFixture) -> None:
    project = tmp_path / "my-catalog"
    assert main(["init", str(project), "--name", "Team <Personas>", "--site-url", "https://team.example.org/p",
                 "--repo-url", "https://github.com/team/personas"]) == 0
    assert set(tree(project)) == NEW_FILES
    assert "mkdocs build --strict" in capsys.readouterr().out
    config = yaml.load((project / "mkdocs.yml").read_text(), Loader=get_yaml_loader())
    assert config["site_name"] == "Team <Personas>" and config["repo_url"] == "https://github.com/team/personas"
    assert 'site_url: !ENV [SITE_URL, "https://team.example.org/p/"]' in (project / "mkdocs.yml").read_text()
    assert {"development", "operations", "writing"} <= set(config["plugins"][0]["persona-catalog"]["categories"])
    workflow = yaml.safe_load((project / ".github/workflows/publish.yml").read_text())
    runs = [s["run"] for s in workflow["jobs"]["build"]["steps"] if "run" in s]
    assert "persona-catalog lint --format github" in runs and "mkdocs build --strict" in runs
    assert "deploy-pages" in str(workflow["jobs"]["deploy"])
    assert (project / "requirements.txt").read_text().splitlines()[-1].startswith("persona-catalog==")
    readme = (project / "README.md").read_text()
    assert "# Team &lt;Personas&gt;" in readme and "mkdocs serve" in readme and "persona-catalog lint" in readme

    monkeypatch.chdir(project)
    assert main(["lint", "--require", "description,use_when,tags,models,author,version,context_window"]) == 0
    out = capsys.readouterr()
    assert "1 file(s) checked: 0 error(s), 0 warning(s)\n" in out.err and not out.out  # not even a suggestion

    done = strict_build(project)
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr and "built 1 personas" in done.stderr
    site = project / "site"
    home = (site / "index.html").read_text()
    assert "Team &lt;Personas&gt;</h1>" in home
    assert 'data-slug="plain-language-editor"' in home  # the listing, with the example persona's card
    persona = (site / "personas/plain-language-editor/index.html").read_text()
    assert "Plain Language Editor" in persona and "data-pagefind-body" in persona
    assert (site / "search-index/persona/meta.json").is_file() and (site / "contributing/index.html").is_file()
    assert "https://github.com/team/personas/edit/main/personas/writing/plain-language-editor.md" in persona


def test_init_refuses_a_folder_that_is_not_empty_and_writes_nothing(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture) -> None:
    project = tmp_path / "busy"
    (project / "personas").mkdir(parents=True)
    (project / "README.md").write_text("mine\n")
    before = tree(project)
    assert main(["init", str(project)]) == 2
    assert "is not empty" in capsys.readouterr().err
    assert tree(project) == before and sorted(p.name for p in project.iterdir()) == ["README.md", "personas"]
    (tmp_path / "a-file").write_text("x")
    assert main(["init", str(tmp_path / "a-file")]) == 2
    assert (tmp_path / "a-file").read_text() == "x"

    assert main(["init", str(project), "--force"]) == 0  # beside what is there, never replacing it
    assert (project / "README.md").read_text() == "mine\n"
    assert "kept" in capsys.readouterr().out
    assert set(tree(project)) == NEW_FILES


@pytest.mark.parametrize("option", [["--site-url", "ftp://example.org/"], ["--site-url", "example.org"],
                                    ["--repo-url", "javascript:alert(1)"], ["--name", "   "],
                                    ["--name", "Evil\u202eName"], ["--name", "x" * 101]])
def test_invalid_options_are_usage_errors_that_write_nothing(tmp_path: Path, option: list[str],
                                                             capsys: pytest.CaptureFixture) -> None:
    assert main(["init", str(tmp_path / "new"), *option]) == 2
    assert "persona-catalog: error: the" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()


def test_init_never_writes_outside_its_folder(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    project = tmp_path / "project"
    project.mkdir()
    (project / "personas").symlink_to(outside, target_is_directory=True)  # a link out of the folder
    (project / "docs").symlink_to(outside / "nowhere")  # and one pointing nowhere
    assert main(["init", str(project), "--force"]) == 1
    err = capsys.readouterr().err
    assert f"{EXAMPLE} (it is a link" in err and "docs/index.md (it is a link" in err
    assert list(outside.iterdir()) == []
    assert (project / "mkdocs.yml").is_file()


def test_init_without_a_folder_outside_a_terminal_is_a_usage_error(capsys: pytest.CaptureFixture) -> None:
    assert main(["init"]) == 2
    assert "persona-catalog init DIR" in capsys.readouterr().err


def test_init_asks_for_each_value_in_a_terminal_until_it_is_valid(tmp_path: Path) -> None:
    """A real pseudo-terminal on stdin: a bad answer is explained and asked again; Enter takes the default."""
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "x").write_text("x")
    process = new_in_terminal(tmp_path, b"busy\nnew-catalog\nOur Personas\nnot an address\nhttps://us.example.org/cat\n\n",
                              command="init")
    err = process.stderr
    assert process.returncode == 0, err
    assert "busy is not empty" in err and "must be an http:// or https:// address" in err
    config = yaml.load((tmp_path / "new-catalog/mkdocs.yml").read_text(), Loader=get_yaml_loader())
    assert config["site_name"] == "Our Personas" and config["repo_url"] is None
    assert '"https://us.example.org/cat/"' in (tmp_path / "new-catalog/mkdocs.yml").read_text()
    assert [p.name for p in (tmp_path / "busy").iterdir()] == ["x"]


def test_a_site_without_a_catalog_page_gets_one(build_site: BuildSite) -> None:
    """A minimal catalog (no docs of its own) still has a home page with the listing, and no warning."""
    site = build_site({"a.md": persona_text("Alpha Helper", "dev")}, docs={"about.md": "# About\n"},
                      config={"site_description": "Prompts <for> us."}, strict=True)
    home = site.page("")
    assert "Test Catalog</h1>" in home and "Prompts &lt;for&gt; us." in home
    assert 'data-slug="alpha-helper"' in home
