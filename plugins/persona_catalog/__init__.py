"""Persona Catalog: turn a folder of AI persona files into a browsable, searchable Material for MkDocs site."""

__version__ = "0.1.0"
