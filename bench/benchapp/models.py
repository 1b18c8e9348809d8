"""The floor: a Wagtail page with nothing but its title.

It is served by the same Wagtail ``serve`` view, site lookup and middleware as every
public page, but renders a standalone template with no navigation, no hooks and no
queries of its own: whatever a real page costs beyond it is the site's own work.
Wagtail's base ``Page`` cannot be used: it has no template to render.

``?chrome=1`` renders the same title inside the site's own base template (header,
navigation, search box, breadcrumbs, footer): not a target, but the report's way of
telling how much of a page's time is the site's frame and how much its own content.
"""

from wagtail.models import Page


class BenchFloorPage(Page):
    template = "benchapp/bench_floor_page.html"
    parent_page_types = ["website.HomePage"]
    subpage_types = []

    def get_template(self, request, *args, **kwargs):
        if request.GET.get("chrome"):
            return "benchapp/bench_floor_in_site.html"
        return self.template

    class Meta:
        verbose_name = "基准页面"
