"""Settings for Renda.

Embedded default (no environment): SQLite file under var/, the job queue in a SQLite
file under var/, uploads on local disk. Production: set DATABASE_URL (PostgreSQL),
REDIS_URL (job queue), RENDA_SECRET_KEY and RENDA_DEBUG=0.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent  # src/renda
VAR_DIR = Path(os.environ.get("RENDA_VAR_DIR", Path.cwd() / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)

DEV_SECRET_KEY = "renda-demo-development-key-never-use-in-production"


def _secret_key() -> str:
    """RENDA_SECRET_KEY, else the file RENDA_SECRET_KEY_FILE names (`make demo` keeps one
    under var/), else the development key (refused below when DEBUG is off)."""
    if os.environ.get("RENDA_SECRET_KEY"):
        return os.environ["RENDA_SECRET_KEY"]
    if os.environ.get("RENDA_SECRET_KEY_FILE"):
        try:
            key = Path(os.environ["RENDA_SECRET_KEY_FILE"]).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"RENDA_SECRET_KEY_FILE cannot be read: {exc}") from exc
        if len(key) < 32:
            raise ImproperlyConfigured("RENDA_SECRET_KEY_FILE holds no key of at least 32 characters.")
        return key
    return DEV_SECRET_KEY


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("RENDA_DEBUG", "1") not in ("0", "false", "False", "")
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "RENDA_DEBUG=0 requires RENDA_SECRET_KEY (or RENDA_SECRET_KEY_FILE): "
        "the demo's development key is refused in production."
    )
# Seals secret ballots' papers while a ballot is open (ballots/sealing.py); without it,
# SECRET_KEY. Keep the old value in the fallbacks until every ballot cast under it is closed.
RENDA_BALLOT_KEY = os.environ.get("RENDA_BALLOT_KEY", "")
RENDA_BALLOT_KEY_FALLBACKS = [k for k in os.environ.get("RENDA_BALLOT_KEY_FALLBACKS", "").split(",") if k]
ALLOWED_HOSTS = [h for h in os.environ.get("RENDA_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("RENDA_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "axes",
    "huey.contrib.djhuey",
    "ninja",
    "renda.core",
    "renda.workflow",
    "renda.ballots",
    "renda.party",
    "renda.suggestions",
    "renda.filing",
    "renda.federation",
    "renda.assist",
    "renda.reports",
    "renda.portal",
    "renda.api",
    "renda.demo",
] + [a for a in os.environ.get("RENDA_EXTRA_APPS", "").split(",") if a]

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
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "renda.config.urls"
WSGI_APPLICATION = "renda.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "renda.core.context_processors.platform",
            ],
        },
    }
]

# Database: SQLite under var/ unless DATABASE_URL names another (PostgreSQL in production).
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'renda.sqlite3'}", conn_max_age=60, conn_health_checks=True
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "core.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workflow:workbench"
LOGOUT_REDIRECT_URL = "portal:home"

# Login throttling (django-axes): lock a username+IP pair after 5 failures for 15 minutes.
AXES_FAILURE_LIMIT = int(os.environ.get("RENDA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
# Reverse proxies in front of Renda (nginx …): the client address is read from
# X-Forwarded-For accordingly (renda.core.http.client_ip), for every throttle.
RENDA_PROXY_COUNT = int(os.environ.get("RENDA_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "renda.core.http.client_ip"

SESSION_COOKIE_HTTPONLY = True
# Cookies only over HTTPS in production; `make demo` serves plain HTTP on 127.0.0.1 with DEBUG
# off, so it sets RENDA_SECURE_COOKIES=0.
SECURE_COOKIES = os.environ.get("RENDA_SECURE_COOKIES", "0" if DEBUG else "1") not in ("0", "false", "False", "")
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
WHITENOISE_USE_FINDERS = DEBUG  # the embedded default serves assets without collectstatic
# Uploaded files. Nothing serves MEDIA_URL: every file is downloaded through the one
# download view, which asks the scoping layer (core.downloads); behind nginx or Apache,
# MEDIA_ROOT is an internal location the view hands the transfer to.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("RENDA_MEDIA_ROOT", VAR_DIR / "media"))
# "django" (streamed by the app), "x-accel" (nginx X-Accel-Redirect) or "x-sendfile" (Apache, lighttpd).
RENDA_FILE_SERVING = os.environ.get("RENDA_FILE_SERVING", "django")
RENDA_X_ACCEL_PREFIX = os.environ.get("RENDA_X_ACCEL_PREFIX", "/protected-media/")
# The largest file one may upload (core.uploads), in MB.
RENDA_UPLOAD_MAX_MB = int(os.environ.get("RENDA_UPLOAD_MAX_MB", "50"))
# Text extraction of uploaded PDFs runs in the request: caps on pages and seconds.
RENDA_EXTRACT_MAX_PAGES = int(os.environ.get("RENDA_EXTRACT_MAX_PAGES", "300"))
RENDA_EXTRACT_MAX_SECONDS = float(os.environ.get("RENDA_EXTRACT_MAX_SECONDS", "20"))
# Uploaded files no record references are removed after this many hours (core.orphans).
RENDA_ORPHAN_GRACE_HOURS = int(os.environ.get("RENDA_ORPHAN_GRACE_HOURS", "24"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Background jobs (Huey). Embedded default: a SQLite queue under var/, consumed by
# `renda run_huey`, which `make demo` starts beside the web server. Production: Redis.
RENDA_JOBS_IMMEDIATE = os.environ.get("RENDA_JOBS_IMMEDIATE", "0") == "1"
if os.environ.get("REDIS_URL"):
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "renda",
        "url": os.environ["REDIS_URL"],
        "immediate": RENDA_JOBS_IMMEDIATE,
        "consumer": {"workers": 2, "worker_type": "thread"},
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "renda",
        "filename": str(VAR_DIR / "jobs.sqlite3"),
        "immediate": RENDA_JOBS_IMMEDIATE,
        "consumer": {"workers": 1, "worker_type": "thread"},
    }

# Cache (throttles of public forms): shared through Redis in production, per process otherwise.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    if os.environ.get("REDIS_URL")
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# List exports (?export=xlsx) a signed-in user may make per minute (core.listing).
RENDA_EXPORTS_PER_MINUTE = int(os.environ.get("RENDA_EXPORTS_PER_MINUTE", "10"))

# The congress this deployment serves as its root (by code); see core.Congress.
RENDA_ROOT_CONGRESS = os.environ.get("RENDA_ROOT_CONGRESS", "")
# This instance's Ed25519 key for messages to other levels (federation; created by
# `renda federation keygen`).
RENDA_FEDERATION_KEY_FILE = Path(os.environ.get("RENDA_FEDERATION_KEY_FILE", VAR_DIR / "federation.key"))
# Days before a due date when a reminder goes out.
RENDA_REMINDER_DAYS = int(os.environ.get("RENDA_REMINDER_DAYS", "5"))
# Load the language models, the law index and the PDF fonts in the background when a server
# starts (renda.manifest.warm_up), not during the first user's request.
RENDA_WARM_UP = os.environ.get("RENDA_WARM_UP", "1") != "0"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("RENDA_LOG_LEVEL", "WARNING")},
}
