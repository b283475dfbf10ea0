"""The site's configuration for the command line, read by MkDocs' own loader exactly as the build reads it.

So every form MkDocs accepts works: `mkdocs.yml` or `mkdocs.yaml`, `INHERIT`, `!ENV`, and the plugin as a list
entry or in the mapping form `plugins: {persona-catalog: {...}}`. The plugin's options come validated from the
plugin instance MkDocs creates, read as the build reads them (`build.options.Options`); the command line
never imports the engine adapter itself.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path

from mkdocs.config import load_config
from mkdocs.exceptions import Abort, ConfigurationError

from persona_catalog.build.options import Options
from persona_catalog.catalog.loader import DEFAULT_MAX_BYTES
from persona_catalog.catalog.model import Category
from persona_catalog.catalog.sources import Source

PLUGIN = "persona-catalog"
DEFAULT_FILES = ("mkdocs.yml", "mkdocs.yaml")  # the names MkDocs looks for


class ConfigProblem(Exception):
    """The configuration file is missing, broken or does not enable the plugin: a usage error."""


@dataclass(frozen=True)
class CatalogSettings:
    """What the command line needs from the site: where personas live and how they are checked."""

    personas_dir: Path
    project: Path  # the folder of the configuration file: `new` writes nothing outside it
    categories: dict[str, Category] = field(default_factory=dict)
    max_file_size: int = DEFAULT_MAX_BYTES
    sources: tuple[Source, ...] = ()  # `sources:`, collections in other tools' formats


def read_settings(config_file: Path | None = None) -> CatalogSettings:
    """The plugin's options from `config_file`, or from ./mkdocs.yml or ./mkdocs.yaml when it is None.

    Only when no file is named and neither exists do the defaults apply (./personas, no categories).
    """
    if config_file is None and not any(Path(name).is_file() for name in DEFAULT_FILES):
        return CatalogSettings(Path("personas"), Path("."))
    shown = config_file or next(Path(name) for name in DEFAULT_FILES if Path(name).is_file())
    errors = _Collect()
    logging.getLogger("mkdocs.config").addHandler(errors)  # MkDocs logs each reason, then raises Abort
    try:
        config = load_config(str(config_file) if config_file else None)
    except ConfigurationError as exc:
        raise ConfigProblem(str(exc)) from None
    except (Abort, OSError) as exc:
        reasons = "".join(f"\n  {message}" for message in errors.messages) or f" ({exc})"
        raise ConfigProblem(f"{shown} is not a valid configuration:{reasons}") from None
    finally:
        logging.getLogger("mkdocs.config").removeHandler(errors)
    plugin = config.plugins.get(PLUGIN)
    if plugin is None:
        raise ConfigProblem(f"{shown} does not enable the '{PLUGIN}' plugin (add it under 'plugins')")
    project = Path(config.config_file_path).parent
    options = Options.read(plugin.config, project)
    return CatalogSettings(options.personas_dir, project, dict(options.categories), options.max_file_size,
                           options.sources)


class _Collect(logging.Handler):
    """Keeps the errors MkDocs logs while it validates a configuration; prints its warnings."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.ERROR:
            self.messages.append(record.getMessage())
        else:
            print(f"persona-catalog: warning: {record.getMessage()}", file=sys.stderr)
