"""GitHub Copilot custom agents: `<name>.agent.md` (formerly `<name>.chatmode.md`) with `description` and optional
`name`, `tools`, `model`, `target`, `mcp-servers`, ...; the body is the agent's instructions
(https://docs.github.com/en/copilot/reference/custom-agents-configuration)."""

from persona_catalog.catalog.readers.base import ToolFormat

FORMAT = ToolFormat("copilot", "GitHub Copilot custom agent", ("copilot",), "agents",
                    strip_suffixes=(".agent.md", ".chatmode.md", ".md"))
SUFFIXES = (".agent.md", ".chatmode.md")
