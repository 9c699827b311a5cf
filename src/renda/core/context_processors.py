from django.conf import settings
from django.urls import NoReverseMatch, reverse

from renda.manifest import manifests

from .models import Notification


def platform(request):
    from .services import root_congress

    user = getattr(request, "user", None)
    context = {
        "platform_name": "智慧人大",
        "root_congress": root_congress(),
        "login_failure_limit": settings.RENDA_LOGIN_FAILURE_LIMIT,
        "login_address_failure_limit": settings.RENDA_LOGIN_ADDRESS_FAILURE_LIMIT,
        "twofactor_enforced": settings.RENDA_2FA_ENFORCE and bool(settings.RENDA_2FA_REQUIRED_ROLES),
        "login_cooloff_minutes": round(settings.AXES_COOLOFF_TIME * 60),
    }
    if user is None or not user.is_authenticated:
        return context
    actor = user.actor
    entries = []
    # A page may say where it belongs (`request.nav_path`: a case's transition page, served
    # under /work/workflow/, belongs to its case type's module); the longest prefix wins.
    path = getattr(request, "nav_path", None) or request.path
    for _, manifest in manifests():
        for entry in manifest.nav:
            if entry.roles is not None and not actor.has(*entry.roles):
                continue
            try:
                url = reverse(entry.url_name)
            except NoReverseMatch:
                continue
            entries.append({"label": entry.label, "url": url, "active": False})
    matching = [e for e in entries if path == e["url"] or (e["url"] != "/work/" and path.startswith(e["url"]))]
    if matching:
        max(matching, key=lambda e: len(e["url"]))["active"] = True
    context.update(
        {
            "nav_entries": entries,
            "role_labels": actor.role_labels() or ["无角色"],
            "unread_count": Notification.objects.filter(user=user, read_at__isnull=True).count(),
        }
    )
    return context
