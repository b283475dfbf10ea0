"""Kiro custom agents, in either of Kiro's two documented files (https://kiro.dev/docs/custom-agents/creating/):
the IDE's Markdown agent, `.kiro/agents/<name>.md` with `name`, `description` and optional `model`, `tools`, ...
in its front matter and the prompt as its body (what the catalog's Kiro export writes), and the CLI's JSON agent,
`<name>.json` with `name`, `description`, `prompt` (inline, or a `file://` URI, which is not followed) and optional
`tools`, `allowedTools`, `model`, `mcpServers`, `resources`, `hooks`, ...
(https://kiro.dev/docs/cli/custom-agents/configuration-reference)."""

from persona_catalog.catalog.readers.base import ToolFormat

FORMAT = ToolFormat("kiro", "Kiro custom agent", ("kiro",), "agents", strip_suffixes=(".json", ".md"))
PROMPT_KEY = "prompt"
