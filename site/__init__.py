"""The Wagtail project: settings, URLs, home page, search, base templates.

Imported as ``website`` (the standard library owns the name ``site``); the
mapping is in pyproject.toml.
"""
