"""Adapters between the build and a site engine."""
