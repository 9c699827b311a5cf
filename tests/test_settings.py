"""Settings for the test suite: Renda's settings plus a small case type used to test
the workflow engine independently of any module."""

import os
import tempfile

os.environ.setdefault("RENDA_JOBS_IMMEDIATE", "1")
# The suite runs with production's settings (DEBUG off), a key of its own and plain HTTP
# (the test client and the browser tests' live server speak HTTP); tests/test_security.py
# checks the HTTPS settings of a real deployment in a subprocess.
os.environ.setdefault("RENDA_SECRET_KEY", "renda-test-suite-key-" + "x" * 32)
os.environ.setdefault("RENDA_HTTPS", "0")
os.environ.setdefault("RENDA_DATA_KEYS", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=")  # personal data

from renda.config.settings import *  # noqa: E402,F401,F403
from renda.config.settings import INSTALLED_APPS, STORAGES  # noqa: E402

INSTALLED_APPS = INSTALLED_APPS + ["workflow_app"]
HUEY = {"huey_class": "huey.MemoryHuey", "name": "renda-test", "immediate": True}

# Argon2 in tests too, with cheap parameters so that a suite creating many users stays fast.
PASSWORD_HASHERS = ["fast_hashers.FastArgon2PasswordHasher"]

# Uploaded files of the test run go to a directory of their own, not var/media.
MEDIA_ROOT = tempfile.mkdtemp(prefix="renda-test-media-")

# Static files straight from the apps' folders: the suite does not run collectstatic.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
# Tests sign in with client.force_login and never pass a second factor: the requirement is
# off here; tests/test_signin.py turns it on (settings.RENDA_2FA_ENFORCE = True).
RENDA_2FA_ENFORCE = False
