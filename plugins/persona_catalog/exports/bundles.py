"""Whole-catalog installs: per tool, one zip of every persona and one per category, laid out as the tool expects
in a project; a Claude Code plugin marketplace as a zip (one plugin per category), and with an https site address
a marketplace the site serves itself (`marketplace.json` whose plugins are the site's own zips). Each persona's file
for a tool is compressed once and the same bytes go into every zip that holds it (`zipping`). Deterministic: sorted
entries, fixed timestamps and permissions, so the same catalog always gives the same bytes."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from persona_catalog.catalog.files import ATTACHMENT_MAX_BYTES, read_bounded
from persona_catalog.catalog.model import SLUG_PATTERN, Catalog, Persona
from persona_catalog.exports.formats import (
    DEFAULT_API_MODEL,
    FORMATS,
    FORMATS_BY_ID,
    ExportFormat,
    ExportParts,
    skill_name,
)
from persona_catalog.exports.zipping import Deflated, deflate, zip_archive
from persona_catalog.site.urls import (
    MARKETPLACE_JSON_PATH,
    bundle_path,
    marketplace_path,
    marketplace_plugin_path,
)

# Claude Code refuses a plugin archive larger than this (code.claude.com/docs/en/plugin-marketplaces, Zip archives).
ARCHIVE_LIMIT = 256 * 1024 * 1024
WHOLE_CATALOG_PLUGIN = "all-personas"
log = logging.getLogger("mkdocs.plugins.persona_catalog")
# Marketplace names Claude Code reserves for Anthropic (code.claude.com/docs/en/plugins/marketplace-reference,
# Reserved names, read 2026-12: official, community and plugin directory names); names that impersonate an
# official marketplace are blocked too, which `marketplace_name_problem` approximates by two words.
RESERVED_MARKETPLACE_NAMES = frozenset({
    "claude-code-marketplace", "claude-code-plugins", "claude-plugins-official", "claude-plugins-community",
    "claude-community", "anthropic-marketplace", "anthropic-plugins", "agent-skills", "anthropic-agent-skills",
    "knowledge-work-plugins", "life-sciences", "claude-for-legal", "claude-for-financial-services",
    "financial-services-plugins", "first-party-plugins", "claude-tag-plugins", "healthcare",
    "anthropic-plugin-directory", "claude-plugin-directory",
})


@dataclass(frozen=True)
class Marketplace:
    """The Claude Code marketplace the site offers: its `name` (`/plugin install <plugin>@<name>`), `owner`, and
    `url`, which makes a site path an absolute URL when the site has an https address (else None: zip only)."""

    name: str
    owner: str
    url: Callable[[str], str] | None = None


def marketplace_name_problem(name: str) -> str | None:
    """Why Claude Code would refuse `name` as a marketplace's name, or None."""
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", name):
        return f"the marketplace name '{name}' is not kebab-case (lowercase letters, digits, single hyphens)"
    if name in RESERVED_MARKETPLACE_NAMES:
        return f"the marketplace name '{name}' is reserved by Claude Code for Anthropic's own marketplaces"
    words = set(name.split("-"))
    if "anthropic" in words or {"claude", "official"} <= words:
        return f"the marketplace name '{name}' looks like an official Anthropic marketplace, which Claude Code blocks"
    return None


def skill_zip(persona: Persona) -> bytes:
    """A skill's folder as one zip: `<name>/SKILL.md` (the file as read) and its other files, each read again by
    the file policy (a file that became unreadable, or a link out, since the folder was read is left out)."""
    name = persona.origin.name if persona.origin is not None else ""
    folder = name if re.fullmatch(SLUG_PATTERN, name) else persona.slug  # never `../` or a path into the zip
    members = {f"{folder}/SKILL.md": persona.raw}
    members.update((f"{folder}/{name}", data) for name, data in skill_files(persona))
    return zip_bytes(members)


def skill_files(persona: Persona) -> Iterator[tuple[str, bytes]]:
    """A skill's other files (`references/...`, `scripts/...`), each read again by the file policy: a file that
    became unreadable, or a link out, since the folder was read is left out."""
    for attachment in persona.files:
        data = read_bounded(Path(attachment.path), ATTACHMENT_MAX_BYTES)
        if isinstance(data, bytes):
            yield attachment.name, data


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    """A zip of `files` (path -> content) that depends on nothing but them."""
    return zip_archive((name, deflate(content)) for name, content in files.items())


Exports = Mapping[tuple[str, str], ExportParts]  # (format id, slug) -> the export file, cut around the prompt


def export_parts(catalog: Catalog, api_model: str = DEFAULT_API_MODEL) -> dict[tuple[str, str], ExportParts]:
    """Every export of every persona, written once per build for the pages, the zips and the optional files.
    Kept cut around the prompt, so holding them costs a few hundred bytes per file, not the prompt again."""
    return {(fmt.id, p.slug): fmt.parts(p, api_model) for p in catalog.personas for fmt in FORMATS}


def export_file(exports: Exports, fmt: ExportFormat, persona: Persona) -> bytes:
    """One persona's file for one tool."""
    return exports[fmt.id, persona.slug].text(persona.body).encode("utf-8")


def tool_bundles(catalog: Catalog, exports: Exports | None = None) -> dict[str, bytes]:
    """Site path -> zip, for every tool that keeps one file per agent: the whole catalog and each category."""
    return dict(each_bundle(catalog, exports))


def each_bundle(catalog: Catalog, exports: Exports | None = None, marketplace: Marketplace | None = None,
                zips: bool = True) -> Iterator[tuple[str, bytes]]:
    """Every zip one at a time (site path, bytes), so a build writes each as it is made: each tool's whole-catalog
    and category zips, and with `marketplace` the Claude Code marketplace zip and, with its `url`, the marketplace
    the site serves; without `zips`, only that served marketplace. Formats with the same writer (Claude Code and
    Cursor subagents) write the same file, so they share its compressed bytes; they are held for one writer at a
    time."""
    exports = export_parts(catalog) if exports is None else exports
    writers: dict[object, list[ExportFormat]] = {}
    for fmt in FORMATS:
        if fmt.bundled:
            writers.setdefault(fmt.render, []).append(fmt)
    for same in writers.values():
        claude_code = marketplace is not None and any(f.id == "claude-code" for f in same)
        if not zips and not (claude_code and marketplace is not None and marketplace.url is not None):
            continue
        files = {p.slug: deflate(export_file(exports, same[0], p)) for p in catalog.personas}
        others = {p.slug: [(name, deflate(text.encode("utf-8"))) for name, text in
                           sorted(same[0].companions(p).items())] for p in catalog.personas} if same[0].companions else {}
        if same[0].id == "agent-skills":  # a skill's own files go with it
            others = {p.slug: [(name, deflate(data)) for name, data in skill_files(p)] for p in catalog.personas
                      if p.files}
        for fmt in same if zips else ():
            yield bundle_path(fmt.id), _tool_zip(fmt, catalog.personas, files, others)
            for category in catalog.categories:
                yield bundle_path(fmt.id, category.id), _tool_zip(fmt, catalog.by_category[category.id], files, others)
        if claude_code and marketplace is not None:
            members = plugin_members(catalog, exports, files)
            if zips:
                yield marketplace_path(), zip_archive(marketplace_members(catalog, marketplace.name,
                                                                          marketplace.owner, members))
            if marketplace.url is not None:
                yield from served_marketplace(catalog, marketplace, members)


PluginMembers = Mapping[str, list[tuple[str, Deflated]]]


def plugin_members(catalog: Catalog, exports: Exports, agents: Mapping[str, Deflated]) -> PluginMembers:
    """Slug -> the files a persona brings to a Claude Code plugin, at their paths in it: its sub-agent
    (`agents/<slug>.md`, `agents`: compressed) and its Agent Skill (`skills/<name>/SKILL.md`)."""
    skill = FORMATS_BY_ID["agent-skills"]
    return {p.slug: [(f"agents/{p.slug}.md", agents[p.slug]),
                     (f"skills/{skill_name(p.slug)}/SKILL.md", deflate(export_file(exports, skill, p))),
                     *((f"skills/{skill_name(p.slug)}/{name}", deflate(data)) for name, data in skill_files(p))]
            for p in catalog.personas}


def _tool_zip(fmt: ExportFormat, personas: Iterable[Persona], files: Mapping[str, Deflated],
              others: Mapping[str, list[tuple[str, Deflated]]]) -> bytes:
    """The personas' files at their paths in a project (with the files beside each, such as Antigravity's
    agent.json)."""
    members: list[tuple[str, Deflated]] = []
    for p in personas:
        destination = fmt.destination(p.slug)
        assert destination is not None
        members.append((destination, files[p.slug]))
        folder = destination.rsplit("/", 1)[0]
        members += [(f"{folder}/{name}", member) for name, member in others.get(p.slug, ())]
    return zip_archive(members)


@dataclass(frozen=True)
class PluginArchive:
    """One plugin of the served marketplace: its name, description, content version and zip."""

    name: str
    description: str
    version: str
    data: bytes

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def plugin_archive(name: str, description: str, owner: str, agents: Iterable[tuple[str, Deflated]]) -> PluginArchive:
    """A plugin zip laid out as Claude Code expects at the top of an archive (`.claude-plugin/plugin.json`, then
    `agents/` and `skills/`), whose version is derived from its content: the same agents and description give the
    same version, any change a new one (Claude Code updates an installed plugin only when its declared version changes)."""
    members = sorted(agents)
    digest = hashlib.sha256(json_file([name, description, owner]))
    for path, member in members:
        digest.update(f"{path}\0{member.crc}\0{member.size}\0".encode() + member.data)
    version = f"1.0.0-c{digest.hexdigest()[:12]}"  # a letter first: a valid semver pre-release in every case
    manifest = {"name": name, "version": version, "description": description, "author": {"name": owner}}
    data = zip_archive([(".claude-plugin/plugin.json", deflate(json_file(manifest))), *members])
    return PluginArchive(name, description, version, data)


def served_marketplace(catalog: Catalog, marketplace: Marketplace,
                       members: PluginMembers) -> Iterator[tuple[str, bytes]]:
    """The marketplace the site serves: one plugin zip per category (and one of the whole catalog while it stays
    under Claude Code's archive limit), then `marketplace.json` naming each by its https URL, its `sha256` and its
    version."""
    assert marketplace.url is not None
    plugins = []
    groups = [(c.id, category_description(c.title, c.description, marketplace.owner), catalog.by_category[c.id])
              for c in catalog.categories]
    if WHOLE_CATALOG_PLUGIN not in {c.id for c in catalog.categories} and catalog.personas:
        groups.append((WHOLE_CATALOG_PLUGIN, f"Every persona of {marketplace.owner} as Claude Code sub-agents.",
                       catalog.personas))
    for name, description, personas in groups:
        archive = plugin_archive(name, description, marketplace.owner,
                                 (member for p in personas for member in members[p.slug]))
        if len(archive.data) > ARCHIVE_LIMIT:  # left out, and said: the whole catalog's categories remain
            whole = name == WHOLE_CATALOG_PLUGIN
            log.log(logging.INFO if whole else logging.WARNING,
                    f"Claude Code marketplace: the plugin '{name}' would be a {len(archive.data):,}-byte archive, "
                    f"more than the {ARCHIVE_LIMIT:,} bytes Claude Code accepts, so the site does not serve it; "
                    + ("its categories' plugins hold every persona" if whole else
                       "fix: split the category (move some of its personas to another 'category:')"))
            continue
        path = marketplace_plugin_path(name)
        yield path, archive.data
        plugins.append({"name": name, "description": description, "version": archive.version,
                        "author": {"name": marketplace.owner},
                        "source": {"source": "archive", "url": marketplace.url(path), "sha256": archive.sha256}})
    yield MARKETPLACE_JSON_PATH, json_file({"name": marketplace.name, "owner": {"name": marketplace.owner},
                                            "description": f"Personas of {marketplace.owner} as Claude Code "
                                                           "sub-agents, one plugin per category.",
                                            "plugins": plugins})


def category_description(title: str, description: str, owner: str) -> str:
    return description or f"{title} personas from {owner} as Claude Code sub-agents."


def marketplace_members(catalog: Catalog, name: str, owner: str,
                        members: PluginMembers) -> Iterator[tuple[str, Deflated]]:
    """A Claude Code plugin marketplace in folder `name`: one plugin per category, its personas as agents and
    skills (`members`: `plugin_members`)."""
    plugins = []
    for category in catalog.categories:
        description = category_description(category.title, category.description, owner)
        root = f"plugins/{category.id}"
        plugins.append({"name": category.id, "source": f"./{root}", "description": description})
        manifest = {"name": category.id, "description": description}
        yield f"{name}/{root}/.claude-plugin/plugin.json", deflate(json_file(manifest))
        for persona in catalog.by_category[category.id]:
            for path, member in members[persona.slug]:
                yield f"{name}/{root}/{path}", member
    yield f"{name}/.claude-plugin/marketplace.json", deflate(json_file({"name": name, "owner": {"name": owner},
                                                                        "plugins": plugins}))


def json_file(value: object) -> bytes:
    """A JSON file as the site publishes them: indented, UTF-8, a final newline."""
    return (json.dumps(value, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
