"""The MkDocs (and ProperDocs) adapter: the `persona-catalog` plugin, its options, what a `--dirty`
rebuild skips, and the theme overrides in `theme/`."""
