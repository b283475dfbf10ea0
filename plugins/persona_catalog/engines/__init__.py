"""Adapters between the build and a site engine, and the registry the command line picks one from.

Each adapter module has `build(config_file, strict)` (raises `BuildFailed` with the reason) and
`serve(config_file, port)`; the command line imports one only through `engine`.
"""

from __future__ import annotations

import importlib
from types import ModuleType

ENGINES = {"mkdocs": "persona_catalog.engines.mkdocs.command", "zensical": "persona_catalog.engines.zensical.build"}


def engine(name: str) -> ModuleType:
    """The adapter module of engine `name` (one of `ENGINES`)."""
    return importlib.import_module(ENGINES[name])
