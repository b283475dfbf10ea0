"""The Zensical adapter: generate into a staging copy of the docs, `zensical build`, finish (see `build`)."""
