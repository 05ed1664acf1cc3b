"""The address a request comes from, as the log-in lockout (django-axes) counts it."""

from functools import cache
from ipaddress import ip_address, ip_network

from django.conf import settings


@cache
def _networks(proxies: tuple[str, ...]):
    return tuple(ip_network(proxy, strict=False) for proxy in proxies)


def _parse(address: str | None):
    try:
        return ip_address((address or "").strip())
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """REMOTE_ADDR, or, when that is a trusted proxy, the right-most X-Forwarded-For hop that is not one.

    Anyone can write an X-Forwarded-For header: only the hops our own proxies appended are believed,
    so an address forged at the left of the header is never taken, and without TRUSTED_PROXIES none is.
    """
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))
    address = _parse(request.META.get("REMOTE_ADDR"))
    if address is None:
        return request.META.get("REMOTE_ADDR")
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        if not any(address in network for network in trusted) or (forwarded := _parse(hop)) is None:
            break
        address = forwarded
    return str(address)
