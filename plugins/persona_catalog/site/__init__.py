"""The generated site: its public URLs, page kinds, rendering with the templates in `templates/`, the page
assets in `assets/`, dates and history from git, and publishing facts (badges, edit and history links)."""
