"""Search: the Pagefind index, fed page by page in shards, and its wiring into the theme's search box."""
