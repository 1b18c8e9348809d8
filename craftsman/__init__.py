"""Craftsman plugin: rounds, submissions, review, conferral, cultivation, revocation, profiles.

May import ``publications`` and ``website``; neither imports it, so the site
runs with this plugin removed (``CRAFTSMAN_ENABLED=0``).
"""
