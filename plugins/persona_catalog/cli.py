"""The `persona-catalog` command: `lint` checks persona files with the same rules as the build."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

from .loader import find_persona_files, load_files

DEFAULT_DIR = "personas"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="persona-catalog", description="Tools for a Persona Catalog site.")
    commands = parser.add_subparsers(dest="command", required=True)
    lint = commands.add_parser("lint", help="check persona files and print every problem")
    lint.add_argument("paths", nargs="*", type=Path, help=f"files or folders (default: {DEFAULT_DIR})")
    lint.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return int(exc.code or 0)
    return run_lint(args.paths or [Path(DEFAULT_DIR)], args.format)


def run_lint(paths: Sequence[Path], output: str) -> int:
    """Exit status: 0 clean, 1 problems found, 2 a path that does not exist."""
    files: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            files.extend((f, f.relative_to(path).as_posix()) for f in find_persona_files(path))
        elif path.is_file():
            files.append((path, path.name))
        else:
            print(f"persona-catalog: error: no such file or folder: {path}", file=sys.stderr)
            return 2
    result = load_files(files)
    if output == "json":
        print(json.dumps({"files": len(files), "problems": [p.to_json() for p in result.problems]}, indent=2))
    else:
        for problem in result.problems:
            print(problem)
        errors = len(result.errors)
        print(f"{len(files)} file(s) checked: {errors} error(s), {len(result.problems) - errors} warning(s)",
              file=sys.stderr)
    return 1 if result.problems else 0


if __name__ == "__main__":
    sys.exit(main())
