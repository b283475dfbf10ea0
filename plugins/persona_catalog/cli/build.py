"""`persona-catalog build` and `persona-catalog serve`: the site with the engine of your choice (`--engine`)."""

from __future__ import annotations

import argparse
import logging
import sys
from importlib.metadata import entry_points
from pathlib import Path
from types import ModuleType

# The engine adapters, registered as entry points (pyproject.toml), so the command line imports none itself. Each
# is a module with `build(config_file, strict)` (raising its `BuildFailed`) and `serve(config_file, port)`.
GROUP = "persona_catalog.engines"


def engines() -> list[str]:
    return sorted(point.name for point in entry_points(group=GROUP))


def engine(name: str) -> ModuleType:
    """The adapter module of engine `name`."""
    return next(point for point in entry_points(group=GROUP) if point.name == name).load()


def add_parsers(commands: argparse._SubParsersAction) -> None:
    for name, text in (("build", "build the site into site_dir (MkDocs' site/ by default)"),
                       ("serve", "build the site and serve it with live reload (a persona problem never stops it)")):
        parser = commands.add_parser(name, help=text, description=text.capitalize() + ".")
        parser.add_argument("--engine", choices=engines(), default="mkdocs",
                            help="mkdocs: Material for MkDocs with the plugin; zensical: generate, zensical build, "
                                 "finish (default: mkdocs)")
        parser.add_argument("--config-file", type=Path, default=None,
                            help="the site's configuration (default: ./mkdocs.yml)")
        if name == "build":
            parser.add_argument("--strict", action="store_true", help="stop on any warning, as `make build` does")
        else:
            parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default: 8000)")


def run(args: argparse.Namespace) -> int:
    """Exit status: 0 built, 1 the build failed (the reason printed)."""
    logging.basicConfig(level=logging.INFO, format="%(levelname)-8s -  %(message)s")
    adapter = engine(args.engine)
    if args.command == "serve":
        adapter.serve(args.config_file, args.port)
        return 0
    try:
        adapter.build(args.config_file, args.strict)
    except adapter.BuildFailed as error:
        print(f"persona-catalog: error: {error}", file=sys.stderr)
        return 1
    return 0
