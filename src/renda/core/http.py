"""The client's address and a simple throttle, for the login lock-out, public forms
and costly endpoints.

Behind N trusted reverse proxies (RENDA_PROXY_COUNT=N), the client is the address the
outermost of them put in X-Forwarded-For: the N-th entry from the right. Entries left of
it are whatever the client sent and cannot be trusted. With no proxy, REMOTE_ADDR."""

import ipaddress

from django.conf import settings
from django.core.cache import cache


def client_key(request) -> str:
    """Who to count in a throttle: the client's address, an IPv6 client by its /64 (one
    household or host is given a whole /64 and could rotate addresses inside it)."""
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 6:
        if ip.ipv4_mapped:  # ::ffff:a.b.c.d is an IPv4 client
            return str(ip.ipv4_mapped)
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def lockout_address(request) -> str:
    """The address sign-in lock-outs count (django-axes): client_key, as an address (axes stores
    an IP), so an IPv6 client is one /64 and cannot rotate out of its count."""
    return client_key(request).split("/", 1)[0]


def client_ip(request) -> str:
    count = settings.RENDA_PROXY_COUNT
    if count > 0:
        forwarded = [p.strip() for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p.strip()]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR", "")


def throttled(key: str, limit: int, seconds: int = 3600) -> bool:
    """Count one use of `key`; True (and not counted) once `limit` uses were made in the
    window. The cache is Redis in production, so every process shares the counts."""
    if cache.get_or_set(key, 0, timeout=seconds) >= limit:
        return True
    try:
        cache.incr(key)
    except ValueError:  # expired in between
        cache.set(key, 1, timeout=seconds)
    return False
