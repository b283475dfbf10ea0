"""`origin:` in a persona file of this catalog: what `persona-catalog import` keeps of another tool's file (its
format, its own name for the agent and its other fields), so that tool's export writes them back.

    origin:
      format: claude-code
      name: backend-developer
      fields: {tools: "Read, Write", model: sonnet}

An imported skill also names the folder beside its file that holds the skill's other files: `files: _pdf-tools`
(one name starting with `_`, so the personas folder's scan passes it over).
"""

from __future__ import annotations

import re

from persona_catalog.catalog.model import Origin
from persona_catalog.catalog.problems import Problem, show
from persona_catalog.catalog.readers import claude_code, codex, copilot, cursor, kiro, opencode, skills

KEY = "origin"
FORMATS = tuple(m.FORMAT.id for m in (claude_code, skills, copilot, cursor, codex, opencode, kiro))
_KEYS = ("format", "name", "fields", "files")
FOLDER_PATTERN = r"^_[^/\\\x00]+$"


def read_origin(value: object, line: int | None, rel: str) -> tuple[Origin | None, list[Problem]]:
    """The `origin:` mapping as an `Origin`, or the problem with it (null, "" or [] count as absent)."""
    if value is None or value == "" or value == []:
        return None, []

    def problem(found: str) -> tuple[None, list[Problem]]:
        return None, [Problem(rel, "origin is not a tool's name, format and fields", field=KEY, line=line,
                              expected=f"a mapping of format (one of {', '.join(FORMATS)}), name and fields",
                              found=found, hint="keep the origin 'persona-catalog import' wrote, or remove it")]

    if not isinstance(value, dict):
        return problem(show(value))
    unknown = sorted(set(map(str, value)) - set(_KEYS))
    if unknown:
        return problem(f"the key {unknown[0]!r}")
    fmt, name, fields = value.get("format"), value.get("name"), value.get("fields", {})
    if fmt not in FORMATS:
        return problem(f"format {show(fmt)}")
    if not isinstance(name, str) or not name:
        return problem(f"name {show(name)}")
    if not isinstance(fields, dict):
        return problem(f"fields {show(fields)}")
    folder = value.get("files", "")
    if not isinstance(folder, str) or (folder and (not re.match(FOLDER_PATTERN, folder) or folder in ("_.", "_.."))):
        return problem(f"files {show(folder)}")
    return Origin(str(fmt), name, dict(fields), folder=folder), []


def origin_value(origin: Origin, folder: str = "") -> dict[str, object]:
    """What `import` writes under `origin:` (`folder`: where it copied a skill's other files)."""
    value: dict[str, object] = {"format": origin.format, "name": origin.name, "fields": dict(origin.fields)}
    return {**value, "files": folder} if folder else value


def origin_schema() -> dict[str, object]:
    """The JSON Schema of `origin:` (the same verdict as `read_origin`)."""
    rule = {"type": "object", "required": ["format", "name"], "additionalProperties": False,
            "properties": {"format": {"enum": list(FORMATS)}, "name": {"type": "string", "minLength": 1},
                           "fields": {"type": "object"},
                           "files": {"type": "string", "pattern": FOLDER_PATTERN, "not": {"enum": ["_.", "_.."]}}}}
    return {"title": "Origin", "description": "What persona-catalog import kept of another tool's file: its format, "
                                              "its own name for the agent and its other fields (written back by "
                                              "that tool's export).",
            "anyOf": [rule, {"type": "null"}, {"const": ""}, {"const": []}],
            "examples": [{"format": "claude-code", "name": "backend-developer",
                          "fields": {"tools": "Read, Write", "model": "sonnet"}}]}
