"""The persona schema, the `Persona` and `Category` records and the `Catalog` that indexes them.

`FIELDS` is the one definition of the front matter: the record, the loader's checks, the JSON Schema, the API,
`persona-catalog new`'s template and the docs are made from it. An optional text field added to it alone is
read, checked, kept in `Persona.texts`, published in the API and schema and offered by `new`; docs/format.md and
README's table list it (tests/unit/test_docs.py checks).
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from dataclasses import fields as dataclass_fields
from functools import cached_property
from itertools import chain

from anyascii import anyascii

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# A name, description or author holds a letter or digit of some script (Python's `\w` but `_`), not only
# punctuation, symbols or emoji; the text rules already refuse invisible characters and blanks.
LETTERED_PATTERN = r"^(?=[\s\S]*[^\W_])"
SEMVER_PATTERN = (
    r"^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)"
    r"(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?"
    r"(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$"
)
# What each context window means: the persona page's explanation reads it, docs/format.md quotes it (a test checks).
CONTEXT_WINDOW_MEANINGS = {
    "small": "a question and a short text or snippet beside the prompt: a few thousand tokens",
    "medium": "several files, a long document or a long conversation: tens of thousands of tokens",
    "large": "a whole codebase, many documents or a long working session: 100,000 tokens or more",
}
CONTEXT_WINDOWS = tuple(CONTEXT_WINDOW_MEANINGS)
# Names a persona, tag or category cannot take: `index` is the folder's own page (`/tags/` is tags/index.md),
# Windows' reserved device names: a file or folder named so (any extension) cannot be created or extracted there,
# and slugs, tags and categories name files and folders of the site and of its zips.
DEVICE_NAMES = ("con", "prn", "aux", "nul", *(f"com{n}" for n in range(10)), *(f"lpt{n}" for n in range(10)))
RESERVED = ("index", *DEVICE_NAMES)
# Related personas within a category are paired on terms at most this many of its personas share
# (`Catalog._rarest`): a term on more says little, and pairing it costs in proportion to the category.
CATEGORY_PEERS = 200
RELATED = 5  # related personas a persona page links (`related_personas`, and what the build cache keeps)


@dataclass(frozen=True)
class FieldSpec:
    """One front matter field: its JSON type, constraints and the words that document it."""

    name: str
    title: str
    description: str
    type: str  # "string" or "array" (of strings)
    required: bool = False
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    example: object = None
    max_length: int | None = None  # of the text, or of each item of a list
    max_items: int | None = None
    reserved: tuple[str, ...] = ()
    draft: str | None = None  # the YAML `new` writes commented out when not given (default: `example`)

    @property
    def free_text(self) -> bool:
        """Text as written by a person (checked as written, then trimmed), not an id, a version or a choice."""
        return self.type == "string" and self.enum is None and self.pattern in (None, LETTERED_PATTERN)


FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "Name", "Display title of the persona.", "string", required=True,
              pattern=LETTERED_PATTERN, example="Backend API Developer", max_length=100),
    FieldSpec("category", "Category", "Category id (a slug); titles come from the site configuration.",
              "string", required=True, pattern=SLUG_PATTERN, example="development", max_length=40,
              reserved=RESERVED),
    FieldSpec("models", "Models", "Tools or models the prompt is written for, as slugs.", "array",
              pattern=SLUG_PATTERN, example=["claude-code", "cursor", "claude-api"], max_length=40, max_items=12,
              draft='["claude-code", "claude-api"]'),
    FieldSpec("context_window", "Context window", "How much context the persona expects.", "string",
              enum=CONTEXT_WINDOWS, example="large", draft="medium"),
    FieldSpec("version", "Version", "Semantic version of the prompt (MAJOR.MINOR.PATCH).", "string",
              pattern=SEMVER_PATTERN, example="1.0.0", max_length=64),
    FieldSpec("author", "Author", "Who wrote or maintains the persona.", "string", pattern=LETTERED_PATTERN,
              example="octocat", max_length=100, draft="your-handle"),
    FieldSpec("tags", "Tags", "Lowercase slugs (letters, digits, hyphens) used for browsing.", "array",
              pattern=SLUG_PATTERN, example=["backend", "api"], max_length=40, max_items=20, reserved=RESERVED,
              draft='["incident", "on-call"]'),
    FieldSpec("description", "Description",
              "One line shown in listings; derived from the prompt when absent.", "string", pattern=LETTERED_PATTERN,
              example="Designs and builds secure, well-documented HTTP APIs.", max_length=1000),
    FieldSpec("use_when", "Use when",
              "One line saying when to use the persona; agent exports (Claude Code, Codex, Cursor, Copilot, ...) "
              "give it to the tool as the agent's description, which decides when the tool delegates to it.",
              "string", example="Use when reviewing a pull request before it is merged.", max_length=1000),
    FieldSpec("slug", "Slug", "URL id of the persona; derived from `name` when absent.", "string",
              pattern=SLUG_PATTERN, example="backend-api-developer", max_length=80, reserved=RESERVED),
)
FIELDS_BY_NAME = {f.name: f for f in FIELDS}


def _ascii(text: str) -> str:
    """Transliterate any script to ASCII; Han and Hangul syllables are kept apart as words."""
    parts = []
    for char in text:
        if char.isascii():
            parts.append(char)
        elif unicodedata.name(char, "").startswith(("CJK UNIFIED IDEOGRAPH", "HANGUL SYLLABLE")):
            parts.append(f" {anyascii(char)} ")
        else:
            parts.append(anyascii(char))
    return "".join(parts)


def slugify(text: str, max_length: int = 80) -> str:
    """Lowercase ASCII slug of any script (`Straße` -> `strasse`, `数据分析师` -> `shu-ju-fen-xi-shi`)."""
    slug = re.sub(r"[^a-z0-9]+", "-", _ascii(text).lower()).strip("-")
    return slug[:max_length].rstrip("-") if len(slug) > max_length else slug


def derive_slug(name: str) -> str:
    """The slug of a persona without a `slug:` field: its name's, or a stable one when that is empty or reserved."""
    slug = slugify(name, max_length=FIELDS_BY_NAME["slug"].max_length or 80)
    if slug and slug not in RESERVED:
        return slug
    digest = hashlib.sha1(name.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{slug or 'persona'}-{digest}"


def identity(text: str) -> str:
    """The key two names clash on: NFKC, case-folded, inner whitespace collapsed; no character is dropped."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def title_from_id(identifier: str) -> str:
    """`data-science` -> `Data Science`."""
    return " ".join(word.capitalize() for word in identifier.split("-"))


@dataclass(frozen=True)
class Origin:
    """Where a persona read from another tool's format came from, and what that tool needs back from it.

    `format` is the reader's id (`claude-code`, `skills`, ...), `name` the tool's own name for the agent, `fields`
    the file's front matter (or TOML/JSON keys) as written, in their order, so the tool's export writes them
    back; `also` the other files holding the same agent (duplicates read once); `folder`, in an imported skill,
    the folder beside the persona file that holds the skill's other files (`_<slug>`)."""

    format: str
    name: str
    fields: dict[str, object] = field(default_factory=dict, hash=False)
    also: tuple[str, ...] = ()
    folder: str = ""


@dataclass(frozen=True)
class Attachment:
    """A file that comes with a persona (a skill folder's other files): its name inside the folder, its size
    and where to read it (the file policy checked it when the folder was read)."""

    name: str
    size: int
    path: str = field(repr=False, compare=False, default="")


@dataclass(frozen=True)
class Persona:
    """A validated persona: its fields, its prompt (`body`) and where it came from."""

    slug: str
    name: str
    description: str
    category: str
    body: str
    source: str  # path relative to the personas folder, with forward slashes
    raw: bytes = field(repr=False, default=b"")
    models: tuple[str, ...] = ()
    context_window: str | None = None
    version: str | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()
    use_when: str | None = None
    origin: Origin | None = None  # set when the persona was read from another tool's format
    files: tuple[Attachment, ...] = ()  # a skill's other files, listed on its page and zipped in its download
    # The optional text fields of `FIELDS` the record has no attribute of its own for, (name, value) in table order.
    texts: tuple[tuple[str, str], ...] = ()

    def value(self, name: str) -> object:
        """A front matter field's value (None when absent): its attribute, or its entry in `texts`."""
        if name in PERSONA_ATTRIBUTES:
            return getattr(self, name)
        return dict(self.texts).get(name)

    def fields(self) -> dict[str, object]:
        """The public fields as JSON-ready values: the four every persona has, then the others in table order."""
        values: dict[str, object] = {name: getattr(self, name) for name in ("slug", "name", "description", "category")}
        for spec in FIELDS:
            if spec.name not in values:
                value = self.value(spec.name)
                values[spec.name] = list(value) if isinstance(value, tuple) else value
        return values


PERSONA_ATTRIBUTES = frozenset(f.name for f in dataclass_fields(Persona))


@dataclass(frozen=True)
class Category:
    """A category as configured for the site (or derived from its id when it is not)."""

    id: str
    title: str
    description: str = ""
    icon: str | None = None
    order: int = 0


@dataclass
class Catalog:
    """Every valid persona, with the lookups the pages need."""

    personas: tuple[Persona, ...]
    configured_categories: dict[str, Category] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.personas = tuple(sorted(self.personas, key=lambda p: (p.name.casefold(), p.slug)))

    @cached_property
    def by_slug(self) -> dict[str, Persona]:
        return {p.slug: p for p in self.personas}

    @cached_property
    def by_category(self) -> dict[str, tuple[Persona, ...]]:
        return {c.id: tuple(p for p in self.personas if p.category == c.id) for c in self.categories}

    @cached_property
    def categories(self) -> tuple[Category, ...]:
        """Categories that have personas: configured ones by `order` then title, then the others by title."""
        found = [self.category(cid) for cid in {p.category for p in self.personas}]
        return tuple(sorted(found, key=lambda c: (c.id not in self.configured_categories, c.order, c.title.casefold())))

    def category(self, category_id: str) -> Category:
        return self.configured_categories.get(category_id) or Category(category_id, title_from_id(category_id))

    @cached_property
    def by_tag(self) -> dict[str, tuple[Persona, ...]]:
        """Tag -> its personas, tags sorted by name."""
        tags: dict[str, list[Persona]] = {}
        for persona in self.personas:
            for tag in persona.tags:
                tags.setdefault(tag, []).append(persona)
        return {tag: tuple(tags[tag]) for tag in sorted(tags)}

    @cached_property
    def models(self) -> tuple[str, ...]:
        return tuple(sorted({m for p in self.personas for m in p.models}))

    def related_tags(self, tag: str, limit: int = 8) -> list[tuple[str, int]]:
        """Tags that co-occur with `tag`, most frequent first (once per tag: each page of its listing asks)."""
        known = self._related_tags.get((tag, limit))
        if known is None:
            counts = Counter(t for p in self.by_tag.get(tag, ()) for t in p.tags if t != tag)
            known = self._related_tags[tag, limit] = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]
        return list(known)

    @cached_property
    def _related_tags(self) -> dict[tuple[str, int], list[tuple[str, int]]]:
        return {}

    def related_personas(self, persona: Persona, limit: int = RELATED) -> list[Persona]:
        """Personas most like `persona`: shared tags and words of name, description and prompt, each weighted by
        how rare it is in the catalog (a tag on half the catalog says little), and the category. Across the
        catalog only the persona's 16 rarest terms are paired (`_telling`); within its own category its 48
        rarest, common ones included, that at most `CATEGORY_PEERS` personas of the category share (`_rarest`),
        and the category itself, so a neighbour sharing many words beats a persona elsewhere that shares one tag.
        Made once per persona (pages and the build cache ask)."""
        known = self._related.get((persona.slug, limit))
        if known is None:
            known = self._related[persona.slug, limit] = self._relate(persona, limit)
        return list(known)

    @cached_property
    def _related(self) -> dict[tuple[str, int], list[Persona]]:
        return {}

    def relating(self) -> tuple[tuple[object, ...], ...]:
        """All that `related_personas` reads of the catalog, in order: two catalogs with the same relate alike."""
        return tuple((p.slug, p.category, p.name, p.description, p.tags, p.body[:600]) for p in self.personas)

    def related_slugs(self) -> dict[str, tuple[str, ...]]:
        """The related personas found so far (`RELATED` each, the pages' number), as slugs."""
        return {slug: tuple(p.slug for p in found) for (slug, limit), found in self._related.items()
                if limit == RELATED}

    def know_related(self, known: dict[str, tuple[str, ...]]) -> None:
        """Take `related_slugs` of a catalog of the same `relating()` instead of finding them again."""
        for slug, found in known.items():
            if slug in self.by_slug and all(s in self.by_slug for s in found):
                self._related[slug, RELATED] = [self.by_slug[s] for s in found]

    def _relate(self, persona: Persona, limit: int) -> list[Persona]:
        scores: dict[str, float] = defaultdict(float)
        for term in self._telling[persona.slug]:
            weight = self._weight[term]
            for other in self._postings[term]:
                scores[other] += weight
        # Within the category: how many of the persona's rarest terms each other persona shares (counted in C:
        # a weighted sum here cost 9x the rest at 5,000 personas), each worth their mean weight, plus the
        # category's own weight; the category alone relates nothing.
        rarest, category = self._rarest[persona.slug], persona.category
        peers = Counter(chain.from_iterable(self._category_postings.get((category, term), ()) for term in rarest))
        peers.pop(persona.slug, None)
        if peers:
            mean = sum(self._weight[t] for t in rarest) / len(rarest)
            bonus = math.log((len(self.personas) + 1) / max(1, len(self.by_category.get(category, ()))))
            for other, shared in peers.most_common(limit * 2):
                scores[other] = max(scores[other], bonus + shared * mean)
        scores.pop(persona.slug, None)
        if not scores:
            return []
        threshold = heapq.nlargest(limit, scores.values())[-1] - 1e-9  # only the best few are sorted in full
        ranked = sorted((slug for slug, score in scores.items() if score >= threshold),
                        key=lambda slug: (-round(scores[slug], 9), self.by_slug[slug].category != persona.category,
                                          self.by_slug[slug].name.casefold()))
        return [self.by_slug[slug] for slug in ranked[:limit]]

    @cached_property
    def _terms(self) -> dict[str, frozenset[str]]:
        """Per persona: its tags (as `#tag`) and the distinct words of its name, description and prompt's start."""
        return {p.slug: frozenset({f"#{tag}" for tag in p.tags} | _words(f"{p.name} {p.description} {p.body[:600]}"))
                for p in self.personas}

    @cached_property
    def _postings(self) -> dict[str, tuple[str, ...]]:
        postings: dict[str, list[str]] = {}
        for slug, terms in self._terms.items():
            for term in terms:
                postings.setdefault(term, []).append(slug)
        return {term: tuple(slugs) for term, slugs in postings.items()}

    @cached_property
    def _rarest(self) -> dict[str, list[str]]:
        """Per persona, its 48 rarest terms that at most `CATEGORY_PEERS` personas of its category share, however
        common in the catalog: compared within its category. The bound keeps a persona's cost flat as the
        catalog grows (pairing every term of a category of 1,667 cost 1.6 ms a persona at 20,000, 32 s a
        build); it leaves categories of up to that many personas as they were."""
        category_of, postings = {p.slug: p.category for p in self.personas}, self._category_postings
        return {slug: sorted((t for t in terms if len(postings[category_of[slug], t]) <= CATEGORY_PEERS),
                             key=lambda t: (-self._weight[t], t))[:48]
                for slug, terms in self._terms.items()}

    @cached_property
    def _category_postings(self) -> dict[tuple[str, str], tuple[str, ...]]:
        postings: dict[tuple[str, str], list[str]] = {}
        for persona in self.personas:
            for term in self._terms[persona.slug]:
                postings.setdefault((persona.category, term), []).append(persona.slug)
        return {key: tuple(slugs) for key, slugs in postings.items()}

    @cached_property
    def _telling(self) -> dict[str, list[str]]:
        """Per persona, its 16 rarest terms, leaving out those on more than a tenth of the catalog (at least 8,
        at most 50 personas): too common to relate anything, and too costly to pair at 5,000 personas."""
        common = max(8, min(len(self.personas) // 10, 50))
        return {slug: sorted((t for t in terms if len(self._postings[t]) <= common),
                             key=lambda t: (-self._weight[t], t))[:16]
                for slug, terms in self._terms.items()}

    @cached_property
    def _weight(self) -> dict[str, float]:
        """Inverse document frequency; a shared tag counts three times a shared word."""
        total = len(self.personas) + 1
        return {term: math.log(total / len(slugs)) * (3 if term.startswith("#") else 1)
                for term, slugs in self._postings.items()}


_STOPWORDS = frozenset(
    "about after also and any are ask asks before being but can each every for from have help helps into its "
    "just keep like make more most must never not one only other over should some such than that the their them "
    "then there these they this those through turn use user users very want what when where which while who whom "
    "will with without would you your yours".split())


def _words(text: str) -> frozenset[str]:
    """Distinct words of four letters or more, cut to five letters so `reviews` and `reviewer` meet."""
    return frozenset(w[:5] for w in re.findall(r"[^\W\d_]{4,}", text.casefold()) if w not in _STOPWORDS)
