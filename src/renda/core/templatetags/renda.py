from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag(takes_context=True)
def query_with(context, **changes):
    """The current query string with some parameters changed (None removes one)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value is None:
            params.pop(key, None)
        else:
            params[key] = value
    return params.urlencode()


@register.simple_tag(takes_context=True)
def query_with_dyn(context, key, value):
    params = context["request"].GET.copy()
    if value in ("", None):
        params.pop(key, None)
    else:
        params[key] = value
    if key != "page":
        params.pop("page", None)
    params.pop("export", None)
    return params.urlencode()


@register.filter
def cn_date(value):
    """2020年3月5日"""
    if not value:
        return ""
    if hasattr(value, "astimezone"):
        value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日"


@register.filter
def cn_datetime(value):
    if not value:
        return ""
    value = timezone.localtime(value)
    return f"{value.year}年{value.month}月{value.day}日 {value:%H:%M}"
