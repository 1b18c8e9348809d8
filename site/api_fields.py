"""Serializer fields that page models use in their ``api_fields`` (see ``website.api``).

Kept apart from ``website.api``: models import this module while the app registry is
still loading, and Wagtail's API views cannot be imported that early.
"""

from rest_framework import serializers
from wagtail.rich_text import expand_db_html


class RichTextHTMLField(serializers.Field):
    """A rich text field as the HTML the public page shows (internal links expanded)."""

    def to_representation(self, value):
        return expand_db_html(value or "")
