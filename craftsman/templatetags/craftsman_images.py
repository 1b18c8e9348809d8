"""``{% photo %}``: a responsive ``<img srcset>`` of a profile photo that stays valid HTML.

Wagtail's ``{% srcset_image %}`` lists one rendition per filter; a photo smaller than the
largest filter gives several renditions of the same width, and a ``srcset`` with a width
twice is invalid (the Nu checker rejects it, browsers may ignore it).  This tag asks for the
same renditions in one go and keeps one per width.
"""

from django import template
from wagtail.images.models import ResponsiveImage

register = template.Library()


@register.simple_tag
def photo(image, filter_specs, sizes="", alt=""):
    """``filter_specs`` is space-separated, e.g. ``"fill-160x200 fill-320x400"``."""
    if not image:
        return ""
    renditions = image.get_renditions(*filter_specs.split())
    by_width = {}
    for spec, rendition in renditions.items():
        by_width.setdefault(rendition.width, (spec, rendition))
    unique = dict(by_width[width] for width in sorted(by_width))
    attrs = {"alt": alt, "loading": "lazy"}
    if sizes and len(unique) > 1:
        attrs["sizes"] = sizes
    return ResponsiveImage(unique, attrs)
