"""Readers of other tools' formats: each fixture mapped field by field, its prompt exact, damage repaired or named."""

from __future__ import annotations

from pathlib import Path

import pytest

from collections_fixtures import (
    BACKEND_BODY,
    BROKEN,
    CLAUDE_AGENT,
    CODEX,
    COPILOT,
    CURSOR,
    KIRO,
    KIRO_MD,
    OPENCODE,
    SKILL_FILES,
    body_of,
    mixed_collection,
    write_tree,
)
from persona_catalog import Source, agent_description, describe, export_text, load_catalog, load_sources
from persona_catalog.catalog.readers.base import readable_name, split_description
from persona_catalog.exports import KIRO_KEYS


@pytest.fixture
def mixed(tmp_path: Path):
    root = mixed_collection(tmp_path / "vendor")
    return root, load_sources(None, [Source(root)])


def by_file(result, name: str):
    return next(p for p in result.catalog.personas if p.source.endswith(name))


def test_claude_code_agent_mapped_field_by_field(mixed) -> None:
    _, result = mixed
    agent = result.catalog.by_slug["backend-developer"]
    assert agent.name == "Backend Developer"
    assert agent.category == "core-development"  # `01-core-development/`, its number dropped
    assert agent.use_when == "Use this agent when building server-side APIs and services."
    assert agent.description == describe(agent.body) == "Design the API, then build it."  # from the prompt
    assert agent.models == ("claude-code",)
    assert agent.tags[0] == "core-development" and len(agent.tags) <= 6
    assert agent.body == BACKEND_BODY.rstrip()
    assert agent.origin is not None and agent.origin.format == "claude-code"
    assert agent.origin.name == "backend-developer"
    assert agent.origin.fields == {"name": "backend-developer",
                                   "description": "Use this agent when building server-side APIs and services.",
                                   "tools": "Read, Write, Bash", "model": "sonnet", "color": "blue"}


def test_claude_code_export_keeps_tools_model_and_identity(mixed) -> None:
    _, result = mixed
    text = export_text(result.catalog.by_slug["backend-developer"], "claude-code")
    assert text == ('---\nname: "backend-developer"\n'
                    'description: "Use this agent when building server-side APIs and services."\n'
                    'tools: "Read, Write, Bash"\nmodel: "sonnet"\ncolor: "blue"\n---\n\n' + BACKEND_BODY)


def test_unquoted_description_is_repaired_on_reading_and_noted(mixed) -> None:
    _, result = mixed
    agent = result.catalog.by_slug["gdpr-helper"]
    assert agent.use_when == "Use when checking privacy rules. Triggers on: 'gdpr', 'ccpa'."
    notes = [p for p in result.problems if p.path.endswith("gdpr-helper.md")]
    assert [p.level for p in notes] == ["note"]
    assert "quoted the value of 'description'" in notes[0].message and notes[0].line == 3


def test_lost_character_is_kept_and_named(mixed) -> None:
    _, result = mixed
    assert result.catalog.by_slug["timing-expert"].body == "Keep latency < 10\ufffds."
    note = next(p for p in result.problems if p.path.endswith("timing-expert.md"))
    assert note.level == "note" and "U+FFFD" in note.message and note.line == 6


def test_no_front_matter_takes_the_file_name(mixed) -> None:
    _, result = mixed
    agent = result.catalog.by_slug["query-tuner"]
    assert agent.name == "Query Tuner" and agent.category == "data-ai"
    assert agent.body == "You are a query tuner who rewrites slow SQL.\n\nExplain every index you add."
    assert any(p.path.endswith("query-tuner.md") and "no front matter" in p.message for p in result.problems)


def test_readme_and_licence_are_named_not_entries(mixed) -> None:
    _, result = mixed
    readme = [p for p in result.problems if p.path.endswith("01-core-development/README.md")]
    assert [p.level for p in readme] == ["note"] and "README" in readme[0].message
    licence = [p for p in result.problems if "LICENSE" in p.message]
    assert licence and licence[0].level == "note"
    assert not result.skipped and not result.errors


def test_skill_folder_is_one_entry_with_its_files(mixed) -> None:
    _, result = mixed
    skill = result.catalog.by_slug["pdf-tools"]
    assert skill.category == "vendor"  # `skills/` says what, not about what: the source's folder
    assert skill.description == "Fill and merge PDF forms."
    assert skill.use_when == "Use this skill when a task involves PDF files."
    assert skill.body == "# PDF tools\n\nRead `references/forms.md` first, then run `scripts/fill.py`."
    assert {f.name: f.size for f in skill.files} == {rel: len(data) for rel, data in SKILL_FILES.items()}
    assert skill.origin is not None
    assert skill.origin.fields["allowed-tools"] == "Bash Read" and skill.origin.fields["license"] == "Apache-2.0"
    assert not any(p.path.endswith("references/forms.md") for p in result.problems)  # part of the skill


@pytest.mark.parametrize(("name", "slug", "fmt", "fields", "body"), [
    ("planner.agent.md", "planner", "copilot", {"model": "GPT-5", "tools": ["search", "fetch"]},
     "You are a planner. Write a plan, never code."),
    ("react.mdc", "react", "cursor", {"globs": "src/**/*.tsx", "alwaysApply": False},
     "Prefer function components and hooks."),
    ("reviewer.toml", "reviewer", "codex", {"model": "gpt-5", "sandbox_mode": "read-only"},
     "You are a careful code reviewer.\nReport bugs first."),
    ("review.md", "review", "opencode", {"mode": "subagent", "temperature": 0.1, "tools": {"write": False}},
     "You are in code review mode."),
    ("aws-helper.json", "aws-helper", "kiro", {"tools": ["read", "shell"], "model": "claude-sonnet-4"},
     "You are an AWS expert.\nPrefer least privilege."),
])
def test_each_format_maps_its_fields_and_exact_prompt(mixed, name, slug, fmt, fields, body) -> None:
    _, result = mixed
    persona = result.catalog.by_slug[slug]
    assert persona.source.endswith(name)
    assert persona.body == body
    assert persona.origin is not None and persona.origin.format == fmt
    assert {key: persona.origin.fields[key] for key in fields} == fields
    assert persona.models == ({"copilot": ("copilot",), "cursor": ("cursor",), "codex": ("codex",),
                               "opencode": ("opencode",), "kiro": ("kiro",)}[fmt])


def test_kiro_reads_both_its_markdown_and_its_json_agents(tmp_path: Path) -> None:
    """`format: kiro` over a folder like `.kiro/agents/`: the IDE's Markdown agent and the CLI's JSON agent."""
    root = write_tree(tmp_path / "agents", {"backend.md": KIRO_MD, "aws-helper.json": KIRO})
    result = load_sources(None, [Source(root, "kiro")])
    assert not result.errors, result.problems
    backend, aws = result.catalog.by_slug["backend"], result.catalog.by_slug["aws-helper"]
    assert backend.body == "You are a backend developer focused on Node.js.\nAlways use async/await."
    assert backend.origin is not None and backend.origin.format == "kiro"
    assert backend.origin.fields["model"] == "claude-sonnet-4" and backend.origin.fields["tools"] == [
        "read", "write", "shell"]
    assert backend.description.startswith("Backend development agent") and backend.models == ("kiro",)
    assert aws.body == "You are an AWS expert.\nPrefer least privilege."


KIRO_FULL = ("---\ndescription: Use when the Postgres schema changes.\nmodel: claude-sonnet-4\ntools: [read, shell]\n"
             "mcpServers:\n  postgres:\n    command: npx\n    args: ['-y', '@modelcontextprotocol/server-postgres']\n"
             "resources: ['file://./ARCHITECTURE.md']\nwelcomeMessage: Ready for migrations.\n---\n\n"
             "You write reversible migrations.\n")
NATIVE = ("---\nname: Release Notes Writer\ncategory: writing\nuse_when: Use when a release is tagged.\n---\n\n"
          "You turn merged pull requests into release notes.\n")


def test_kiro_export_read_back_gives_the_entries_kiro_carries(tmp_path: Path) -> None:
    """A fixture catalog (a native persona, Kiro Markdown and JSON agents) exported to `.kiro/agents/<slug>.md`,
    then read with `format: kiro`: the same slug, prompt and description line, and a Kiro agent's own documented
    keys (https://kiro.dev/docs/custom-agents/) come back; the JSON-only keys and `name` are not written."""
    kiro = write_tree(tmp_path / "kiro", {"backend.md": KIRO_MD, "schema.md": KIRO_FULL, "aws-helper.json": KIRO})
    native = write_tree(tmp_path / "personas", {"writing/release-notes-writer.md": NATIVE})
    first = load_sources(native, [Source(kiro, "kiro")])
    assert not first.errors, first.problems
    originals = first.catalog.personas
    assert len(originals) == 4
    agents = write_tree(tmp_path / "out/.kiro/agents", {f"{p.slug}.md": export_text(p, "kiro") for p in originals})
    back = load_sources(None, [Source(agents, "kiro")])
    assert not back.errors, back.problems
    assert sorted(back.catalog.by_slug) == sorted(p.slug for p in originals)
    for original in originals:
        entry = back.catalog.by_slug[original.slug]
        assert entry.body == original.body
        assert entry.origin is not None and "name" not in entry.origin.fields
        assert (entry.use_when, entry.description) == (original.use_when, original.description)
        own = original.origin.fields if original.origin else {"description": agent_description(original)}
        assert entry.origin.fields == {key: value for key, value in own.items() if key in KIRO_KEYS}
    assert back.catalog.by_slug["schema"].origin.fields["welcomeMessage"] == "Ready for migrations."


def test_hidden_folders_are_passed_over(mixed) -> None:
    _, result = mixed
    assert not any(".github" in p.source for p in result.catalog.personas)


def test_every_format_written_back_by_its_own_export(tmp_path: Path) -> None:
    """A file read from a tool's format and exported to that tool gives its fields and prompt back."""
    import tomllib

    import yaml
    root = write_tree(tmp_path / "c", {"a/planner.agent.md": COPILOT, "a/react.mdc": CURSOR,
                                       "a/reviewer.toml": CODEX, "a/review.md": OPENCODE})
    catalog = load_sources(None, [Source(root)]).catalog
    for slug, fmt, text in (("planner", "copilot", COPILOT), ("react", "cursor", CURSOR),
                            ("review", "opencode", OPENCODE)):
        exported = export_text(catalog.by_slug[slug], fmt)
        assert yaml.safe_load(exported.split("---\n")[1]) == yaml.safe_load(text.split("---\n")[1])
        assert body_of(exported) == body_of(text)
    assert tomllib.loads(export_text(catalog.by_slug["reviewer"], "codex")) == tomllib.loads(CODEX)


def test_broken_front_matter_is_an_error_naming_the_file(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "c", {"agents/broken.md": BROKEN})
    result = load_sources(None, [Source(root, "claude-code")])
    assert result.skipped == [str(root / "agents/broken.md")] or result.skipped[0].endswith("broken.md")
    assert result.errors[0].field == "front matter"


def test_skills_format_names_a_folder_without_skill_md(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "s", {"good/SKILL.md": "---\nname: good\ndescription: Does good.\n---\n\nDo it.\n",
                                       "orphan/guide.md": "# Guide\n"})
    result = load_sources(None, [Source(root, "skills")])
    assert [p.slug for p in result.catalog.personas] == ["good"]
    note = next(p for p in result.problems if "no skill folder" in p.message)
    assert "orphan/guide.md" in note.message and note.level == "note"


def test_a_link_out_of_a_source_is_refused(tmp_path: Path) -> None:
    outside = tmp_path / "secret.md"
    outside.write_text(CLAUDE_AGENT, "utf-8")
    root = write_tree(tmp_path / "c", {"agents/ok.md": CLAUDE_AGENT.replace("backend-developer", "ok")})
    (root / "agents" / "leak.md").symlink_to(outside)
    (root / "agents" / "skill").mkdir()
    (root / "agents" / "skill" / "SKILL.md").write_text("---\nname: skill\ndescription: S.\n---\n\nS.\n", "utf-8")
    (root / "agents" / "skill" / "key.pem").symlink_to(outside)
    result = load_sources(None, [Source(root)])
    assert [p.slug for p in result.catalog.personas] == ["ok", "skill"]
    assert result.catalog.by_slug["skill"].files == ()
    refused = {Path(p.path).name for p in result.errors}
    assert refused == {"leak.md", "key.pem"}


def test_a_fixed_category_wins(tmp_path: Path) -> None:
    root = mixed_collection(tmp_path / "vendor")
    result = load_sources(None, [Source(root, "auto", "imported")])
    assert {p.category for p in result.catalog.personas} == {"imported"}


def test_duplicates_across_plugins(tmp_path: Path) -> None:
    other = CLAUDE_AGENT.replace("senior backend developer", "junior backend developer")
    root = write_tree(tmp_path / "repo", {"plugins/api/agents/backend-developer.md": CLAUDE_AGENT,
                                          "plugins/web/agents/backend-developer.md": CLAUDE_AGENT,
                                          "plugins/jobs/agents/backend-developer.md": other})
    result = load_sources(None, [Source(root, "claude-plugins")])
    slugs = sorted(p.slug for p in result.catalog.personas)
    assert slugs == ["backend-developer", "backend-developer-jobs"]
    same = result.catalog.by_slug["backend-developer"]
    assert same.category == "api" and same.origin is not None
    assert [Path(p).parts[-3] for p in same.origin.also] == ["web"]
    clash = [p for p in result.problems if p.field == "name"]
    assert len(clash) == 1 and clash[0].level == "warning" and "plugins/api" in (clash[0].hint or "")


def test_a_foreign_file_among_personas_says_what_it_is(tmp_path: Path) -> None:
    write_tree(tmp_path / "personas", {"team/backend-developer.md": CLAUDE_AGENT,
                                       "team/pdf/SKILL.md": "---\nname: pdf\ndescription: PDFs.\n---\n\nDo.\n"})
    result = load_catalog(tmp_path / "personas")
    messages = sorted((Path(p.path).name, p.message) for p in result.problems)
    assert messages == [("SKILL.md", "this looks like an Agent Skill (SKILL.md), not a persona file of this catalog"),
                        ("backend-developer.md",
                         "this looks like a Claude Code sub-agent, not a persona file of this catalog")]
    assert all("sources:" in (p.hint or "") and "persona-catalog import" in (p.hint or "") for p in result.problems)


@pytest.mark.parametrize(("name", "title"), [("backend-developer", "Backend Developer"),
                                              ("api-designer", "API Designer"), ("My Agent", "My Agent")])
def test_readable_name(name: str, title: str) -> None:
    assert readable_name(name) == title


def test_long_descriptions_with_examples_are_shortened_for_cards() -> None:
    text = ("Use this agent when you need a review.\\n<example>user: review this\\nassistant: I will"
            "</example> " + "More words here. " * 100)
    description, when = split_description(text)
    assert description == "" and when.startswith("Use this agent when you need a review. More words")
    assert "<example>" not in when and "\\n" not in when and len(when) <= 1000


def test_drafts_are_passed_over_and_named_outside_skills(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "c", {"agents/_template.md": CLAUDE_AGENT, "_drafts/x.md": CLAUDE_AGENT,
                                       "pdf/SKILL.md": "---\nname: pdf\ndescription: PDFs.\n---\n\nDo.\n",
                                       "pdf/scripts/__init__.py": ""})
    result = load_sources(None, [Source(root)])
    assert [p.slug for p in result.catalog.personas] == ["pdf"]
    assert [f.name for f in result.catalog.by_slug["pdf"].files] == ["scripts/__init__.py"]
    note = next(p for p in result.problems if "templates or drafts" in p.message)
    assert "_drafts/x.md" in note.message and "agents/_template.md" in note.message and note.level == "note"


def test_a_skill_zip_never_names_a_path_outside_its_folder(tmp_path: Path) -> None:
    import io
    import zipfile

    from persona_catalog.exports import skill_zip
    root = write_tree(tmp_path / "s", {"evil/SKILL.md": "---\nname: ../../etc/evil\ndescription: E.\n---\n\nDo.\n",
                                       "evil/notes.txt": "n\n"})
    (persona,) = load_sources(None, [Source(root, "skills")]).catalog.personas
    names = zipfile.ZipFile(io.BytesIO(skill_zip(persona))).namelist()
    assert sorted(names) == [f"{persona.slug}/SKILL.md", f"{persona.slug}/notes.txt"]
    assert all(".." not in name and not name.startswith("/") for name in names)


def test_a_reload_sees_a_skill_file_that_changed(tmp_path: Path) -> None:
    root = write_tree(tmp_path / "s", {"pdf/SKILL.md": "---\nname: pdf\ndescription: PDFs.\n---\n\nDo.\n",
                                       "pdf/notes.txt": "one\n"})
    cache: dict = {}
    first = load_sources(None, [Source(root)], cache=cache).catalog.by_slug["pdf"]
    (root / "pdf/notes.txt").write_text("one and two\n")
    (root / "pdf/more.txt").write_text("new\n")
    again = load_sources(None, [Source(root)], cache=cache).catalog.by_slug["pdf"]
    assert [(f.name, f.size) for f in first.files] == [("notes.txt", 4)]
    assert [(f.name, f.size) for f in again.files] == [("more.txt", 4), ("notes.txt", 12)]


def test_an_imported_catalog_read_as_a_source_stays_itself(tmp_path: Path) -> None:
    from persona_catalog import persona_file
    root = mixed_collection(tmp_path / "vendor")
    original = load_sources(None, [Source(root)]).catalog.by_slug["backend-developer"]
    write_tree(tmp_path / "imported", {"dev/backend-developer.md": persona_file(original)})
    (again,) = load_sources(None, [Source(tmp_path / "imported")]).catalog.personas
    assert (again.name, again.body, again.origin, again.use_when) == (original.name, original.body,
                                                                      original.origin, original.use_when)
