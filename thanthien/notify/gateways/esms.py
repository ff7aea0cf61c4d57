"""Brandname SMS through eSMS.vn (ViHAT), customer-care type.

API: POST https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/
https://developers.esms.vn/en/esms-api/send-sms-api/send-otp-customer-care-message
Body fields ApiKey, SecretKey, Phone, Content, Brandname, SmsType ("2" customer care),
IsUnicode ("1" for Vietnamese with diacritics), Sandbox, RequestId (the provider blocks a
second request with the same id for 24 h), CallbackUrl. Answer: {"CodeResult": "100",
"SMSID": "…"} on success, else CodeResult and ErrorMessage.
Codes: https://developers.esms.vn/en/esms-api/table-of-error-codes
"""

import json

import httpx
from django.conf import settings

from thanthien.notify.gateways.base import HttpGateway, Outcome, SendResult
from thanthien.notify.sms import is_gsm, sms_parts

SUCCESS = "100"
# 124 "Duplicate RequestId": the provider already has this message — our earlier send
# went through before a crash or timeout. It counts as accepted, not as an error.
DUPLICATE_REQUEST = "124"
# Codes about this message or recipient that no retry can fix:
# 99 number blocked, 104 brandname unknown, 108 bad phone format, 118 unsupported type,
# 146 wrong customer-care template, 177 network not registered for the brandname.
PERMANENT = frozenset({"99", "104", "108", "118", "146", "177"})


class EsmsGateway(HttpGateway):
    name = "esms"

    def send(self, message) -> SendResult:
        url = settings.THANTHIEN_NOTIFY_ESMS_URL
        payload = {
            "ApiKey": settings.THANTHIEN_NOTIFY_ESMS_API_KEY,
            "SecretKey": settings.THANTHIEN_NOTIFY_ESMS_SECRET_KEY,
            "Phone": message.phone,
            "Content": message.body,
            "Brandname": settings.THANTHIEN_NOTIFY_ESMS_BRANDNAME,
            "SmsType": "2",
            "IsUnicode": "0" if is_gsm(message.body) else "1",
            "Sandbox": "1" if settings.THANTHIEN_NOTIFY_ESMS_SANDBOX else "0",
            "RequestId": str(message.provider_request_id),
        }
        if settings.THANTHIEN_NOTIFY_ESMS_CALLBACK_URL:
            payload["CallbackUrl"] = settings.THANTHIEN_NOTIFY_ESMS_CALLBACK_URL
        request = (
            f"POST {url} Phone={message.phone} RequestId={payload['RequestId']} "
            f"IsUnicode={payload['IsUnicode']} parts={sms_parts(message.body)}"
        )
        try:
            response = self.post_json(url, body=json.dumps(payload).encode(), headers={})
        except httpx.TransportError as exc:
            return self.transport_failure(request, exc)
        if response.status_code >= 500 or response.status_code in (408, 429):
            return SendResult(
                outcome=Outcome.TEMPORARY,
                request=request,
                status_code=str(response.status_code),
                response=self.short(response.text),
                error=f"HTTP {response.status_code}",
            )
        try:
            answer = response.json()
            code = str(answer.get("CodeResult", ""))
        except (ValueError, AttributeError):
            return SendResult(
                outcome=Outcome.TEMPORARY,
                request=request,
                status_code=str(response.status_code),
                response=self.short(response.text),
                error="unreadable answer",
            )
        result = SendResult(
            outcome=Outcome.ACCEPTED,
            request=request,
            status_code=code,
            response=self.short(response.text),
            provider_message_id=str(answer.get("SMSID") or ""),
        )
        if code in (SUCCESS, DUPLICATE_REQUEST):
            return result
        result.outcome = Outcome.PERMANENT if code in PERMANENT else Outcome.TEMPORARY
        result.error = str(answer.get("ErrorMessage") or f"CodeResult {code}")
        return result
