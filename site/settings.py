"""Settings for the 赣州工匠 platform, read from environment variables.

One module for every environment.  Development (``make run``) sets
``DEBUG=1``; production leaves it unset and must provide ``SECRET_KEY``.
Every variable is listed in README.md, "Configuration".
"""

import os
from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

PROJECT_DIR = Path(__file__).resolve().parent  # site/
BASE_DIR = PROJECT_DIR.parent  # the repository
VAR_DIR = Path(os.environ.get("VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"环境变量 {name} 的值 {value!r} 无法识别：请使用 1 或 0。")


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")
TESTING = env_bool("TESTING")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or TESTING:
        SECRET_KEY = "insecure-development-key-never-use-in-production"
    else:
        raise ImproperlyConfigured(
            "缺少环境变量 SECRET_KEY：关闭 DEBUG 运行时必须设置 SECRET_KEY "
            "(Missing environment variable SECRET_KEY, required when DEBUG is off)."
        )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# --- Plugins ---------------------------------------------------------------
# Each plugin is a Django app that owns its models, templates, static files,
# wagtail_hooks.py and (optionally) a ``urls`` module that site/urls.py
# mounts under its ``PUBLIC_URL_PREFIX``.  ``CRAFTSMAN_ENABLED=0`` runs the
# site with the craftsman plugin removed.
CRAFTSMAN_ENABLED = env_bool("CRAFTSMAN_ENABLED", default=True)
PLUGINS = ["publications"] + (["craftsman"] if CRAFTSMAN_ENABLED else [])

INSTALLED_APPS = [
    "website",
    *PLUGINS,
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.routable_page",
    "wagtail.api.v2",
    "rest_framework",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_q",
    # Security (website.security): login lockout, two-factor sign-in.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
]
# `make bench` only: the floor page it compares public pages with (bench/benchapp).
if env_bool("BENCH"):
    INSTALLED_APPS.append("bench.benchapp")

MIDDLEWARE = [
    # Anonymous public pages from the cache (website.page_cache).  Outermost: a miss is
    # stored with every header the inner middleware added (HSTS, CSP …) and only if none
    # set a cookie (a cookie means: not cached); a hit skips sessions, CSRF and auth.
    # website.wsgi answers hits even before Django's handler (PageCacheApplication).
    "website.page_cache.PageCacheMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # A database failure while a view runs: 503 page, no traceback (website.faults).
    "website.faults.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): whether this session passed the second factor.
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Idle sessions end (admin 30 minutes, elsewhere 2 hours), with a message.
    "website.security.sessions.IdleSessionMiddleware",
    # Admin requests of an unverified session go to the verify / enrol page.
    "website.security.two_factor.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy: strict on the public site, relaxed under /admin/.
    "website.security.csp.ContentSecurityPolicyMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Turns a locked-out login attempt into the lockout page (keep it last).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "website.urls"
WSGI_APPLICATION = "website.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "website.context_processors.site_navigation",
            ],
        },
    },
]

# --- Database --------------------------------------------------------------
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    import dj_database_url

    try:
        DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    except Exception as exc:  # dj_database_url raises several types
        raise ImproperlyConfigured(
            f"环境变量 DATABASE_URL 格式错误（{exc}）。"
            "示例：postgres://用户名:密码@127.0.0.1:5432/数据库名 "
            "(Malformed DATABASE_URL)"
        ) from exc
    if not DATABASES["default"].get("ENGINE"):
        raise ImproperlyConfigured("环境变量 DATABASE_URL 格式错误：无法识别数据库类型。")
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "db.sqlite3",
            "OPTIONS": {
                # Wait for a writer instead of failing at once; WAL lets readers
                # and the django-q2 worker work beside the web process.
                "timeout": 20,
                "transaction_mode": "IMMEDIATE",
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache and task broker ---------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "gzgj"),
        }
    }
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # The embedded default: one cache that every process on this machine shares (the web
    # server's workers and the django-q2 worker), so that a page published by the worker's
    # scheduled job, or a change made through another worker, drops the cached pages of all.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": VAR_DIR / "cache",
            "OPTIONS": {"MAX_ENTRIES": 20_000},
        }
    }

# Wagtail writes every rendition a page shows back to its cache on each render (even when
# prefetched); a per-process memory cache keeps that off Redis and the disk.  An entry
# lives as long as a cached page may: a replaced image's old renditions are gone from
# every process by the time the pages showing them are.
CACHES["renditions"] = {
    "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
    "LOCATION": "renditions",
    "TIMEOUT": 300,
}

# Seconds an anonymous public page stays in the cache at most (0: no page cache).
# Off in tests unless a test turns it on: the cache outlives each test's database.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "0" if TESTING else "300"))

Q_CLUSTER = {
    "name": "gzgj",
    "workers": int(os.environ.get("Q_WORKERS", "2")),
    "timeout": 300,
    "retry": 600,
    "max_attempts": 3,
    "catch_up": False,
    "label": "后台任务",
    # Tests run every task synchronously, in the test's own transaction.
    "sync": TESTING,
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"

# --- Auth ------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # 等保: at least three of upper case, lower case, digits and symbols.
    {"NAME": "website.security.passwords.CharacterClassValidator"},
]
LOGIN_URL = "wagtailadmin_login"
# django-axes first: it refuses a locked-out username+address before any
# password is checked, and records every failure (website.security.lockout).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_LOCKOUT_TEMPLATE = "website/security/lockout.html"
AXES_CLIENT_IP_CALLABLE = "website.security.client_ip.client_ip_address"
AXES_USERNAME_CALLABLE = "website.security.client_ip.client_username"
AXES_VERBOSE = False


def env_whole_number(name, default):
    value = os.environ.get(name, "") or str(default)
    if not value.isdigit():
        raise ImproperlyConfigured(
            f"环境变量 {name} 的值 {value!r} 应为非负整数 ({name} must be a whole number)."
        )
    return int(value)


# Number of reverse proxies in front of the site that append to X-Forwarded-For
# (nginx: 1).  0 trusts no header and uses the connection's address.
TRUSTED_PROXY_COUNT = env_whole_number("TRUSTED_PROXY_COUNT", 0)
# Idle time after which a session ends (website.security.sessions).
ADMIN_IDLE_TIMEOUT = timedelta(minutes=env_whole_number("ADMIN_IDLE_MINUTES", 30))
SITE_IDLE_TIMEOUT = timedelta(minutes=env_whole_number("SITE_IDLE_MINUTES", 120))
# Two-factor sign-in (website.security.two_factor): the issuer an authenticator
# app shows next to the account.
OTP_TOTP_ISSUER = "赣州工匠"
if TESTING:
    # Tests create many accounts; a slow hasher buys nothing there.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# --- Language and time -------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PROJECT_DIR / "locale"]
WAGTAILADMIN_PERMITTED_LANGUAGES = [("zh-hans", "简体中文")]
WAGTAIL_I18N_ENABLED = False
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
DATE_FORMAT = "Y年n月j日"
DATETIME_FORMAT = "Y年n月j日 H:i"
SHORT_DATE_FORMAT = "Y-m-d"
WAGTAIL_DATE_FORMAT = "%Y-%m-%d"
WAGTAIL_DATETIME_FORMAT = "%Y-%m-%d %H:%M"

# --- Static and media --------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Applicants' and objectors' files: never under MEDIA_ROOT, never at a public URL.
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", VAR_DIR / "private"))
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "website.storage.PrivateFileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
FILE_UPLOAD_PERMISSIONS = 0o640

# --- E-mail ----------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "赣州工匠平台 <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Wagtail -----------------------------------------------------------------
WAGTAIL_SITE_NAME = "赣州工匠"
# Wagtail's login form with its password field labelled in Chinese (website.admin_login).
WAGTAILADMIN_USER_LOGIN_FORM = "website.admin_login.AdminLoginForm"
WAGTAILADMIN_BASE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ofd", "wps", "zip"]
WAGTAILDOCS_MAX_UPLOAD_SIZE = 20 * 1024 * 1024
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ALLOW_UNICODE_SLUGS = False
WAGTAIL_MODERATION_ENABLED = True
WAGTAIL_WORKFLOW_ENABLED = True

# --- Public JSON API (/api/v2/, website/api.py) ---------------------------------
# Read-only and anonymous: no authentication, JSON only; at most 50 items a page.
WAGTAILAPI_LIMIT_MAX = 50
WAGTAILAPI_SEARCH_ENABLED = True
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

# --- Security ----------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
# Wagtail's admin shows page previews in a same-origin iframe, which DENY would
# break; SAMEORIGIN still refuses every other site's frames.  Hence W019 below.
X_FRAME_OPTIONS = "SAMEORIGIN"
SILENCED_SYSTEM_CHECKS = ["security.W019"]
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31536000))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Content-Security-Policy (django-csp 4).  The public site runs no inline script
# or style and loads nothing from other origins (every public page type checked
# in headless Chromium: no violation).  website.security.csp relaxes the admin:
# see ADMIN_CSP_REPLACE.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'self'"],
        "form-action": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
    }
}
# Wagtail's admin (8.0) runs inline <script> on the page explorer, the page
# editor, the users list and the reports (checked in headless Chromium: blocked
# under the public policy), sets style="" attributes from its scripts, and
# previews uploads from blob: URLs.  These directives replace the public ones
# under /admin/ only (website.security.csp).
ADMIN_CSP_REPLACE = {
    "script-src": ["'self'", "'unsafe-inline'"],
    "style-src": ["'self'", "'unsafe-inline'"],
    "img-src": ["'self'", "data:", "blob:"],
}
# No avatars from gravatar.com: they would send a hash of every staff e-mail
# address to a third party (and the admin's img-src allows no other origin).
WAGTAIL_GRAVATAR_PROVIDER_URL = None

# --- Logging -----------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Wagtail 8 runs its indexing through django-tasks, which logs every task at INFO.
        "django_tasks": {"level": "WARNING"},
        "wagtail.tasks": {"level": "WARNING"},
    },
}

# --- Programme -------------------------------------------------------------
BUREAU_NAME = "赣州市人力资源和社会保障局"
# Unsuccessful applications (不予推荐、未入选、never-submitted drafts) are anonymised this many
# years after their round's application window closed (craftsman.retention).
try:
    RETENTION_YEARS_UNSUCCESSFUL = int(os.environ.get("RETENTION_YEARS_UNSUCCESSFUL", "3"))
except ValueError as exc:
    raise ImproperlyConfigured(
        "环境变量 RETENTION_YEARS_UNSUCCESSFUL 应为整数年数，例如 3 "
        "(RETENTION_YEARS_UNSUCCESSFUL must be a whole number of years)"
    ) from exc
if RETENTION_YEARS_UNSUCCESSFUL < 1:
    raise ImproperlyConfigured("环境变量 RETENTION_YEARS_UNSUCCESSFUL 至少为 1 年")
