"""Zalo Notification Service (ZNS): a template message, approved by Zalo, to a phone number.

API: POST https://business.openapi.zalo.me/message/template, header `access_token`,
body {"phone": "84…", "template_id", "template_data": {…}, "tracking_id"}; answer
{"error": 0, "message": "Success", "data": {"msg_id": …}} or a negative error code.
https://developers.zalo.me/docs/zalo-notification-service/gui-tin-zns/gui-zns
Error codes: https://zalo.cloud/zns/guidelines/handle-error-code
"""

import json

import httpx
from django.conf import settings

from thanthien.notify.gateways.base import HttpGateway, Outcome, SendResult

# Codes that no retry can fix for this message: bad phone (-108), bad template id,
# data or parameters (-109, -111, -112), no Zalo account (-118), account cannot
# receive ZNS (-119), user refused or inactive (-139). These fall back to SMS.
PERMANENT = frozenset({-108, -109, -111, -112, -118, -119, -139})


def zalo_phone(phone: str) -> str:
    """0912345678 → 84912345678 (the international form ZNS documents)."""
    return "84" + phone[1:] if phone.startswith("0") else phone


class ZnsGateway(HttpGateway):
    name = "zns"

    def send(self, message) -> SendResult:
        url = settings.THANTHIEN_NOTIFY_ZNS_URL
        tracking_id = str(message.provider_request_id)
        payload = {
            "phone": zalo_phone(message.phone),
            "template_id": message.zalo_template_id,
            "template_data": message.context,
            "tracking_id": tracking_id,
        }
        request = (
            f"POST {url} phone={payload['phone']} template_id={message.zalo_template_id} "
            f"tracking_id={tracking_id}"
        )
        headers = {"access_token": settings.THANTHIEN_NOTIFY_ZNS_ACCESS_TOKEN}
        try:
            response = self.post_json(
                url, body=json.dumps(payload, ensure_ascii=False).encode(), headers=headers
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
            error = int(answer.get("error"))
        except (ValueError, TypeError, AttributeError):
            result.outcome = Outcome.TEMPORARY
            result.error = f"HTTP {response.status_code}: unreadable answer"
            return result
        result.status_code = str(error)
        if error == 0:
            result.provider_message_id = str((answer.get("data") or {}).get("msg_id") or "")
            return result
        result.outcome = Outcome.PERMANENT if error in PERMANENT else Outcome.TEMPORARY
        result.error = str(answer.get("message") or f"error {error}")
        return result
