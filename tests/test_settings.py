"""Settings for the test suite: Renda's settings plus a small case type used to test
the workflow engine independently of any module."""

import os
import tempfile

os.environ.setdefault("RENDA_JOBS_IMMEDIATE", "1")

from renda.config.settings import *  # noqa: E402,F401,F403
from renda.config.settings import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = INSTALLED_APPS + ["workflow_app"]
HUEY = {"huey_class": "huey.MemoryHuey", "name": "renda-test", "immediate": True}

# Argon2 in tests too, with cheap parameters so that a suite creating many users stays fast.
PASSWORD_HASHERS = ["fast_hashers.FastArgon2PasswordHasher"]

# Uploaded files of the test run go to a directory of their own, not var/media.
MEDIA_ROOT = tempfile.mkdtemp(prefix="renda-test-media-")

# Tests sign in with client.force_login and never pass a second factor: the requirement is
# off here; tests/test_signin.py turns it on (settings.RENDA_2FA_ENFORCE = True).
RENDA_2FA_ENFORCE = False
