"""Residents rate an answer by replying to the SMS: "<code> 1" (satisfied) or "<code> 2 <reason>"
(not satisfied, why). The SMS provider calls this address with each incoming message (MO).

eSMS.vn's short-code MO call is an HTTP GET with `sender` (the phone, 84…), `content`,
`smsid`, `serviceNumber`, `keyword`, `receiverTime`
(https://developers.esms.vn/esms-api/ket-noi-ma-svoucher/ket-noi-dau-so-ngan); other providers
POST a form or JSON with `from`/`phone` and `text`/`message`. Both are read. The address carries
a shared secret (THANTHIEN_FEEDBACK_SMS_REPLY_SECRET, compared in constant time); any other
caller gets 403. Only the phone the item was sent from may rate it. Every authentic call gets
200 with what happened, so the provider does not retry a message we could not use.
"""

import hmac
import json
import re
import unicodedata
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from thanthien.core.text import fold
from thanthien.feedback import workflow_services as services
from thanthien.feedback.intake_services import normalized_phone
from thanthien.feedback.items import FeedbackItem

CODE_RE = re.compile(r"\bPA(?:-[A-Z0-9]+){2,}\b", re.IGNORECASE)
SATISFIED = {"1", "hl", "co", "dong y", "hai long"}
UNSATISFIED = {"2", "khl", "khong", "chua hai long", "khong hai long"}


@dataclass(frozen=True)
class SmsRating:
    code: str
    satisfied: bool
    reason: str


def sms_rating_parse(text: str) -> SmsRating | None:
    """ "PA-11725-26-00042 1" -> satisfied; "GY PA-11725-26-00042 2 duong van hong" -> not
    satisfied with the reason. None when the text holds no code or no 1/2."""
    match = CODE_RE.search(text or "")
    if match is None:
        return None
    # NFC with single spaces: folding then keeps one character per character, so a keyword
    # found in the folded text ends at the same place in the resident's own words.
    rest = " ".join(unicodedata.normalize("NFC", text[match.end() :]).split())
    folded = fold(rest)
    code = match.group(0).upper()
    # Longest first: "khong hai long" before "khong", "hai long" as a whole.
    for key in sorted(SATISFIED | UNSATISFIED, key=len, reverse=True):
        if re.match(rf"{re.escape(key)}(?![a-z0-9])", folded):
            if key in SATISFIED:
                return SmsRating(code=code, satisfied=True, reason="")
            reason = rest[len(key) :].strip(" .,:;-")
            return SmsRating(code=code, satisfied=False, reason=reason)
    return None


def _secret_ok(secret: str) -> bool:
    expected = settings.THANTHIEN_FEEDBACK_SMS_REPLY_SECRET
    return bool(expected) and hmac.compare_digest(secret.encode(), expected.encode())


def _params(request) -> dict:
    if request.method == "GET":
        return request.GET.dict()
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body or b"{}")
        except ValueError:
            return {}
        return {str(k): str(v) for k, v in body.items()} if isinstance(body, dict) else {}
    return request.POST.dict()


def _first(params: dict, *names: str) -> str:
    return next((params[n] for n in names if params.get(n)), "")


def _answer(ok: bool, result: str, status: int = 200) -> JsonResponse:
    return JsonResponse({"ok": ok, "result": result}, status=status)


@csrf_exempt
@require_http_methods(["GET", "POST"])
def sms_reply(request, secret: str):
    """/gop-y/sms-tra-loi/<secret>/: one incoming SMS from the provider."""
    if not _secret_ok(secret):
        return _answer(False, "forbidden", status=403)
    params = _params(request)
    phone = normalized_phone(_first(params, "sender", "from", "phone", "Phone", "msisdn"))
    text = _first(params, "content", "text", "message", "Content", "Message")
    parsed = sms_rating_parse(text)
    if parsed is None:
        return _answer(False, "not_a_rating")
    item = FeedbackItem.objects.filter(code=parsed.code).first()
    # An unknown code and another person's phone answer alike.
    if item is None or not phone or item.sender_phone != phone:
        return _answer(False, "unknown_item")
    try:
        services.feedback_rate(
            item=item, satisfied=parsed.satisfied, reason=parsed.reason, channel="sms"
        )
    except ValidationError as error:
        return _answer(False, " ".join(error.messages))
    return _answer(True, "rated")
