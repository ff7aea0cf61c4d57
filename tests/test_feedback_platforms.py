"""Feedback by Zalo OA and Facebook Page webhooks: signatures, refusals, items, redelivery,
photos, and the acknowledgement queued for the sender's platform."""

import hashlib
import hmac
import io
import json
import logging
import time

import pytest
from django.urls import reverse
from PIL import Image

from tests.factories_feedback import ChannelAccountFactory
from tests.feedback_platform_servers import PlatformServer
from thanthien.feedback.models import (
    Attachment,
    ChannelAccount,
    FeedbackEvent,
    FeedbackItem,
    InboundLog,
)
from thanthien.feedback.platforms import zalo_signature
from thanthien.notify.models import Channel, Event, Message

OA_ID = "4368496045530124040"
APP_ID = "1234567890"
OA_SECRET = "oa-secret-key-xa-an"
PAGE_ID = "109876543210"
FB_SECRET = "fb-app-secret-xa-an"
TEXT = "Đường vào thôn Đông bị sụt lún, xe máy đi rất nguy hiểm."
Outcome = InboundLog.Outcome


def now_ms() -> int:
    return int(time.time() * 1000)


def zalo_body(
    *,
    event="user_send_text",
    text=TEXT,
    msg_id="msg-001",
    user_id="zalo-user-77",
    oa_id=OA_ID,
    timestamp=None,
    attachments=None,
) -> bytes:
    message = {"msg_id": msg_id, "text": text}
    if attachments:
        message["attachments"] = attachments
    payload = {
        "app_id": APP_ID,
        "user_id_by_app": "552177279717587730",
        "event_name": event,
        "timestamp": str(timestamp if timestamp is not None else now_ms()),
        "sender": {"id": user_id},
        "recipient": {"id": oa_id},
        "message": message,
    }
    return json.dumps(payload, ensure_ascii=False).encode()


def zalo_mac(body: bytes, *, secret=OA_SECRET, app_id=APP_ID) -> str:
    """Computed here as the Zalo docs state it, independently of the code under test."""
    timestamp = json.loads(body)["timestamp"]
    raw = app_id.encode() + body + str(timestamp).encode() + secret.encode()
    return "mac=" + hashlib.sha256(raw).hexdigest()


def post_zalo(client, body: bytes, signature: str | None = "auto"):
    headers = {}
    if signature == "auto":
        signature = zalo_mac(body)
    if signature is not None:
        headers["X-ZEvent-Signature"] = signature
    return client.post(
        reverse("feedback:zalo_webhook"), body, content_type="application/json", headers=headers
    )


def fb_body(*messaging, page_id=PAGE_ID, entry_time=None) -> bytes:
    payload = {
        "object": "page",
        "entry": [
            {
                "id": page_id,
                "time": entry_time if entry_time is not None else now_ms(),
                "messaging": list(messaging),
            }
        ],
    }
    return json.dumps(payload, ensure_ascii=False).encode()


def fb_message(mid="m_001", text=TEXT, psid="psid-5566", attachments=None, **extra) -> dict:
    message = {"mid": mid, "text": text, **extra}
    if attachments:
        message["attachments"] = attachments
    return {
        "sender": {"id": psid},
        "recipient": {"id": PAGE_ID},
        "timestamp": now_ms(),
        "message": message,
    }


def post_fb(client, body: bytes, signature: str | None = "auto", secret=FB_SECRET):
    headers = {}
    if signature == "auto":
        signature = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    if signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return client.post(
        reverse("feedback:facebook_webhook"),
        body,
        content_type="application/json",
        headers=headers,
    )


def jpeg_with_gps() -> bytes:
    picture = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0)}
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif)
    return out.getvalue()


@pytest.fixture
def oa(commune_a):
    return ChannelAccountFactory(
        commune=commune_a,
        platform=ChannelAccount.Platform.ZALO,
        account_id=OA_ID,
        app_id=APP_ID,
        app_secret=OA_SECRET,
        access_token="zalo-oa-access-token",
    )


@pytest.fixture
def page_account(commune_a):
    return ChannelAccountFactory(
        commune=commune_a,
        platform=ChannelAccount.Platform.FACEBOOK,
        account_id=PAGE_ID,
        app_id="fb-app",
        app_secret=FB_SECRET,
        access_token="facebook-page-access-token",
        verify_token="xa-an-verify-2026",
    )


@pytest.fixture
def cdn():
    with PlatformServer() as server:
        yield server


# --- signatures ---------------------------------------------------------------------------


def test_zalo_signature_is_mac_of_sha256_of_app_id_body_timestamp_and_oa_secret():
    body = zalo_body(timestamp=1732200000000)
    expected = hashlib.sha256(
        (APP_ID + body.decode() + "1732200000000" + OA_SECRET).encode()
    ).hexdigest()
    assert zalo_signature(
        app_id=APP_ID, body=body, timestamp="1732200000000", secret=OA_SECRET
    ) == ("mac=" + expected)


# --- Zalo webhook -------------------------------------------------------------------------


@pytest.mark.django_db
def test_signed_zalo_text_creates_an_item_and_queues_the_ack_on_zalo_oa(client, oa, commune_a):
    response = post_zalo(client, zalo_body())
    assert response.status_code == 200
    item = FeedbackItem.objects.get()
    assert item.commune == commune_a
    assert (item.source, item.reply_channel) == ("zalo", "zalo_oa")
    assert (item.external_id, item.sender_platform_id) == ("msg-001", "zalo-user-77")
    assert item.content == TEXT and item.consent_contact
    assert item.acknowledged_at is not None
    message = Message.objects.get(event=Event.FEEDBACK_ACKNOWLEDGED)
    assert (message.channel, message.recipient_ref, message.phone) == (
        Channel.ZALO_OA,
        "zalo-user-77",
        "",
    )
    assert item.code in message.body
    log = InboundLog.objects.get()
    assert (log.outcome, log.item, log.commune, log.external_id) == (
        Outcome.ACCEPTED,
        item,
        commune_a,
        "msg-001",
    )


@pytest.mark.django_db
def test_zalo_log_keeps_the_payload_fingerprint_and_caller_address(client, oa):
    body = zalo_body()
    post_zalo(client, body)
    log = InboundLog.objects.get()
    assert log.payload_sha256 == hashlib.sha256(body).hexdigest()
    assert log.remote_addr == "127.0.0.1"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("case", "reason"),
    [
        ("wrong_secret", "Chữ ký sai"),
        ("tampered_body", "Chữ ký sai"),
        ("missing_header", "Thiếu chữ ký"),
        ("stale", "Thời điểm gửi lệch quá 300 giây"),
    ],
)
def test_zalo_call_with_a_bad_signature_or_stale_time_is_refused_and_logged(
    client, oa, commune_a, caplog, case, reason
):
    body = zalo_body()
    signature = zalo_mac(body)
    if case == "wrong_secret":
        signature = zalo_mac(body, secret="not-the-secret")
    elif case == "tampered_body":
        body = zalo_body(text="Nội dung đã bị sửa trên đường truyền, không phải của dân.")
    elif case == "missing_header":
        signature = None
    elif case == "stale":
        body = zalo_body(timestamp=now_ms() - 10 * 60 * 1000)
        signature = zalo_mac(body)
    with caplog.at_level(logging.WARNING, logger="thanthien.feedback.platform_services"):
        response = post_zalo(client, body, signature)
    assert response.status_code == 403
    assert not FeedbackItem.objects.exists()
    assert not Message.objects.exists()
    log = InboundLog.objects.get()
    assert log.outcome == Outcome.REFUSED
    assert log.reason.startswith(reason)
    assert log.commune == commune_a
    assert log.payload_sha256 == hashlib.sha256(body).hexdigest()
    assert any("refused" in r.getMessage() and reason in r.getMessage() for r in caplog.records)


@pytest.mark.django_db
def test_zalo_call_for_an_unknown_oa_is_refused_and_logged_without_a_commune(client, oa):
    body = zalo_body(oa_id="999999")
    response = post_zalo(client, body)
    assert response.status_code == 403
    log = InboundLog.objects.get()
    assert (log.outcome, log.commune) == (Outcome.REFUSED, None)
    assert "999999" in log.reason
    assert not FeedbackItem.objects.exists()


@pytest.mark.django_db
def test_zalo_call_for_a_deactivated_oa_is_refused(client, oa):
    oa.is_active = False
    oa.save()
    assert post_zalo(client, zalo_body()).status_code == 403
    assert not FeedbackItem.objects.exists()


@pytest.mark.django_db
def test_zalo_body_that_is_not_json_is_refused(client, oa):
    response = client.post(
        reverse("feedback:zalo_webhook"),
        b"not json",
        content_type="application/json",
        headers={"X-ZEvent-Signature": "mac=00"},
    )
    assert response.status_code == 403
    assert InboundLog.objects.get().outcome == Outcome.REFUSED


@pytest.mark.django_db
def test_zalo_redelivery_of_the_same_message_creates_nothing_new(client, oa):
    body = zalo_body()
    assert post_zalo(client, body).status_code == 200
    assert post_zalo(client, body).status_code == 200
    item = FeedbackItem.objects.get()
    assert Message.objects.count() == 1
    outcomes = list(InboundLog.objects.order_by("pk").values_list("outcome", "item"))
    assert outcomes == [(Outcome.ACCEPTED, item.pk), (Outcome.DUPLICATE, item.pk)]


@pytest.mark.django_db
def test_zalo_follow_event_is_answered_200_and_logged_as_ignored(client, oa):
    body = json.dumps(
        {
            "app_id": APP_ID,
            "oa_id": OA_ID,
            "event_name": "follow",
            "timestamp": str(now_ms()),
            "source": "oa_profile",
            "follower": {"id": "zalo-user-77"},
        }
    ).encode()
    response = post_zalo(client, body)
    assert response.status_code == 200
    log = InboundLog.objects.get()
    assert (log.outcome, log.reason) == (Outcome.IGNORED, "Sự kiện follow, không phải tin nhắn.")
    assert not FeedbackItem.objects.exists()


@pytest.mark.django_db
def test_zalo_short_greeting_is_ignored_without_an_item(client, oa):
    response = post_zalo(client, zalo_body(text="hi"))
    assert response.status_code == 200
    assert InboundLog.objects.get().outcome == Outcome.IGNORED
    assert not FeedbackItem.objects.exists()


@pytest.mark.django_db
def test_zalo_get_is_not_allowed(client, oa):
    assert client.get(reverse("feedback:zalo_webhook")).status_code == 405


@pytest.mark.django_db
def test_zalo_photo_is_downloaded_stored_and_stripped_of_its_location(client, oa, cdn):
    url = cdn.host_file("photo-1.jpg", jpeg_with_gps())
    attachments = [{"type": "image", "payload": {"url": url, "thumbnail": url}}]
    body = zalo_body(
        event="user_send_image", text="Ảnh ổ gà trên đường liên thôn", attachments=attachments
    )
    assert post_zalo(client, body).status_code == 200
    item = FeedbackItem.objects.get()
    attachment = Attachment.objects.get(item=item)
    assert attachment.content_type == "image/jpeg"
    with attachment.file.open("rb") as fh, Image.open(fh) as picture:
        assert 0x8825 not in picture.getexif()


@pytest.mark.django_db
def test_zalo_photo_without_caption_still_makes_an_item(client, oa, cdn):
    url = cdn.host_file("photo-2.jpg", jpeg_with_gps())
    attachments = [{"type": "image", "payload": {"url": url}}]
    body = zalo_body(event="user_send_image", text="", attachments=attachments, msg_id="img-2")
    assert post_zalo(client, body).status_code == 200
    item = FeedbackItem.objects.get()
    assert "Zalo" in item.content
    assert item.attachments.count() == 1


@pytest.mark.django_db
def test_zalo_photo_that_cannot_be_downloaded_keeps_the_text_and_notes_it(client, oa, cdn):
    missing = f"{cdn.base_url}/cdn/gone.jpg"
    attachments = [{"type": "image", "payload": {"url": missing}}]
    body = zalo_body(event="user_send_image", attachments=attachments)
    assert post_zalo(client, body).status_code == 200
    item = FeedbackItem.objects.get()
    assert item.content == TEXT
    assert not item.attachments.exists()
    note = FeedbackEvent.objects.get(item=item, action="note")
    assert "không tải về được" in note.note
    log = InboundLog.objects.get()
    assert log.outcome == Outcome.ACCEPTED and "404" in log.reason


@pytest.mark.django_db
def test_zalo_photo_over_the_size_limit_is_not_stored(client, oa, cdn, settings):
    settings.THANTHIEN_FEEDBACK_MAX_FILE_MB = 1
    url = cdn.host_file("huge.jpg", b"\xff\xd8" + b"0" * (1024 * 1024 + 10))
    attachments = [{"type": "image", "payload": {"url": url}}]
    assert (
        post_zalo(client, zalo_body(event="user_send_image", attachments=attachments)).status_code
        == 200
    )
    item = FeedbackItem.objects.get()
    assert not item.attachments.exists()
    assert "too large" in InboundLog.objects.get().reason


@pytest.mark.django_db
def test_zalo_accounts_route_each_message_to_its_own_commune(client, oa, commune_b):
    ChannelAccountFactory(
        commune=commune_b,
        platform=ChannelAccount.Platform.ZALO,
        account_id="oa-binh",
        app_id=APP_ID,
        app_secret="secret-binh",
    )
    body = zalo_body(oa_id="oa-binh", msg_id="b-1")
    assert post_zalo(client, body, zalo_mac(body, secret="secret-binh")).status_code == 200
    # Xã Bình's secret does not open Xã An's OA.
    body_a = zalo_body(msg_id="a-1")
    assert post_zalo(client, body_a, zalo_mac(body_a, secret="secret-binh")).status_code == 403
    assert list(FeedbackItem.objects.values_list("commune", flat=True)) == [commune_b.pk]


# --- Facebook webhook ---------------------------------------------------------------------


@pytest.mark.django_db
def test_facebook_subscription_check_echoes_the_challenge_for_a_known_verify_token(
    client, page_account
):
    url = reverse("feedback:facebook_webhook")
    ok = client.get(
        url,
        {
            "hub.mode": "subscribe",
            "hub.verify_token": "xa-an-verify-2026",
            "hub.challenge": "1158201444",
        },
    )
    assert (ok.status_code, ok.content) == (200, b"1158201444")
    bad = client.get(
        url, {"hub.mode": "subscribe", "hub.verify_token": "wrong", "hub.challenge": "1158201444"}
    )
    assert bad.status_code == 403


@pytest.mark.django_db
def test_signed_facebook_message_creates_an_item_and_queues_the_ack_on_facebook(
    client, page_account, commune_a
):
    response = post_fb(client, fb_body(fb_message()))
    assert response.status_code == 200
    item = FeedbackItem.objects.get()
    assert (item.commune, item.source, item.reply_channel) == (commune_a, "facebook", "facebook")
    assert (item.external_id, item.sender_platform_id) == ("m_001", "psid-5566")
    message = Message.objects.get()
    assert (message.channel, message.recipient_ref) == (Channel.FACEBOOK, "psid-5566")
    assert item.code in message.body
    assert InboundLog.objects.get().outcome == Outcome.ACCEPTED


@pytest.mark.django_db
@pytest.mark.parametrize("case", ["wrong_secret", "tampered_body", "missing_header", "stale"])
def test_facebook_call_with_a_bad_signature_or_stale_time_is_refused_and_logged(
    client, page_account, case
):
    body = fb_body(fb_message())
    kwargs = {}
    if case == "wrong_secret":
        kwargs["secret"] = "not-the-secret"
    elif case == "missing_header":
        kwargs["signature"] = None
    elif case == "tampered_body":
        signature = "sha256=" + hmac.new(FB_SECRET.encode(), body, hashlib.sha256).hexdigest()
        body = fb_body(fb_message(text="Nội dung đã bị sửa trên đường truyền, không phải của dân."))
        kwargs["signature"] = signature
    elif case == "stale":
        body = fb_body(fb_message(), entry_time=now_ms() - 3600 * 1000)
    response = post_fb(client, body, **kwargs)
    assert response.status_code == 403
    assert not FeedbackItem.objects.exists()
    log = InboundLog.objects.get()
    assert log.outcome == Outcome.REFUSED and log.reason


@pytest.mark.django_db
def test_facebook_call_for_an_unknown_page_is_refused(client, page_account):
    response = post_fb(client, fb_body(fb_message(), page_id="000"))
    assert response.status_code == 403
    assert InboundLog.objects.get().commune is None


@pytest.mark.django_db
def test_facebook_echoes_and_receipts_are_ignored(client, page_account):
    echo = fb_message(mid="m_echo", is_echo=True)
    read = {
        "sender": {"id": "psid-5566"},
        "recipient": {"id": PAGE_ID},
        "timestamp": now_ms(),
        "read": {"watermark": now_ms()},
    }
    assert post_fb(client, fb_body(echo, read)).status_code == 200
    assert not FeedbackItem.objects.exists()
    log = InboundLog.objects.get()
    assert log.outcome == Outcome.IGNORED
    assert "echo" in log.reason and "read" in log.reason


@pytest.mark.django_db
def test_facebook_batch_of_two_messages_makes_two_items_and_redelivery_none(client, page_account):
    body = fb_body(
        fb_message(mid="m_1"),
        fb_message(
            mid="m_2", psid="psid-7788", text="Xin hỏi lịch tiêm phòng cho trẻ em tháng này."
        ),
    )
    assert post_fb(client, body).status_code == 200
    assert post_fb(client, body).status_code == 200
    assert FeedbackItem.objects.count() == 2
    assert Message.objects.count() == 2
    assert InboundLog.objects.filter(outcome=Outcome.DUPLICATE).count() == 2


@pytest.mark.django_db
def test_facebook_photo_is_downloaded_and_stored(client, page_account, cdn):
    url = cdn.host_file("fb-photo.jpg", jpeg_with_gps())
    message = fb_message(attachments=[{"type": "image", "payload": {"url": url}}])
    assert post_fb(client, fb_body(message)).status_code == 200
    assert FeedbackItem.objects.get().attachments.get().content_type == "image/jpeg"


@pytest.mark.django_db
def test_facebook_batch_without_messaging_events_is_logged_as_ignored(client, page_account):
    body = json.dumps(
        {"object": "page", "entry": [{"id": PAGE_ID, "time": now_ms(), "standby": []}]}
    ).encode()
    assert post_fb(client, body).status_code == 200
    assert InboundLog.objects.get().outcome == Outcome.IGNORED
    assert not FeedbackItem.objects.exists()


@pytest.mark.django_db
def test_facebook_post_that_is_not_a_page_event_is_refused(client, page_account):
    body = json.dumps({"object": "instagram", "entry": []}).encode()
    assert post_fb(client, body).status_code == 403
    assert InboundLog.objects.get().outcome == Outcome.REFUSED


@pytest.mark.django_db
def test_facebook_put_is_not_allowed(client, page_account):
    assert client.put(reverse("feedback:facebook_webhook")).status_code == 405
