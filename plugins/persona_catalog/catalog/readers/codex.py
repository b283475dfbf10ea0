"""Codex custom agents: one TOML file with `name`, `description` and `developer_instructions` (the prompt), and
optional `model`, `model_reasoning_effort`, `sandbox_mode`, `mcp_servers`, ...
(https://developers.openai.com/codex/subagents)."""

from persona_catalog.catalog.readers.base import ToolFormat

FORMAT = ToolFormat("codex", "Codex custom agent", ("codex",), "agents", strip_suffixes=(".toml",))
PROMPT_KEY = "developer_instructions"
