"""Read export files back as each tool does, with the format's own parser (PyYAML, tomllib, json)."""

from __future__ import annotations

import json
import tomllib

import yaml

from persona_catalog.catalog.model import Persona
from persona_catalog.exports import API_MAX_TOKENS, API_USER_PLACEHOLDER, agent_description

FRONT_MATTER = {"claude-code", "cursor-agent", "cursor", "copilot", "gemini-cli", "opencode"}


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
        "codex": {"name": persona.slug, "description": description, "developer_instructions": persona.body},
        "claude-api": {"model": api_model, "max_tokens": API_MAX_TOKENS, "system": persona.body,
                       "messages": [{"role": "user", "content": API_USER_PLACEHOLDER}]},
        "agents-md": {},
    }[format_id]


def check_export(format_id: str, text: str, persona: Persona, api_model: str) -> None:
    """The export parses and carries exactly the persona's fields and prompt."""
    fields, body = parse_export(format_id, text)
    assert fields == expected_fields(format_id, persona, api_model), (format_id, persona.slug)
    assert body == persona.body, (format_id, persona.slug)
