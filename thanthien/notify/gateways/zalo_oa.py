"""Replies on the commune's Zalo Official Account: a customer-service text message to a user
who wrote to the OA (the feedback app's acknowledgements and answers).

API: POST https://openapi.zalo.me/v3.0/oa/message/cs, header `access_token` (the OA's token,
kept on the commune's feedback ChannelAccount), body
{"recipient": {"user_id": "<user id>"}, "message": {"text": "…"}}; answer
{"error": 0, "message": "Success", "data": {"message_id": "…", "user_id": "…"}} or a negative
error code with its message. https://developers.zalo.me/docs/official-account/tin-nhan/
"""

import json

import httpx
from django.conf import settings

from thanthien.notify.gateways.base import HttpGateway, Outcome, SendResult

# Zalo caps a text message at 2,000 characters.
MAX_TEXT = 2000
# Codes a later try can fix: rate limit (-32), quota used up for now (-211, -218), the OA's
# access token invalid or expired until the administrator renews it (-216, -220). Any other
# error is about this message or user (-201 bad parameters, -213 not a follower, -230 no
# interaction in the last 7 days…): retrying cannot help.
TEMPORARY = frozenset({-32, -211, -216, -218, -220})


def platform_token(message, platform: str) -> str:
    # The feedback app owns the accounts; imported here because feedback imports notify.
    from thanthien.feedback.platform_services import reply_access_token

    return reply_access_token(commune_id=message.commune_id, platform=platform)


class ZaloOaGateway(HttpGateway):
    name = "zalo_oa"

    def send(self, message) -> SendResult:
        url = settings.THANTHIEN_NOTIFY_ZALO_OA_URL
        request = (
            f"POST {url} user_id={message.recipient_ref} request={message.provider_request_id}"
        )
        token = platform_token(message, "zalo")
        if not token:
            return SendResult(
                outcome=Outcome.PERMANENT,
                request=request,
                error="the commune has no active Zalo OA account with an access token",
            )
        payload = {
            "recipient": {"user_id": message.recipient_ref},
            "message": {"text": message.body[:MAX_TEXT]},
        }
        try:
            response = self.post_json(
                url,
                body=json.dumps(payload, ensure_ascii=False).encode(),
                headers={"access_token": token},
            )
        except httpx.TransportError as exc:
            return self.transport_failure(request, exc)
        result = SendResult(
            outcome=Outcome.ACCEPTED,
            request=request,
            status_code=str(response.status_code),
            response=self.short(response.text),
        )
        if response.status_code >= 500 or response.status_code in (408, 429):
            result.outcome = Outcome.TEMPORARY
            result.error = f"HTTP {response.status_code}"
            return result
        try:
            answer = response.json()
            error = int(answer.get("error"))
        except (ValueError, TypeError, AttributeError):
            result.outcome = Outcome.TEMPORARY if response.status_code < 400 else Outcome.PERMANENT
            result.error = f"HTTP {response.status_code}: unreadable answer"
            return result
        result.status_code = str(error)
        if error == 0:
            data = answer.get("data") or {}
            result.provider_message_id = str(data.get("message_id") or "")
            return result
        result.outcome = Outcome.TEMPORARY if error in TEMPORARY else Outcome.PERMANENT
        result.error = str(answer.get("message") or f"error {error}")
        return result
