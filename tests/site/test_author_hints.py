"""Hints that never mislead an author (issue 23): an unknown category is a warning naming the configured ones and
the likeliest (an error under --strict), `new` says the same and asks again in a terminal, a missing category
suggests the folder's."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import Abort

from conftest import new_in_terminal, persona_text, write_and_build
from persona_catalog import main

CATEGORIES = {"development": {"title": "Development"}, "writing": {"title": "Writing"}}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "personas" / "writing").mkdir(parents=True)
    config = {"site_name": "x", "plugins": [{"persona-catalog": {"categories": CATEGORIES}}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint(capsys: pytest.CaptureFixture) -> tuple[int, list[dict]]:
    capsys.readouterr()
    status = main(["lint", "--format", "json"])
    return status, json.loads(capsys.readouterr().out)["problems"]


def test_an_unconfigured_category_is_a_warning_naming_the_folder_and_the_configured_ones(
        project: Path, capsys: pytest.CaptureFixture) -> None:
    (project / "personas/writing/poem.md").write_text(persona_text("Poem Helper", "poetry"))
    status, problems = lint(capsys)
    assert status == 1
    [problem] = [p for p in problems if p["field"] == "category"]
    assert problem["level"] == "warning" and problem["found"] == "'poetry'"
    assert problem["expected"] == "one of development, writing"
    assert problem["hint"].startswith("use 'category: writing' (the folder the file is in)")
    assert "add 'poetry' under 'categories:' in mkdocs.yml" in problem["hint"]


def test_the_nearest_configured_category_when_the_folder_is_none(project: Path, capsys: pytest.CaptureFixture) -> None:
    (project / "personas/loose.md").write_text(persona_text("Loose", "writting"))
    [problem] = [p for p in lint(capsys)[1] if p["field"] == "category"]
    assert problem["hint"].startswith("use 'category: writing' (the nearest configured one)")


def test_the_strict_build_stops_on_an_unconfigured_category(tmp_path: Path) -> None:
    personas = {"writing/poem.md": persona_text("Poem Helper", "poetry")}
    with pytest.raises(Abort):
        write_and_build(tmp_path / "p", personas, plugin={"categories": CATEGORIES}, strict=True)
    site = write_and_build(tmp_path / "q", personas, plugin={"categories": CATEGORIES}, strict=False)
    assert (site.site_dir / "personas/poem-helper/index.html").exists()  # a warning: the preview still shows it


def test_a_missing_category_suggests_the_folder_the_file_is_in(project: Path, capsys: pytest.CaptureFixture) -> None:
    (project / "personas/writing/untitled.md").write_text("---\nname: Untitled\n---\n\nYou are a writer.\n")
    [problem] = [p for p in lint(capsys)[1] if p["field"] == "category"]
    assert problem["hint"] == "add 'category: writing' (the folder the file is in)"
    (project / "personas/writing/untitled.md").rename(project / "personas/untitled.md")
    [problem] = [p for p in lint(capsys)[1] if p["field"] == "category"]
    assert "folder" not in problem["hint"]


def test_new_refuses_an_unknown_category_with_the_same_names(project: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["new", "Poem Helper", "--category", "writting"]) == 2
    err = capsys.readouterr().err
    assert "unknown category 'writting'; use one of: development, writing (nearest: writing)" in err
    assert "or add it under 'categories:' in mkdocs.yml" in err


def test_interactive_new_asks_again_for_a_wrong_category_keeping_the_name(project: Path) -> None:
    """A real pseudo-terminal: a wrong category is refused at once and asked again, the name is kept."""
    process = new_in_terminal(project, b"Poem Helper\npoetry\nwriting\n\n\n\n\n")
    out, err = process.stdout, process.stderr
    assert process.returncode == 0, err
    assert "unknown category 'poetry'; use one of: development, writing" in err and "try again" in err
    assert out.count("Category (development, writing): ") == 2
    assert out.count("Name (") == 1
    assert (project / "personas/writing/poem-helper.md").is_file()


@pytest.mark.parametrize(("front", "line", "message", "hint"), [
    ("name: A\ncategory: writing\ntags: [a, b\ndescription: x\n", 4,
     "a list opened with '[' on line 4 is not closed", "end it with ']' on that line"),
    ("name: A\ncategory: writing\nmeta: {a: 1\ndescription: x\n", 4,
     "a mapping opened with '{' on line 4 is not closed", "end it with '}' on that line"),
    ("name: A\ncategory: writing\ndescription: \"open\ntags: [a]\n", 4,
     "a quoted text opened with a quote on line 4 is not closed", "end it with the same quote"),
    ("name: A\ncategory: writing\n\tdescription: x\n", 4,
     "a tab in the front matter: YAML indents and separates with spaces, never tabs", "replace the tab with spaces"),
], ids=["bracket", "brace", "quote", "tab"])
def test_yaml_errors_point_where_the_construct_opened_in_words(project: Path, capsys: pytest.CaptureFixture,
                                                               front: str, line: int, message: str, hint: str) -> None:
    (project / "personas/writing/a.md").write_text(f"---\n{front}---\n\nYou are a.\n")
    [problem] = [p for p in lint(capsys)[1] if p["field"] == "front matter"]
    assert (problem["line"], problem["message"]) == (line, message)
    assert problem["hint"].startswith(hint) and "quote values" not in problem["hint"]


def test_lint_fix_writes_the_list_its_fix_shows(project: Path, capsys: pytest.CaptureFixture) -> None:
    path = project / "personas/writing/a.md"
    path.write_text("---\nname: A\ncategory: writing\ntags: Poems, short form\nmodels: cursor\n---\n\nYou are a.\n")
    hints = {p["field"]: p["hint"] for p in lint(capsys)[1] if p["level"] == "error"}
    assert hints == {"tags": "write a list: tags: [poems, short-form]", "models": "write a list: models: [cursor]"}
    assert main(["lint", "--fix"]) == 0
    text = path.read_text()
    assert "tags: [poems, short-form]\n" in text and "models: [cursor]\n" in text  # exactly what the hints said
    assert [p for p in lint(capsys)[1] if p["level"] == "error"] == []
