"""One table of fields: an optional text field added to `model.FIELDS` alone is read, checked by lint, kept on the
record, published in the API and the JSON Schema and offered by `new`. Proved on a copy of the package whose only
change is one more entry in the table, run in a subprocess as a user runs it."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import ROOT, persona_text

ENTRY = '''    FieldSpec("audience", "Audience", "Who the persona is written for.", "string", example="new maintainers",
              max_length=60),
'''
TABLE_END = ")\nFIELDS_BY_NAME = "


def package(target: Path, extra_field: bool) -> Path:
    """A copy of plugins/ (with the table's extra entry when asked); returns the folder to put on PYTHONPATH."""
    shutil.copytree(ROOT / "plugins", target, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    if extra_field:
        model = target / "persona_catalog" / "catalog" / "model.py"
        text = model.read_text("utf-8")
        assert text.count(TABLE_END) == 1, "the FIELDS table no longer ends as this test expects"
        model.write_text(text.replace(TABLE_END, ENTRY + TABLE_END), "utf-8")
    return target


def run(plugins: Path, project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(plugins), "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run([sys.executable, *args], cwd=project, env=env, capture_output=True, text=True, timeout=240)


def cli(plugins: Path, project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run(plugins, project, "-c", "import sys; from persona_catalog.cli import main; sys.exit(main(sys.argv[1:]))",
               *args)


def project(root: Path, personas: dict[str, str]) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n", "utf-8")
    for rel, text in personas.items():
        (root / "personas" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "personas" / rel).write_text(text, "utf-8")
    config = {"site_name": "Fields", "theme": {"name": "material", "font": False},
              "plugins": [{"persona-catalog": {"search": False}}]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    return root


GOOD = persona_text("Patch Reviewer", "development", audience="  new maintainers ")
BAD = persona_text("Long Audience", "development", audience="x" * 61)


@pytest.mark.parametrize("extra_field", [True, False], ids=["with-the-entry", "without"])
def test_a_field_added_to_the_table_alone_reaches_schema_api_lint_and_new(tmp_path: Path, extra_field: bool) -> None:
    plugins = package(tmp_path / "plugins", extra_field)
    root = project(tmp_path / "project", {"good.md": GOOD})
    built = run(plugins, root, "-m", "mkdocs", "build", "-q")
    assert built.returncode == 0, built.stderr[-3000:]
    site = root / "site"
    schema = json.loads((site / "schema" / "persona.schema.json").read_text("utf-8"))
    entry = json.loads((site / "api" / "v1" / "personas.json").read_text("utf-8"))["personas"][0]
    one = json.loads((site / "api" / "v1" / "personas" / "patch-reviewer.json").read_text("utf-8"))
    (root / "personas" / "bad.md").write_text(BAD, "utf-8")
    linted = cli(plugins, root, "lint", "--format", "json")
    problems = [(p["path"], p["field"], p["level"], p["message"]) for p in json.loads(linted.stdout)["problems"]]
    drafted = cli(plugins, root, "new", "Queue Whisperer", "--category", "development")
    assert drafted.returncode == 0, drafted.stderr
    draft = (root / "personas" / "development" / "queue-whisperer.md").read_text("utf-8")
    if extra_field:
        audience = schema["properties"]["audience"]
        assert (audience["title"], audience["description"], audience["examples"]) == (
            "Audience", "Who the persona is written for.", ["new maintainers"])
        valid = {"name": "A", "category": "development"}
        jsonschema.validate({**valid, "audience": "new maintainers"}, schema)
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate({**valid, "audience": "x" * 61}, schema)
        assert entry["audience"] == one["audience"] == "new maintainers"  # free text: trimmed
        assert list(entry)[:4] == ["slug", "name", "description", "category"]
        assert ("personas/bad.md", "audience", "error", "is longer than 60 characters") in problems
        assert '# audience: "new maintainers"' in draft.split("\n---\n")[0]
    else:  # the same files without the entry: the field is unknown, so the test above can fail
        assert "audience" not in schema["properties"] and "audience" not in entry and "audience" not in one
        assert ("personas/good.md", "audience", "warning", "unknown field (ignored)") in problems
        assert "audience" not in draft
