"""The `persona-catalog` command: `lint` checks persona files with the build's loader; `new` scaffolds one."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

from .fixer import fix_persona
from .loader import DEFAULT_MAX_BYTES, LoadResult, display_path, find_persona_files, load_files
from .model import FIELDS, Category, slugify, title_from_id

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
    lint.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    lint.add_argument("--fix", action="store_true",
                      help="repair what is safe first: garbled text, byte-order mark, CRLF, "
                           "trailing whitespace in the front matter")
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
    return run_lint(args.paths, args.format, args.fix, args.config_file)


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
    if target.exists():
        print(f"persona-catalog: error: {display_path(target)} already exists", file=sys.stderr)
        return EXIT_USAGE
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(scaffold(name, category), "utf-8")
    print(f"wrote {display_path(target)}: fill in the fields and the prompt, then run 'persona-catalog lint'")
    return EXIT_CLEAN


def run_lint(paths: Sequence[Path], output: str = "text", fix: bool = False,
             config_file: Path = Path("mkdocs.yml")) -> int:
    options = plugin_options(config_file)
    if not paths:
        paths = [config_file.parent / options.get("personas_dir", "personas")]
    files: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            files.extend((f, f.relative_to(path).as_posix()) for f in find_persona_files(path))
        elif path.is_file():
            files.append((path, path.name))
        else:
            print(f"persona-catalog: error: no such file or folder: {path}", file=sys.stderr)
            return EXIT_USAGE
    fixed = _fix(files) if fix else {}
    categories = {cid: Category(cid, (o or {}).get("title") or title_from_id(cid))
                  for cid, o in (options.get("categories") or {}).items()}
    result = load_files(files, categories, options.get("max_file_size", DEFAULT_MAX_BYTES))
    _report(result, fixed, len(files), output)
    return EXIT_PROBLEMS if result.problems else EXIT_CLEAN


def _fix(files: list[tuple[Path, str]]) -> dict[str, list[str]]:
    changed = {}
    for path, _ in files:
        data = path.read_bytes()
        repaired, changes = fix_persona(data)
        if changes:
            path.write_bytes(repaired)
            changed[display_path(path)] = changes
    return changed


def _report(result: LoadResult, fixed: dict[str, list[str]], count: int, output: str) -> None:
    if output == "json":
        problems = [p.to_json() for p in result.problems]
        print(json.dumps({"files": count, "fixed": fixed, "problems": problems}, indent=2, ensure_ascii=False))
        return
    for path, changes in fixed.items():
        for change in changes:
            print(f"{path}: fixed: {change}")
    for problem in result.problems:
        print(problem)
    errors = len(result.errors)
    print(f"{count} file(s) checked: {errors} error(s), {len(result.problems) - errors} warning(s)"
          + (f", {len(fixed)} file(s) fixed" if fixed else ""), file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
