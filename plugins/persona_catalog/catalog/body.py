"""Checks on the prompt itself: it is not empty, and nothing in it is hidden from a reader.

Hidden content is still published (it is part of the prompt), but the page shows it visibly (see
`prompt.py`), and each occurrence is a warning with its line, so `mkdocs build --strict` and lint catch it:
invisible characters anywhere, and outside code, HTML comments and `<script>`/`<style>` elements (which a
Markdown viewer elsewhere would hide).
"""

from __future__ import annotations

import re

from persona_catalog.catalog.characters import hidden_characters
from persona_catalog.catalog.problems import Problem, show

_HIDING = re.compile(r"<!--|<\s*(script|style)\b", re.IGNORECASE)
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_CODE_SPAN = re.compile(r"(`+)[^`]*?\1")


def code_lines(lines: list[str]) -> list[bool]:
    """For each line, whether it is code (inside a fence, a fence line, or indented by four spaces or a tab)."""
    flags, fence = [], None
    for line in lines:
        opened = _FENCE.match(line)
        in_code = fence is not None or line.startswith(("    ", "\t"))
        if opened and (fence is None or (opened.group(1)[0] == fence[0] and len(opened.group(1)) >= len(fence))):
            fence = opened.group(1) if fence is None else None
            in_code = True
        flags.append(in_code)
    return flags


def without_code_spans(line: str) -> str:
    return _CODE_SPAN.sub("", line)


def check_body(body: str, rel: str, first_line: int) -> list[Problem]:
    """Problems of a prompt whose first line is line `first_line` of its file."""
    if not body.strip():
        return [Problem(rel, "the prompt is empty", field="body", expected="the prompt text after the front matter")]
    problems = []
    lines = body.split("\n")
    for number, (line, is_code) in enumerate(zip(lines, code_lines(lines)), start=first_line):
        hidden = hidden_characters(line)
        if hidden:
            names = ", ".join(dict.fromkeys(h.label for h in hidden[:3]))
            problems.append(Problem(rel, f"the prompt contains {len(hidden)} invisible character(s) ({names})",
                                    level="warning", field="body", line=number, found=show(line.strip()),
                                    hint="remove them; the page shows each one as a mark"))
        for match in () if is_code or "<" not in line else _HIDING.finditer(without_code_spans(line)):
            what = "an HTML comment" if match.group().startswith("<!") else f"a <{match.group(1).lower()}> element"
            problems.append(Problem(rel, f"the prompt contains {what}, which other Markdown viewers hide",
                                    level="warning", field="body", line=number, found=show(line.strip()),
                                    hint="write it as plain text, or remove it; the page shows it as text"))
    return problems
