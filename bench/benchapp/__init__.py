"""A bench-only Django app: the floor page the public pages are compared with.

Installed only when ``BENCH=1`` (site/settings.py), never in the product.
"""
