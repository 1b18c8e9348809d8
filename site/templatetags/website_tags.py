from django import template
from wagtail import hooks
from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("website/includes/main_nav.html", takes_context=True)
def main_nav(context):
    """Top navigation: the home page, its children shown in menus, then plugin links."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    items = []
    current_path = request.path if request else ""
    if site:
        root = site.root_page
        items.append({"title": "首页", "url": "/", "active": current_path == "/"})
        for page in root.get_children().live().in_menu().only("title", "url_path"):
            url = page.get_url(request)
            items.append(
                {"title": page.title, "url": url, "active": current_path.startswith(url or "#")}
            )
    for hook in hooks.get_hooks("public_nav_items"):
        for item in hook(request):
            item.setdefault("active", current_path.startswith(item["url"]))
            items.append(item)
    return {"items": items}


@register.filter
def breadcrumb_ancestors(page):
    """The page's ancestors below the tree root, top first, for the breadcrumbs.

    Wagtail's routing has already loaded every parent on the way down and left each on
    its child (``_cached_parent_obj``); walking those costs no query.  Only when a link is
    missing (a preview, a page not reached by routing) is ``get_ancestors`` asked.
    """
    chain = []
    current = page
    while current.depth > 2:
        parent = getattr(current, "_cached_parent_obj", None)
        if parent is None:
            return list(page.get_ancestors()[1:])
        chain.append(parent)
        current = parent
    return chain[::-1]
