"""A per-client limit on public look-ups, counted in Django's cache.

A fixed window per client address: "20/10m" allows 20 attempts in each 10-minute window.
In production the cache is Redis (settings/prod.py, REDIS_URL), so every gunicorn worker
counts into the same window; the local-memory cache of dev and tests counts per process.
"""

import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

RATE_PATTERN = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int  # seconds until the current window ends


def parse_rate(text: str) -> Rate:
    """ "20/10m" -> Rate(20, 600); units s, m, h, d; the number before the unit is optional."""
    match = RATE_PATTERN.match(text or "")
    if not match:
        raise ImproperlyConfigured(f"Rate must look like '20/10m', not {text!r}")
    limit, count, unit = match.groups()
    seconds = int(count or 1) * UNIT_SECONDS[unit]
    if int(limit) < 1 or seconds < 1:
        raise ImproperlyConfigured(f"Rate must allow at least 1 per window, not {text!r}")
    return Rate(limit=int(limit), seconds=seconds)


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or — behind our own reverse proxy, when
    THANTHIEN_TRUST_X_FORWARDED_FOR is on — the last X-Forwarded-For entry, the one that
    proxy wrote (an earlier entry may be whatever the client sent)."""
    if settings.THANTHIEN_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(request, *, scope: str, rate: str) -> Verdict:
    """Count one attempt of this client in `scope`; allowed while within the rate."""
    parsed = parse_rate(rate)
    now = time.time()
    window = int(now // parsed.seconds)
    retry_after = max(1, int((window + 1) * parsed.seconds - now))
    key = f"ratelimit:{scope}:{client_ip(request)}:{parsed.seconds}:{window}"
    # add() is a no-op when the key exists; incr() is atomic in Redis and in local memory.
    cache.add(key, 0, timeout=parsed.seconds + 5)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=parsed.seconds + 5)
        count = 1
    return Verdict(allowed=count <= parsed.limit, retry_after=retry_after)
