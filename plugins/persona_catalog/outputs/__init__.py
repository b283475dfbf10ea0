"""The machine-readable outputs: the JSON API and listing JSON, Atom feeds, discovery files (`llms.txt`,
`robots.txt`), and safe writing into the site folder."""
