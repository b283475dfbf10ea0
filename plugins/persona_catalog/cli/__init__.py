"""The `persona-catalog` command line: `lint` (with `--fix`) and `new`."""

from persona_catalog.cli.main import main

__all__ = ["main"]
