"""The `persona-catalog` command line: `lint` (with `--fix`), `new`, `init`, `import`, `build` and `serve`."""

from persona_catalog.cli.main import main

__all__ = ["main"]
