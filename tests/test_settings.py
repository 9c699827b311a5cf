"""Settings for the test suite: Renda's settings plus a small case type used to test
the workflow engine independently of any module."""
import os

os.environ.setdefault("RENDA_JOBS_IMMEDIATE", "1")

from renda.config.settings import *  # noqa: E402,F401,F403
from renda.config.settings import INSTALLED_APPS, PASSWORD_HASHERS  # noqa: E402

INSTALLED_APPS = INSTALLED_APPS + ["workflow_app"]
# Argon2 stays first (tests assert it); its cost is what it is.
PASSWORD_HASHERS = PASSWORD_HASHERS
HUEY = {"huey_class": "huey.MemoryHuey", "name": "renda-test", "immediate": True}
