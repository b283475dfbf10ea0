"""Claude Code sub-agents: `name`, `description`, then optional `tools`, `model`, `color`, `permissionMode`, ...;
the body is the agent's system prompt (https://code.claude.com/docs/en/sub-agents)."""

from persona_catalog.catalog.readers.base import ToolFormat

FORMAT = ToolFormat("claude-code", "Claude Code sub-agent", ("claude-code",), "agents")
KEYS = frozenset({"tools", "model", "color", "permissionMode", "disallowedTools", "skills", "hooks", "mcpServers",
                  "memory", "effort", "maxTurns", "background", "isolation", "initialPrompt"})
