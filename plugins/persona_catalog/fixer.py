"""Safe repairs for `persona-catalog lint --fix`: encoding damage and whitespace, never a prompt's meaning."""

from __future__ import annotations

import re

from ftfy import fix_encoding
from ftfy.badness import is_bad

BOM = b"\xef\xbb\xbf"
_FRONT_MATTER = re.compile(r"\A---\n(.*?\n)---\n", re.DOTALL)


def fix_persona(data: bytes) -> tuple[bytes, list[str]]:
    """The repaired bytes and one line per change: BOM, CRLF, mojibake, trailing spaces in front matter.

    Text that is not UTF-8 is returned unchanged: guessing its encoding could change its meaning.
    """
    changes: list[str] = []
    if data.startswith(BOM):
        data = data[len(BOM):]
        changes.append("removed the byte-order mark")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return (BOM + data if changes else data), []
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        changes.append("converted line endings to \\n")
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if is_bad(line):
            fixed = fix_encoding(line)
            if fixed != line:
                lines[number - 1] = fixed
                changes.append(f"line {number}: repaired garbled text: {line.strip()!r} -> {fixed.strip()!r}")
    text = "\n".join(lines)
    match = _FRONT_MATTER.match(text)
    if match:
        front = match.group(1)
        stripped = "".join(line.rstrip() + "\n" for line in front.splitlines())
        if stripped != front:
            text = "---\n" + stripped + text[match.end(1):]
            changes.append("removed trailing whitespace in the front matter")
    return text.encode("utf-8"), changes
