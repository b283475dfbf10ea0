"""Whether a file given as one of the catalog's own persona files is in fact another tool's (for the message that
points to `sources:` and `import`)."""

from __future__ import annotations

from persona_catalog.catalog.readers import claude_code, copilot, opencode, skills


def looks_like(fields: dict[str, object], rel: str) -> str | None:
    """'a Claude Code sub-agent', 'an Agent Skill (SKILL.md)', ... or None."""
    name = rel.rsplit("/", 1)[-1]
    keys = set(fields)
    if name == skills.FILE_NAME:
        return "an Agent Skill (SKILL.md)"
    if name.lower().endswith(copilot.SUFFIXES):
        return "a GitHub Copilot custom agent"
    if fields.get("mode") in opencode.MODES:
        return "an OpenCode agent"
    if "description" in keys and ("name" in keys or keys & claude_code.KEYS):
        return "a Claude Code sub-agent"
    return None
