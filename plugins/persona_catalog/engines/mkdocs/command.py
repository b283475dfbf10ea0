"""`persona-catalog build|serve --engine mkdocs`: MkDocs' own commands, which run the plugin."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


class BuildFailed(Exception):
    """`mkdocs build` failed (it printed why)."""


def _config(config_file: Path | None) -> list[str]:
    return ["-f", str(config_file)] if config_file else []


def build(config_file: Path | None = None, strict: bool = False) -> None:
    command = [sys.executable, "-m", "mkdocs", "build", *_config(config_file), *(["--strict"] if strict else [])]
    if subprocess.run(command, stdin=subprocess.DEVNULL).returncode != 0:
        raise BuildFailed("mkdocs build failed")


def serve(config_file: Path | None = None, port: int = 8000) -> None:
    subprocess.run([sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}",
                    *_config(config_file)])
