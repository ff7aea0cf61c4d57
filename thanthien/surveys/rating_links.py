"""The signed link to rate a dossier: /danh-gia/?ma=<code>&k=<token>.

Like the status link (thanthien.onestop.lookup) it carries a short keyed token, but under a
purpose of its own, so the lookup token printed on a receipt does not open the rating and a
rating link does not open the status.
"""

import hmac
from hashlib import sha256
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

TOKEN_LENGTH = 12
PURPOSE = "thanthien.surveys.rating"


def rating_token(code: str) -> str:
    key = f"{settings.SECRET_KEY}:{PURPOSE}".encode()
    return hmac.new(key, code.encode(), sha256).hexdigest()[:TOKEN_LENGTH]


def rating_token_matches(code: str, token: str) -> bool:
    return bool(token) and hmac.compare_digest(rating_token(code).encode(), token.encode())


def rating_path(code: str, *, channel: str = "") -> str:
    query = {"ma": code, "k": rating_token(code)}
    if channel:
        query["kenh"] = channel
    return f"{reverse('surveys:rate')}?{urlencode(query)}"


def rating_url(code: str, *, request=None, channel: str = "") -> str:
    """The absolute address for a message or a QR code (public host when configured)."""
    path = rating_path(code, channel=channel)
    base = settings.THANTHIEN_PUBLIC_BASE_URL.rstrip("/")
    if base:
        return f"{base}{path}"
    return request.build_absolute_uri(path) if request is not None else path
