"""WSGI entry point: ``gunicorn website.wsgi``.

Cached public pages are answered by ``PageCacheApplication`` before Django's handler
(``website.page_cache``); everything else goes to Django unchanged.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "website.settings")

application = get_wsgi_application()

from website.page_cache import PageCacheApplication  # noqa: E402  (needs settings)

application = PageCacheApplication(application)
