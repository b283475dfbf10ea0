"""Kiro custom agents: one JSON file with `name`, `description`, `prompt` (inline, or a `file://` URI, which is
not followed) and optional `tools`, `allowedTools`, `model`, `mcpServers`, `resources`, `hooks`, ...
(https://kiro.dev/docs/cli/custom-agents/configuration-reference)."""

from persona_catalog.catalog.readers.base import ToolFormat

FORMAT = ToolFormat("kiro", "Kiro custom agent", ("kiro",), "agents", strip_suffixes=(".json",))
PROMPT_KEY = "prompt"
