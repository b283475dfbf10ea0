"""Safe repairs for `persona-catalog lint --fix`: only what can be shown to be broken, never a prompt's meaning.

- A UTF-8 byte-order mark is dropped; CRLF and CR line endings become `\\n` (lines are split at `\\n` only,
  never at U+2028 or other separators).
- Trailing whitespace inside the front matter is removed.
- A list field written as plain comma-separated text (`tags: a, b`) becomes the list lint's fix shows
  (`tags: [a, b]`, each item as its slug).
- Garbled text (mojibake, UTF-8 read as cp1252: `â€”` for `—`) is repaired line by line with ftfy, only on
  a line ftfy flags, outside code blocks, code spans and tables, and only when the line does not also hold
  the very characters the repair would produce (an author writing about mojibake means what they wrote).
  Every other flagged line is a suggestion: shown, not changed.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

import yaml
from ftfy import fix_encoding
from ftfy.badness import is_bad

from persona_catalog.catalog.body import code_lines, without_code_spans
from persona_catalog.catalog.model import FIELDS, slugify

BOM = b"\xef\xbb\xbf"
LIST_FIELDS = frozenset(spec.name for spec in FIELDS if spec.type == "array")
# A top-level key with a plain value: not a list, a quoted text, a mapping, an anchor, a tag or a block.
_PLAIN_LIST = re.compile(r"^([a-z_]+):[ \t]+([^\[\]{}\"'&*!|>#%@`\s-][^\[\]{}\"'#]*?)[ \t]*$")


@dataclass
class Repair:
    """The repaired bytes, one line per change made, and one line per change only suggested."""

    data: bytes
    changes: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)


def fix_persona(data: bytes) -> Repair:
    """Repair one persona file's bytes. Text that is not UTF-8 is returned unchanged: guessing its encoding
    could change its meaning."""
    repair = Repair(data)
    if data.startswith(BOM):
        data = data[len(BOM):]
        repair.changes.append("removed the byte-order mark")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return Repair(repair.data)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        repair.changes.append("converted line endings to \\n")
    lines = text.split("\n")
    _repair_mojibake(lines, repair)
    _strip_front_matter(lines, repair)
    _list_fields(lines, repair)
    repair.data = "\n".join(lines).encode("utf-8")
    return repair


def _repair_mojibake(lines: list[str], repair: Repair) -> None:
    for number, (line, in_code) in enumerate(zip(lines, code_lines(lines)), start=1):
        if not is_bad(line):
            continue
        fixed = fix_encoding(line)
        if fixed == line:
            continue
        change = f"line {number}: repaired garbled text: {line.strip()!r} -> {fixed.strip()!r}"
        if in_code or line.lstrip().startswith("|") or not is_bad(without_code_spans(line)) or _means_it(line, fixed):
            repair.suggestions.append(change.replace("repaired", "may be garbled, not changed:", 1))
        else:
            lines[number - 1] = fixed
            repair.changes.append(change)


def _means_it(line: str, fixed: str) -> bool:
    """Does the line already hold a character the repair would produce? Then the garbling may be on purpose."""
    before, after = Counter(line), Counter(fixed)
    produced = [char for char, count in after.items() if not char.isascii() and count > before[char]]
    return any(before[char] for char in produced)


def _strip_front_matter(lines: list[str], repair: Repair) -> None:
    if not lines or lines[0] != "---" or "---" not in lines[1:]:
        return
    end = lines.index("---", 1)
    stripped = [line.rstrip(" \t") for line in lines[1:end]]
    if stripped != lines[1:end]:
        lines[1:end] = stripped
        repair.changes.append("removed trailing whitespace in the front matter")


def _list_fields(lines: list[str], repair: Repair) -> None:
    """`tags: a, b` -> `tags: [a, b]`: the fix lint prints for a list field given as text (fields.py)."""
    if not lines or lines[0] != "---" or "---" not in lines[1:]:
        return
    for index in range(1, lines.index("---", 1)):
        match = _PLAIN_LIST.match(lines[index])
        if match and match.group(1) in LIST_FIELDS and _text(match.group(2)):
            items = [s for s in (slugify(part) for part in match.group(2).split(",")) if s]
            if items:
                fixed = f"{match.group(1)}: [{', '.join(items)}]"
                repair.changes.append(f"line {index + 1}: wrote a list: {lines[index]!r} -> {fixed!r}")
                lines[index] = fixed


def _text(value: str) -> bool:
    """Does YAML read the value as text (not a number, a boolean or null, which lint reports otherwise)?"""
    try:
        return isinstance(yaml.safe_load(value), str)
    except yaml.YAMLError:
        return False
