"""Agent Skills: a folder per skill, `SKILL.md` with `name` and `description` (and optionally `license`,
`compatibility`, `metadata`, `allowed-tools`), its body the instructions; the folder's other files (`scripts/`,
`references/`, `assets/`, ...) go with it (https://agentskills.io/specification)."""

from persona_catalog.catalog.readers.base import ToolFormat

FORMAT = ToolFormat("skills", "Agent Skill", ("agent-skills",), "skills", front_matter_required=True)
FILE_NAME = "SKILL.md"
