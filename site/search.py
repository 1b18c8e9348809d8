"""Site search over every live public page."""

from wagtail.models import Page


def search_pages(query):
    """Live, public pages matching ``query``, best first."""
    return Page.objects.live().public().specific().search(query, operator="and")
