"""Replies on the commune's Facebook Page through the Messenger Send API, to a person who
wrote to the Page (the feedback app's acknowledgements and answers).

API: POST https://graph.facebook.com/v<version>/me/messages?access_token=<page token> (the
token is kept on the commune's feedback ChannelAccount), body
{"recipient": {"id": "<PSID>"}, "messaging_type": "RESPONSE", "message": {"text": "…"}};
answer {"recipient_id": "…", "message_id": "m_…"}, or an HTTP error with
{"error": {"message", "type", "code", "error_subcode", "fbtrace_id"}}.
https://developers.facebook.com/docs/messenger-platform/reference/send-api/
"RESPONSE" is allowed within 24 hours of the person's last message; an acknowledgement is
sent within seconds, a later answer outside the window fails with code 10 / subcode 2018278.
"""

import json

import httpx
from django.conf import settings

from thanthien.notify.gateways.base import HttpGateway, Outcome, SendResult
from thanthien.notify.gateways.zalo_oa import platform_token

MAX_TEXT = 2000
# Graph API codes a later try can fix: unknown/service errors (1, 2), rate limits
# (4, 17, 32, 613) and "temporary send message failure" (1200). Others (100 bad parameter,
# 190 bad token, 10 outside the messaging window, 551 person unavailable) are permanent.
TEMPORARY = frozenset({1, 2, 4, 17, 32, 613, 1200})


class FacebookGateway(HttpGateway):
    name = "facebook"

    def send(self, message) -> SendResult:
        url = settings.THANTHIEN_NOTIFY_FACEBOOK_URL
        request = (
            f"POST {url} recipient={message.recipient_ref} request={message.provider_request_id}"
        )
        token = platform_token(message, "facebook")
        if not token:
            return SendResult(
                outcome=Outcome.PERMANENT,
                request=request,
                error="the commune has no active Facebook Page account with an access token",
            )
        payload = {
            "recipient": {"id": message.recipient_ref},
            "messaging_type": "RESPONSE",
            "message": {"text": message.body[:MAX_TEXT]},
        }
        timeout = float(settings.THANTHIEN_NOTIFY_HTTP_TIMEOUT)
        try:
            with httpx.Client(timeout=timeout) as client:
                response = client.post(
                    url,
                    params={"access_token": token},
                    content=json.dumps(payload, ensure_ascii=False).encode(),
                    headers={"Content-Type": "application/json"},
                )
        except httpx.TransportError as exc:
            return self.transport_failure(request, exc)
        result = SendResult(
            outcome=Outcome.ACCEPTED,
            request=request,
            status_code=str(response.status_code),
            response=self.short(response.text),
        )
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if response.status_code == 200 and isinstance(answer, dict) and answer.get("message_id"):
            result.provider_message_id = str(answer["message_id"])
            return result
        error = (answer or {}).get("error") if isinstance(answer, dict) else None
        error = error if isinstance(error, dict) else {}
        code = error.get("code")
        result.error = str(error.get("message") or f"HTTP {response.status_code}")
        if code is not None:
            result.status_code = f"{response.status_code}/{code}"
        temporary = (
            response.status_code >= 500
            or response.status_code in (408, 429)
            or code in TEMPORARY
            or (response.status_code == 200 and not error)
        )
        result.outcome = Outcome.TEMPORARY if temporary else Outcome.PERMANENT
        return result
