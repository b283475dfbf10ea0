"""Per-tool export files: a registry of small writers (`formats`), the problems their limits raise (`checks`)
and whole-catalog installs (`bundles`, zipped by `zipping`). See docs/exports.md for each format and its
documentation."""

from persona_catalog.exports.bundles import (
                      Exports,
                      each_bundle,
                      export_file,
                      export_parts,
                      json_file,
                      marketplace_members,
                      skill_zip,
                      tool_bundles,
                      zip_bytes,
)
from persona_catalog.exports.checks import api_model_warning, export_advice, export_problems
from persona_catalog.exports.formats import (
                      API_MAX_TOKENS,
                      API_USER_PLACEHOLDER,
                      DEFAULT_API_MODEL,
                      ENCODERS,
                      FORMATS,
                      FORMATS_BY_ID,
                      KNOWN_API_MODELS,
                      ExportFormat,
                      ExportParts,
                      agent_description,
                      export_text,
                      formats_for,
                      front_matter,
)

__all__ = [
                      "API_MAX_TOKENS",
                      "API_USER_PLACEHOLDER",
                      "DEFAULT_API_MODEL",
                      "ENCODERS",
                      "FORMATS",
                      "FORMATS_BY_ID",
                      "KNOWN_API_MODELS",
                      "ExportFormat",
                      "ExportParts",
                      "Exports",
                      "agent_description",
                      "api_model_warning",
                      "each_bundle",
                      "export_advice",
                      "export_file",
                      "export_parts",
                      "export_problems",
                      "export_text",
                      "formats_for",
                      "front_matter",
                      "json_file",
                      "marketplace_members",
                      "skill_zip",
                      "tool_bundles",
                      "zip_bytes",
]
