"""Rate limits of the public feedback form: per client address and per phone number.

`core.ratelimit.hit` counts by client address only; a sender who changes networks (mobile
data, then Wi-Fi) keeps the same phone, so the phone number gets a count of its own, kept in
the same cache with the same fixed windows.
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache

from thanthien.core import ratelimit

IP_SCOPE = "feedback-submit"
PHONE_SCOPE = "feedback-submit-phone"


def hit_key(*, scope: str, key: str, rate: str) -> ratelimit.Verdict:
    """Count one attempt of `key` (any identifier) in `scope`; allowed while within the rate."""
    parsed = ratelimit.parse_rate(rate)
    now = time.time()
    window = int(now // parsed.seconds)
    retry_after = max(1, int((window + 1) * parsed.seconds - now))
    # Hashed: the cache (Redis in production) never holds a phone number in clear.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{key}".encode()).hexdigest()[:32]
    cache_key = f"ratelimit:{scope}:{digest}:{parsed.seconds}:{window}"
    cache.add(cache_key, 0, timeout=parsed.seconds + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.add(cache_key, 1, timeout=parsed.seconds + 5)
        count = 1
    return ratelimit.Verdict(allowed=count <= parsed.limit, retry_after=retry_after)


def submission_allowed(request, *, phone: str = "") -> ratelimit.Verdict:
    """Count one submission against THANTHIEN_FEEDBACK_RATE for the client's address and,
    when a phone is given, THANTHIEN_FEEDBACK_PHONE_RATE for that phone; refused when either
    is over (the longer wait is returned)."""
    verdicts = [ratelimit.hit(request, scope=IP_SCOPE, rate=settings.THANTHIEN_FEEDBACK_RATE)]
    if phone:
        verdicts.append(
            hit_key(scope=PHONE_SCOPE, key=phone, rate=settings.THANTHIEN_FEEDBACK_PHONE_RATE)
        )
    refused = [v for v in verdicts if not v.allowed]
    if refused:
        return ratelimit.Verdict(allowed=False, retry_after=max(v.retry_after for v in refused))
    return verdicts[0]
