"""The readers by format id, and `read_entry`: one file's bytes to a `Reading`, by its format or, with `auto`, by
what it looks like (its name, place and keys, per file, so a mixed repository works)."""

from __future__ import annotations

import json
import re
import tomllib
from dataclasses import replace

from persona_catalog.catalog.loader import decode, find_mojibake, parse_persona
from persona_catalog.catalog.model import Persona
from persona_catalog.catalog.problems import Problem
from persona_catalog.catalog.readers import claude_code, codex, copilot, cursor, kiro, opencode, skills
from persona_catalog.catalog.readers.base import Place, Reading, ToolFormat, not_an_agent, read_front, read_markdown
from persona_catalog.catalog.readers.repairs import speaks_to_an_agent
from persona_catalog.catalog.yaml_boundary import FrontMatter

TOOL_FORMATS: dict[str, ToolFormat] = {m.FORMAT.id: m.FORMAT for m in (claude_code, skills, copilot, cursor, codex,
                                                                          opencode, kiro)}
# Every `format:` a source may name; `claude-plugins` reads a plugin repository (`plugins/<plugin>/agents/...`).
FORMAT_IDS = ("auto", "catalog", "claude-code", "claude-plugins", "copilot", "skills", "cursor", "codex", "opencode",
              "kiro")
_NOT_AGENTS = re.compile(r"^(readme|changelog|contributing|license|licence|notice|third[-_]party[-_]notices|"
                         r"code[-_]of[-_]conduct|security|authors|index)(\.[a-z]+)*$", re.IGNORECASE)
_CATALOG_ONLY = frozenset({"category", "models", "context_window", "tags", "version", "author", "use_when", "slug",
                           "origin"})


def candidate(name: str, format_id: str) -> bool:
    """Whether a file of this name is read in a source of this format (others are only counted)."""
    lower = name.lower()
    if format_id == "cursor":
        return lower.endswith(".mdc")
    if format_id == "codex":
        return lower.endswith(".toml")
    if format_id == "kiro":
        return lower.endswith((".json", ".md"))
    if format_id == "auto":
        return lower.endswith((".md", ".markdown", ".mdc", ".toml")) or (lower.endswith(".json") and
                                                                          not _NOT_AGENTS.match(lower))
    return lower.endswith((".md", ".markdown"))


def read_entry(data: bytes, place: Place, format_id: str, max_bytes: int) -> Reading:
    """One file of a source read as `format_id` (`auto`: as what it looks like)."""
    if format_id == "catalog":
        persona, problems = parse_persona(data, place.shown, max_bytes)
        return Reading(persona and _with_source(persona, place), problems)
    text, problems = decode(data, place.shown, max_bytes)
    if text is None:
        return Reading(None, problems)
    name = place.rel.rsplit("/", 1)[-1]
    lower = name.lower()
    fmt_id = _by_name(lower) if format_id in ("auto", "claude-plugins") else format_id
    if fmt_id == "codex" or (fmt_id == "kiro" and lower.endswith(".json")):
        return _structured(text, data, place, TOOL_FORMATS[fmt_id], problems)
    if fmt_id is None and _NOT_AGENTS.match(lower):
        return not_an_agent(place, "a README or notice beside the agents")
    fmt = TOOL_FORMATS.get(fmt_id or "claude-code")
    assert fmt is not None
    required = fmt.front_matter_required or (fmt_id is None and format_id != "claude-code"
                                             and not speaks_to_an_agent(text))
    front, front_problems, repairs = read_front(text, place, required)
    if front is None:
        if fmt_id is None and front_problems and front_problems[0].message == "the file has no front matter":
            return not_an_agent(place, "a Markdown file without front matter that is not a prompt")
        return Reading(None, problems + front_problems)
    if fmt_id is None and not repairs:  # auto, a Markdown file with front matter: its keys say which tool's it is
        keys = set(front.fields)
        if "category" in keys and "name" in keys and keys <= _CATALOG_ONLY | {"name", "description"}:
            persona, found = parse_persona(data, place.shown, max_bytes)
            return Reading(persona and _with_source(persona, place), found)
        if front.fields.get("mode") in opencode.MODES or ("permission" in keys and "name" not in keys):
            fmt = opencode.FORMAT
        elif "name" not in keys and "description" not in keys:
            return not_an_agent(place, "its front matter has neither 'name' nor 'description'")
    reading = read_markdown(text, data, place, fmt, front, repairs)
    reading.problems[:0] = problems + find_mojibake(text, place.shown)
    return reading


def _by_name(lower: str) -> str | None:
    if lower == "skill.md":
        return "skills"
    if lower.endswith(copilot.SUFFIXES):
        return "copilot"
    if lower.endswith(cursor.SUFFIX):
        return "cursor"
    if lower.endswith(".toml"):
        return "codex"
    if lower.endswith(".json"):
        return "kiro"
    return None


def _structured(text: str, data: bytes, place: Place, fmt: ToolFormat, problems: list[Problem]) -> Reading:
    """A TOML (Codex) or JSON (Kiro CLI) agent: its prompt key is the body, the other keys its fields."""
    key = codex.PROMPT_KEY if fmt.id == "codex" else kiro.PROMPT_KEY
    try:
        fields = tomllib.loads(text) if fmt.id == "codex" else json.loads(text)
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        line = getattr(exc, "lineno", None)
        syntax = "TOML" if fmt.id == "codex" else "JSON"
        return Reading(None, [*problems, Problem(place.shown, f"the file is not valid {syntax}: {exc}", field="file",
                                                 line=line, hint="fix the syntax")])
    if not isinstance(fields, dict) or not isinstance(fields.get(key), str):
        return not_an_agent(place, f"it has no '{key}' text, so it is not a {fmt.label}")
    prompt = fields.pop(key)
    if prompt.startswith("file://"):
        return Reading(None, [*problems, Problem(place.shown, "the prompt is a file:// link, which is not followed",
                                                 field=key, found=prompt[:60], hint="write the prompt inline")])
    at = text.find(key)
    body_line = text[:at].count("\n") + 2 if at >= 0 else 1
    front = FrontMatter(fields=fields, lines={k: 1 for k in fields}, body=prompt, body_line=body_line)
    reading = read_markdown(text, data, place, fmt, front, [])
    reading.problems[:0] = problems
    return reading


def _with_source(persona: Persona, place: Place) -> Persona:
    return replace(persona, source=place.source)
