"""URLs of the site.  Plugins mount their public URLs through ``settings.PLUGINS``.

A plugin that has a ``urls`` module is included under the prefix it names in
``PUBLIC_URL_PREFIX`` (for example ``apply/``).  The site never imports a plugin
module by name, so it runs with any plugin removed.
"""

from importlib import import_module
from importlib.util import find_spec

from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from website import health, views
from website.api import api_router
from website.security.audit_log import site_history_urls

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    # Wagtail's site history report, reading every entry for the 审计管理员.
    *site_history_urls(),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("search/", views.search, name="search"),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("api/v2/", api_router.urls),
]

for plugin in settings.PLUGINS:
    if find_spec(f"{plugin}.urls"):
        module = import_module(f"{plugin}.urls")
        urlpatterns.append(path(module.PUBLIC_URL_PREFIX, include(module)))

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns.append(path("", include(wagtail_urls)))

handler404 = "website.views.page_not_found"
handler500 = "website.views.server_error"
