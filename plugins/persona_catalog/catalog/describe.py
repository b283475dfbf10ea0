"""A description for a persona that has none: the sentence of its prompt that says what it does.

"You are acting as a Backend API Developer. Your role is to design and build APIs." gives
"Design and build APIs." (a sentence stating the role wins wherever it stands). A bare identity ("You are a technical editor.") is skipped; an identity with
more in it ("You are a senior engineer who reviews pull requests.") gives "A senior engineer who reviews
pull requests." Only the first few paragraphs of prose are read, and at most a few thousand characters
of them, so the time is linear in nothing larger than that.
"""

from __future__ import annotations

import re

from persona_catalog.catalog.characters import hidden_characters

LIMIT = 200
_READ = 4000  # characters of prose looked at
_SKIP = ("#", "```", "~~~", "<", "|", "-", "*", "+", ">", "1.", "2.", "[")
_ROLE = re.compile(r"^(?:your|the)\s+(?:primary\s+|main\s+|core\s+)?(?:role|job|goal|task|purpose|mission|aim)"
                   r"\s+(?:here\s+)?is\s+to\s+(?P<rest>\S.*)$", re.IGNORECASE)
_IDENTITY = re.compile(r"^you\s+are\s+(?:now\s+|acting\s+as\s+|playing\s+|going\s+to\s+act\s+as\s+)?"
                       r"(?P<rest>(?:an?|the)\s+.*)$", re.IGNORECASE)
_MORE = re.compile(r"\b(?:who|that|which|with|whose|for|speciali[sz](?:ed|ing)\s+in|focused|helping|to)\b|,",
                   re.IGNORECASE)
_LINK = re.compile(r"\[([^\[\]]{0,200})\]\([^()\s]{0,500}\)")
_MARKUP = re.compile(r"[*_`]+")


def describe(body: str, limit: int = LIMIT) -> str:
    """The description derived from a prompt (empty when it has no prose)."""
    sentences = _sentences(body)
    for sentence in sentences:
        role = _ROLE.match(sentence)
        if role:
            return _shorten(_capitalize(role.group("rest")), limit)
    fallback = ""
    for sentence in sentences:
        identity = _IDENTITY.match(sentence)
        if not identity:
            return _shorten(sentence, limit)
        rest = identity.group("rest")
        if _MORE.search(rest):
            return _shorten(_capitalize(rest), limit)
        fallback = fallback or _capitalize(rest)
    return _shorten(fallback, limit)


def _sentences(body: str) -> list[str]:
    """The sentences of the first paragraphs of prose, markup removed, invisible characters dropped."""
    prose: list[str] = []
    size = 0
    for block in body[: _READ * 4].split("\n\n"):
        block = "\n".join(line for line in block.split("\n") if not line.lstrip().startswith("#")).strip()
        if not block or block.startswith(_SKIP):
            continue
        text = " ".join(block.split())[:_READ]
        text = _MARKUP.sub("", _LINK.sub(lambda m: m.group(1), text))
        for hidden in reversed(hidden_characters(text)):
            text = text[: hidden.index] + text[hidden.index + 1:]
        prose.extend(s for s in re.split(r"(?<=[.!?])\s+", text) if s)
        size += len(text)
        if size >= _READ or len(prose) >= 6:
            break
    return prose[:6]


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def _shorten(sentence: str, limit: int) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"
