"""Cursor rules: `<name>.mdc` with `description`, `globs` and `alwaysApply`; the body is the rule
(https://cursor.com/docs/context/rules). The rule has no name of its own: its file name is the name."""

from persona_catalog.catalog.readers.base import ToolFormat

FORMAT = ToolFormat("cursor", "Cursor rule", ("cursor",), "rules", name_key=None, strip_suffixes=(".mdc",))
SUFFIX = ".mdc"
