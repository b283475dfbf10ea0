"""Read export files back as each tool does, with the format's own parser (PyYAML, tomllib, json)."""

from __future__ import annotations

import json
import re
import tomllib

import yaml

from persona_catalog import Persona, agent_description
from persona_catalog.exports import API_MAX_TOKENS, API_USER_PLACEHOLDER, skill_description, skill_name

FRONT_MATTER = {"claude-code", "cursor-agent", "cursor", "copilot", "gemini-cli", "opencode", "kiro", "agent-skills"}
SKILL_NAME = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def check_skill(text: str, folder: str | None = None) -> dict:
    """A SKILL.md as the Agent Skills specification (agentskills.io/specification) defines it: front matter with
    only the spec's fields, `name` of 1-64 lowercase letters, digits and single hyphens (equal to its folder when
    given), `description` of 1-1,024 characters. Returns the front matter."""
    fields, _ = parse_export("agent-skills", text)
    assert set(fields) <= {"name", "description", "license", "compatibility", "metadata", "allowed-tools"}, fields
    name, description = fields["name"], fields["description"]
    assert isinstance(name, str) and 1 <= len(name) <= 64 and SKILL_NAME.fullmatch(name), name
    assert folder is None or name == folder, (name, folder)
    assert isinstance(description, str) and 1 <= len(description) <= 1024, len(description)
    return fields


def check_antigravity_manifest(text: str, persona: Persona) -> None:
    """`agent.json` as Antigravity CLI's migration guide shows it: name, description, configPath to config.yaml."""
    assert json.loads(text) == {"name": persona.slug, "description": agent_description(persona),
                                "configPath": {"relativePathToConfig": "config.yaml"}}


def parse_export(format_id: str, text: str) -> tuple[dict, str]:
    """The file's fields and the prompt it carries."""
    if format_id in FRONT_MATTER:
        assert text.startswith("---\n"), text[:40]
        front, rest = text[4:].split("\n---\n", 1)  # as the tools split: the first '---' line closes it
        assert rest.startswith("\n") and rest.endswith("\n")
        return yaml.safe_load(front), rest[1:-1]
    if format_id == "codex":
        fields = tomllib.loads(text)
        return fields, fields["developer_instructions"]
    if format_id == "claude-api":
        fields = json.loads(text)
        return fields, fields["system"]
    if format_id == "antigravity":  # config.yaml: the prompt is the one system prompt section's content
        fields = yaml.safe_load(text)
        return fields, fields["custom_agent"]["system_prompt_sections"][0]["content"]
    assert format_id == "agents-md" and text.endswith("\n")
    return {}, text[:-1]


def expected_fields(format_id: str, persona: Persona, api_model: str) -> dict:
    """What each tool's documentation requires the file to say about this persona (see docs/exports.md)."""
    description = agent_description(persona)
    return {
        "claude-code": {"name": persona.slug, "description": description},
        "cursor-agent": {"name": persona.slug, "description": description},
        "cursor": {"description": description, "globs": None, "alwaysApply": False},
        "copilot": {"name": persona.name, "description": description},
        "gemini-cli": {"name": persona.slug, "description": description, "kind": "local"},
        "opencode": {"description": description, "mode": "subagent"},
        "kiro": {"description": description},
        "agent-skills": {"name": skill_name(persona.slug), "description": skill_description(persona)},
        "antigravity": {"custom_agent": {"system_prompt_sections": [{"title": persona.name, "content": persona.body}]}},
        "codex": {"name": persona.slug, "description": description, "developer_instructions": persona.body},
        "claude-api": {"model": api_model, "max_tokens": API_MAX_TOKENS, "system": persona.body,
                       "messages": [{"role": "user", "content": API_USER_PLACEHOLDER}]},
        "agents-md": {},
    }[format_id]


def check_export(format_id: str, text: str, persona: Persona, api_model: str) -> None:
    """The export parses and carries exactly the persona's fields and prompt."""
    fields, body = parse_export(format_id, text)
    if format_id == "agent-skills":
        check_skill(text)
    assert fields == expected_fields(format_id, persona, api_model), (format_id, persona.slug)
    assert body == persona.body, (format_id, persona.slug)
