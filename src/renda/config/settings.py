"""Settings for Renda.

Embedded default (no environment): SQLite file under var/, the job queue in a SQLite
file under var/, uploads on local disk. Production: set DATABASE_URL (PostgreSQL),
REDIS_URL (job queue), RENDA_SECRET_KEY and RENDA_DATA_KEYS (personal data). Settings fail
closed: DEBUG is off unless RENDA_DEBUG=1, and HTTPS (redirect, HSTS, secure cookies) is on
unless RENDA_HTTPS=0.
"""

import base64
import hashlib
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
        path = Path(os.environ["RENDA_SECRET_KEY_FILE"])
        try:
            key = path.read_text().strip()
            mode = path.stat().st_mode
        except OSError as exc:
            raise ImproperlyConfigured(f"RENDA_SECRET_KEY_FILE cannot be read: {exc}") from exc
        if mode & 0o077:
            # A key others on the machine can read signs sessions and password resets for them.
            raise ImproperlyConfigured(f"RENDA_SECRET_KEY_FILE {path} is readable by other users: chmod 600 {path}.")
        if len(key) < 32:
            raise ImproperlyConfigured("RENDA_SECRET_KEY_FILE holds no key of at least 32 characters.")
        return key
    return DEV_SECRET_KEY


SECRET_KEY = _secret_key()
# Keys that fall back to SECRET_KEY when unset: the audit chain's (RENDA_AUDIT_KEY) and, with
# DEBUG on only, the personal-data key. Set them apart in production: rotating SECRET_KEY would
# otherwise make `renda audit verify` fail on every older entry (SECRET_KEY_FALLBACKS do not
# carry over to RENDA_AUDIT_KEY_FALLBACKS).


def _flag(name: str, default: str) -> bool:
    return os.environ.get(name, default) not in ("0", "false", "False", "")


# Off unless explicitly on: a deployment that forgets the variable must not show tracebacks.
DEBUG = _flag("RENDA_DEBUG", "0")
if not DEBUG and SECRET_KEY == DEV_SECRET_KEY:
    raise ImproperlyConfigured(
        "Renda needs RENDA_SECRET_KEY (or RENDA_SECRET_KEY_FILE): the development key is refused "
        "unless RENDA_DEBUG=1 (a developer's machine). `make demo` makes a key under var/."
    )
# Seals secret ballots' papers while a ballot is open (ballots/sealing.py); without it,
# SECRET_KEY. Keep the old value in the fallbacks until every ballot cast under it is closed.
RENDA_BALLOT_KEY = os.environ.get("RENDA_BALLOT_KEY", "")
RENDA_BALLOT_KEY_FALLBACKS = [k for k in os.environ.get("RENDA_BALLOT_KEY_FALLBACKS", "").split(",") if k]
# Personal data at rest (core.crypto): AES-256-GCM keys, each the URL-safe base64 of 32 bytes
# (`renda data newkey`), comma-separated, from RENDA_DATA_KEYS or else the file
# RENDA_DATA_KEYS_FILE names (`make demo` keeps one under var/). The first encrypts, every one
# decrypts: rotate by putting a new key first, then `renda data rekey`, then drop the old one.
# Without keys, with DEBUG on only: a development key derived from SECRET_KEY.


def _data_keys() -> list[str]:
    text = os.environ.get("RENDA_DATA_KEYS", "")
    if not text and os.environ.get("RENDA_DATA_KEYS_FILE"):
        try:
            path = Path(os.environ["RENDA_DATA_KEYS_FILE"])
            text, mode = path.read_text(), path.stat().st_mode
        except OSError as exc:
            raise ImproperlyConfigured(f"RENDA_DATA_KEYS_FILE cannot be read: {exc}") from exc
        if mode & 0o077:
            raise ImproperlyConfigured(f"RENDA_DATA_KEYS_FILE {path} is readable by other users: chmod 600 {path}.")
    keys = [k.strip() for k in text.replace("\n", ",").split(",") if k.strip()]
    for k in keys:
        try:
            ok = len(base64.urlsafe_b64decode(k.encode() + b"=" * (-len(k) % 4))) == 32
        except ValueError:
            ok = False
        if not ok:
            raise ImproperlyConfigured("RENDA_DATA_KEYS: each key is the base64 of 32 bytes (renda data newkey).")
    return keys


RENDA_DATA_KEYS = _data_keys()
if not RENDA_DATA_KEYS and not DEBUG:
    raise ImproperlyConfigured(
        "RENDA_DEBUG=0 requires RENDA_DATA_KEYS (or RENDA_DATA_KEYS_FILE): the keys that encrypt personal data."
    )
if not RENDA_DATA_KEYS:  # development only: derived from SECRET_KEY
    RENDA_DATA_KEYS = [
        base64.urlsafe_b64encode(hashlib.sha256(b"renda-data-key:" + SECRET_KEY.encode()).digest()).decode()
    ]
# A citizen's contact is erased this many days after their case closes (core.personal).
RENDA_CONTACT_RETENTION_DAYS = int(os.environ.get("RENDA_CONTACT_RETENTION_DAYS", "365"))
# The audit log's hash chain is keyed (core/audit.py): RENDA_AUDIT_KEY, else SECRET_KEY. On
# rotation keep the former keys in the fallbacks: verify accepts each entry under any of them.
RENDA_AUDIT_KEY = os.environ.get("RENDA_AUDIT_KEY", "")
RENDA_AUDIT_KEY_FALLBACKS = [k for k in os.environ.get("RENDA_AUDIT_KEY_FALLBACKS", "").split(",") if k]
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
    "csp",
    "huey.contrib.djhuey",
    "ninja",
    "renda.core",
    "renda.workflow",
    "renda.ballots",
    "renda.party",
    "renda.experts",
    "renda.deputies",
    "renda.suggestions",
    "renda.filing",
    "renda.problems",
    "renda.supervision",
    "renda.legislation",
    "renda.appointments",
    "renda.decisions",
    "renda.meetings",
    "renda.federation",
    "renda.assist",
    "renda.reports",
    "renda.portal",
    "renda.api",
    "renda.demo",
] + [a for a in os.environ.get("RENDA_EXTRA_APPS", "").split(",") if a]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
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
# AUTH_PASSWORD_VALIDATORS: in the sign-in block below.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "workflow:workbench"
LOGOUT_REDIRECT_URL = "portal:home"

# Reverse proxies in front of Renda (nginx …): the client address is read from
# X-Forwarded-For accordingly (renda.core.http.client_ip), for every throttle.
RENDA_PROXY_COUNT = int(os.environ.get("RENDA_PROXY_COUNT", "0"))
AXES_CLIENT_IP_CALLABLE = "renda.core.http.lockout_address"  # an IPv6 client by its /64

# HTTPS and browser-side protections (docs/security.md). On by default; RENDA_HTTPS=0 is for
# plain HTTP on a private address (`make demo` on 127.0.0.1, the test suite's live server).
HTTPS = _flag("RENDA_HTTPS", "0" if DEBUG else "1")
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31_536_000 if HTTPS else 0  # one year, as preload lists ask
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
if RENDA_PROXY_COUNT:
    # TLS ends at the proxy, which must set X-Forwarded-Proto (and strip the client's own).
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Content-Security-Policy (django-csp): every asset is served by Renda itself, so nothing
# from elsewhere and no inline script or style (templates use classes in renda.css).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # charts export their picture as a data: URL
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        # the deputy's offline worker and app manifest (deputies/views_offline.py); stated
        # although default-src already allows them
        "worker-src": ["'self'"],
        "manifest-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
# Video conferencing through a Janus WebRTC gateway next to Renda (meetings.video,
# docs: video). RENDA_JANUS_URL: its HTTP API as Renda's server reaches it; empty (the
# embedded default) = no video. RENDA_JANUS_PUBLIC_URL: what the browser connects to (behind
# the reverse proxy); the video page alone adds it to connect-src and allows camera and
# microphone. RENDA_JANUS_ADMIN_KEY: the VideoRoom plugin's admin_key, if set there.
RENDA_JANUS_URL = os.environ.get("RENDA_JANUS_URL", "")
RENDA_JANUS_PUBLIC_URL = os.environ.get("RENDA_JANUS_PUBLIC_URL", "")
RENDA_JANUS_ADMIN_KEY = os.environ.get("RENDA_JANUS_ADMIN_KEY", "")
RENDA_JANUS_ROOM_BASE = int(os.environ.get("RENDA_JANUS_ROOM_BASE", "7000000"))  # room id = base + sitting id
RENDA_JANUS_PUBLISHERS = int(os.environ.get("RENDA_JANUS_PUBLISHERS", "100"))  # cameras per room
# Permissions-Policy (django-permissions-policy): no page but the video page
# (meetings.views_video) needs these browser features.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "payment",
        "usb",
    )
}

# --- Sign-in (issue 11, GB/T 22239-2019 level 3: identification and authentication) ---
# Two-factor sign-in (django-otp: TOTP apps and single-use recovery codes; core.twofactor).
# RENDA_2FA_ENFORCE=0 drops the requirement (the test suite, `make demo` with shared demo
# accounts); accounts that did enrol are still asked for their code.
INSTALLED_APPS += ["django_otp", "django_otp.plugins.otp_totp", "django_otp.plugins.otp_static"]
_auth_middleware = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
MIDDLEWARE.insert(_auth_middleware + 1, "django_otp.middleware.OTPMiddleware")
# after the messages (the timeout message) and before axes (whose lockout page it must not hide)
MIDDLEWARE.insert(MIDDLEWARE.index("axes.middleware.AxesMiddleware"), "renda.core.signin.SignInMiddleware")
RENDA_2FA_ENFORCE = _flag("RENDA_2FA_ENFORCE", "1")
RENDA_2FA_REQUIRED_ROLES = [
    r.strip()
    for r in os.environ.get("RENDA_2FA_REQUIRED_ROLES", "admin,security,auditor,staff,director,unit").split(",")
    if r.strip()
]
OTP_TOTP_ISSUER = os.environ.get("RENDA_2FA_ISSUER", "智慧人大")
# Sessions end after this much inactivity and, whatever the activity, this long after sign-in.
RENDA_SESSION_IDLE_MINUTES = int(os.environ.get("RENDA_SESSION_IDLE_MINUTES", "30"))
RENDA_SESSION_MAX_HOURS = int(os.environ.get("RENDA_SESSION_MAX_HOURS", "12"))
SESSION_COOKIE_AGE = RENDA_SESSION_MAX_HOURS * 3600
# Passwords: length, three of four character classes (core.passwords), not like the
# username, not common; optionally a maximum age in days (0: none).
RENDA_PASSWORD_MIN_LENGTH = int(os.environ.get("RENDA_PASSWORD_MIN_LENGTH", "8"))
RENDA_PASSWORD_MAX_AGE_DAYS = int(os.environ.get("RENDA_PASSWORD_MAX_AGE_DAYS", "0"))
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "renda.core.passwords.MinimumLengthValidator",
        "OPTIONS": {"min_length": RENDA_PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "renda.core.passwords.CharacterClassValidator"},
]
# Lock-out (django-axes), by account and by address independently: an account after
# RENDA_LOGIN_FAILURE_LIMIT failures from anywhere, an address after
# RENDA_LOGIN_ADDRESS_FAILURE_LIMIT failures on any accounts (higher: an office behind one NAT
# address shares it), each for 15 minutes. Wrong second-factor codes count as failures.
# The security administrator unlocks (core.signin.unlock, `renda unlock`).
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # alternatives: either one locks
RENDA_LOGIN_FAILURE_LIMIT = int(os.environ.get("RENDA_LOGIN_FAILURE_LIMIT", "5"))
RENDA_LOGIN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("RENDA_LOGIN_ADDRESS_FAILURE_LIMIT", "20"))
AXES_FAILURE_LIMIT = "renda.core.signin.failure_limit"
AXES_COOLOFF_TIME = 0.25  # hours
# Never reset on a password alone: the second factor would get fresh tries, and an address
# spraying accounts would clear its count by signing in to its own; core.signin resets the
# account's count once sign-in is complete.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_VERBOSE = False
# --- end of sign-in ---

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
    # FileSystemStorage that leaves no partial file and says so in Chinese when the disk is full
    "default": {"BACKEND": "renda.core.storage.MediaStorage"},
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
# Months an organ has to answer the deliberation opinions (研究处理情况): local practice, 2, 3 or 6
# (河南 3, audit opinions 2; 浙江 3; 重庆 6 — rules.md SUP-4).
RENDA_SUPERVISION_RESPONSE_MONTHS = int(os.environ.get("RENDA_SUPERVISION_RESPONSE_MONTHS", "3"))
# Appointments (rules.md §5, local practice): submission days before the sitting (重庆 7, 浙江/深圳 10),
# the law exam's length, questions drawn, pass mark (out of 100) and retakes allowed after a failure.
RENDA_APPOINTMENT_SUBMIT_DAYS = int(os.environ.get("RENDA_APPOINTMENT_SUBMIT_DAYS", "7"))
RENDA_LAW_EXAM_MINUTES = int(os.environ.get("RENDA_LAW_EXAM_MINUTES", "60"))
RENDA_LAW_EXAM_QUESTIONS = int(os.environ.get("RENDA_LAW_EXAM_QUESTIONS", "20"))
RENDA_LAW_EXAM_PASS = int(os.environ.get("RENDA_LAW_EXAM_PASS", "60"))
RENDA_LAW_EXAM_RETAKES = int(os.environ.get("RENDA_LAW_EXAM_RETAKES", "1"))
# Months an organ has to report again after an unsatisfactory satisfaction vote (SUP-8).
RENDA_SUPERVISION_REREPORT_MONTHS = int(os.environ.get("RENDA_SUPERVISION_REREPORT_MONTHS", "2"))
# Readings a bill normally gets before the vote: local 立法条例 (杭州 2, 北京 3; rules.md LEG-5).
RENDA_LEGISLATION_READINGS = int(os.environ.get("RENDA_LEGISLATION_READINGS", "2"))
# The pass mark of a satisfaction vote: 50 = 满意+基本满意 more than half of the votes cast;
# 60, 70, 75, 80, 85 or 90 = at least that share (local rules).
RENDA_SATISFACTION_PASS_PERCENT = int(os.environ.get("RENDA_SATISFACTION_PASS_PERCENT", "50"))
# 会议材料提前印发的天数 (SUP-3, LEG-7): an agenda item whose materials arrive later is flagged
RENDA_MEETING_MATERIALS_DAYS = int(os.environ.get("RENDA_MEETING_MATERIALS_DAYS", "7"))

# Live updates (core.live, the hall screen's event stream): Redis pub/sub when REDIS_URL is set,
# in-process otherwise. A stream ends after this many seconds and the browser reconnects
# (it holds a gunicorn thread meanwhile: run gunicorn with the gthread worker class).
REDIS_URL = os.environ.get("REDIS_URL", "")
RENDA_LIVE_STREAM_SECONDS = int(os.environ.get("RENDA_LIVE_STREAM_SECONDS", "25"))
# Load the language models, the law index and the PDF fonts in the background when a server
# starts (renda.manifest.warm_up), not during the first user's request.
RENDA_WARM_UP = os.environ.get("RENDA_WARM_UP", "1") != "0"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("RENDA_LOG_LEVEL", "WARNING")},
}
