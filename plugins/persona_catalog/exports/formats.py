"""One small writer per tool: where its file goes, its limits, and the file's text written with the format's own
library (YAML front matter with PyYAML, TOML with tomli-w, JSON with json). Sources: docs/exports.md.

The persona page builds each file in the browser: `parts` cuts the written file into a prefix, the prompt as the
library wrote it, and a suffix; the page carries prefix and suffix, and `catalog.js` writes the prompt again
with the encoder of the same name (`ENCODERS`), so the library stays the one writer of YAML, TOML and JSON."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import NamedTuple, cast

import yaml

from persona_catalog.catalog.model import SLUG_PATTERN, Persona
from persona_catalog.exports.toml_text import toml_string, toml_with_text
from persona_catalog.exports.yaml_text import yaml_string as _yaml_string
from persona_catalog.site.urls import export_path

# A current model from the Anthropic SDK's model list (see KNOWN_API_MODELS); `api_model` overrides it.
DEFAULT_API_MODEL = "claude-sonnet-5"
# Model ids of the Anthropic Python SDK's `ModelParam` (v0.121.0), less those its DEPRECATED_MODELS retires.
KNOWN_API_MODELS = frozenset({
    "claude-sonnet-5", "claude-fable-5", "claude-mythos-5", "claude-opus-5", "claude-opus-4-8", "claude-opus-4-7",
    "claude-opus-4-6", "claude-sonnet-4-6", "claude-haiku-4-5", "claude-haiku-4-5-20251001", "claude-opus-4-5",
    "claude-opus-4-5-20251101", "claude-sonnet-4-5", "claude-sonnet-4-5-20250929",
})
# Upper bound on thinking plus text; below the SDK's limit for requests that are not streamed.
API_MAX_TOKENS = 16_000
API_USER_PLACEHOLDER = "Replace this with your request."
_SECOND_PERSON = re.compile(r"\s*(you\s+are|you're|act\s+as|as\s+an?)\b", re.IGNORECASE)


def agent_description(persona: Persona) -> str:
    """When a tool should pick the agent: `use_when`, else a line made from the name and description or tags."""
    if persona.use_when:
        return persona.use_when
    if persona.description and not _SECOND_PERSON.match(persona.description):
        return f"{persona.name}: {persona.description}"
    topics = [tag.replace("-", " ") for tag in persona.tags[:5]] or [persona.category.replace("-", " ")]
    return f"{persona.name}. Use for {', '.join(topics)}."


class _Text(str):
    pass


_NO_WRAP = 2**31 - 1  # as width=inf, which LibYAML cannot take: never fold a value onto a second line


def front_matter_dumper(base: type[yaml.SafeDumper]) -> type[yaml.SafeDumper]:
    """Front matter on PyYAML's `base` dumper: text values double-quoted on one line (every control character and
    line break escaped), null written as nothing."""
    dumper = cast("type[yaml.SafeDumper]", type("FrontMatterDumper", (base,), {}))
    dumper.add_representer(_Text, lambda d, text: d.represent_scalar("tag:yaml.org,2002:str", str(text), style='"'))
    dumper.add_representer(type(None), lambda d, _: d.represent_scalar("tag:yaml.org,2002:null", ""))
    return dumper


# LibYAML's emitter when PyYAML has it (4-5 times faster), else PyYAML's own: byte for byte the same output
# (tests/site/test_exports.py compares them).
_Dumper = front_matter_dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper))


def front_matter(fields: dict[str, object], body: str) -> str:
    """`---`, the fields as YAML, `---`, a blank line, the body."""
    values = {key: _Text(value) if isinstance(value, str) else value for key, value in fields.items()}
    text = yaml.dump(values, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=_NO_WRAP)
    return f"---\n{text}---\n\n{body}\n"


Render = Callable[[Persona, str], str]


# How a file writes the prompt, by name; catalog.js has an encoder of each name (JSON.stringify for "json").
# Codex: tomli-w writes multi-line strings unless a value holds a CR (see `_codex`), hence two TOML encoders.
ENCODERS: dict[str, Callable[[str], str | None]] = {
    "text": lambda body: body,
    "json": lambda body: json.dumps(body, ensure_ascii=False),
    "toml-multiline": lambda body: None if "\r" in body else toml_string(body, True),
    "toml": lambda body: toml_string(body, False),
    "yaml": _yaml_string,
    "none": lambda body: "",  # the prompt is not cut out: the prefix is the whole file
}


@dataclass(frozen=True)
class ExportParts:
    """An export file as `prefix` + the prompt written by `ENCODERS[encoding]` + `suffix`."""

    prefix: str
    encoding: str
    suffix: str

    def text(self, body: str) -> str:
        return self.prefix + (ENCODERS[self.encoding](body) or "") + self.suffix


class LimitNote(NamedTuple):
    """A tool limit the persona breaks: the field at fault, what happens, how to fix it."""

    field: str
    message: str
    hint: str


# Agent Skills (agentskills.io/specification): `name` 1-64 of a-z, 0-9 and single hyphens, equal to its folder;
# `description` 1-1,024 characters.
SKILL_NAME_MAX = 64
SKILL_NAME_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
SKILL_DESCRIPTION_MAX = 1024
SKILL_KEYS = ("name", "description", "license", "compatibility", "metadata", "allowed-tools")  # the spec's, in order


def skill_name(slug: str) -> str:
    """The persona's skill name: its slug, or a longer slug cut to the spec's 64 characters with 8 hex digits of its
    SHA-256 at the end, so two long slugs with the same start keep different names."""
    if len(slug) <= SKILL_NAME_MAX:
        return slug
    digest = hashlib.sha256(slug.encode()).hexdigest()[:8]
    return f"{slug[:SKILL_NAME_MAX - 9].rstrip('-')}-{digest}"


def skill_description(persona: Persona) -> str:
    """A skill's own description, else the agent description, cut to the spec's 1,024 characters (with an ellipsis)."""
    own = persona.origin.fields.get("description") if persona.origin and persona.origin.format == "skills" else None
    text = own if isinstance(own, str) and own.strip() else agent_description(persona)
    return text if len(text) <= SKILL_DESCRIPTION_MAX else text[:SKILL_DESCRIPTION_MAX - 1].rstrip() + "…"


@dataclass(frozen=True)
class ExportFormat:
    """One tool's file: its id, where it goes in a project (`{slug}` filled in with the agent's name), its limits,
    its writer and the page of the tool's documentation that defines the format."""

    id: str
    label: str
    render: Render  # (persona, api_model) -> the file's text
    site_name: str  # published as api/v1/exports/<id>/<site_name>
    project_path: str | None  # where the file goes in the user's project; None when it is not a project file
    user_dir: str | None = None  # the tool's folder for every project, if it has one
    note: str = ""
    models: tuple[str, ...] = ()  # `models` slugs of personas written for this tool
    max_body: int | None = None  # characters of prompt the tool accepts
    name_pattern: str | None = None  # what the tool accepts as the agent's name (the slug)
    reserved: frozenset[str] = frozenset()  # names of the tool's built-in agents
    encodings: tuple[str, ...] = ("text",)  # how `render` may write the prompt (names in ENCODERS), tried in order
    docs: str = ""  # the tool's documentation of this file
    agent_name: Callable[[str], str] = str  # the name the tool knows the agent by, from the slug
    companions: Callable[[Persona], dict[str, str]] | None = None  # other files beside it (name -> text), no prompt

    def text(self, persona: Persona, api_model: str = DEFAULT_API_MODEL) -> str:
        return self.render(persona, api_model)

    def parts(self, persona: Persona, api_model: str = DEFAULT_API_MODEL) -> ExportParts:
        """The written file cut around the prompt, where an encoder finds the prompt exactly as the library wrote
        it (its last occurrence: the prompt comes after the fields taken from the persona). `parts.text(body)` is the
        file again."""
        text = self.render(persona, api_model)
        for encoding in self.encodings:
            encoded = ENCODERS[encoding](persona.body)
            if encoded is not None and (at := text.rfind(encoded)) >= 0:
                return ExportParts(text[:at], encoding, text[at + len(encoded):])
        return ExportParts(text, "none", "")

    def site_path(self, slug: str) -> str:
        """Where the persona's export file is published on the site."""
        return export_path(slug, self.id, self.site_name.format(slug=slug))

    def destination(self, slug: str) -> str | None:
        return self.project_path.format(slug=self.agent_name(slug)) if self.project_path else None

    def companion_files(self, persona: Persona) -> dict[str, str]:
        """The other files of the persona's agent, at their paths in a project (beside the main file)."""
        destination = self.destination(persona.slug)
        if self.companions is None or destination is None:
            return {}
        folder = destination.rsplit("/", 1)[0]
        return {f"{folder}/{name}": text for name, text in self.companions(persona).items()}

    def project_files(self, persona: Persona, api_model: str = DEFAULT_API_MODEL) -> dict[str, str]:
        """Every file of the persona's agent at its path in a project (the main file, then any beside it)."""
        destination = self.destination(persona.slug)
        return {destination: self.text(persona, api_model), **self.companion_files(persona)} if destination else {}

    def download_name(self, slug: str) -> str:
        return (self.destination(slug) or self.site_name.format(slug=slug)).rsplit("/", 1)[-1]

    @property
    def bundled(self) -> bool:
        """Whole-catalog zips exist for tools that read one file (or folder) per agent from a folder."""
        return bool(self.project_path and "{slug}" in self.project_path)

    def limit_notes(self, persona: Persona) -> list[LimitNote]:
        """Why the tool would reject, cut or shadow this persona's file; empty when it takes it as it is: the
        verdict shown beside the tool's tab, in the JSON API and by lint."""
        notes = []
        name = self.agent_name(persona.slug)
        if self.max_body is not None and len(persona.body) > self.max_body:
            notes.append(LimitNote("body", f"the prompt has {len(persona.body):,} characters; {self.label} accepts "
                                           f"at most {self.max_body:,} and rejects the file",
                                   f"shorten the prompt to {self.max_body:,} characters"))
        if self.name_pattern and not re.match(self.name_pattern, name):
            notes.append(LimitNote("slug", f"the name '{name}' is not one {self.label} accepts",
                                   f"choose a 'slug:' matching {self.name_pattern}"))
        if name != persona.slug:
            notes.append(LimitNote("slug", f"the slug has {len(persona.slug)} characters, more than the "
                                           f"{SKILL_NAME_MAX} {self.label} allows, so the skill is named '{name}'",
                                   f"choose a 'slug:' of at most {SKILL_NAME_MAX} characters"))
        if name in self.reserved:
            notes.append(LimitNote("slug", f"the name '{name}' is a built-in agent of {self.label}; "
                                           "this file would shadow it or be ignored", "choose another 'slug:'"))
        if self.id == "agent-skills" and len(agent_description(persona)) > SKILL_DESCRIPTION_MAX:
            notes.append(LimitNote("use_when", f"the description has {len(agent_description(persona)):,} "
                                               f"characters, more than the {SKILL_DESCRIPTION_MAX:,} a skill's "
                                               "may have, so it is cut",
                                   f"write a 'use_when:' line of at most {SKILL_DESCRIPTION_MAX:,} characters"))
        return notes


def own_fields(persona: Persona, format_id: str, defaults: dict[str, object]) -> dict[str, object]:
    """The fields of a tool's file: for a persona read from that tool's own format, its fields as written
    (`tools`, `model`, `color`, ...), with the defaults' keys it lacks first; otherwise the defaults."""
    origin = persona.origin
    if origin is None or origin.format != format_id:
        return defaults
    return {**{key: value for key, value in defaults.items() if key not in origin.fields}, **origin.fields}


def _claude_code(persona: Persona, _: str) -> str:
    return front_matter(own_fields(persona, "claude-code", {"name": persona.slug,
                                                            "description": agent_description(persona)}),
                        persona.body)


def _cursor_agent(persona: Persona, _: str) -> str:
    return front_matter({"name": persona.slug, "description": agent_description(persona)}, persona.body)


def _cursor_rule(persona: Persona, _: str) -> str:
    return front_matter(own_fields(persona, "cursor", {"description": agent_description(persona), "globs": None,
                                                       "alwaysApply": False}), persona.body)


def _copilot(persona: Persona, _: str) -> str:
    return front_matter(own_fields(persona, "copilot", {"name": persona.name,
                                                        "description": agent_description(persona)}), persona.body)


def _gemini(persona: Persona, _: str) -> str:
    return front_matter({"name": persona.slug, "description": agent_description(persona), "kind": "local"},
                        persona.body)


def _opencode(persona: Persona, _: str) -> str:
    return front_matter(own_fields(persona, "opencode", {"description": agent_description(persona),
                                                         "mode": "subagent"}), persona.body)


# Kiro's Markdown agent's keys (kiro.dev/docs/custom-agents/, /docs/cli/v3/agent-config/); its name is its path.
KIRO_KEYS = ("description", "model", "tools", "mcpServers", "permissions", "resources", "welcomeMessage")


def _kiro(persona: Persona, _: str) -> str:
    fields = own_fields(persona, "kiro", {"description": agent_description(persona)})
    return front_matter({key: fields[key] for key in KIRO_KEYS if key in fields}, persona.body)


def _skill(persona: Persona, _: str) -> str:
    fields = {**own_fields(persona, "skills", {}), "name": skill_name(persona.slug),
              "description": skill_description(persona)}
    return front_matter({key: fields[key] for key in SKILL_KEYS if key in fields}, persona.body)


def _antigravity_config(persona: Persona, _: str) -> str:
    """`config.yaml`: the prompt as the agent's one system prompt section."""
    config = {"custom_agent": {"system_prompt_sections": [{"title": _Text(persona.name),
                                                           "content": _Text(persona.body)}]}}
    return yaml.dump(config, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=_NO_WRAP)


def _antigravity_manifest(persona: Persona) -> dict[str, str]:
    """`agent.json`: the agent's name, description and where its configuration is."""
    manifest = {"name": persona.slug, "description": agent_description(persona),
                "configPath": {"relativePathToConfig": "config.yaml"}}
    return {"agent.json": json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"}


def _codex(persona: Persona, _: str) -> str:
    fields = own_fields(persona, "codex", {"name": persona.slug, "description": agent_description(persona)})
    return toml_with_text(fields, "developer_instructions", persona.body)


def _agents_md(persona: Persona, _: str) -> str:
    return f"{persona.body}\n"


def _claude_api(persona: Persona, api_model: str) -> str:
    request = {"model": api_model, "max_tokens": API_MAX_TOKENS, "system": persona.body,
               "messages": [{"role": "user", "content": API_USER_PLACEHOLDER}]}
    return json.dumps(request, ensure_ascii=False, indent=2) + "\n"


# Built-in agents a same-named file would shadow or lose to (sources in docs/exports.md).
CLAUDE_CODE_BUILT_IN = frozenset({"explore", "plan", "general-purpose", "claude", "statusline-setup",
                                  "claude-code-guide", "bash"})
COPILOT_BUILT_IN = frozenset({"explore", "task", "code-review", "general-purpose", "research"})
OPENCODE_BUILT_IN = frozenset({"build", "plan", "general", "explore", "compaction", "title", "summary"})

FORMATS: tuple[ExportFormat, ...] = (
    ExportFormat("claude-code", "Claude Code", _claude_code, "{slug}.md", ".claude/agents/{slug}.md",
                 "~/.claude/agents/", "Claude Code loads agent files when a session starts: after adding the first "
                 "one (no .claude/agents/ folder at the start), restart Claude Code; then ask for it by name or let "
                 "Claude delegate to it.", ("claude-code",), name_pattern=SLUG_PATTERN,
                 reserved=CLAUDE_CODE_BUILT_IN, docs="https://code.claude.com/docs/en/sub-agents"),
    ExportFormat("codex", "OpenAI Codex", _codex, "{slug}.toml", ".codex/agents/{slug}.toml", "~/.codex/agents/",
                 "Codex spawns a custom agent when you ask for it by name.", ("codex", "openai-codex"),
                 reserved=frozenset({"default", "worker", "explorer"}), encodings=("toml-multiline", "toml"),
                 docs="https://developers.openai.com/codex/subagents"),
    ExportFormat("agent-skills", "Agent Skills", _skill, "{slug}/SKILL.md", ".agents/skills/{slug}/SKILL.md",
                 "~/.agents/skills/", "A skill for every tool that reads Agent Skills (Codex, Copilot, Cursor, "
                 "OpenCode, Amp, Kiro, Antigravity and others): the agent loads it when its description fits the "
                 "task. Some tools keep their own folder (Claude Code: .claude/skills/).", ("agent-skills",),
                 name_pattern=SKILL_NAME_PATTERN, docs="https://agentskills.io/specification",
                 agent_name=skill_name),
    ExportFormat("cursor-agent", "Cursor subagent", _cursor_agent, "{slug}.md", ".cursor/agents/{slug}.md",
                 "~/.cursor/agents/", "Cursor's agent delegates to it when the description fits the task.",
                 ("cursor",), name_pattern=SLUG_PATTERN, reserved=frozenset({"explore", "bash", "browser"}),
                 docs="https://cursor.com/docs/agent/subagents"),
    ExportFormat("cursor", "Cursor rule", _cursor_rule, "{slug}.mdc", ".cursor/rules/{slug}.mdc", None,
                 "An agent-requested rule: Cursor attaches it when the description fits, or when you @-mention it.",
                 ("cursor",), docs="https://cursor.com/docs/context/rules"),
    ExportFormat("copilot", "GitHub Copilot", _copilot, "{slug}.agent.md", ".github/agents/{slug}.agent.md",
                 "~/.copilot/agents/", "Pick the agent in Copilot Chat or the Copilot CLI, or assign it to an issue.",
                 ("copilot", "github-copilot"), max_body=30_000, reserved=COPILOT_BUILT_IN,
                 docs="https://docs.github.com/en/copilot/reference/custom-agents-configuration"),
    ExportFormat("kiro", "Kiro", _kiro, "{slug}.md", ".kiro/agents/{slug}.md", "~/.kiro/agents/",
                 "Kiro shows the agent in its agent selector as soon as the file is saved (workspace agents once "
                 "the workspace is trusted).", ("kiro",), docs="https://kiro.dev/docs/custom-agents/"),
    ExportFormat("antigravity", "Antigravity CLI", _antigravity_config, "{slug}.config.yaml",
                 ".agents/agents/{slug}/config.yaml", "~/.gemini/antigravity-cli/agents/",
                 "An Antigravity CLI subagent is a folder: config.yaml (the prompt) and agent.json beside it "
                 "(name, description). Antigravity runs subagents in the background; list them with /agents.",
                 ("antigravity", "antigravity-cli", "agy"), encodings=("yaml",),
                 docs="https://antigravity.google/docs/subagents", companions=_antigravity_manifest),
    ExportFormat("gemini-cli", "Gemini CLI (enterprise)", _gemini, "{slug}.md", ".gemini/agents/{slug}.md",
                 "~/.gemini/agents/", "For Gemini CLI with a Gemini Code Assist licence or an API key (it stopped "
                 "serving individual accounts on 2026-06-18; they use Antigravity CLI). Run /agents reload, then "
                 "call it with @name.", ("gemini-cli", "gemini"), name_pattern=r"^[a-z0-9_-]+$",
                 reserved=frozenset({"codebase_investigator", "cli_help", "generalist", "browser_agent"}),
                 docs="https://geminicli.com/docs/core/subagents"),
    ExportFormat("opencode", "OpenCode", _opencode, "{slug}.md", ".opencode/agents/{slug}.md",
                 "~/.config/opencode/agents/", "A subagent: call it with @name or let the primary agent use it.",
                 ("opencode",), reserved=OPENCODE_BUILT_IN, docs="https://opencode.ai/docs/agents"),
    ExportFormat("agents-md", "AGENTS.md", _agents_md, "{slug}.md", "AGENTS.md", None,
                 "Makes the persona the repository's default instructions for every agent that reads AGENTS.md "
                 "(Codex, Cursor, Copilot, Gemini CLI, OpenCode and others); it replaces an existing AGENTS.md.",
                 ("agents-md",), docs="https://agents.md/"),
    ExportFormat("claude-api", "Claude API", _claude_api, "{slug}.json", None, None,
                 f"A Messages API request body: replace the user message, then POST it to /v1/messages. "
                 f"max_tokens ({API_MAX_TOKENS:,}) caps thinking and answer together.", ("claude-api",),
                 encodings=("json",), docs="https://docs.anthropic.com/en/api/messages"),
)
FORMATS_BY_ID = {f.id: f for f in FORMATS}


def formats_for(persona: Persona) -> list[ExportFormat]:
    """Every format, the tools the persona is written for (its `models`) first."""
    return sorted(FORMATS, key=lambda f: not set(f.models) & set(persona.models))


def export_text(persona: Persona, format_id: str, api_model: str = DEFAULT_API_MODEL) -> str:
    """The export file's text for one persona and one format."""
    return FORMATS_BY_ID[format_id].text(persona, api_model)
