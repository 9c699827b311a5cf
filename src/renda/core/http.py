"""The client's address, for throttles (login lock-out, public forms).

Behind N trusted reverse proxies (RENDA_PROXY_COUNT=N), the client is the address the
outermost of them put in X-Forwarded-For: the N-th entry from the right. Entries left of
it are whatever the client sent and cannot be trusted. With no proxy, REMOTE_ADDR."""
from django.conf import settings


def client_ip(request) -> str:
    count = settings.RENDA_PROXY_COUNT
    if count > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")
