"""Carnet settings: one module, driven by environment variables.

Every variable has a default that is safe on a laptop (SQLite, local-memory cache,
in-memory channel layer, e-mails written to files). Production replaces each of them
through DATABASE_URL, REDIS_URL, EMAIL_URL, SECRET_KEY, ALLOWED_HOSTS (see README).
A secret may also be read from a file named in <NAME>_FILE (Docker/systemd secrets).
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent


def env(name: str, default: str = "") -> str:
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        return Path(file_name).read_text().strip()
    return os.environ.get(name, default)


def envbool(name: str, default: str = "False") -> bool:
    return env(name, default).strip().lower() in {"1", "true", "yes", "on"}


def envint(name: str, default: int) -> int:
    return int(env(name, str(default)))


def envlist(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = envbool("CARNET_DEBUG", "False")
# pytest (8.2 and later) sets PYTEST_VERSION: tests run background tasks inline.
TESTING = "PYTEST_VERSION" in os.environ
# bench/pages.py serves a trivial reference view (carnet/core/bench.py); never set it on a real instance.
CARNET_BENCH = envbool("CARNET_BENCH")
DATA_DIR = Path(env("CARNET_DATA_DIR", str(PROJECT_DIR / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _laptop_secret_key() -> str:
    # No literal key in the repository: a laptop instance makes its own once and keeps it.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = env("SECRET_KEY") or _laptop_secret_key()
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env("SITE_NAME", "Carnet")

INSTALLED_APPS = [
    "daphne",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "channels",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "carnet.core",
    "carnet.accounts",
    "carnet.organizations",
    "carnet.profiles",
    "carnet.network",
    "carnet.feed",
    "carnet.notifications",
    "carnet.search",
    "carnet.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Axes last: it must see the outcome of every authentication attempt.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "carnet.urls"
WSGI_APPLICATION = None
ASGI_APPLICATION = "carnet.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "carnet.core.context_processors.site",
                "carnet.notifications.context_processors.unread",
            ],
        },
    },
]

# Database: SQLite in WAL mode under the data directory, unless DATABASE_URL says otherwise.
DATABASE_URL = env("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=envint("CONN_MAX_AGE", 60))}
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    # Under ASGI (carnet serve) every request runs in a thread of its own (asgiref gives each
    # request its own thread-sensitive context), and Django's connections are per thread: a
    # persistent connection (CONN_MAX_AGE) was opened, authenticated and dropped on every
    # request. A pool per process (psycopg_pool, Django's "pool" option) hands the same few
    # connections to those threads. Not under pytest: the test databases keep Django's plain
    # connections (bench/pages.py and its test serve with the pool).
    DATABASE_POOL_MAX = envint("DATABASE_POOL_MAX", 10)
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and DATABASE_POOL_MAX > 0 and not TESTING:
        DATABASES["default"].update(CONN_MAX_AGE=0, CONN_HEALTH_CHECKS=False)  # the pool checks them
        DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
            "min_size": min(envint("DATABASE_POOL_MIN", 2), DATABASE_POOL_MAX),
            "max_size": DATABASE_POOL_MAX,
            "timeout": envint("DATABASE_POOL_TIMEOUT", 10),  # seconds a request waits for a connection
        }
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "carnet.sqlite3",
            "OPTIONS": {
                # WAL lets readers work while one writer commits; IMMEDIATE avoids
                # "database is locked" upgrades in the middle of a write transaction.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=5000; PRAGMA foreign_keys=ON;"
                ),
                "transaction_mode": "IMMEDIATE",
            },
        }
    }
if env("CARNET_TEST_DB_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env("CARNET_TEST_DB_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache, channel layer: Redis when REDIS_URL is set, in-process otherwise.
REDIS_URL = env("REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("CACHE_KEY_PREFIX", "carnet"),
        }
    }
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL]},
        }
    }
else:
    # Room for the sessions and the rendered fragments of a laptop instance (the default is 300).
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20000}}
    }
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
# Sessions stay in the database (they survive a cache flush) and are read from the cache, so
# a signed-in request costs no session query (bench/pages.py).
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Background tasks (Django's tasks API, django-tasks backport). The database queue works on
# SQLite and PostgreSQL; `carnet serve` runs a worker thread, production runs `carnet worker`.
# CARNET_TASKS=immediate runs each task inline (tests, one-off scripts).
TASKS_MODE = env("CARNET_TASKS", "immediate" if TESTING else "database")
TASKS = {
    "default": (
        {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        if TASKS_MODE == "immediate"
        else {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    )
}

# E-mail: EMAIL_URL (smtp://user:pass@host:587/?tls=1), or files under the data directory.
EMAIL_URL = env("EMAIL_URL")
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Carnet <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if EMAIL_URL:
    from carnet.core.email_url import parse_email_url

    globals().update(parse_email_url(EMAIL_URL))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = DATA_DIR / "outbox"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend and allauth's, whose get_user reads the member's row from the cache (one query
    # less per signed-in request); every save of the User drops it (carnet/accounts/backends.py).
    "carnet.accounts.backends.CachedModelBackend",
    "carnet.accounts.backends.CachedAllauthBackend",
    # Only for the sessions opened before the two above (a session names its backend): without
    # them those would all be signed out. They never check a password (CachedAllauthBackend
    # stops first). Remove them once those sessions have expired (SESSION_COOKIE_AGE).
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "core:home"

# django-allauth
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = env("ACCOUNT_EMAIL_VERIFICATION", "mandatory")
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_SIGNUP_FORM_CLASS = "carnet.accounts.forms.SignupForm"
ACCOUNT_ADAPTER = "carnet.accounts.adapter.AccountAdapter"
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if SITE_URL.startswith("https") else "http"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = SITE_NAME

# django-axes: failed-login throttling for the site and the admin alike.
AXES_FAILURE_LIMIT = envint("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = envint("AXES_COOLOFF_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_USERNAME_FORM_FIELD = "login"
AXES_USERNAME_CALLABLE = "carnet.accounts.throttling.axes_username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account/lockout.html"
AXES_ENABLED = envbool("AXES_ENABLED", "True")
# No "AXES: BEGIN version ..." banner on the standard output of every `carnet` command.
AXES_VERBOSE = False

# Content-Security-Policy (django-csp 4): no inline script, no CDN. htmx's own indicator
# style is disabled in base.html (htmx-config) so that style-src needs no 'unsafe-inline'.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or envbool("CARNET_PLAIN_STATIC")
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024)

# Security: strict by default once the site is served over HTTPS.
HTTPS = SITE_URL.startswith("https://")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS and envbool("SECURE_SSL_REDIRECT", "True")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if envbool("BEHIND_PROXY", "True") else None
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

# Carnet's own limits (the plan/quota engine reads its numbers from carnet.network.plans).
CARNET_MAX_CONNECTIONS = envint("CARNET_MAX_CONNECTIONS", 30000)
CARNET_SEED_DEMO_PASSWORD = env("CARNET_DEMO_PASSWORD", "carnet-demo")
CARNET_API_PAGE_SIZE = envint("CARNET_API_PAGE_SIZE", 25)
# API budgets per token or signed-in member, and per address for anonymous callers ("N/s|min|h|day").
CARNET_API_RATE = env("CARNET_API_RATE", "300/min")
CARNET_API_ANON_RATE = env("CARNET_API_ANON_RATE", "60/min")
CARNET_DOCUMENT_MAX_BYTES = envint("CARNET_DOCUMENT_MAX_MB", 10) * 1024 * 1024  # per CV / cover letter
CARNET_MAX_DOCUMENTS = envint("CARNET_MAX_DOCUMENTS", 20)  # CVs and cover letters per member
# A JSON Resume file: a real resume is a few kilobytes; a megabyte is hundreds of positions.
CARNET_RESUME_MAX_BYTES = envint("CARNET_RESUME_MAX_KB", 1024) * 1024
# A LinkedIn archive: a basic export is tens of kilobytes; a full one with messages a few megabytes.
CARNET_LINKEDIN_MAX_BYTES = envint("CARNET_LINKEDIN_MAX_MB", 25) * 1024 * 1024
# Longest people search before the member is asked to narrow it (PostgreSQL statement_timeout).
CARNET_SEARCH_TIMEOUT_MS = envint("CARNET_SEARCH_TIMEOUT_MS", 5000)

# The in-memory connection-graph index of each process (carnet/network/graph): "auto" builds it
# in the background and answers from SQL meanwhile, "sync" builds it at the first use, "off"
# always answers from SQL (tests, a very small machine).
CARNET_GRAPH_ENGINE = env("CARNET_GRAPH_ENGINE") or ("off" if TESTING else "auto")
if CARNET_GRAPH_ENGINE not in ("auto", "sync", "off"):
    raise ImproperlyConfigured(f"CARNET_GRAPH_ENGINE must be auto, sync or off, not {CARNET_GRAPH_ENGINE!r}")
CARNET_GRAPH_CACHE_MB = envint("CARNET_GRAPH_CACHE_MB", 128)  # its cache of 2-hop reaches
# Rebuild after this many seconds at most: with Redis every process also hears of each change.
CARNET_GRAPH_MAX_AGE = envint("CARNET_GRAPH_MAX_AGE", 24 * 3600 if REDIS_URL else 3600)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}
