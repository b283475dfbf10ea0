"""What every reader of another tool's format shares: the file's place in its collection (`Place`), the format's
mapping (`ToolFormat`), and `read_markdown`, which reads a Markdown file with front matter through the YAML boundary
and maps it onto a `Persona`.

The mapping (docs/collections.md): a slug-like `name` becomes a readable title and stays the slug; a description
that says when to use the agent ("Use this agent when...") becomes `use_when`, and the persona's description
comes from the prompt; long descriptions are shortened for cards, kept whole in `origin.fields` for the exports;
the category is the source's fixed one, else the file's own `category`, else its folder (`03-infrastructure` ->
`infrastructure`), else the format's default; tags are the file's own, else its folder and a few keywords.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from persona_catalog.catalog.body import check_body
from persona_catalog.catalog.describe import describe
from persona_catalog.catalog.fields import validate
from persona_catalog.catalog.model import (
    RESERVED,
    SLUG_PATTERN,
    Attachment,
    Origin,
    Persona,
    derive_slug,
    slugify,
)
from persona_catalog.catalog.problems import Problem, show
from persona_catalog.catalog.readers.repairs import Repair, quote_plain_values, replacement_characters
from persona_catalog.catalog.yaml_boundary import FrontMatter, read_front_matter, split

_SLUG = re.compile(SLUG_PATTERN)
_BLANK_START = re.compile(r"\A(?:[ \t]*\n)+")
_WHEN = re.compile(r"\b(?:use|invoke|call|run|apply|trigger)\w*\s+(?:this|it|me|when|for|whenever|proactively)\b",
                   re.IGNORECASE)
_EXAMPLES = re.compile(r"<example>.*?(?:</example>|$)", re.IGNORECASE | re.DOTALL)
# Folders that say what a file is, not what it is about: the category comes from the folder above them.
GENERIC_FOLDERS = frozenset({"agents", "skills", "commands", "categories", "chatmodes", "rules", "prompts", "src",
                             ".claude", ".github", ".cursor", ".codex", ".opencode", ".kiro", "plugins", "subagents"})
_ACRONYMS = frozenset({"ai", "api", "aws", "ci", "cd", "cli", "css", "db", "devops", "gdpr", "ccpa", "gif", "gcp",
                       "hipaa", "html", "ios", "iot", "json", "llm", "mcp", "ml", "nlp", "pdf", "php", "qa", "seo",
                       "sql", "sre", "ui", "ux", "xml", "ab"})
_STOPWORDS = frozenset(
    ["about", "after", "agent", "agents", "also", "and", "any", "are", "assistant", "based", "before", "being", "building", "build", "can", "code", "complex", "create", "creating", "each", "every", "expert", "files", "for", "from", "have", "help", "helps", "into", "its", "just", "keep", "like", "make", "more", "most", "must", "need", "needs", "never", "not", "one", "only", "other", "over", "professional", "proactively", "requests", "senior", "should", "skill", "skills", "some", "specialist", "such", "task", "tasks", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "through", "tool", "tools", "turn", "use", "used", "user", "users", "using", "very", "want", "what", "when", "where", "which", "while", "who", "whom", "will", "with", "without", "work", "would", "you", "your"])
MAX_TAGS = 6
DESCRIPTION_LIMIT = 300  # characters of a long tool description shown on cards and in <meta>
USE_WHEN_LIMIT = 1000


@dataclass(frozen=True)
class Place:
    """Where a file sits: as shown to the user, relative to its source's folder, and as `Persona.source`."""

    shown: str
    rel: str  # inside the source, with forward slashes
    source: str  # `Persona.source`: relative to the personas folder
    category: str | None = None  # the source's fixed category
    files: tuple[Attachment, ...] = ()  # a skill folder's other files
    root_name: str = ""  # the name of the source's folder: the category of the files right in it

    @property
    def folders(self) -> list[str]:
        return self.rel.split("/")[:-1]


@dataclass(frozen=True)
class ToolFormat:
    """One tool's agent file: its id and label, the `models` slug it is written for, where the category comes
    from when the folders say nothing, and which keys hold the name and the description."""

    id: str
    label: str
    models: tuple[str, ...]
    default_category: str
    name_key: str | None = "name"
    description_key: str = "description"
    front_matter_required: bool = False  # without it, a file is not read (a skill's SKILL.md must have it)
    strip_suffixes: tuple[str, ...] = (".md",)  # taken off the file name for a name


@dataclass
class Reading:
    """What a reader made of one file: the persona (or None), the problems, and what was repaired on reading."""

    persona: Persona | None
    problems: list[Problem] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)


def read_front(text: str, place: Place, required: bool) -> tuple[FrontMatter | None, list[Problem], list[Repair]]:
    """The front matter, repaired when it can be: plain values holding ': ' quoted; no front matter read as
    none (unless `required`). Returns (front matter or None, problems, repairs)."""
    parts = split(text, place.shown)
    if isinstance(parts, Problem):
        if required or parts.message != "the file has no front matter":
            return None, [parts], []
        return FrontMatter(body=text, body_line=1), [], [(1, "no front matter: the name comes from the file name")]
    front = read_front_matter(text, place.shown)
    if not isinstance(front, list):
        return front, [], []
    fm_text, body, _ = parts
    quoted, changes = quote_plain_values(fm_text.rstrip("\n"))
    if changes:
        repaired = read_front_matter(f"---\n{quoted}\n---\n{body}", place.shown)
        if not isinstance(repaired, list):
            return repaired, [], changes
    return None, front, []


def read_markdown(text: str, data: bytes, place: Place, fmt: ToolFormat,
                  front: FrontMatter, repairs: list[Repair]) -> Reading:
    """Map one file's front matter and body onto a persona (see the module's docstring)."""
    problems: list[Problem] = []
    fields = dict(front.fields)
    blank = _BLANK_START.match(front.body)
    body = front.body[blank.end() if blank else 0:].rstrip()
    body_line = front.body_line + (blank.group().count("\n") if blank else 0)
    for line in replacement_characters(body):
        problems.append(Problem(place.shown, "the prompt holds U+FFFD, a character lost by an earlier wrong "
                                "decoding; it is kept as it is", level="note", field="encoding",
                                line=body_line + line - 1, hint="write the lost character in its place upstream"))
    tool_name = fields.get(fmt.name_key) if fmt.name_key else None
    if not isinstance(tool_name, str) or not tool_name.strip():
        tool_name = file_name(place, fmt)
    values, lines = mapped_fields(fields, front.lines, tool_name, body, place, fmt)
    checked, field_problems = validate(values, lines, place.shown)
    problems.extend(field_problems)
    problems.extend(check_body(body, place.shown, body_line))
    problems.extend(Problem(place.shown, f"read with a repair: {change}", level="note", field="front matter",
                            line=line, hint="fix it upstream, or run 'persona-catalog import' to own a repaired copy")
                    for line, change in repairs)
    if any(p.is_error for p in problems):
        return Reading(None, problems, repairs)
    persona = Persona(
        slug=str(checked.get("slug") or derive_slug(str(checked["name"]))), name=str(checked["name"]),
        description=str(checked.get("description") or describe(body)), category=str(checked["category"]),
        body=body, source=place.source, raw=data, models=tuple(checked.get("models", ())),  # type: ignore[arg-type]
        context_window=checked.get("context_window"), version=checked.get("version"),  # type: ignore[arg-type]
        author=checked.get("author"), tags=tuple(checked.get("tags", ())),  # type: ignore[arg-type]
        use_when=checked.get("use_when"),  # type: ignore[arg-type]
        origin=Origin(fmt.id, tool_name.strip(), fields), files=place.files)
    return Reading(persona, problems, repairs)


def mapped_fields(fields: dict[str, object], lines: dict[str, int], tool_name: str, body: str, place: Place,
                  fmt: ToolFormat) -> tuple[dict[str, object], dict[str, int]]:
    """The catalog's fields for a tool's file, with the line each came from (for problems)."""
    name_line = lines.get(fmt.name_key or "", 1)
    desc_line = lines.get(fmt.description_key, name_line)
    values: dict[str, object] = {"name": readable_name(tool_name)}
    mapped = {"name": name_line}
    if _SLUG.match(tool_name) and tool_name not in RESERVED:
        values["slug"] = tool_name
    description = fields.get(fmt.description_key)
    if isinstance(description, str) and description.strip():
        short, when = split_description(description)
        if when:
            values["use_when"] = when
        if short:
            values["description"] = short
    elif description is not None:
        values["description"] = description  # not text: validation says so, on its line
    mapped.update({"description": desc_line, "use_when": desc_line})
    for key in ("author", "version", "context_window", "models"):  # catalog fields a tool's file may carry too
        if key in fields:
            values[key], mapped[key] = fields[key], lines.get(key, 1)
    values.setdefault("models", list(fmt.models))
    own = fields.get("category")
    values["category"] = place.category or (own if isinstance(own, str) and _SLUG.match(own) else None) \
        or folder_category(place) or fmt.default_category
    mapped["category"] = lines.get("category", name_line)
    tags = fields.get("tags")
    if isinstance(tags, list) and tags and all(isinstance(t, str) and _SLUG.match(t) for t in tags):
        values["tags"], mapped["tags"] = tags, lines.get("tags", 1)
    else:
        values["tags"] = keyword_tags(place, tool_name, str(description or describe(body)))
    return values, mapped


def file_name(place: Place, fmt: ToolFormat) -> str:
    """The agent's name from its file (or, for a skill, its folder) name."""
    name = place.rel.rsplit("/", 1)[-1]
    for suffix in fmt.strip_suffixes:
        if name.lower().endswith(suffix):
            return name[: -len(suffix)]
    return name.rsplit(".", 1)[0]


def readable_name(name: str) -> str:
    """`backend-developer` -> `Backend Developer`, `api-designer` -> `API Designer`; other names as written."""
    name = name.strip()
    if not _SLUG.match(name):
        return name
    return " ".join(word.upper() if word in _ACRONYMS else word.capitalize() for word in name.split("-"))


def split_description(text: str) -> tuple[str, str]:
    """A tool's description as (description, use_when), each one line: a text that says when to use the agent
    is the `use_when` (and the description is derived from the prompt); otherwise the description, shortened."""
    if "\n" in text or "\\n" in text or "<example" in text.lower():  # a long one: one line without examples
        flat = " ".join(_EXAMPLES.sub(" ", text.replace("\\n", "\n")).split())
    else:  # one line already: kept as written, so it comes back from the exports unchanged
        flat = text.strip()
    if not flat:
        return "", ""
    when = _WHEN.search(flat)
    if when and when.start() == 0:
        return "", shorten(flat, USE_WHEN_LIMIT)
    if when:
        return shorten(flat[: when.start()].strip(), DESCRIPTION_LIMIT), shorten(flat[when.start():], USE_WHEN_LIMIT)
    return shorten(flat, DESCRIPTION_LIMIT), ""


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut after a sentence where one ends past half of it, else at a word."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    end = max(cut.rfind(". "), cut.rfind("! "), cut.rfind("? "))
    if end >= limit // 2:
        return cut[: end + 1]
    return cut[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def folder_category(place: Place) -> str | None:
    """The category a file's folder gives: the nearest folder that is not a generic one (`agents/`, `skills/`),
    up to the source's own folder, its number prefix dropped (`03-infrastructure` -> `infrastructure`)."""
    folders = place.folders[:-1] if place.rel.rsplit("/", 1)[-1] == "SKILL.md" else place.folders
    for folder in [*reversed(folders), place.root_name]:
        if folder.lower() in GENERIC_FOLDERS:
            continue
        slug = slugify(re.sub(r"^\d+[-_. ]*", "", folder), 40)
        if slug:
            return f"{slug}-category" if slug in RESERVED else slug
    return None


def keyword_tags(place: Place, name: str, description: str) -> list[str]:
    """The folder's category and a few telling words of the name and description, as slugs (at most six)."""
    tags: list[str] = []
    folder = folder_category(place)
    if folder:
        tags.append(folder)
    for word in re.findall(r"[a-z][a-z0-9+#]{2,}", f"{name.replace('-', ' ')} {description}".lower()):
        slug = slugify(word, 40)
        if len(tags) >= MAX_TAGS:
            break
        if slug and slug not in _STOPWORDS and slug not in tags and slug not in RESERVED and len(slug) > 2:
            tags.append(slug)
    return tags


def not_an_agent(place: Place, why: str) -> Reading:
    """A file of a collection that is no agent (a README beside the agents): a note, not an entry."""
    return Reading(None, [Problem(place.shown, f"not read: {why}", level="note", field="file",
                                  hint="nothing to do; it is not an agent")])


def tool_text(value: object) -> str:
    """A tool field's value as one line of text for the page."""
    if isinstance(value, list):
        return ", ".join(tool_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}: {tool_text(v)}" for k, v in value.items())
    if isinstance(value, bool):
        return str(value).lower()
    return "" if value is None else show(value, 200) if not isinstance(value, str) else value
