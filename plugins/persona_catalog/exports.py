"""Per-tool export files: the persona in the format each tool reads, ready to drop into a project.

Formats as documented by each tool (see docs/exports.md for sources):

- Claude Code sub-agent, `.claude/agents/<name>.md`: YAML front matter with `name` (lowercase letters and
  hyphens) and `description` (required), `tools` and `model` optional (omitted: inherit); the body is the
  sub-agent's system prompt.
- Cursor project rule, `.cursor/rules/<name>.mdc`: front matter `description`, `globs`, `alwaysApply`
  (a boolean); a description with no globs and `alwaysApply: false` makes an "agent requested" rule.
- GitHub Copilot custom agent, `.github/agents/<name>.agent.md`: front matter `description` (required),
  `name` optional; the body is the agent's instructions.
- Claude API: a Messages API request body (`model`, `max_tokens`, `system`, `messages`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from .model import Persona
from .paths import export_path

DEFAULT_API_MODEL = "claude-sonnet-4-5"
API_USER_PLACEHOLDER = "Replace this with your request."


@dataclass(frozen=True)
class ExportFormat:
    """One tool's file format: its file name, where the file goes in a project and how to use it."""

    id: str
    label: str
    extension: str
    project_dir: str | None  # folder of the file in the user's project; None when it is not a project file
    note: str

    def filename(self, slug: str) -> str:
        return f"{slug}{self.extension}"

    def site_path(self, slug: str) -> str:
        """Where the persona's export file is published on the site."""
        return export_path(slug, self.id, self.filename(slug))

    def destination(self, slug: str) -> str | None:
        return f"{self.project_dir}/{self.filename(slug)}" if self.project_dir else None


FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("claude-code", "Claude Code", ".md", ".claude/agents",
                 "Or in ~/.claude/agents/ for every project; Claude Code loads it at the next session."),
    ExportFormat("cursor", "Cursor", ".mdc", ".cursor/rules",
                 "Cursor attaches the rule when the agent finds it relevant, or when you @-mention it."),
    ExportFormat("copilot", "GitHub Copilot", ".agent.md", ".github/agents",
                 "Then pick the agent in Copilot Chat, or assign it to an issue."),
    ExportFormat("claude-api", "Claude API", ".json", None,
                 "A Messages API request body: replace the user message, then POST it to /v1/messages."),
)
FORMATS_BY_ID = {f.id: f for f in FORMATS}


def _quoted(text: str) -> str:
    """A YAML double-quoted scalar (JSON's string syntax is a subset of it)."""
    return json.dumps(text, ensure_ascii=False)


def _with_front_matter(fields: list[tuple[str, str]], body: str) -> str:
    lines = "".join(f"{key}: {value}".rstrip() + "\n" for key, value in fields)
    return f"---\n{lines}---\n\n{body}\n"


def export_text(persona: Persona, format_id: str, api_model: str = DEFAULT_API_MODEL) -> str:
    """The export file's text for one persona and one format."""
    description = persona.description or persona.name
    if format_id == "claude-code":
        return _with_front_matter([("name", _quoted(persona.slug)), ("description", _quoted(description))], persona.body)
    if format_id == "cursor":
        return _with_front_matter([("description", _quoted(description)), ("globs", ""),
                                   ("alwaysApply", "false")], persona.body)
    if format_id == "copilot":
        return _with_front_matter([("name", _quoted(persona.name)), ("description", _quoted(description))],
                                  persona.body)
    if format_id == "claude-api":
        request = {"model": api_model, "max_tokens": 4096, "system": persona.body,
                   "messages": [{"role": "user", "content": API_USER_PLACEHOLDER}]}
        return json.dumps(request, ensure_ascii=False, indent=2) + "\n"
    raise KeyError(format_id)
