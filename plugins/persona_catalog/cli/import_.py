"""`persona-catalog import PATH...`: one persona file of this catalog per entry of a collection in another tool's
format, read by the same readers as `sources:`; the prompt kept byte for byte, the tool's own fields kept under
`origin:` (its export writes them back), damage repaired (and reported), the categories it creates added to
`mkdocs.yml`. Never overwrites a file without `--force`; `--dry-run` writes nothing and prints the same report.

Exit status: 0 every entry imported, 1 something skipped, 2 usage error."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from persona_catalog.catalog.characters import escape_invisible
from persona_catalog.catalog.describe import describe
from persona_catalog.catalog.files import ATTACHMENT_MAX_BYTES, display_path, read_bounded, write_atomic
from persona_catalog.catalog.model import SLUG_PATTERN, Persona, derive_slug
from persona_catalog.catalog.readers.base import readable_name
from persona_catalog.catalog.readers.origin import KEY as ORIGIN
from persona_catalog.catalog.readers.origin import origin_value
from persona_catalog.catalog.readers.registry import FORMAT_IDS
from persona_catalog.catalog.sources import Source, load_sources
from persona_catalog.cli.site_config import CatalogSettings
from persona_catalog.exports import export_problems, front_matter

EXIT_CLEAN, EXIT_SKIPPED, EXIT_USAGE = 0, 1, 2
REPAIRED = "read with a repair: "


def add_parser(commands: argparse._SubParsersAction) -> None:
    command = commands.add_parser(
        "import", help="write one persona file per entry of a collection in another tool's format",
        description="Import Claude Code sub-agents, Agent Skills, Copilot, Cursor, Codex, OpenCode or Kiro agents "
                    "as persona files of this catalog (docs/collections.md). Exit status: 0 every entry imported, "
                    "1 something skipped, 2 usage error.")
    command.add_argument("paths", nargs="+", type=Path, help="folders or files of the collection")
    command.add_argument("--into", type=Path, default=None,
                         help="folder to write into (default: personas_dir from mkdocs.yml, else ./personas)")
    command.add_argument("--from", dest="source_format", choices=FORMAT_IDS, default="auto",
                         help="the collection's format (default: auto, recognised per file)")
    command.add_argument("--category", default=None, help="one category id for every entry (default: from each "
                                                          "file, else its folder)")
    command.add_argument("--dry-run", action="store_true", help="write nothing; print the same report")
    command.add_argument("--force", action="store_true", help="overwrite files that exist")
    command.add_argument("--format", choices=("text", "json"), default="text", help="the report's format")
    command.add_argument("--config-file", type=Path, default=None,
                         help="MkDocs configuration: personas_dir, categories, where new categories are added")


@dataclass
class Report:
    """What one run did (or, with `--dry-run`, would do)."""

    imported: list[dict[str, str]] = field(default_factory=list)
    skipped: list[dict[str, str]] = field(default_factory=list)
    repaired: dict[str, list[str]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    config_lines: list[str] = field(default_factory=list)
    config_file: str | None = None

    def to_json(self) -> dict[str, object]:
        return {"imported": self.imported, "skipped": self.skipped, "repaired": self.repaired, "notes": self.notes,
                "categories": self.categories, "config_file": self.config_file, "config_lines": self.config_lines}


def run_import(args: argparse.Namespace, settings: CatalogSettings, config_file: Path | None) -> int:
    for path in args.paths:
        if not os.path.lexists(path):
            return _usage(f"no such file or folder: {escape_invisible(str(path))}")
    if args.category is not None and not re.match(SLUG_PATTERN, args.category):
        return _usage(f"--category must be a slug (lowercase letters, digits, hyphens), not '{args.category}'")
    into = args.into if args.into is not None else settings.personas_dir
    result = load_sources(None, [Source(path, args.source_format, args.category) for path in args.paths],
                          max_bytes=settings.max_file_size, checks=export_problems)
    report = Report()
    for problem in result.problems:
        if problem.message.startswith(REPAIRED):
            report.repaired.setdefault(problem.path, []).append(problem.message.removeprefix(REPAIRED))
        elif problem.is_error:
            report.skipped.append({"path": problem.path, "reason": str(problem)})
        else:
            report.notes.append(str(problem))
    created: list[str] = []
    for persona in result.catalog.personas:
        shown = result.shown[persona.slug]
        target = into / persona.category / f"{persona.slug}.md"
        exists = os.path.lexists(target)
        if exists and not args.force:
            report.skipped.append({"path": shown, "reason": f"{display_path(target)} exists (--force overwrites it)"})
            continue
        folder = f"_{persona.slug}" if persona.files else ""
        if not args.dry_run:
            refused = _write_skill_files(persona, target.parent / folder, settings.project, args.force) \
                if folder else None
            refused = refused or write_atomic(target, persona_file(persona, folder).encode("utf-8"),
                                              settings.project)
            if refused:
                report.skipped.append({"path": shown, "reason": f"{display_path(target)} not written: {refused}"})
                continue
        report.imported.append({"path": shown, "to": display_path(target), "slug": persona.slug,
                                "category": persona.category})
        if persona.category not in settings.categories and persona.category not in created:
            created.append(persona.category)
    report.categories = created = sorted(created)
    if created:
        report.config_file, report.config_lines = _add_categories(config_file, created, args.dry_run)
    _print(report, args.format, args.dry_run)
    return EXIT_SKIPPED if report.skipped else EXIT_CLEAN


def _write_skill_files(persona: Persona, folder: Path, project: Path, force: bool) -> str | None:
    """Copy a skill's other files into `folder` (beside its persona file); why one could not be, or None."""
    for attachment in persona.files:
        data = read_bounded(Path(attachment.path), ATTACHMENT_MAX_BYTES)
        if not isinstance(data, bytes):
            return f"{attachment.name}: {data.message}"
        refused = write_atomic(folder / attachment.name, data, project, create=not force)
        if refused:
            return f"{display_path(folder / attachment.name)}: {refused}"
    return None


def persona_file(persona: Persona, folder: str = "") -> str:
    """The persona as a file of this catalog: its fields (those the reader derived left out), `origin:` (with
    `folder`, where a skill's other files were copied), the prompt exactly."""
    fields: dict[str, object] = {"name": persona.name}
    if persona.slug != derive_slug(persona.name):
        fields["slug"] = persona.slug
    fields["category"] = persona.category
    if persona.description and persona.description != describe(persona.body):
        fields["description"] = persona.description
    for key in ("use_when", "author", "version", "context_window"):
        if getattr(persona, key):
            fields[key] = getattr(persona, key)
    if persona.models:
        fields["models"] = list(persona.models)
    if persona.tags:
        fields["tags"] = list(persona.tags)
    if persona.origin is not None:
        fields[ORIGIN] = origin_value(persona.origin, folder)
    return front_matter(fields, persona.body)


_PLUGIN = re.compile(r"^(?P<indent>\s*)-\s+persona-catalog:\s*(?:#.*)?$")
_KEY = re.compile(r"^(?P<indent>\s*)(?P<key>[A-Za-z_][\w-]*):(?P<rest>.*)$")


def _add_categories(config_file: Path | None, ids: list[str], dry_run: bool) -> tuple[str | None, list[str]]:
    """Add `ids` under the plugin's `categories:` in mkdocs.yml, as text, so its comments and layout stay; the file
    and the lines added (or to add, when the file's layout is not one this can edit safely)."""
    path = config_file or next((Path(n) for n in ("mkdocs.yml", "mkdocs.yaml") if Path(n).is_file()), None)
    if path is None:
        return None, []
    lines = path.read_text("utf-8").split("\n")
    start = next((i for i, line in enumerate(lines) if _PLUGIN.match(line)), None)
    if start is None:
        return display_path(path), [f"{cid}: {{title: {readable_name(cid)}}}" for cid in ids]
    option_indent = next((len(line) - len(line.lstrip()) for line in lines[start + 1:] if line.strip()
                          and not line.lstrip().startswith("#")), len(lines[start]) + 4)
    end = _block_end(lines, start + 1, len(lines[start]) - len(lines[start].lstrip()))
    at = next((i for i in range(start + 1, end) if (m := _KEY.match(lines[i])) and m["key"] == "categories"
               and len(m["indent"]) == option_indent), None)
    if at is not None and _KEY.match(lines[at])["rest"].split("#")[0].strip():  # type: ignore[index]
        return display_path(path), [f"{cid}: {{title: {readable_name(cid)}}}" for cid in ids]  # flow style
    if at is None:
        lines.insert(end, " " * option_indent + "categories:")
        at, end = end, end + 1
    child = next((len(line) - len(line.lstrip()) for line in lines[at + 1:end + 1] if line.strip()
                  and not line.lstrip().startswith("#") and len(line) - len(line.lstrip()) > option_indent),
                 option_indent + 2)
    insert = _block_end(lines, at + 1, option_indent)
    while insert > at + 1 and (not lines[insert - 1].strip() or (lines[insert - 1].lstrip().startswith("#") and
                                                                 _indent(lines[insert - 1]) <= option_indent)):
        insert -= 1  # blank lines and the next block's comments stay after the categories
    added = [line for cid in ids for line in (f"{' ' * child}{cid}:", f"{' ' * (child + 2)}title: {readable_name(cid)}")]
    lines[insert:insert] = added
    if not dry_run:
        refused = write_atomic(path, "\n".join(lines).encode("utf-8"), path.parent)
        if refused:
            return display_path(path), [f"not written: {refused}", *added]
    return display_path(path), added


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _block_end(lines: list[str], begin: int, indent: int) -> int:
    """The first line from `begin` that is indented `indent` or less (comments and blank lines belong to the
    block), or the end."""
    for i in range(begin, len(lines)):
        line = lines[i]
        if line.strip() and not line.lstrip().startswith("#") and len(line) - len(line.lstrip()) <= indent:
            return i
    return len(lines)


def _print(report: Report, output: str, dry_run: bool) -> None:
    if output == "json":
        print(json.dumps({"dry_run": dry_run, **report.to_json()}, indent=2, ensure_ascii=False))
        return
    verb = "would import" if dry_run else "imported"
    for entry in report.imported:
        print(escape_invisible(f"{verb}: {entry['path']} -> {entry['to']}"))
    for path, changes in report.repaired.items():
        for change in changes:
            print(escape_invisible(f"repaired: {path}: {change}"))
    for entry in report.skipped:
        print(escape_invisible(f"skipped: {entry['reason']}"))
    for note in report.notes:
        print(escape_invisible(f"note: {note}"))
    if report.config_lines:
        print(f"{'would add' if dry_run else 'added'} to {report.config_file} under categories:")
        for line in report.config_lines:
            print(f"  {line}")
    print(f"{len(report.imported)} {verb}, {len(report.repaired)} repaired, {len(report.skipped)} skipped, "
          f"{len(report.notes)} note(s), {len(report.categories)} new categor{'y' if len(report.categories) == 1 else 'ies'}",
          file=sys.stderr)


def _usage(message: str) -> int:
    print(f"persona-catalog: error: {message}", file=sys.stderr)
    return EXIT_USAGE
