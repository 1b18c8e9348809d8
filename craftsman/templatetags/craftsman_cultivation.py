from django import template

register = template.Library()


@register.simple_tag
def cultivation_status(page):
    """The 培养状态 line of a public profile page ('' when unknown or revoked)."""
    from craftsman.cultivation import public_status
    from craftsman.models import Craftsman

    return public_status(Craftsman.objects.filter(profile_page_id=page.pk).first())
