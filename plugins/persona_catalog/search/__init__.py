"""Search: the site's own term-partitioned index, fed page by page, and its wiring into the theme's search box."""
