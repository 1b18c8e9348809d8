"""The WSGI application for the load test (tests/security/test_load.py), nothing else.

The objection form allows 5 submissions per address in 10 minutes, and the load
test's 100 submissions all come from 127.0.0.1 (the site does not trust
X-Forwarded-For, rightly).  This module raises that limit for the test server
only; the site's own ``website.wsgi`` is unchanged.
"""

from website.wsgi import application  # noqa: F401  (gunicorn serves this name; sets Django up)

# isort: split
from publications import objection_actions

objection_actions.RATE_LIMIT = 10_000
