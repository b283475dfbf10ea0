"""Problems found in persona files: values, not exceptions, with a text and a JSON form."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Level = Literal["error", "warning"]


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

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.level}: {self.field or 'file'}: {self.message}"
        details = [f"expected {self.expected}" if self.expected else "", f"found {self.found}" if self.found else ""]
        if any(details):
            text += f" ({', '.join(d for d in details if d)})"
        if self.hint:
            text += f"; fix: {self.hint}"
        return text

    def to_json(self) -> dict[str, object]:
        return asdict(self)


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
