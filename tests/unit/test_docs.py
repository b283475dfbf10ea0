"""The docs stay true to the code: every field and every option is documented, every check is listed."""

from __future__ import annotations

import re

from conftest import ROOT
from persona_catalog import FIELDS, FORMATS
from persona_catalog.engines.mkdocs.config import CategoryConfig, PersonaCatalogConfig


def table_keys(markdown: str) -> set[str]:
    """The back-quoted first cells of a Markdown table's rows."""
    return set(re.findall(r"^\| `([a-z_-]+)` \|", markdown, flags=re.MULTILINE))


def field_rows(markdown: str) -> list[tuple[str, str]]:
    """(field, required column) of each row of the first table headed `| field | required |`."""
    table = markdown.split("| field | required |", 1)[1].split("\n\n", 1)[0]
    return re.findall(r"^\| `([a-z_]+)` \| (yes|no) \|", table, flags=re.MULTILINE)


def test_the_format_tables_match_the_field_table() -> None:
    """docs/format.md and README list FIELDS in its order, required as it says (docs/format.md also `origin`)."""
    fields = [(f.name, "yes" if f.required else "no") for f in FIELDS]
    assert field_rows((ROOT / "docs/format.md").read_text()) == [*fields, ("origin", "no")]
    assert field_rows((ROOT / "README.md").read_text()) == fields


def test_every_option_is_documented() -> None:
    documented = table_keys((ROOT / "docs/configuration.md").read_text())
    assert {name for name, _ in PersonaCatalogConfig._schema} <= documented
    text = (ROOT / "docs/configuration.md").read_text()
    assert all(f"`{name}`" in text for name, _ in CategoryConfig._schema)


def test_every_export_format_is_documented() -> None:
    assert {f.id for f in FORMATS} <= table_keys((ROOT / "docs/exports.md").read_text())


def test_every_docs_page_is_in_the_nav_or_named_not_in_it() -> None:
    config = (ROOT / "mkdocs.yml").read_text()
    for page in (ROOT / "docs").glob("*.md"):
        assert page.name in config, page.name


def test_context_window_sizes_and_the_token_method_are_documented_as_built() -> None:
    from persona_catalog import CHARACTERS_PER_TOKEN, CONTEXT_WINDOW_MEANINGS

    text = " ".join((ROOT / "docs/format.md").read_text().split())
    for size, meaning in CONTEXT_WINDOW_MEANINGS.items():  # the page's explanation, quoted word for word
        assert f"`{size}`: {meaning}" in text, size
    assert f"characters / {CHARACTERS_PER_TOKEN}" in text


def test_readme_pictures_exist_and_are_made_by_the_script() -> None:
    """Every picture the README shows is in the repository and is one the screenshot script writes."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("screenshots", ROOT / "scripts" / "screenshots.py")
    assert spec is not None and spec.loader is not None
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    made = {f"docs/assets/screenshots/{view}-{scheme}-{width}.png"
            for view in script.VIEWS for scheme in script.SCHEMES for width in script.WIDTHS}
    shown = re.findall(r'<img src="([^"]+)"', (ROOT / "README.md").read_text())
    assert shown and set(shown) <= made
    assert all((ROOT / path).is_file() for path in made)


def test_every_reader_has_its_mapping_table_and_the_written_keys_are_documented() -> None:
    """docs/collections.md: each `format:` a source may name, a mapping table for each tool's reader, and the keys
    the Kiro and Agent Skills exports write back (formats.KIRO_KEYS, SKILL_KEYS) in their rows."""
    from persona_catalog.catalog import sources
    from persona_catalog.exports import KIRO_KEYS, SKILL_KEYS
    text = (ROOT / "docs/collections.md").read_text()
    snippet = re.search(r"format: auto +# or (.+)", text)
    assert snippet and set(sources.FORMAT_IDS) - {"auto"} == set(snippet.group(1).split(", "))
    sections = {part.split("\n", 1)[0]: part.split("\n## ", 1)[0] for part in text.split("\n### ")[1:]}
    mapping = {"claude-code": "Claude Code sub-agents", "skills": "Agent Skills", "cursor": "Cursor rules",
               "copilot": "GitHub Copilot custom agents", "codex": "Codex custom agents",
               "opencode": "OpenCode agents", "kiro": "Kiro agents"}
    assert set(mapping) == set(sources.TOOL_FORMATS)
    for section in mapping.values():
        assert re.search(r"^\| .+ \| persona \|", sections[section], flags=re.MULTILINE), section
    assert all(f"`{key}`" in sections["Kiro agents"] for key in KIRO_KEYS)
    assert all(f"`{key}`" in sections["Agent Skills"] for key in SKILL_KEYS)
