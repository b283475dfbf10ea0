"""`persona-catalog import`: files written, prompts exact, repairs and skips reported, exit codes, mkdocs.yml
categories added keeping its comments; imported catalogs build with --strict; round trips through the exports."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from mkdocs.commands.build import build
from mkdocs.config import load_config

from collections_fixtures import BROKEN, CLAUDE_AGENT, SKILL_FILES, mixed_collection, write_tree
from conftest import SHARED
from persona_catalog import Source, export_text, load_catalog, load_sources, main, parse_persona, persona_file

CONFIG = """site_name: Imported   # the site's name
theme:
  name: material

plugins:
  - persona-catalog:
      personas_dir: personas   # where personas live
      categories:
        development:
          title: Development   # configured by hand
  # the nav comes next
nav:
  - Home: index.md
"""


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    write_tree(root, {"mkdocs.yml": CONFIG, "docs/index.md": "# Home\n"})
    (root / "personas").mkdir()
    monkeypatch.chdir(root)
    return root


def built(root: Path) -> None:
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(root / "site"), strict=True))


def test_import_writes_each_entry_and_builds_strict(project: Path, capsys: pytest.CaptureFixture) -> None:
    mixed_collection(project / "vendor")
    assert main(["import", "vendor"]) == 0
    out = capsys.readouterr().out
    agent = project / "personas/core-development/backend-developer.md"
    persona, problems = parse_persona(agent.read_bytes(), "x.md")
    assert persona is not None and not problems
    assert persona.body == CLAUDE_AGENT.split("---\n\n", 1)[1].rstrip()
    assert persona.origin is not None and persona.origin.fields["tools"] == "Read, Write, Bash"
    assert "repaired: " in out and "gdpr-helper.md: quoted the value of 'description'" in out
    skill, _ = parse_persona((project / "personas/vendor/pdf-tools.md").read_bytes(), "x.md")
    assert skill is not None and skill.origin is not None and skill.origin.folder == "_pdf-tools"
    for rel, data in SKILL_FILES.items():  # the skill's other files beside it, passed over by the scan
        assert (project / "personas/vendor/_pdf-tools" / rel).read_bytes() == data
    config = (project / "mkdocs.yml").read_text()
    assert "# the site's name" in config and "title: Development   # configured by hand" in config
    assert config.index("core-development:") < config.index("# the nav comes next")
    assert "        data-ai:\n          title: Data AI\n" in config
    built(project)  # every created category configured: no unknown-category warning under --strict
    import io
    import zipfile
    archive = zipfile.ZipFile(io.BytesIO((project / "site/personas/pdf-tools/pdf-tools.zip").read_bytes()))
    assert {n: archive.read(n) for n in archive.namelist() if n != "pdf-tools/SKILL.md"} == {
        f"pdf-tools/{rel}": data for rel, data in SKILL_FILES.items()}


def test_dry_run_writes_nothing_and_reports_the_same(project: Path, capsys: pytest.CaptureFixture) -> None:
    mixed_collection(project / "vendor")
    before = (project / "mkdocs.yml").read_text()
    assert main(["import", "vendor", "--dry-run", "--format", "json"]) == 0
    dry = json.loads(capsys.readouterr().out)
    assert not any((project / "personas").iterdir()) and (project / "mkdocs.yml").read_text() == before
    assert main(["import", "vendor", "--format", "json"]) == 0
    done = json.loads(capsys.readouterr().out)
    assert dry["imported"] == done["imported"] and dry["config_lines"] == done["config_lines"]
    assert dry["dry_run"] and not done["dry_run"]


def test_existing_files_are_kept_without_force(project: Path, capsys: pytest.CaptureFixture) -> None:
    write_tree(project / "vendor", {"agents/backend-developer.md": CLAUDE_AGENT})
    target = project / "personas/vendor/backend-developer.md"
    write_tree(project, {"personas/vendor/backend-developer.md": "mine\n"})
    assert main(["import", "vendor"]) == 1
    assert "exists (--force overwrites it)" in capsys.readouterr().out and target.read_text() == "mine\n"
    assert main(["import", "vendor", "--force"]) == 0
    assert target.read_text().startswith("---\nname: \"Backend Developer\"")


def test_a_file_that_cannot_be_read_is_skipped_with_its_reason(project: Path, capsys: pytest.CaptureFixture) -> None:
    write_tree(project / "vendor", {"agents/broken.md": BROKEN, "agents/ok.md": CLAUDE_AGENT})
    assert main(["import", "vendor", "--from", "claude-code", "--category", "development"]) == 1
    out = capsys.readouterr().out
    assert "skipped: " in out and "broken.md:2: error: front matter" in out
    assert (project / "personas/development/backend-developer.md").is_file()


@pytest.mark.parametrize("argv", [["import", "missing"], ["import", ".", "--category", "Not A Slug"],
                                  ["import", ".", "--from", "word"]])
def test_usage_errors_exit_2(project: Path, argv: list[str]) -> None:
    assert main(argv) == 2


@pytest.mark.corpus
@pytest.mark.parametrize(("name", "entries", "repaired"), [
    ("VoltAgent__awesome-claude-code-subagents", 158, 8), ("anthropics__skills", 12, 0)])
def test_real_collections_imported_into_empty_personas_build_strict(
        project: Path, capsys: pytest.CaptureFixture, name: str, entries: int, repaired: int) -> None:
    corpus = SHARED / "corpora" / name
    assert main(["import", str(corpus), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (len(report["imported"]), len(report["repaired"]), report["skipped"]) == (entries, repaired, [])
    for entry in report["imported"]:  # the prompt byte for byte
        source = load_sources(None, [Source(Path(entry["path"]))]).catalog.personas[0]
        persona, _ = parse_persona((project / entry["to"]).read_bytes(), entry["to"])
        assert persona is not None and persona.body == source.body
    built(project)


# Round trips, over generated agents: a file imported then exported to its own format gives the same values and
# prompt; a persona exported to a tool and read back gives the same prompt, slug and the tool's description.

SLUG = st.from_regex(r"\A[a-z][a-z0-9]{0,8}(-[a-z0-9]{1,8}){0,3}\Z")
LINE = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "Zs"), exclude_characters="\u2028\u2029"),
               min_size=1, max_size=80).map(str.strip).filter(lambda text: any(c.isalnum() for c in text))
# (a line without a letter or digit is a clear problem, "write it out in words": tests/unit/test_loader.py)
BODY = st.text(st.characters(codec="utf-8", categories=("L", "N", "P", "Zs", "S")), min_size=1, max_size=300).map(
    lambda text: f"You are {text.strip()}".strip()).filter(lambda text: "\n---" not in text)
TOOLS = st.lists(st.sampled_from(["Read", "Write", "Edit", "Bash", "Grep"]), unique=True, max_size=4)


def agent_file(fmt: str, name: str, description: str, tools: list[str], body: str) -> tuple[str, str]:
    """A tool's agent file (its file name, its text) written with the tool's own syntax."""
    if fmt == "codex":
        import tomli_w
        return f"{name}.toml", tomli_w.dumps({"name": name, "description": description, "model": "gpt-5",
                                              "developer_instructions": body})
    fields: dict[str, object] = {"claude-code": {"name": name, "description": description,
                                                 "tools": ", ".join(tools), "model": "sonnet"},
                                 "copilot": {"name": name, "description": description, "tools": tools},
                                 "cursor": {"description": description, "globs": "**/*.py", "alwaysApply": False},
                                 "opencode": {"description": description, "mode": "subagent",
                                              "tools": {t.lower(): True for t in tools}},
                                 "kiro": {"description": description, "model": "claude-sonnet-4",
                                          "tools": [t.lower() for t in tools]},
                                 "skills": {"name": name, "description": description, "license": "Apache-2.0",
                                            "allowed-tools": " ".join(tools) or "Read"}}[fmt]
    suffix = {"claude-code": ".md", "copilot": ".agent.md", "cursor": ".mdc", "opencode": ".md", "kiro": ".md",
              "skills": "/SKILL.md"}[fmt]
    return name + suffix, "---\n" + yaml.safe_dump(fields, allow_unicode=True, sort_keys=False) + "---\n\n" + body + "\n"


def values(fmt: str, text: str) -> tuple[dict, str]:
    if fmt == "codex":
        data = tomllib.loads(text)
        return data, data.pop("developer_instructions")
    _, front, body = text.split("---\n", 2)
    return yaml.safe_load(front), body.strip("\n")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fmt=st.sampled_from(["claude-code", "copilot", "cursor", "codex", "opencode", "kiro", "skills"]), name=SLUG,
       description=LINE, tools=TOOLS, body=BODY)
def test_imported_then_exported_to_its_own_format_gives_it_back(tmp_path: Path, fmt: str, name: str,
                                                                description: str, tools: list[str],
                                                                body: str) -> None:
    file_name, text = agent_file(fmt, name, description, tools, body)
    folder = tmp_path / f"{fmt}-{abs(hash((name, description, body)))}"
    write_tree(folder, {f"agents/{file_name}": text})
    read = load_sources(None, [Source(folder, fmt)])
    assert not read.errors, read.errors
    (persona,) = read.catalog.personas
    write_tree(folder, {f"personas/{persona.category}/{persona.slug}.md": persona_file(persona)})
    (imported,) = load_catalog(folder / "personas").catalog.personas  # the catalog's own file, as import wrote it
    assert imported.body == persona.body == body.strip()
    export = {"skills": "agent-skills"}.get(fmt, fmt)
    assert values(fmt, export_text(imported, export)) == values(fmt, text)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(fmt=st.sampled_from(["claude-code", "codex", "copilot", "cursor", "opencode", "kiro", "agent-skills"]),
       slug=SLUG, use_when=LINE, body=BODY)
def test_exported_then_read_back_gives_the_persona_back(tmp_path: Path, fmt: str, slug: str, use_when: str,
                                                        body: str) -> None:
    from persona_catalog import Persona
    persona = Persona(slug, slug.replace("-", " ").title(), "Helps.", "testing", body.strip(), "p.md",
                      use_when="Use when " + use_when)
    folder = tmp_path / f"{fmt}-{abs(hash((slug, use_when, body)))}"
    where = {"codex": f"{slug}.toml", "copilot": f"{slug}.agent.md", "cursor": f"{slug}.mdc",
             "agent-skills": f"{slug}/SKILL.md"}.get(fmt, f"{slug}.md")
    write_tree(folder, {f"agents/{where}": export_text(persona, fmt)})
    (back,) = load_sources(None, [Source(folder, "skills" if fmt == "agent-skills" else fmt)]).catalog.personas
    assert (back.slug, back.body, back.use_when) == (persona.slug, persona.body, persona.use_when)


@pytest.mark.parametrize(("origin", "valid"), [
    ({"format": "claude-code", "name": "x", "fields": {"tools": "Read", "model": "sonnet"}}, True),
    ({"format": "skills", "name": "x"}, True), (None, True),
    ({"format": "word", "name": "x"}, False), ({"format": "codex"}, False), ("claude-code", False),
    ({"format": "codex", "name": "x", "fields": ["a"]}, False), ({"format": "codex", "name": "x", "extra": 1}, False),
    ({"format": "skills", "name": "x", "files": "_x"}, True), ({"format": "skills", "name": "x", "files": "x"}, False),
    ({"format": "skills", "name": "x", "files": "_a/../../b"}, False), ({"format": "skills", "name": "x",
                                                                         "files": "_.."}, False)])
def test_schema_and_loader_agree_on_origin(origin: object, valid: bool) -> None:
    import jsonschema

    from persona_catalog import persona_schema
    front = {"name": "Imported", "category": "dev", "origin": origin}
    text = "---\n" + json.dumps(front) + "\n---\n\nYou help.\n"
    persona, problems = parse_persona(text.encode(), "p.md")
    assert (persona is not None) == valid, problems
    assert jsonschema.Draft202012Validator(persona_schema("x")).is_valid(front) == valid
