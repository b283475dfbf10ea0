"""OpenCode agents: `<name>.md` with `description` and optional `mode` (`primary`, `subagent`, `all`), `model`,
`temperature`, `tools`, `permission`, ...; the file name is the agent's name (https://opencode.ai/docs/agents)."""

from persona_catalog.catalog.readers.base import ToolFormat

FORMAT = ToolFormat("opencode", "OpenCode agent", ("opencode",), "agents", name_key=None)
KEYS = frozenset({"mode", "temperature", "permission", "top_p", "steps", "maxSteps", "disable", "prompt"})
MODES = frozenset({"primary", "subagent", "all"})
