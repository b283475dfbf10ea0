"""One reader per collection format (Claude Code sub-agents, Agent Skills, ...): each turns a file, or a skill
folder, into the same `Persona` record plus problems, through the same file policy and YAML boundary. `registry`
names them; `detect` tells a file's format by its name, place and keys (the `auto` format)."""
