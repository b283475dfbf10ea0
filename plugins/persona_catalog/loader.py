"""Find persona files, decode them, parse their front matter safely and build personas and problems.

The only module that reads persona files. Nothing here raises for bad input: every problem is returned.
"""

from __future__ import annotations

import difflib
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import frontmatter
import yaml
from ftfy.badness import is_bad

from .model import FIELDS, FIELDS_BY_NAME, Catalog, Category, FieldSpec, Persona, slugify
from .problems import Problem, show

DEFAULT_MAX_BYTES = 256 * 1024
_HANDLER = frontmatter.YAMLHandler()
_BLANK_START = re.compile(r"\A(?:[ \t]*\n)+")


@dataclass
class LoadResult:
    """The catalog of valid personas and every problem found on the way."""

    catalog: Catalog
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def find_persona_files(root: Path) -> list[Path]:
    """Markdown files under `root`, skipping any path segment that starts with `_` or `.`."""
    found = []
    for path in root.rglob("*.md"):
        parts = path.relative_to(root).parts
        readable_or_broken = path.is_file() or path.is_symlink()  # a broken link is reported, not dropped
        if readable_or_broken and not any(part.startswith(("_", ".")) for part in parts):
            found.append(path)
    return sorted(found)


def load_catalog(
    root: Path,
    categories: Mapping[str, Category] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> LoadResult:
    """Load every persona under `root`; invalid files are reported and left out of the catalog."""
    return load_files([(path, path.relative_to(root).as_posix()) for path in find_persona_files(root)],
                      categories, max_bytes)


def load_files(
    paths: Iterable[tuple[Path, str]],
    categories: Mapping[str, Category] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> LoadResult:
    """Load the given files (path, source name); problems name each file as it is shown to the user."""
    problems: list[Problem] = []
    loaded: list[tuple[Persona, str]] = []
    skipped: list[str] = []
    for path, source in paths:
        shown = display_path(path)
        try:
            data = path.read_bytes()
        except OSError as exc:
            problems.append(Problem(shown, f"the file cannot be read: {exc.strerror}", hint="check the path and its permissions"))
            skipped.append(shown)
            continue
        persona, found = parse_persona(data, shown, max_bytes)
        problems.extend(found)
        if persona is None:
            skipped.append(shown)
        else:
            loaded.append((replace(persona, source=source), shown))
    if categories:
        problems.extend(_category_typos(loaded, categories))
    personas, duplicates = _drop_duplicates(loaded)
    for problem in duplicates:
        problems.append(problem)
        skipped.append(problem.path)
    return LoadResult(Catalog(tuple(personas), dict(categories or {})), problems, sorted(set(skipped)))


def display_path(path: Path) -> str:
    """The path relative to the working folder when it lies inside it, else absolute."""
    absolute = os.path.abspath(path)  # not resolve(): a link is named as itself, not as its target
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith("..") else relative


def parse_persona(data: bytes, rel: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Persona | None, list[Problem]]:
    """Turn one file's bytes into a persona (or None) and the problems found in it."""
    text, problems = decode(data, rel, max_bytes)
    if text is None:
        return None, problems
    problems.extend(find_mojibake(text, rel))
    if not _HANDLER.detect(text):
        problems.append(Problem(rel, "the file has no front matter", field="front matter", line=1,
                                expected="a YAML block between '---' lines at the top", found=show(text[:40]),
                                hint="start the file with '---', the fields, then '---'"))
        return None, problems
    try:
        fm_text, content = _HANDLER.split(text)
    except ValueError:  # an opening '---' with no closing one
        problems.append(Problem(rel, "the front matter is not closed", field="front matter", line=1,
                                expected="a second '---' line after the fields", found="only the opening '---'",
                                hint="add a line '---' after the last field"))
        return None, problems
    meta, lines, yaml_problem = parse_yaml(fm_text, rel)
    if yaml_problem:
        return None, [*problems, yaml_problem]
    body = _BLANK_START.sub("", content).rstrip()
    fields, field_problems = validate_fields(meta, lines, rel, body)
    problems.extend(field_problems)
    if any(p.is_error for p in problems):
        return None, problems
    return Persona(body=body, source=rel, raw=data, **fields), problems


def decode(data: bytes, rel: str, max_bytes: int) -> tuple[str | None, list[Problem]]:
    """Bytes to text with `\\n` line endings, or a problem saying why the bytes are unusable."""
    if len(data) > max_bytes:
        return None, [Problem(rel, "the file is too large", expected=f"at most {max_bytes} bytes",
                              found=f"{len(data)} bytes", hint="shorten the prompt or raise max_file_size")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return None, [Problem(rel, "the file is not valid UTF-8", line=line, expected="UTF-8 text",
                              found=f"byte 0x{data[exc.start]:02x} at offset {exc.start}",
                              hint="re-save the file as UTF-8")]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem(rel, "the file contains a NUL byte", line=line, expected="text",
                              found="NUL (0x00)", hint="remove the NUL byte; the file may be binary")]
    return text.replace("\r\n", "\n").replace("\r", "\n"), []


def find_mojibake(text: str, rel: str) -> list[Problem]:
    """A warning for each line that looks like UTF-8 decoded with the wrong encoding."""
    return [
        Problem(rel, "the text looks garbled (mojibake)", level="warning", field="encoding", line=number,
                found=show(line.strip()), hint="re-save the file as UTF-8 or run 'persona-catalog lint --fix'")
        for number, line in enumerate(text.split("\n"), start=1)
        if is_bad(line)
    ]


class _AliasError(yaml.MarkedYAMLError):
    """A YAML alias (`*name`) in front matter."""


class _FrontMatterLoader(yaml.SafeLoader):
    """Safe YAML without anchors and aliases, so no input can expand into an exponential structure."""

    def compose_node(self, parent, index):  # type: ignore[no-untyped-def]
        if self.check_event(yaml.AliasEvent):
            raise _AliasError(problem="alias", problem_mark=self.peek_event().start_mark)
        return super().compose_node(parent, index)


def parse_yaml(fm_text: str, rel: str) -> tuple[dict, dict[str, int], Problem | None]:
    """Front matter text (from just after the opening `---`) to a mapping and the file line of each key."""
    loader = _FrontMatterLoader(fm_text)
    try:
        node = loader.get_single_node()
        meta = loader.construct_document(node) if node is not None else None
    except RecursionError:
        return {}, {}, Problem(rel, "the front matter is nested too deeply", field="front matter",
                               expected="flat fields and lists", hint="remove the nested brackets")
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark else None
        reason = getattr(exc, "problem", None) or str(exc)
        if isinstance(exc, _AliasError):
            return {}, {}, Problem(rel, "the front matter uses a YAML alias (*name), which is not allowed",
                                   field="front matter", line=line, expected="values written out in full",
                                   hint="replace the alias with the value it refers to")
        if isinstance(exc, yaml.constructor.ConstructorError):
            return {}, {}, Problem(rel, "the front matter uses a YAML tag, which is not allowed (it is never run)",
                                   field="front matter", line=line, found=reason.rsplit(" ", 1)[-1],
                                   expected="plain values: text, numbers, lists",
                                   hint="remove the '!' tag or quote the value")
        return {}, {}, Problem(rel, f"the front matter is not valid YAML: {reason}", field="front matter",
                               line=line, hint="quote values that contain ': ' or start with a special character")
    finally:
        loader.dispose()
    if not isinstance(meta, dict) or not meta:
        return {}, {}, Problem(rel, "the front matter is not a mapping of fields", field="front matter", line=2,
                               expected="'field: value' lines", found=show(meta))
    lines: dict[str, int] = {}
    for key, _ in node.value:
        if str(key.value) in lines:
            return {}, {}, Problem(rel, "a field is written twice", field=str(key.value), line=key.start_mark.line + 1,
                                   expected="each field once", found=f"also on line {lines[str(key.value)]}",
                                   hint="keep one of the two lines")
        lines[str(key.value)] = key.start_mark.line + 1
    return meta, lines, None


def validate_fields(meta: dict, lines: dict[str, int], rel: str, body: str) -> tuple[dict, list[Problem]]:
    """Check every field against its `FieldSpec`; return persona keyword arguments and problems."""
    problems: list[Problem] = []
    values: dict[str, object] = {}
    for key in meta:
        if str(key) not in FIELDS_BY_NAME:
            problems.append(_unknown_field(str(key), lines.get(str(key)), rel))
    for spec in FIELDS:
        raw = meta.get(spec.name)
        if raw is None or raw == "" or raw == []:
            if spec.required:
                problems.append(Problem(rel, "a required field is missing or empty", field=spec.name, line=2,
                                        expected=_expected(spec), hint=f"add '{spec.name}: {_example(spec)}'"))
            continue
        value, problem = _check(spec, raw, rel, lines.get(spec.name))
        if problem:
            problems.append(problem)
        else:
            values[spec.name] = value
    if not body.strip():
        problems.append(Problem(rel, "the prompt is empty", field="body", expected="the prompt text after the front matter"))
    if any(p.is_error for p in problems):
        return {}, problems
    name = str(values["name"])
    slug = values.get("slug") or slugify(name)
    if not slug:
        problems.append(Problem(rel, "no slug can be derived from the name", field="slug", line=lines.get("name"),
                                found=show(name), hint="add a 'slug:' field of letters, digits and hyphens"))
        return {}, problems
    fields = {
        "slug": slug,
        "name": name,
        "description": values.get("description") or describe(body),
        "category": values["category"],
        "models": tuple(values.get("models", ())),
        "context_window": values.get("context_window"),
        "version": values.get("version"),
        "author": values.get("author"),
        "tags": tuple(values.get("tags", ())),
    }
    return fields, problems


def _check(spec: FieldSpec, raw: object, rel: str, line: int | None) -> tuple[object, Problem | None]:
    def problem(message: str, found: str, hint: str | None = None) -> tuple[None, Problem]:
        return None, Problem(rel, message, field=spec.name, line=line, expected=_expected(spec), found=found, hint=hint)

    if spec.type == "array":
        if not isinstance(raw, list):
            hint = f"write a list: {spec.name}: [{', '.join(_slug_items(raw))}]" if isinstance(raw, str) else None
            return problem("must be a list", show(raw), hint)
        for item in raw:
            if not isinstance(item, str):
                return problem("every item must be text", show(item))
            if spec.pattern and not re.match(spec.pattern, item):
                return problem("an item is not a slug", show(item), f"use '{slugify(item)}'" if slugify(item) else None)
        return tuple(dict.fromkeys(raw)), None
    if not isinstance(raw, str):
        hint = f"quote it: {spec.name}: \"{raw}\"" if isinstance(raw, (int, float)) and not isinstance(raw, bool) else None
        return problem("must be text", show(raw), hint)
    value = raw.strip()
    if spec.name in ("name", "description") and "\n" in value:
        return problem("must be a single line", show(value))
    if spec.enum and value not in spec.enum:
        close = difflib.get_close_matches(value.lower(), spec.enum, n=1)
        return problem("is not one of the allowed values", show(value), f"use '{close[0]}'" if close else None)
    if spec.name == "slug" and ("/" in value or "\\" in value or value.startswith(".")):
        return problem("would write outside the site's personas folder", show(value),
                       f"use '{slugify(value)}'" if slugify(value) else "use letters, digits and hyphens only")
    if spec.pattern and not re.match(spec.pattern, value):
        hint = f"use '{slugify(value)}'" if spec.pattern.startswith("^[a-z0-9]") and slugify(value) else None
        return problem("does not match the required form", show(value), hint)
    return value, None


def _expected(spec: FieldSpec) -> str:
    if spec.enum:
        return "one of " + ", ".join(spec.enum)
    kind = {"name": "a one-line title", "version": "a semantic version like 1.0.0", "description": "one line of text"}
    if spec.name in kind:
        return kind[spec.name]
    if spec.type == "array":
        return "a list of slugs (lowercase letters, digits, hyphens)"
    return "a slug (lowercase letters, digits, hyphens)" if spec.pattern else "text"


def _example(spec: FieldSpec) -> str:
    return str(spec.example).replace("'", '"')


def _slug_items(raw: str) -> list[str]:
    return [s for s in (slugify(part) for part in raw.split(",")) if s]


def _unknown_field(key: str, line: int | None, rel: str) -> Problem:
    close = difflib.get_close_matches(key, list(FIELDS_BY_NAME), n=1, cutoff=0.6)
    return Problem(rel, "unknown field (ignored)", level="warning", field=key, line=line,
                   expected="one of " + ", ".join(FIELDS_BY_NAME),
                   hint=f"did you mean '{close[0]}'?" if close else "remove it")


def describe(body: str, limit: int = 200) -> str:
    """The first sentence of the body's first paragraph of prose, without Markdown decoration."""
    for block in re.split(r"\n\s*\n", body):
        block = block.strip()
        if not block or block.startswith(("#", "```", "~~~", "<", "|", "-", "*", ">")):
            continue
        text = re.sub(r"[*_`]+|\[([^\]]*)\]\([^)]*\)", lambda m: m.group(1) or "", " ".join(block.split()))
        sentence = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0]
        return sentence if len(sentence) <= limit else sentence[: limit - 1].rstrip() + "…"
    return ""


def _category_typos(loaded: list[tuple[Persona, str]], categories: Mapping[str, Category]) -> list[Problem]:
    """A warning for a category that is not configured but is one letter or two away from one that is."""
    problems = []
    for persona, shown in loaded:
        close = difflib.get_close_matches(persona.category, list(categories), n=1, cutoff=0.8)
        if persona.category not in categories and close:
            problems.append(Problem(shown, "the category is not configured, but a similar one is", level="warning",
                                    field="category", found=show(persona.category),
                                    expected="one of " + ", ".join(categories), hint=f"use '{close[0]}'"))
    return problems


def _identity(text: str) -> str:
    """Case- and accent-insensitive key for duplicate detection."""
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().casefold().strip()


def _drop_duplicates(loaded: list[tuple[Persona, str]]) -> tuple[list[Persona], list[Problem]]:
    """Personas whose slug or name repeats another's: every one of them is an error, none is built."""
    problems = []
    for key, label in ((lambda p: p.slug, "slug"), (lambda p: _identity(p.name), "name")):
        groups: dict[str, list[tuple[Persona, str]]] = {}
        for persona, shown in loaded:
            groups.setdefault(key(persona), []).append((persona, shown))
        for group in groups.values():
            for persona, shown in group if len(group) > 1 else ():
                others = ", ".join(other for _, other in group if other != shown)
                problems.append(Problem(shown, f"another persona has the same {label}", field=label,
                                        found=show(getattr(persona, label)), expected="a unique value",
                                        hint=f"rename this persona or the one in {others}"))
    clashing = {p.path for p in problems}
    return [persona for persona, shown in loaded if shown not in clashing], problems
