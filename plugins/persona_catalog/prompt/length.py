"""How long a prompt is: characters, words and an estimated token count, shown on its persona page.

Characters are Unicode code points (Python's `len`), words are runs of non-whitespace (`str.split()`), and
tokens are estimated as characters / 4, the rule of thumb for English text that OpenAI and Google give for their
tokenizers; the exact count depends on the model's tokenizer (docs/format.md, "Length").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

CHARACTERS_PER_TOKEN = 4


@dataclass(frozen=True)
class PromptLength:
    """A prompt's length in characters and words, and its estimated tokens."""

    characters: int
    words: int
    tokens: int


def prompt_length(text: str) -> PromptLength:
    """The length of `text`; any text that is not empty counts at least one token."""
    return PromptLength(len(text), len(text.split()), math.ceil(len(text) / CHARACTERS_PER_TOKEN))
