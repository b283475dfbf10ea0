"""The `persona-catalog` command: `lint` checks persona files with the build's loader; `new` scaffolds one;
`import` (in `import_`) turns another tool's collection into persona files; `init` starts a new catalog
(`cli.init`)."""

from __future__ import annotations

import argparse
import difflib
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from persona_catalog.catalog.characters import escape_invisible
from persona_catalog.catalog.files import display_path, read_bounded, scan, write_atomic
from persona_catalog.catalog.fixer import fix_persona
from persona_catalog.catalog.loader import LoadResult, load_paths
from persona_catalog.catalog.model import derive_slug, slugify
from persona_catalog.catalog.problems import Problem
from persona_catalog.catalog.sources import load_sources
from persona_catalog.cli import build as build_command
from persona_catalog.cli import init
from persona_catalog.cli.advice import REQUIRABLE, advise_all, required
from persona_catalog.cli.import_ import add_parser as add_import_parser
from persona_catalog.cli.import_ import run_import
from persona_catalog.cli.scaffold import Draft, scaffold
from persona_catalog.cli.site_config import CatalogSettings, ConfigProblem, read_settings
from persona_catalog.exports import export_problems

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_USAGE = 0, 1, 2


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
    lint.add_argument("--require", type=_requirable, default=(), metavar="FIELD[,FIELD]",
                      help="make optional fields required: a persona without one is an error "
                           f"(any of {', '.join(REQUIRABLE)})")
    lint.add_argument("--config-file", type=Path, default=None,
                      help="MkDocs configuration to read the plugin's options from "
                           "(default: ./mkdocs.yml or ./mkdocs.yaml if there is one)")
    new = commands.add_parser("new", help="write a new persona file: the values you give, TODOs for the rest",
                              description="Write <personas_dir>/<category>/<slug>.md. Asks for what is missing "
                                          "when run in a terminal. Never overwrites a file.")
    new.add_argument("name", nargs="?", help="the persona's name, e.g. 'Database Migration Reviewer'")
    new.add_argument("--category", help="category id, one of the site's configured categories")
    new.add_argument("--tags", default="", help="comma-separated tags, e.g. 'databases, migrations'")
    new.add_argument("--models", default="", help="comma-separated models, e.g. 'claude-code, cursor'")
    new.add_argument("--description", default="", help="one line on what the persona does")
    new.add_argument("--use-when", default="", help="one line on when to pick this persona, e.g. 'Use when ...'")
    new.add_argument("--config-file", type=Path, default=None,
                     help="MkDocs configuration to read personas_dir and categories from (default: ./mkdocs.yml)")
    add_import_parser(commands)
    build_command.add_parsers(commands)
    init.add_parser(commands)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_CLEAN
    if args.command == "init":  # a new catalog: no configuration to read yet
        return init.run_init(args)
    try:
        settings = read_settings(args.config_file)
    except ConfigProblem as exc:
        return _usage(str(exc))
    if args.command in ("build", "serve"):
        return build_command.run(args)
    if args.command == "new":
        return run_new(args, settings)
    if args.command == "import":
        return run_import(args, settings, args.config_file)
    return run_lint(args.paths, settings, args.format, args.fix, args.diff, args.require)


def _requirable(text: str) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(name.strip() for name in text.split(",") if name.strip()))
    unknown = [name for name in names if name not in REQUIRABLE]
    if unknown or not names:
        raise argparse.ArgumentTypeError(f"{', '.join(unknown) or 'nothing'} cannot be required "
                                         f"(expected any of {', '.join(REQUIRABLE)})")
    return names


def run_new(args: argparse.Namespace, settings: CatalogSettings,
            ask: Callable[[str], str] | None = None) -> int:
    """Write `<personas_dir>/<category>/<slug>.md` inside the project; never overwrite, never follow a link."""
    if ask is None and sys.stdin.isatty():
        ask = input
    answers = {key: getattr(args, key, "") or "" for key in ("name", "category", "tags", "models", "description",
                                                               "use_when")}
    configured = sorted(settings.categories)
    questions = {"name": "Name (e.g. Database Migration Reviewer): ",
                 "category": f"Category ({', '.join(configured) or 'a slug'}): ",
                 "tags": "Tags, comma-separated (Enter to leave for later): ",
                 "models": "Models, comma-separated, e.g. claude-code, cursor (Enter to leave for later): ",
                 "description": "One line on what it does (Enter to leave a TODO): ",
                 "use_when": "One line on when to pick it, 'Use when ...' (Enter to leave a TODO): "}
    def problem(key: str, answer: str) -> str | None:
        """What is wrong with an answer, checked as it is given (so a terminal asks again, keeping the others)."""
        if key == "name" and not answer:
            return "a name is required"
        if key == "category" and not answer:
            return "a category is required"
        if key == "category" and ((configured and answer not in configured) or slugify(answer) != answer):
            return unknown_category(answer, configured)
        return None

    for key, question in questions.items():
        attempts = 0
        while ask and not answers[key] and attempts < ATTEMPTS:
            attempts += 1
            try:
                answers[key] = ask(question).strip()
            except UnicodeDecodeError:
                return _usage(f"the {key.replace('_', ' ')} typed is not UTF-8 text; set the terminal to UTF-8")
            except EOFError:
                return _usage(f"no {key.replace('_', ' ')} given")
            wrong = problem(key, answers[key])
            if key not in ("name", "category"):
                break  # the others may stay empty: the file gets a TODO
            if wrong:
                print(f"persona-catalog: {wrong}; try again", file=sys.stderr)
                answers[key] = ""
        try:
            answers[key].encode("utf-8")
        except UnicodeEncodeError:  # bytes that are not UTF-8 come in as surrogate escapes
            return _usage(f"the {key.replace('_', ' ')} given is not valid UTF-8 text: "
                          f"'{escape_invisible(answers[key])}'; give it as UTF-8")
    name, category = answers["name"].strip(), answers["category"].strip()
    if not name or not category:
        return _usage("give a name and --category (or run 'persona-catalog new' in a terminal to be asked)")
    if (configured and category not in configured) or slugify(category) != category:
        return _usage(unknown_category(category, configured))
    slug = derive_slug(name)  # the URL the persona will get, so the file is named after it
    draft = Draft(name, category, _slugs(answers["tags"]), _slugs(answers["models"]),
                  answers["description"].strip(), answers["use_when"].strip())
    target = settings.personas_dir / category / f"{slug}.md"
    refused = write_atomic(target, scaffold(draft).encode("utf-8"), settings.project, create=True)
    if refused:
        return _usage(f"{display_path(target)} not written: {refused}")
    print(f"wrote {display_path(target)}: replace every TODO(persona-catalog) (lint reports each one), "
          "then run 'persona-catalog lint'")
    return EXIT_CLEAN


ATTEMPTS = 5  # times `new` asks again for a name or category it cannot use, before it gives up


def unknown_category(category: str, configured: list[str]) -> str:
    """`new`'s words for a category it cannot use, naming the configured ones and the nearest, as lint does."""
    close = difflib.get_close_matches(category, configured, n=1, cutoff=0.6)
    nearest = f" (nearest: {close[0]})" if close else ""
    return (f"unknown category '{category}'; use one of: {', '.join(configured) or 'a slug'}{nearest}, "
            "or add it under 'categories:' in mkdocs.yml")


def _slugs(text: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s for s in (slugify(part) for part in text.split(",")) if s))


def _usage(message: str) -> int:
    print(f"persona-catalog: error: {message}", file=sys.stderr)
    return EXIT_USAGE


@dataclass
class FixReport:
    """What `--fix` (or `--diff`) did or would do, by file as shown to the user."""

    fixed: dict[str, list[str]] = field(default_factory=dict)
    suggested: dict[str, list[str]] = field(default_factory=dict)
    refused: dict[str, str] = field(default_factory=dict)
    diffs: list[str] = field(default_factory=list)


def run_lint(paths: Sequence[Path], settings: CatalogSettings, output: str = "text", fix: bool = False,
             diff: bool = False, require: tuple[str, ...] = ()) -> int:
    with_sources = not paths  # the site's own: personas_dir and `sources:`
    if not paths:
        paths = [settings.personas_dir]
    for path in paths:
        if not os.path.lexists(path):
            print(f"persona-catalog: error: no such file or folder: {escape_invisible(str(path))}", file=sys.stderr)
            return EXIT_USAGE
    max_bytes = settings.max_file_size
    report = _fix(paths, max_bytes, write=not diff) if fix or diff else FixReport()
    result = (load_sources(paths[0], settings.sources, settings.categories, max_bytes, checks=export_problems)
              if with_sources else load_paths(paths, settings.categories, max_bytes, checks=export_problems))
    advice = advise_all(result)
    result.problems.extend(required(result, require))
    result.problems.extend(a for a in advice if a.field not in require)  # else the error above says it
    _report(result, report, result.files, output)
    return EXIT_PROBLEMS if any(not p.is_suggestion for p in result.problems) else EXIT_CLEAN


def _fix(paths: Sequence[Path], max_bytes: int, write: bool) -> FixReport:
    """Repair every usable persona file under `paths` (or, with `write` off, only show the diff)."""
    report = FixReport()
    for path in paths:
        root = path if path.is_dir() else path.parent
        for found in scan(path).files:
            shown = display_path(found.path)
            data = read_bounded(found.path, max_bytes, found.root)
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
            refused = write_atomic(found.path, repair.data, root, unchanged=data)
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
    suggestions = sum(p.level == "suggestion" for p in result.problems)
    notes = sum(p.level == "note" for p in result.problems)
    verb = "would be fixed" if fixes.diffs else "fixed"
    print(f"{count} file(s) checked: {errors} error(s), {len(result.problems) - errors - suggestions - notes} "
          "warning(s)" + (f", {suggestions} suggestion(s)" if suggestions else "") + (f", {notes} note(s)" if notes else "")
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


