"""Repairs of damage seen in real collections, as text in, text and what changed out. The readers apply them in
memory (and say so in a note); `persona-catalog import` writes the repaired file."""

from __future__ import annotations

import json
import re

# A top-level `key: value` line whose value is plain (not quoted, not a list, mapping or block scalar).
_PLAIN = re.compile(r"^(?P<key>[A-Za-z_][\w-]*):[ \t]+(?P<value>[^\s\"'\[{|>&*!#%@`].*?)[ \t]*$")


Repair = tuple[int | None, str]  # the file line it concerns (or None), what changed


def quote_plain_values(front: str) -> tuple[str, list[Repair]]:
    """Quote every plain top-level value that YAML cannot read as it stands because it holds ': ' (a colon and a
    space), e.g. `description: Triggers on: 'x'`; each such line as one double-quoted string. Other lines unchanged."""
    changes: list[Repair] = []
    lines = front.split("\n")
    for index, line in enumerate(lines):
        match = _PLAIN.match(line)
        if match and (": " in match["value"] or match["value"].endswith(":") or " #" in match["value"]):
            lines[index] = f"{match['key']}: {json.dumps(match['value'], ensure_ascii=False)}"
            changes.append((index + 2, f"quoted the value of '{match['key']}' (it contains ': ')"))
    return "\n".join(lines), changes


def replacement_characters(text: str) -> list[int]:
    """The lines (from 1) holding U+FFFD, the mark an earlier wrong decoding leaves where a character was lost."""
    if "\ufffd" not in text:
        return []
    return [number for number, line in enumerate(text.split("\n"), start=1) if "\ufffd" in line]


_SPEAKS_TO_AGENT = re.compile(r"^(?:you\s+are|you're|act\s+as|as\s+an?\s|your\s+(?:role|job|task))\b", re.IGNORECASE)


def speaks_to_an_agent(text: str) -> bool:
    """Whether a Markdown file without front matter reads as a system prompt: its first line of prose (headings
    passed over) addresses the agent ("You are...", "Act as..."), as a README does not."""
    for line in text.split("\n", 40)[:40]:
        line = line.strip()
        if line and not line.startswith("#"):
            return bool(_SPEAKS_TO_AGENT.match(line))
    return False
