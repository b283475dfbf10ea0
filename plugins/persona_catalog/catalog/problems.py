"""Problems found in persona files: values, not exceptions, with a text and a JSON form.

Both forms write control and invisible characters (in file names, field names and values) as visible
escapes, so a persona file cannot erase, colour or forge lines of a terminal or a log.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

from persona_catalog.catalog.characters import escape_invisible

# error: the file is left out. warning: built, but `--strict` stops. suggestion: built; only lint shows it.
# note: how a file of a collection was read (not an agent, repaired on reading): shown, never stops a build.
Level = Literal["error", "warning", "suggestion", "note"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one persona file, with what was expected, what was found and how to fix it."""

    path: str
    message: str
    level: Level = "error"
    field: str | None = None
    line: int | None = None
    expected: str | None = None
    found: str | None = None
    hint: str | None = None

    @property
    def is_error(self) -> bool:
        return self.level == "error"

    @property
    def is_suggestion(self) -> bool:
        """Advice, not a fault: a suggestion, or a note on how a collection's file was read."""
        return self.level in ("suggestion", "note")

    def __str__(self) -> str:
        shown = self.to_json()
        where = f"{shown['path']}:{self.line}" if self.line else shown["path"]
        text = f"{where}: {self.level}: {shown['field'] or 'file'}: {shown['message']}"
        details = [f"expected {shown['expected']}" if self.expected else "", f"found {shown['found']}" if self.found else ""]
        if any(details):
            text += f" ({', '.join(d for d in details if d)})"
        if self.hint:
            text += f"; fix: {shown['hint']}"
        return text

    def to_json(self) -> dict[str, object]:
        """The fields, every text with its control and invisible characters escaped (always valid UTF-8)."""
        return {key: escape_invisible(value) if isinstance(value, str) else value
                for key, value in asdict(self).items()}


def show(value: object, limit: int = 60) -> str:
    """A short, single-line rendering of a found value for messages (never recursive, never long)."""
    text = repr(value[: limit + 1]) if isinstance(value, str) else _json_kind(value, limit)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _json_kind(value: object, limit: int) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"number {value!r}"
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, (str, int, float, bool)) or v is None for v in value[:limit]):
            return f"list {list(value[:limit])!r}"
        return f"list of {len(value)} items, some of them lists or mappings"
    if isinstance(value, dict):
        return f"mapping with keys {sorted(map(str, list(value)[:limit]))!r}"
    return type(value).__name__
