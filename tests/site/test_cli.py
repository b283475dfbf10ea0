"""The command line reads the site's configuration as MkDocs does, and `new` writes a draft lint rejects until done."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, demo_project, new_in_terminal, persona_text
from persona_catalog import TODO, main

BAD = persona_text("Bad Tags", "development", tags=["Not A Slug"])
CATEGORIES = {"development": {"title": "Development"}, "operations": {}}


def project(root: Path, config: str, name: str = "mkdocs.yml", **files: str) -> Path:
    """A project folder with docs/, a configuration file written as given, and `cast/bad.md`."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "cast").mkdir(exist_ok=True)
    (root / "cast" / "bad.md").write_text(BAD, "utf-8")
    (root / "personas").mkdir(exist_ok=True)  # the default folder exists and is clean: it must not be linted
    (root / name).write_text(config, "utf-8")
    for rel, text in files.items():
        (root / rel).write_text(text, "utf-8")
    return root


CONFIG_FORMS = {
    "list": ("mkdocs.yml", "site_name: x\nplugins:\n  - search\n  - persona-catalog:\n      personas_dir: cast\n", {}),
    "mapping": ("mkdocs.yml", "site_name: x\nplugins:\n  search: {}\n  persona-catalog:\n    personas_dir: cast\n", {}),
    "yaml-suffix": ("mkdocs.yaml", "site_name: x\nplugins:\n  - persona-catalog:\n      personas_dir: cast\n", {}),
    "inherit": ("mkdocs.yml", "INHERIT: base.yml\nsite_name: x\n",
                {"base.yml": "plugins:\n  - persona-catalog:\n      personas_dir: cast\n"}),
    "env": ("mkdocs.yml", "site_name: x\nplugins:\n  - persona-catalog:\n      personas_dir: !ENV [PC_DIR, personas]\n",
            {}),
}


@pytest.mark.parametrize("form", CONFIG_FORMS)
def test_lint_reads_every_form_of_the_configuration(form: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                    capsys: pytest.CaptureFixture) -> None:
    name, config, extra = CONFIG_FORMS[form]
    project(tmp_path, config, name, **extra)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PC_DIR", "cast")
    assert main(["lint"]) == 1
    assert "cast/bad.md:" in capsys.readouterr().out


def test_lint_takes_categories_from_the_loaded_configuration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture) -> None:
    config = {"site_name": "x", "plugins": {"persona-catalog": {"personas_dir": "cast", "categories": CATEGORIES}}}
    project(tmp_path, yaml.safe_dump(config))
    (tmp_path / "cast" / "bad.md").write_text(persona_text("Typo", "developement"))
    monkeypatch.chdir(tmp_path)
    assert main(["lint"]) == 1
    assert "fix: use 'category: development' (the nearest configured one)" in capsys.readouterr().out


@pytest.mark.parametrize("config, message", [
    (None, "does not exist"),
    ("site_name: x\nplugins: [persona-catalog\n", "error parsing the configuration file"),
    ("site_name: x\nplugins:\n  - persona-catalog:\n      personas_dir: nowhere\n", "isn't an existing directory"),
    ("site_name: x\nplugins:\n  - persona-catalog:\n      on_invalid: sometimes\n", "not a valid configuration"),
    ("site_name: x\nplugins: [search]\n", "does not enable the 'persona-catalog' plugin"),
])
def test_a_missing_or_broken_configuration_is_a_usage_error(config: str | None, message: str, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch,
                                                             capsys: pytest.CaptureFixture) -> None:
    project(tmp_path, config or "", name="site.yml")
    if config is None:
        (tmp_path / "site.yml").unlink()
    monkeypatch.chdir(tmp_path)
    for command in (["lint"], ["new", "X", "--category", "development"]):
        assert main([*command, "--config-file", "site.yml"]) == 2
        assert message in capsys.readouterr().err
    assert not (tmp_path / "personas" / "development").exists()


# --- new --------------------------------------------------------------------------------------------------------

@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "personas").mkdir()
    config = {"site_name": "x", "plugins": [{"persona-catalog": {"categories": CATEGORIES}}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    monkeypatch.chdir(tmp_path)
    return tmp_path


def lint_json(capsys: pytest.CaptureFixture) -> list[dict]:
    capsys.readouterr()
    main(["lint", "--format", "json"])
    import json
    return json.loads(capsys.readouterr().out)["problems"]


def test_new_writes_given_values_and_todos_that_lint_rejects_until_filled(site: Path,
                                                                          capsys: pytest.CaptureFixture) -> None:
    assert main(["new", "Database Migration Reviewer", "--category", "development", "--tags", "Databases, migrations",
                 "--models", "claude-code", "--description", "Reviews schema migrations before they ship.",
                 "--use-when", "Use when a migration is about to ship."]) == 0
    path = site / "personas" / "development" / "database-migration-reviewer.md"
    assert "wrote personas/development/database-migration-reviewer.md" in capsys.readouterr().out
    text = path.read_text()
    assert 'tags: ["databases", "migrations"]' in text and 'models: ["claude-code"]' in text
    assert "octocat" not in text and "backend" not in text  # no example values that would be published
    problems = lint_json(capsys)
    assert [(p["field"], p["level"]) for p in problems] == [("body", "error")]
    assert TODO in problems[0]["hint"]

    path.write_text(re.sub(rf"{re.escape(TODO)}: [^\n]*", "Check every migration for locks.", text))
    assert main(["lint"]) == 0


def test_new_without_a_description_leaves_a_todo_in_that_field(site: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["new", "Queue Whisperer", "--category", "operations"]) == 0
    text = (site / "personas" / "operations" / "queue-whisperer.md").read_text()
    assert "# tags:" in text and "# models:" in text  # optional fields shown as comments, not as values
    fields = {(p["field"], p["line"]) for p in lint_json(capsys)}
    assert {("description", 4), ("use_when", 5), ("body", 13)} <= fields  # 13: the prompt's first marker


def test_new_refuses_to_overwrite_unknown_categories_and_links(site: Path, tmp_path_factory: pytest.TempPathFactory,
                                                               capsys: pytest.CaptureFixture) -> None:
    assert main(["new", "Queue Whisperer", "--category", "operations"]) == 0
    path = site / "personas" / "operations" / "queue-whisperer.md"
    path.write_text("mine")
    assert main(["new", "Queue Whisperer", "--category", "operations"]) == 2
    assert path.read_text() == "mine" and "already exists" in capsys.readouterr().err

    assert main(["new", "Chef", "--category", "cooking"]) == 2
    assert "use one of: development, operations" in capsys.readouterr().err

    outside = tmp_path_factory.mktemp("outside")
    (site / "personas" / "development").symlink_to(outside, target_is_directory=True)
    assert main(["new", "Linked", "--category", "development"]) == 2
    assert "is a link, or lies in a linked folder" in capsys.readouterr().err and list(outside.iterdir()) == []

    (site / "personas" / "operations" / "dangling.md").symlink_to(outside / "target.md")
    assert main(["new", "Dangling", "--category", "operations"]) == 2
    assert not (outside / "target.md").exists()


def test_new_never_writes_outside_the_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture) -> None:
    (tmp_path / "elsewhere").mkdir()
    root = tmp_path / "site"
    (root / "docs").mkdir(parents=True)
    (root / "mkdocs.yml").write_text("site_name: x\nplugins:\n  - persona-catalog:\n      personas_dir: ../elsewhere\n")
    monkeypatch.chdir(root)
    assert main(["new", "Far Away", "--category", "operations"]) == 2
    assert "lies outside the project" in capsys.readouterr().err
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_new_asks_for_what_is_missing_in_a_terminal(site: Path) -> None:
    """A real pseudo-terminal on stdin: `new` asks for every value and writes the answers."""
    process = new_in_terminal(site, b"Kafka Tuner\noperations\nqueues, Kafka\n\nTunes message brokers.\nUse when Kafka lags.\n")
    out, err = process.stdout, process.stderr
    assert process.returncode == 0, err
    assert "Category (development, operations): " in out
    text = (site / "personas" / "operations" / "kafka-tuner.md").read_text()
    assert 'tags: ["queues", "kafka"]' in text and 'description: "Tunes message brokers."' in text
    assert 'use_when: "Use when Kafka lags."' in text
    assert "# models:" in text


def test_readme_new_example_works_on_the_bundled_catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    commands = re.findall(r"`(?:\.venv/bin/)?(persona-catalog new [^`]+)`", (ROOT / "README.md").read_text())
    assert commands, "the README shows no 'persona-catalog new' example"
    demo_project(tmp_path)
    monkeypatch.chdir(tmp_path)
    for command in commands:
        before = set((tmp_path / "personas").rglob("*.md"))
        assert main(shlex.split(command)[1:]) == 0, command
        assert len(set((tmp_path / "personas").rglob("*.md")) - before) == 1
