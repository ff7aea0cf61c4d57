"""SMS arithmetic: how many parts a text costs, and Vietnamese without diacritics.

A GSM 03.38 text holds 160 septets in one part and 153 per part when split (the rest
of each part is the concatenation header); anything else goes as UCS-2: 70 UTF-16 code
units in one part, 67 per part when split. An escape pair (extension character) or a
surrogate pair (emoji) is never cut between two parts, as handsets and gateways do, so a
part may carry one unit less than its capacity.

An empty text counts 0 parts: nothing is sent, and the outbox never queues one.
"""

import unicodedata

from django.conf import settings

# GSM 03.38 default alphabet (ESC 0x1B left out: it only introduces the extension table).
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
# Extension table: each costs two septets (ESC + the character).
GSM_EXTENSION = frozenset("\f^{}\\[~]|€")

GSM_SINGLE, GSM_MULTI = 160, 153
UCS2_SINGLE, UCS2_MULTI = 70, 67


def is_gsm(text: str) -> bool:
    """True when every character is in the GSM 03.38 alphabet or its extension."""
    return all(ch in GSM_BASIC or ch in GSM_EXTENSION for ch in text)


def _weights(text: str) -> list[int]:
    if is_gsm(text):
        return [2 if ch in GSM_EXTENSION else 1 for ch in text]
    return [2 if ord(ch) > 0xFFFF else 1 for ch in text]


def _pack(weights: list[int], capacity: int) -> int:
    parts, used = 1, 0
    for weight in weights:
        if used + weight > capacity:
            parts, used = parts + 1, 0
        used += weight
    return parts


def sms_units(text: str) -> int:
    """Septets for a GSM text, UTF-16 code units otherwise."""
    return sum(_weights(text))


def sms_parts(text: str) -> int:
    """Number of SMS parts the text is billed as (0 for an empty text)."""
    if not text:
        return 0
    weights = _weights(text)
    single, multi = (GSM_SINGLE, GSM_MULTI) if is_gsm(text) else (UCS2_SINGLE, UCS2_MULTI)
    if sum(weights) <= single:
        return 1
    return _pack(weights, multi)


def sms_cost(text: str) -> int:
    """Cost in đồng, from THANTHIEN_SMS_COST_PER_PART."""
    return sms_parts(text) * int(settings.THANTHIEN_SMS_COST_PER_PART)


_LETTER_MAP = str.maketrans({"đ": "d", "Đ": "D"})


def strip_diacritics(text: str) -> str:
    """Vietnamese as plain letters: đ→d, Đ→D, every tone and vowel mark removed.

    Characters that carry no mark (digits, punctuation, emoji) are kept as they are.
    """
    decomposed = unicodedata.normalize("NFD", text.translate(_LETTER_MAP))
    kept = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    return unicodedata.normalize("NFC", kept)
