from django import template

from ..downloads import download_url as url_of

register = template.Library()


@register.filter
def download_url(obj, field=None) -> str:
    """{{ obj|download_url }} or {{ obj|download_url:"field" }}: the checked download URL
    of a stored file (never the file's /media/ address)."""
    return url_of(obj, field or None)
