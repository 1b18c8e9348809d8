"""Security headers on public pages, admin pages and errors; cookie flags in production."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from website.demo import seed_site
from website.roles import ensure_roles
from website.security.testing import verified_login

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DEBUG": "0",
    "TESTING": "0",
    "SECRET_KEY": "ci-dummy-secret-key-with-enough-length-and-entropy-0123456789abcdef",
    "ALLOWED_HOSTS": "gzgj.example.gov.cn",
}


def policy(response, header="Content-Security-Policy"):
    """The policy as {directive: [sources]}."""
    directives = {}
    for part in response[header].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.fixture
def site(db, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    ensure_roles()
    return seed_site()


def assert_common_headers(response):
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")
    csp = policy(response)
    assert csp["default-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    return csp


def test_public_page_has_the_strict_policy(client, site):
    response = client.get("/", secure=True)
    assert response.status_code == 200
    csp = assert_common_headers(response)
    assert csp["script-src"] == ["'self'"]  # no inline script, no other origin
    assert csp["img-src"] == ["'self'", "data:"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_not_found_page_has_the_headers(client, site):
    response = client.get("/no-such-page/", secure=True)
    assert response.status_code == 404
    csp = assert_common_headers(response)
    assert csp["script-src"] == ["'self'"]


def test_admin_page_has_the_headers_and_the_admin_policy(client, site, settings):
    verified_login(client, get_user_model().objects.create_superuser("root", "r@x.cn", "x"))
    response = client.get("/admin/", secure=True)
    assert response.status_code == 200
    csp = assert_common_headers(response)
    assert csp["script-src"] == settings.ADMIN_CSP_REPLACE["script-src"]


def test_admin_login_page_has_the_headers(client, site):
    response = client.get("/admin/login/", secure=True)
    assert response.status_code == 200
    assert_common_headers(response)


def test_public_templates_have_no_inline_script():
    """Inline <script> bodies and on*="" handlers would be blocked by script-src 'self'."""
    import re

    folders = [ROOT / "templates", ROOT / "site/templates", ROOT / "publications/templates"]
    folders += [ROOT / "craftsman/templates/craftsman/apply"]
    offenders = []
    for folder in folders:
        for path in folder.rglob("*.html"):
            text = path.read_text()
            for match in re.finditer(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", text, re.S):
                attrs, body = match.group("attrs"), match.group("body").strip()
                if body and "application/json" not in attrs and "application/ld+json" not in attrs:
                    offenders.append(f"{path}: inline <script>")
            if re.search(r"\son[a-z]+\s*=\s*[\"']", text):
                offenders.append(f"{path}: on* handler")
    assert not offenders, offenders


def run_python(code):
    env = {k: v for k, v in os.environ.items() if k not in SUBPROCESS_DROPS}
    env.update(PRODUCTION_ENV, DJANGO_SETTINGS_MODULE="website.settings")
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_cookies_are_secure_httponly_and_samesite():
    result = run_python(
        "import json, django; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ["
        "'SESSION_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'SESSION_COOKIE_SAMESITE', "
        "'CSRF_COOKIE_SECURE', 'CSRF_COOKIE_SAMESITE', 'SECURE_HSTS_SECONDS', "
        "'SECURE_SSL_REDIRECT', 'X_FRAME_OPTIONS', 'SECURE_REFERRER_POLICY']}))"
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_SSL_REDIRECT": True,
        "X_FRAME_OPTIONS": "SAMEORIGIN",
        "SECURE_REFERRER_POLICY": "same-origin",
    }


# Test-only settings of this process that a production start must not inherit (the browser
# tests set DJANGO_ALLOW_ASYNC_UNSAFE for Playwright's event loop).
SUBPROCESS_DROPS = {"TESTING", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def test_check_deploy_is_clean():
    env = {k: v for k, v in os.environ.items() if k not in SUBPROCESS_DROPS}
    env.update(PRODUCTION_ENV)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr + result.stdout


def test_a_malformed_security_variable_is_refused_by_name():
    env = {k: v for k, v in os.environ.items() if k not in SUBPROCESS_DROPS}
    env.update(PRODUCTION_ENV, TRUSTED_PROXY_COUNT="one")
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr and "非负整数" in result.stderr
