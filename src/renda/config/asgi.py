import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "renda.config.settings")
application = get_asgi_application()

from renda.manifest import warm_up_in_background  # noqa: E402  (after the settings are configured)

warm_up_in_background()
