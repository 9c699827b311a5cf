"""Settings of the production-like servers tests/test_faults.py starts (DEBUG off, PostgreSQL):
Renda's own, except static files served from the source tree (a test server is not
`collectstatic`ed, and the hashed storage refuses to render a page without it)."""

from renda.config.settings import *  # noqa: F401,F403
from renda.config.settings import STORAGES

STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_USE_FINDERS = True
