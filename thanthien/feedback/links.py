"""Signed public links of a feedback item: its status page and the rating of its answer.

Like the dossier status link (thanthien.onestop.lookup), each carries a short keyed token
under a purpose of its own, so whoever got the code by SMS or on screen opens the page
without typing, and nobody can walk the codes.
"""

import hmac
from hashlib import sha256
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

TOKEN_LENGTH = 10
STATUS_PURPOSE = "thanthien.feedback.status"
RATING_PURPOSE = "thanthien.feedback.rating"


def item_token(code: str, *, purpose: str = STATUS_PURPOSE) -> str:
    key = f"{settings.SECRET_KEY}:{purpose}".encode()
    return hmac.new(key, code.encode(), sha256).hexdigest()[:TOKEN_LENGTH]


def item_token_matches(code: str, token: str, *, purpose: str = STATUS_PURPOSE) -> bool:
    # As bytes: compare_digest refuses str with non-ASCII characters, and `token` is typed.
    expected = item_token(code, purpose=purpose).encode()
    return bool(token) and hmac.compare_digest(expected, token.encode())


def _absolute(path: str, request=None) -> str:
    base = settings.THANTHIEN_PUBLIC_BASE_URL.rstrip("/")
    if base:
        return f"{base}{path}"
    return request.build_absolute_uri(path) if request is not None else path


def status_path(code: str) -> str:
    """/gop-y/theo-doi/<code>/?k=<token>: the item's public status page."""
    path = reverse("feedback:status", kwargs={"code": code})
    return f"{path}?{urlencode({'k': item_token(code)})}"


def status_url(code: str, *, request=None) -> str:
    return _absolute(status_path(code), request)


def rating_path(code: str) -> str:
    """/gop-y/danh-gia/<code>/?k=<token>: the sender rates the answer."""
    path = reverse("feedback:rate", kwargs={"code": code})
    return f"{path}?{urlencode({'k': item_token(code, purpose=RATING_PURPOSE)})}"


def rating_url(code: str, *, request=None) -> str:
    return _absolute(rating_path(code), request)
