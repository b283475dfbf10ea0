"""From persona files to a `Catalog` and problems: read (by the file policy), decode, split and read the
front matter (at the YAML boundary), validate the fields, then drop duplicates. The only module that turns
persona files into personas; nothing here raises for bad input: every problem is returned.
"""

from __future__ import annotations

import difflib
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ftfy.badness import is_bad

from persona_catalog.catalog.body import check_body
from persona_catalog.catalog.describe import describe
from persona_catalog.catalog.fields import MISSING, validate
from persona_catalog.catalog.files import PersonaFile, attachments, display_path, read_bounded, scan, too_large
from persona_catalog.catalog.lookalikes import skeleton
from persona_catalog.catalog.model import (
    FIELDS,
    PERSONA_ATTRIBUTES,
    Catalog,
    Category,
    Persona,
    derive_slug,
    identity,
    slugify,
)
from persona_catalog.catalog.placeholders import placeholder_problems
from persona_catalog.catalog.problems import Problem, show
from persona_catalog.catalog.progress import Progress
from persona_catalog.catalog.readers.detect import looks_like
from persona_catalog.catalog.readers.origin import KEY as ORIGIN
from persona_catalog.catalog.readers.origin import read_origin
from persona_catalog.catalog.yaml_boundary import read_front_matter

DEFAULT_MAX_BYTES = 256 * 1024
_BLANK_START = re.compile(r"\A(?:[ \t]*\n)+")

__all__ = ["DEFAULT_MAX_BYTES", "LoadResult", "ParseCache", "describe", "display_path", "find_persona_files",
           "load_catalog", "load_files", "load_paths", "parse_persona"]

# (file as shown, a digest of its bytes) -> what `parse_persona` made of them, but the bytes (`raw`: a hit has read
# them again): a reload parses only the files that changed (kept by a preview between its builds, and by the build
# cache between builds).
ParseCache = dict[tuple[str, bytes], tuple[Persona | None, list[Problem]]]
# A reader: (bytes, file as shown, max bytes) -> the persona or None, and the problems.
Read = Callable[[bytes, str, int], tuple[Persona | None, list[Problem]]]
Item = PersonaFile | tuple[PersonaFile, Read]  # a file of the catalog's own format, or a file and its reader


@dataclass
class LoadResult:
    """The catalog of valid personas and every problem found on the way."""

    catalog: Catalog
    problems: list[Problem] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    shown: dict[str, str] = field(default_factory=dict)  # slug -> the persona's file as shown to the user
    files: int = 0  # persona files looked at, the unusable ones included

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]


def find_persona_files(root: Path) -> list[Path]:
    """The usable persona files under `root` (see `files` for the policy)."""
    return [found.path for found in scan(root).files]


Check = Callable[[Persona, str], list[Problem]]  # more checks of each loaded persona (e.g. tools' limits)


def load_catalog(
    root: Path,
    categories: Mapping[str, Category] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
    cache: ParseCache | None = None,
    checks: Check | None = None,
) -> LoadResult:
    """Load every persona under `root`; invalid files are reported and left out of the catalog.

    `progress` counts the files as they are read; `cache`, kept between loads, skips parsing unchanged files."""
    return load_paths([root], categories, max_bytes, progress, cache, checks)


def load_paths(
    paths: Iterable[Path],
    categories: Mapping[str, Category] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
    cache: ParseCache | None = None,
    checks: Check | None = None,
) -> LoadResult:
    """Load the persona files in the given folders and files, each found by the file policy."""
    scans = [scan(path) for path in paths]
    return load_found([f for found in scans for f in found.files], [p for found in scans for p in found.problems],
                      categories, max_bytes, progress, cache, checks)


def load_found(
    items: Sequence[Item],
    refused: list[Problem],
    categories: Mapping[str, Category] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
    cache: ParseCache | None = None,
    checks: Check | None = None,
) -> LoadResult:
    """Load the files a scan found (`load_files`), its problems with the files it `refused` first; a file refused
    by an error counts as skipped."""
    if progress is not None:
        progress.total = len(items)
    result = load_files(items, categories, max_bytes, progress, cache, checks)
    result.problems[:0] = refused
    result.skipped = sorted({*result.skipped, *(p.path for p in refused if p.is_error)})
    result.files += len({p.path for p in refused if p.is_error})
    return result


def load_files(
    paths: Iterable[Item],
    categories: Mapping[str, Category] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
    cache: ParseCache | None = None,
    checks: Check | None = None,
) -> LoadResult:
    """Load the given files (see `files.scan`), each with its reader when it is not one of the catalog's own
    format's; problems name each file as it is shown to the user."""
    problems: list[Problem] = []
    loaded: list[tuple[Persona, str]] = []
    skipped: list[str] = []
    paths = list(paths)
    parsed: ParseCache = {}
    for item in paths:
        found_file, read = item if isinstance(item, tuple) else (item, parse_persona)
        cached = cache if read is parse_persona else None  # another format's reading depends on more than the
        # file's bytes (a skill's other files, the source's options): read again
        path, source = found_file.path, found_file.source
        if progress is not None:
            progress.step()
        shown = display_path(path)
        data = read_bounded(path, max_bytes, found_file.root or None)
        if isinstance(data, Problem):
            problems.append(data)
            skipped.append(shown)
            continue
        key = (shown, hashlib.sha256(data).digest())
        hit = cached.get(key) if cached is not None else None
        persona, found = hit or read(data, shown, max_bytes)
        if read is parse_persona:  # kept without the file's bytes, which a hit has read again
            parsed[key] = hit or (persona and replace(persona, raw=b""), found)
        found = _folder_category(found, source, categories)
        problems.extend(found)
        if persona is None:
            if any(p.is_error for p in found):  # not one a note explains (a README beside the agents)
                skipped.append(shown)
        else:
            if persona.origin is not None and persona.origin.folder and read is parse_persona:
                files, refused = attachments(path.parent / persona.origin.folder)  # an imported skill's files
                problems.extend(refused)
                persona = replace(persona, files=files)
            loaded.append((replace(persona, source=source, raw=data) if hit else replace(persona, source=source),
                           shown))
    if categories:
        problems.extend(_unknown_categories(loaded, categories))
    loaded, copies = merge_copies(loaded)
    problems.extend(copies)
    personas, duplicates = _drop_duplicates(loaded)
    for problem in duplicates:
        problems.append(problem)
        skipped.append(problem.path)
    kept = {persona.slug for persona in personas}  # a slug clash drops every copy, so kept slugs are unique
    by_slug = {persona.slug: path for persona, path in loaded if persona.slug in kept}
    for persona in personas:
        problems.extend(checks(persona, by_slug[persona.slug]) if checks is not None else ())
    if cache is not None:  # what this load parsed, and nothing older
        cache.clear()
        cache.update(parsed)
    return LoadResult(Catalog(tuple(personas), dict(categories or {})), problems, sorted(set(skipped)), by_slug,
                      len(paths))


def parse_persona(data: bytes, rel: str, max_bytes: int = DEFAULT_MAX_BYTES) -> tuple[Persona | None, list[Problem]]:
    """Turn one file's bytes into a persona (or None) and the problems found in it."""
    text, problems = decode(data, rel, max_bytes)
    if text is None:
        return None, problems
    problems.extend(find_mojibake(text, rel))
    front = read_front_matter(text, rel)
    if isinstance(front, list):
        keys: dict[str, object] = dict.fromkeys(_KEY_LINE.findall(text.split("\n---", 1)[0]), "")
        kind = looks_like(keys, rel) if "category" not in keys else None  # e.g. an unquoted ': ' in a description
        return None, [*problems, *([_foreign(kind, rel)] if kind else []), *front]
    origin, origin_problems = read_origin(front.fields.pop(ORIGIN, None), front.lines.get(ORIGIN), rel)
    problems.extend(origin_problems)
    values, field_problems = validate(front.fields, front.lines, rel)
    kind = looks_like(front.fields, rel) if "category" not in front.fields else None
    if kind:  # another tool's file: say so, instead of listing each field it lacks
        return None, [*problems, _foreign(kind, rel)]
    problems.extend(field_problems)
    blank = _BLANK_START.match(front.body)
    body = front.body[blank.end() if blank else 0:].rstrip()
    body_line = front.body_line + (blank.group().count("\n") if blank else 0)
    problems.extend(check_body(body, rel, body_line))
    problems.extend(placeholder_problems(front.fields, front.lines, body, rel, body_line))  # `persona-catalog new` drafts
    if any(p.is_error for p in problems):
        return None, problems
    return Persona(body=body, source=rel, raw=data, origin=origin, **_persona_fields(values, body)), problems


def _persona_fields(values: dict[str, Any], body: str) -> dict[str, Any]:
    """The record's fields from the checked values, by `FIELDS`: slug and description derived when absent, a
    field without an attribute of its own kept in `texts`."""
    name = str(values["name"])
    record: dict[str, Any] = {"slug": values.get("slug") or derive_slug(name), "name": name,
                              "description": values.get("description") or describe(body)}
    texts = []
    for spec in FIELDS:
        value = values.get(spec.name)
        if spec.name in record:
            continue
        if spec.name in PERSONA_ATTRIBUTES:
            record[spec.name] = tuple(value or ()) if spec.type == "array" else value
        elif value is not None:
            texts.append((spec.name, value))
    return {**record, "texts": tuple(texts)}


def decode(data: bytes, rel: str, max_bytes: int) -> tuple[str | None, list[Problem]]:
    """Bytes to text with `\\n` line endings, or a problem saying why the bytes are unusable."""
    if len(data) > max_bytes:
        return None, [too_large(rel, max_bytes, len(data))]
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
    """A warning for each line that looks like UTF-8 decoded with the wrong encoding.

    Every pattern of ftfy's badness test needs a character outside ASCII, so ASCII lines are not searched."""
    if text.isascii():
        return []
    return [
        Problem(rel, "the text looks garbled (mojibake)", level="warning", field="encoding", line=number,
                found=show(line.strip()), hint="re-save the file as UTF-8 or run 'persona-catalog lint --fix'")
        for number, line in enumerate(text.split("\n"), start=1)
        if not line.isascii() and is_bad(line)
    ]


def _unknown_categories(loaded: list[tuple[Persona, str]], categories: Mapping[str, Category]) -> list[Problem]:
    """A warning (an error under `--strict`) for a category of the catalog's own files that `mkdocs.yml` does not
    configure (a source's personas bring theirs): it names the configured ones and the likeliest, the folder the
    file is in when that is one, else the nearest."""
    problems = []
    for persona, shown in loaded:
        if persona.origin is not None or persona.category in categories:
            continue
        folder = persona.source.split("/", 1)[0] if "/" in persona.source else ""
        close = difflib.get_close_matches(persona.category, list(categories), n=1, cutoff=0.6)
        if folder in categories:
            hint = f"use 'category: {folder}' (the folder the file is in)"
        elif close:
            hint = f"use 'category: {close[0]}' (the nearest configured one)"
        else:
            hint = "use a configured one"
        problems.append(Problem(shown, "the category is not configured in mkdocs.yml", level="warning",
                                field="category", found=show(persona.category),
                                expected="one of " + ", ".join(categories),
                                hint=f"{hint}, or add '{persona.category}' under 'categories:' in mkdocs.yml"))
    return problems


def _folder_category(problems: list[Problem], source: str, categories: Mapping[str, Category] | None) -> list[Problem]:
    """A missing category's hint names the folder the file is in, when that folder is a category."""
    folder = source.split("/", 1)[0] if "/" in source else ""
    if not folder or slugify(folder) != folder or (categories and folder not in categories):
        return problems
    return [replace(p, hint=f"add 'category: {folder}' (the folder the file is in)")
            if p.field == "category" and p.message == MISSING else p for p in problems]


def _drop_duplicates(loaded: list[tuple[Persona, str]]) -> tuple[list[Persona], list[Problem]]:
    """Personas whose slug or name repeats another's, or whose name looks like another's: every one of them is
    an error, none is built.

    Each copy gets one problem naming the first file of its group and how many share the value, so the
    report stays linear however many files clash.
    """
    problems = []
    keys = ((lambda p: p.slug, "slug", "the same slug"), (lambda p: identity(p.name), "name", "the same name"),
            (lambda p: skeleton(p.name), "name", "a name that looks the same (Unicode confusables)"))
    for key, label, what in keys:
        groups: dict[str, list[tuple[Persona, str]]] = {}
        for persona, shown in loaded:
            groups.setdefault(key(persona), []).append((persona, shown))
        for group in groups.values():
            if len(group) < 2 or (what.startswith("a name") and len({identity(p.name) for p, _ in group}) == 1):
                continue  # a look-alike group of one name is reported as the same name
            for index, (persona, shown) in enumerate(group):
                other = group[1 if index == 0 else 0][1]
                also = f" ({len(group)} files share it)" if len(group) > 2 else ""
                derived = label == "slug" and persona.slug == derive_slug(persona.name)
                hint = (f"add a 'slug:' field to this persona or the one in {other}" if derived
                        else f"rename this persona or the one in {other}")
                problems.append(Problem(shown, f"another persona has {what}", field=label,
                                        found=show(getattr(persona, label)) + also, expected="a unique value",
                                        hint=hint))
    clashing = {p.path for p in problems}
    return [persona for persona, shown in loaded if shown not in clashing], problems


_KEY_LINE = re.compile(r"^([A-Za-z_][\w-]*):", re.MULTILINE)


def _foreign(kind: str, rel: str) -> Problem:
    return Problem(rel, f"this looks like {kind}, not a persona file of this catalog", field="front matter", line=1,
                   expected="a persona file (name, category, ...)",
                   hint="add its folder under 'sources:' in mkdocs.yml (docs/collections.md), "
                        f"or run 'persona-catalog import {_folder(rel)}'")


def _folder(rel: str) -> str:
    folder = rel.rsplit("/", 1)[0] if "/" in rel else "."
    return folder if " " not in folder else f"'{folder}'"


def merge_copies(loaded: list[tuple[Persona, str]]) -> tuple[list[tuple[Persona, str]], list[Problem]]:
    """Agents read from other tools' formats that repeat one another: the same name and prompt (the same agent in
    several plugins) is one entry that lists where else it appears; the same name with another prompt gets a slug
    and name of its own (its category's) and a warning naming both files. The catalog's own files are left to
    `_drop_duplicates`."""
    first: dict[str, tuple[Persona, str]] = {}
    kept: list[tuple[Persona, str]] = []
    problems: list[Problem] = []
    index: dict[str, int] = {}
    for persona, shown in loaded:
        key = identity(persona.name)
        if persona.origin is None or key not in first:
            if persona.origin is not None:
                first[key] = (persona, shown)
                index[key] = len(kept)
            kept.append((persona, shown))
            continue
        original, original_shown = first[key]
        if original.body == persona.body:
            at = index[key]
            merged, merged_shown = kept[at]
            assert merged.origin is not None
            kept[at] = (replace(merged, origin=replace(merged.origin, also=(*merged.origin.also, shown))), merged_shown)
            continue
        renamed = replace(persona, slug=f"{persona.slug}-{persona.category}"[:80].rstrip("-"),
                          name=f"{persona.name} ({persona.category.replace('-', ' ')})")
        problems.append(Problem(shown, "another agent has the same name but a different prompt", level="warning",
                                field="name", found=show(persona.name), expected="a unique name",
                                hint=f"published as '{renamed.slug}'; the other one is {original_shown}"))
        kept.append((renamed, shown))
    return kept, problems
