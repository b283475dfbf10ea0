"""The `persona-catalog` command: `lint` checks persona files with the build's loader; `new` scaffolds one."""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .advice import advise_all
from .characters import escape_invisible
from .files import display_path, read_bounded, scan, write_atomic
from .fixer import fix_persona
from .loader import DEFAULT_MAX_BYTES, LoadResult, load_paths
from .model import FIELDS, Category, slugify, title_from_id
from .problems import Problem

PLUGIN = "persona-catalog"
EXIT_CLEAN, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


class _ConfigLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without running its `!!python/name:` or `!ENV` tags (they read as nothing)."""


_ConfigLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def plugin_options(config_file: Path) -> dict:
    """The plugin's options in `mkdocs.yml`, or {} when there is no such file or no such plugin entry."""
    if not config_file.is_file():
        return {}
    config = yaml.load(config_file.read_text("utf-8"), Loader=_ConfigLoader) or {}
    for entry in config.get("plugins") or []:
        if isinstance(entry, dict) and PLUGIN in entry:
            return entry[PLUGIN] or {}
    return {}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="persona-catalog", description="Tools for a Persona Catalog site.")
    commands = parser.add_subparsers(dest="command", required=True)
    lint = commands.add_parser("lint", help="check persona files and print every problem",
                               description="Check persona files with the build's rules. "
                                           "Exit status: 0 clean, 1 problems found, 2 usage error.")
    lint.add_argument("paths", nargs="*", type=Path,
                      help="files or folders (default: personas_dir from mkdocs.yml, else ./personas)")
    lint.add_argument("--format", choices=("text", "json", "github"), default="text",
                      help="output format (default: text; github: annotations for a GitHub Actions log)")
    lint.add_argument("--fix", action="store_true",
                      help="repair what is safe first: garbled text, byte-order mark, CRLF, "
                           "trailing whitespace in the front matter")
    lint.add_argument("--diff", action="store_true",
                      help="show what --fix would change, as a unified diff, without writing anything")
    lint.add_argument("--config-file", type=Path, default=Path("mkdocs.yml"),
                      help="MkDocs configuration to read the plugin's options from (default: mkdocs.yml)")
    new = commands.add_parser("new", help="write a new persona file with every field filled in as an example")
    new.add_argument("name", help="the persona's name, e.g. 'Incident Commander'")
    new.add_argument("--category", required=True, help="category id (a slug), e.g. operations")
    new.add_argument("--config-file", type=Path, default=Path("mkdocs.yml"),
                     help="MkDocs configuration to read personas_dir from (default: mkdocs.yml)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_CLEAN
    if args.command == "new":
        return run_new(args.name, args.category, args.config_file)
    return run_lint(args.paths, args.format, args.fix, args.config_file, args.diff)


def scaffold(name: str, category: str) -> str:
    """A persona file with every schema field: the given name and category, examples for the rest."""
    values = {field.name: field.example for field in FIELDS}
    values.update(name=name, category=category, slug=slugify(name), description=f"One line on what {name} does.")
    front = "".join(f"{key}: {json.dumps(value, ensure_ascii=False)}\n" for key, value in values.items())
    return (f"---\n{front}---\n\n# {name}\n\nYou are {name}. Say who the assistant is, in one or two sentences.\n\n"
            "## How you work\n\n1. The first step.\n2. The next one.\n\n## What you hand back\n\n- The result.\n\n"
            "## Boundaries\n\n- What you must not do.\n")


def run_new(name: str, category: str, config_file: Path = Path("mkdocs.yml")) -> int:
    """Write `<personas_dir>/<category>/<slug>.md`; never overwrite an existing file."""
    slug, category_slug = slugify(name), slugify(category)
    if not slug or category_slug != category:
        print(f"persona-catalog: error: need a name with letters or digits and a slug category "
              f"(try --category {category_slug or 'general'})", file=sys.stderr)
        return EXIT_USAGE
    folder = config_file.parent / plugin_options(config_file).get("personas_dir", "personas")
    target = folder / category / f"{slug}.md"
    refused = write_atomic(target, scaffold(name, category).encode("utf-8"), folder, create=True)
    if refused:
        print(f"persona-catalog: error: {display_path(target)} not written: {refused}", file=sys.stderr)
        return EXIT_USAGE
    print(f"wrote {display_path(target)}: fill in the fields and the prompt, then run 'persona-catalog lint'")
    return EXIT_CLEAN


@dataclass
class FixReport:
    """What `--fix` (or `--diff`) did or would do, by file as shown to the user."""

    fixed: dict[str, list[str]] = field(default_factory=dict)
    suggested: dict[str, list[str]] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    diffs: list[str] = field(default_factory=list)


def run_lint(paths: Sequence[Path], output: str = "text", fix: bool = False,
             config_file: Path = Path("mkdocs.yml"), diff: bool = False) -> int:
    options = plugin_options(config_file)
    if not paths:
        paths = [config_file.parent / options.get("personas_dir", "personas")]
    for path in paths:
        if not os.path.lexists(path):
            print(f"persona-catalog: error: no such file or folder: {escape_invisible(str(path))}", file=sys.stderr)
            return EXIT_USAGE
    max_bytes = options.get("max_file_size", DEFAULT_MAX_BYTES)
    report = _fix(paths, max_bytes, write=not diff) if fix or diff else FixReport()
    categories = {cid: Category(cid, (o or {}).get("title") or title_from_id(cid))
                  for cid, o in (options.get("categories") or {}).items()}
    result = load_paths(paths, categories, max_bytes)
    result.problems.extend(advise_all(result))
    count = len({p.path for p in result.problems} | {display_path(f.path) for p in paths for f in scan(p).files})
    _report(result, report, count, output)
    return EXIT_PROBLEMS if any(not p.is_suggestion for p in result.problems) else EXIT_CLEAN


def _fix(paths: Sequence[Path], max_bytes: int, write: bool) -> FixReport:
    """Repair every usable persona file under `paths` (or, with `write` off, only show the diff)."""
    report = FixReport()
    for path in paths:
        root = path if path.is_dir() else path.parent
        for found in scan(path).files:
            shown = display_path(found.path)
            data = read_bounded(found.path, max_bytes)
            if isinstance(data, Problem):
                continue  # reported by the check that follows
            repair = fix_persona(data)
            if repair.suggestions:
                report.suggested[shown] = repair.suggestions
            if not repair.changes:
                continue
            if not write:
                report.diffs.append(_diff(data, repair.data, shown))
                report.fixed[shown] = repair.changes
                continue
            refused = write_atomic(found.path, repair.data, root)
            if refused:
                report.refused[shown] = refused
            else:
                report.fixed[shown] = repair.changes
    return report


def _diff(before: bytes, after: bytes, shown: str) -> str:
    old = before.decode("utf-8", "replace").splitlines(keepends=True)
    new = after.decode("utf-8", "replace").splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, f"a/{shown}", f"b/{shown}"))


def _report(result: LoadResult, fixes: FixReport, count: int, output: str) -> None:
    if output == "json":
        problems = [p.to_json() for p in result.problems]
        escaped = {key: {escape_invisible(path): value for path, value in getattr(fixes, key).items()}
                   for key in ("fixed", "suggested", "refused")}
        print(json.dumps({"files": count, **escaped, "problems": problems}, indent=2, ensure_ascii=False))
        return
    for key, label in (("fixed", "would fix" if fixes.diffs else "fixed"), ("suggested", "not fixed")):
        for path, changes in getattr(fixes, key).items():
            for change in changes:
                print(f"{escape_invisible(path)}: {label}: {escape_invisible(change)}")
    for path, reason in fixes.refused.items():
        print(f"{escape_invisible(path)}: not fixed: {reason}")
    for diff in fixes.diffs:
        for line in diff.splitlines():
            print(escape_invisible(line))
    for problem in result.problems:
        print(github_annotation(problem) if output == "github" else problem)
    errors = len(result.errors)
    suggestions = sum(p.is_suggestion for p in result.problems)
    verb = "would be fixed" if fixes.diffs else "fixed"
    print(f"{count} file(s) checked: {errors} error(s), {len(result.problems) - errors - suggestions} warning(s)"
          + (f", {suggestions} suggestion(s)" if suggestions else "")
          + (f", {len(fixes.fixed)} file(s) {verb}" if fixes.fixed else ""), file=sys.stderr)


def github_annotation(problem: Problem) -> str:
    """A GitHub Actions workflow command (`::error file=...,line=...::...`) that annotates the file's line."""
    where = f"{problem.path}:{problem.line}" if problem.line else problem.path
    properties = f"file={_escape(problem.path, True)}" + (f",line={problem.line}" if problem.line else "")
    title = _escape(f"persona-catalog: {problem.field or 'file'}", True)
    command = "notice" if problem.is_suggestion else problem.level  # GitHub knows error, warning and notice
    message = _escape(str(problem).removeprefix(f"{where}: {problem.level}: "))
    return f"::{command} {properties},title={title}::{message}"


def _escape(text: str, is_property: bool = False) -> str:
    """Escape a workflow command's message (%, CR, LF) or property value (also `:` and `,`)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return text.replace(":", "%3A").replace(",", "%2C") if is_property else text


if __name__ == "__main__":
    sys.exit(main())
