"""The catalog's format: the field table, records, slugs, the file policy, the YAML boundary, validation,
problems and the JSON Schema. Imports nothing from the other rooms."""
