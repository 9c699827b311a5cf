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


@register.filter(name="mask")
def mask_filter(value, kind="contact"):
    """Personal data as lists and pages show it: {{ person.mobile|mask:"mobile" }} (core.personal)."""
    from renda.core.personal import mask

    return mask(value, kind)


@register.inclusion_tag("core/_personal_value.html", takes_context=True)
def personal_value(context, obj, field, reveal=False):
    """A personal value masked, with a "显示完整…" button for whom may see it in full
    (`reveal`: the view's `allowed(user, "view_contact", obj)`); the full view is audited."""
    from django.urls import reverse

    from renda.core.personal import field_of, mask

    kind = field_of(type(obj), field).mask
    value = getattr(obj, field)
    return {
        "csrf_token": context.get("csrf_token"),
        "masked": mask(value, kind),
        "erased": bool(getattr(obj, "erased_at", None)) and not value,
        "reveal_url": reverse("core:reveal_personal", args=[obj._meta.label_lower, obj.pk, field])
        if reveal and value
        else "",
        "button": {"address": "显示完整地址", "name": "显示完整姓名"}.get(kind, "显示完整号码"),
        "field": field,
    }
