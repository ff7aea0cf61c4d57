"""A generic SMS gateway: POST {id, to, text} as JSON, signed with HMAC-SHA256.

Header X-Thanthien-Signature: "sha256=<hex of HMAC-SHA256(secret, raw body)>"; the same
`id` (also in Idempotency-Key) comes back on a resend so the receiver can drop it.
2xx or 409 (already have it) = accepted; 408, 429 and 5xx = try again; other 4xx = refused.
"""

import contextlib
import hashlib
import hmac
import json

import httpx
from django.conf import settings

from thanthien.notify.gateways.base import HttpGateway, Outcome, SendResult

SIGNATURE_HEADER = "X-Thanthien-Signature"


def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


class WebhookSmsGateway(HttpGateway):
    name = "webhook"

    def send(self, message) -> SendResult:
        url = settings.THANTHIEN_NOTIFY_WEBHOOK_URL
        request_id = str(message.provider_request_id)
        body = json.dumps(
            {"id": request_id, "to": message.phone, "text": message.body}, ensure_ascii=False
        ).encode()
        headers = {
            SIGNATURE_HEADER: sign(settings.THANTHIEN_NOTIFY_WEBHOOK_SECRET, body),
            "Idempotency-Key": request_id,
        }
        request = f"POST {url} to={message.phone} id={request_id}"
        try:
            response = self.post_json(url, body=body, headers=headers)
        except httpx.TransportError as exc:
            return self.transport_failure(request, exc)
        status = response.status_code
        result = SendResult(
            outcome=Outcome.ACCEPTED,
            request=request,
            status_code=str(status),
            response=self.short(response.text),
        )
        if 200 <= status < 300 or status == 409:
            with contextlib.suppress(ValueError, AttributeError):
                result.provider_message_id = str(response.json().get("message_id") or "")
            return result
        retry = status >= 500 or status in (408, 429)
        result.outcome = Outcome.TEMPORARY if retry else Outcome.PERMANENT
        result.error = f"HTTP {status}"
        return result
