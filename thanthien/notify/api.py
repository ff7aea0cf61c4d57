"""Delivery reports from the SMS provider, received over the API.

eSMS.vn calls the CallbackUrl sent with each message (THANTHIEN_NOTIFY_ESMS_CALLBACK_URL)
by HTTP GET once the operator reports, with SMSID, RequestId, SendStatus (5 = sent
successfully), SendSuccess and SendFailed among its query parameters:
https://developers.esms.vn/esms-api/callback-url
The address carries a shared secret (THANTHIEN_NOTIFY_ESMS_CALLBACK_SECRET): any other
caller is refused with 403.
"""

import hmac
import uuid

from django.conf import settings
from ninja import Query, Router, Schema, Status

from thanthien.notify.models import Message
from thanthien.notify.services import message_mark_delivered

router = Router(tags=["notify"])

ESMS_SENT_SUCCESSFULLY = "5"


class DeliveryAck(Schema):
    received: bool
    delivered: bool


class Refused(Schema):
    detail: str


def _secret_ok(secret: str) -> bool:
    expected = settings.THANTHIEN_NOTIFY_ESMS_CALLBACK_SECRET
    return bool(expected) and hmac.compare_digest(secret.encode(), expected.encode())


def _count(text: str) -> int:
    return int(text) if text.strip().isdigit() else 0


def _request_id(*, request_id: str, sms_id: str) -> str:
    """Our id for the message: the RequestId we sent, or — when the report leaves it empty,
    as eSMS's samples do — the message that got this SMSID when it was accepted."""
    try:
        return str(uuid.UUID(request_id))
    except ValueError:
        pass
    if not sms_id:
        return ""
    found = (
        Message.objects.filter(provider_message_id=sms_id)
        .values_list("provider_request_id", flat=True)
        .first()
    )
    return str(found) if found else ""


@router.get(
    "/esms/delivery/{secret}",
    response={200: DeliveryAck, 403: Refused},
    operation_id="esms_delivery_report",
    summary="Báo cáo gửi tin của eSMS.vn / eSMS.vn delivery report",
    description=(
        "Địa chỉ gọi lại (CallbackUrl) của eSMS.vn; <secret> là khoá chung đã cấu hình. "
        "Tin gửi thành công (SendStatus=5, SendSuccess≥1) được ghi là đã đến người nhận.\n\n"
        "eSMS.vn's CallbackUrl; <secret> is the configured shared secret. A message reported "
        "sent (SendStatus=5, SendSuccess≥1) is marked delivered."
    ),
)
def esms_delivery_report(
    request,
    secret: str,
    sms_id: str = Query("", alias="SMSID"),
    request_id: str = Query("", alias="RequestId"),
    send_status: str = Query("", alias="SendStatus"),
    send_success: str = Query("", alias="SendSuccess"),
    send_failed: str = Query("", alias="SendFailed"),
):
    if not _secret_ok(secret):
        return Status(403, {"detail": "Forbidden"})
    delivered = False
    if send_status == ESMS_SENT_SUCCESSFULLY and _count(send_success) >= 1:
        our_id = _request_id(request_id=request_id, sms_id=sms_id)
        if our_id:
            delivered = message_mark_delivered(provider_request_id=our_id)
    # 200 for every authentic report, so the provider stops retrying it.
    return Status(200, {"received": True, "delivered": delivered})
