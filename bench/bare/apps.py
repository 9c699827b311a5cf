from django.apps import AppConfig

from renda.manifest import Manifest


class BareConfig(AppConfig):
    name = "bench.bare"
    label = "bench_bare"
    verbose_name = "基准（仅压测）"

    # mounted like any module's public pages: /bench-bare/insert
    manifest = Manifest(order=999, public_urls="bench.bare.urls", public_prefix="bench-bare/")
