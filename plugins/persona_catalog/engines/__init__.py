"""Adapters between the build and a site engine. Each registers a module under the `persona_catalog.engines`
entry points (pyproject.toml) with `build(config_file, strict)` and `serve(config_file, port)`, which the command
line loads by name (`--engine`) without importing an adapter itself."""
