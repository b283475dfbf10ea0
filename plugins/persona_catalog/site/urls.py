"""Every public path of the site in one place: they are a contract (see docs/api.md and the README).

`*_uri` are docs paths of generated pages (MkDocs turns `personas/x.md` into `/personas/x/`);
the others are site paths of files written as they are.
"""

from __future__ import annotations

API_VERSION = "v1"
API_ROOT = f"api/{API_VERSION}"
INDEX_PATH = f"{API_ROOT}/personas.json"
SCHEMA_PATH = "schema/persona.schema.json"
CATEGORIES_INDEX = "categories/index.md"
TAGS_INDEX = "tags/index.md"
# Every persona, paginated: `/all/`, `/all/page/2/`, ... A top-level name: personas, tags and categories live
# under their own folders (`personas/`, `tags/`, `categories/`), so no slug, tag or category can take it.
ALL_URI = "all.md"
LISTING_PATH = f"{API_ROOT}/listing.json"  # the home page's compact listing (docs/api.md)


def persona_uri(slug: str) -> str:
    return f"personas/{slug}.md"


def category_uri(category_id: str) -> str:
    return f"categories/{category_id}.md"


def tag_uri(tag: str) -> str:
    return f"tags/{tag}.md"


def listing_uri(first: str, number: int) -> str:
    """Docs path of page `number` of a listing whose first page is `first`: `tags/sql.md` -> `tags/sql/page/2.md`.

    A slug, tag or category id never contains `/`, so `<listing>/page/<n>` is free whatever the catalog holds.
    """
    return first if number == 1 else f"{first.removesuffix('.md')}/page/{number}.md"


def page_path(slug: str) -> str:
    """Site path of a persona's page, `/personas/<slug>/`."""
    return f"personas/{slug}/"


def raw_path(slug: str) -> str:
    """Site path of a persona's source file, offered for download."""
    return f"personas/{slug}/{slug}.md"


def skill_zip_path(slug: str) -> str:
    """Site path of a skill's folder as one zip (`SKILL.md` and its other files)."""
    return f"personas/{slug}/{slug}.zip"


def persona_json_path(slug: str) -> str:
    return f"{API_ROOT}/personas/{slug}.json"


def export_path(slug: str, format_id: str, filename: str) -> str:
    """Site path of one export file: `api/v1/exports/<format>/<file>`."""
    return f"{API_ROOT}/exports/{format_id}/{filename}"


# Publishing: feeds, files for crawlers and AI tools, the contributor guide, the tools' guide.
FEED_PATH = "feed.xml"
LLMS_PATH = "llms.txt"
ROBOTS_PATH = "robots.txt"
CONTRIBUTING_URI = "contributing.md"
TOOLS_URI = "tools.md"  # how each tool takes a persona's file: the persona pages' tool panels link its sections


def category_path(category_id: str) -> str:
    """Site path of a category's page, `/categories/<id>/`."""
    return f"categories/{category_id}/"


def tag_path(tag: str) -> str:
    """Site path of a tag's page, `/tags/<tag>/`."""
    return f"tags/{tag}/"


def category_feed_path(category_id: str) -> str:
    """Site path of a category's Atom feed, beside its page."""
    return f"{category_path(category_id)}feed.xml"


def bundle_path(format_id: str, category: str | None = None) -> str:
    """Site path of a whole-catalog zip for one tool, or of one category's zip."""
    return f"{API_ROOT}/bundles/{format_id}/" + (f"categories/{category}.zip" if category else "all.zip")


def marketplace_path() -> str:
    """Site path of the Claude Code plugin marketplace, zipped."""
    return f"{API_ROOT}/bundles/claude-code-marketplace.zip"


# The Claude Code marketplace the site serves (with an https site address): `/plugin marketplace add <its URL>`.
MARKETPLACE_JSON_PATH = f"{API_ROOT}/claude-code/marketplace.json"


def marketplace_plugin_path(plugin: str) -> str:
    """Site path of one plugin of the served marketplace, a zip Claude Code downloads (`archive` source)."""
    return f"{API_ROOT}/claude-code/plugins/{plugin}.zip"


# What the build's summary line counts an output as, by where it is written (first match).
OUTPUT_KINDS = (("zips", f"{API_ROOT}/bundles/"), ("marketplace", f"{API_ROOT}/claude-code/"),
                ("export files", f"{API_ROOT}/exports/"), ("persona json", f"{API_ROOT}/personas/"),
                ("api", f"{API_ROOT}/"), ("api", "schema/"),
                ("raw files", "personas/"))


def output_kind(path: str) -> str:
    """`zips`, `marketplace`, `export files`, `persona json` (each persona's JSON document), `api`, `raw files`
    (a persona's source file, a skill's zip) or
    `other` (feeds, `llms.txt`, the search vocabulary, ...) for an output's site path."""
    return next((kind for kind, prefix in OUTPUT_KINDS if path.startswith(prefix)), "other")

