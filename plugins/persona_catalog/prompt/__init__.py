"""A prompt as safe HTML that shows everything it carries, its length, and the worker processes that render
prompts during a build."""
