"""Replies on Zalo OA and Facebook through the outbox, against a local server speaking each
platform's send protocol; and the admin of the channel accounts and the inbound log."""

import pytest
from django.db import IntegrityError
from django.urls import reverse

from tests.factories_feedback import ChannelAccountFactory, InboundLogFactory
from tests.factories_notify import MessageFactory
from tests.feedback_platform_servers import FACEBOOK_TOKEN, ZALO_TOKEN, PlatformServer
from thanthien.feedback.intake_services import feedback_submit
from thanthien.feedback.models import ChannelAccount, InboundLog
from thanthien.notify.dispatcher import dispatch_batch
from thanthien.notify.gateways import GATEWAYS, gateway_for
from thanthien.notify.gateways.facebook import FacebookGateway
from thanthien.notify.gateways.zalo_oa import ZaloOaGateway
from thanthien.notify.models import Message, MessageAttempt

Status = Message.Status
TEXT = "Cống thoát nước trước nhà văn hoá thôn Bắc bị tắc, nước tràn ra đường."


@pytest.fixture
def platform(settings):
    with PlatformServer() as server:
        server.configure(settings)
        settings.THANTHIEN_NOTIFY_MAX_ATTEMPTS = 3
        yield server


def account(commune, platform_name, token):
    return ChannelAccountFactory(
        commune=commune,
        platform=platform_name,
        account_id=f"{platform_name}-{commune.pk}",
        access_token=token,
        verify_token="v",
    )


def submit(commune, *, source="zalo", reply="zalo_oa", user="zalo-user-1", msg="msg-1"):
    return feedback_submit(
        commune=commune,
        content=TEXT,
        source=source,
        external_id=msg,
        sender_platform_id=user,
        reply_channel=reply,
        consent_contact=True,
    ).item


def the_message(item) -> Message:
    return Message.objects.get(related_id=str(item.pk))


def test_gateways_are_registered_with_console_variants():
    assert GATEWAYS["zalo_oa"] == {"zalo_oa": ZaloOaGateway, "console": GATEWAYS["sms"]["console"]}
    assert GATEWAYS["facebook"]["facebook"] is FacebookGateway
    assert "console" in GATEWAYS["facebook"]


@pytest.mark.django_db
def test_zalo_ack_is_sent_as_an_oa_message_with_the_tracking_code(platform, commune_a):
    account(commune_a, ChannelAccount.Platform.ZALO, ZALO_TOKEN)
    item = submit(commune_a)
    dispatch_batch()
    message = the_message(item)
    assert message.status == Status.SENT
    assert message.provider_message_id
    [sent] = platform.sent["zalo"]
    assert sent["user_id"] == "zalo-user-1"
    assert item.code in sent["text"]
    attempt = MessageAttempt.objects.get(message=message)
    assert attempt.gateway == "zalo_oa"
    assert ZALO_TOKEN not in attempt.request_summary


@pytest.mark.django_db
def test_facebook_ack_is_sent_through_the_send_api_with_the_tracking_code(platform, commune_a):
    account(commune_a, ChannelAccount.Platform.FACEBOOK, FACEBOOK_TOKEN)
    item = submit(commune_a, source="facebook", reply="facebook", user="psid-1")
    dispatch_batch()
    message = the_message(item)
    assert message.status == Status.SENT
    assert message.provider_message_id.startswith("m_")
    [sent] = platform.sent["facebook"]
    assert sent["recipient"] == "psid-1" and item.code in sent["text"]
    assert FACEBOOK_TOKEN not in MessageAttempt.objects.get(message=message).request_summary


@pytest.mark.django_db
def test_zalo_server_error_is_retried_later(platform, commune_a):
    account(commune_a, ChannelAccount.Platform.ZALO, ZALO_TOKEN)
    item = submit(commune_a)
    platform.fail_next(1)
    dispatch_batch()
    message = the_message(item)
    assert message.status == Status.RETRY
    assert message.last_error == "HTTP 500"
    assert platform.sent["zalo"] == []


@pytest.mark.django_db
def test_zalo_user_who_cannot_receive_fails_permanently_with_zalos_text(platform, commune_a):
    account(commune_a, ChannelAccount.Platform.ZALO, ZALO_TOKEN)
    item = submit(commune_a, user="not-follower")
    dispatch_batch()
    message = the_message(item)
    assert message.status == Status.FAILED
    assert message.last_error == "User has not followed OA"
    assert MessageAttempt.objects.get(message=message).status_code == "-213"


@pytest.mark.django_db
def test_zalo_invalid_token_is_retried_until_the_token_is_renewed(platform, commune_a):
    oa = account(commune_a, ChannelAccount.Platform.ZALO, "expired-token")
    item = submit(commune_a)
    dispatch_batch()
    assert the_message(item).status == Status.RETRY
    oa.access_token = ZALO_TOKEN
    oa.save()
    Message.objects.filter(pk=the_message(item).pk).update(next_attempt_at=item.received_at)
    dispatch_batch()
    assert the_message(item).status == Status.SENT


@pytest.mark.django_db
def test_facebook_bad_token_fails_permanently_with_the_graph_error(platform, commune_a):
    account(commune_a, ChannelAccount.Platform.FACEBOOK, "wrong-token")
    item = submit(commune_a, source="facebook", reply="facebook", user="psid-1")
    dispatch_batch()
    message = the_message(item)
    assert message.status == Status.FAILED
    assert message.last_error.startswith("Invalid OAuth access token")
    assert MessageAttempt.objects.get(message=message).status_code == "400/190"


@pytest.mark.django_db
def test_facebook_server_error_is_retried(platform, commune_a):
    account(commune_a, ChannelAccount.Platform.FACEBOOK, FACEBOOK_TOKEN)
    item = submit(commune_a, source="facebook", reply="facebook", user="psid-1")
    platform.fail_next(1)
    dispatch_batch()
    assert the_message(item).status == Status.RETRY


@pytest.mark.django_db
def test_reply_without_an_account_token_fails_permanently(platform, commune_a):
    item = submit(commune_a)
    dispatch_batch()
    message = the_message(item)
    assert message.status == Status.FAILED
    assert "no active Zalo OA account" in message.last_error


@pytest.mark.django_db
def test_reply_uses_the_token_of_the_messages_own_commune(platform, commune_a, commune_b):
    account(commune_a, ChannelAccount.Platform.ZALO, "token-of-a")
    account(commune_b, ChannelAccount.Platform.ZALO, ZALO_TOKEN)
    item_b = submit(commune_b, msg="b-1")
    item_a = submit(commune_a, msg="a-1")
    dispatch_batch()
    assert the_message(item_b).status == Status.SENT
    assert the_message(item_a).status == Status.RETRY  # A's token is not valid at Zalo


@pytest.mark.django_db
def test_unreachable_platform_is_a_temporary_failure(settings, commune_a):
    settings.THANTHIEN_NOTIFY_GATEWAYS = {
        **settings.THANTHIEN_NOTIFY_GATEWAYS,
        "zalo_oa": "zalo_oa",
    }
    settings.THANTHIEN_NOTIFY_ZALO_OA_URL = "http://127.0.0.1:9/zalo"  # nothing listens
    settings.THANTHIEN_NOTIFY_HTTP_TIMEOUT = 2
    account(commune_a, ChannelAccount.Platform.ZALO, ZALO_TOKEN)
    item = submit(commune_a)
    dispatch_batch()
    assert the_message(item).status == Status.RETRY


@pytest.mark.django_db
def test_console_gateway_writes_the_platform_recipient(settings, tmp_path, commune_a):
    settings.THANTHIEN_NOTIFY_OUTBOX_LOG = str(tmp_path / "outbox.log")
    settings.THANTHIEN_NOTIFY_GATEWAYS = {
        **settings.THANTHIEN_NOTIFY_GATEWAYS,
        "facebook": "console",
    }
    assert gateway_for("facebook").name == "console"
    item = submit(commune_a, source="facebook", reply="facebook", user="psid-42")
    dispatch_batch()
    assert the_message(item).status == Status.DELIVERED
    written = (tmp_path / "outbox.log").read_text(encoding="utf-8")
    assert "facebook → psid-42" in written and item.code in written


@pytest.mark.django_db
def test_platform_message_without_a_recipient_id_is_refused_by_the_database(commune_a):
    with pytest.raises(IntegrityError):
        MessageFactory(commune=commune_a, channel="zalo_oa", phone="", recipient_ref="")


# --- admin -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_edit_of_a_channel_account_keeps_secrets_left_empty(client, admin_a, commune_a):
    oa = ChannelAccountFactory(
        commune=commune_a,
        platform="zalo",
        account_id="oa-1",
        app_id="app-1",
        app_secret="giu-nguyen",
        access_token="token-cu",
    )
    client.force_login(admin_a)
    url = reverse("admin:feedback_channelaccount_change", args=[oa.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert b"giu-nguyen" not in page.content and b"token-cu" not in page.content
    response = client.post(
        url,
        {
            "platform": "zalo",
            "account_id": "oa-1",
            "app_id": "app-1",
            "app_secret": "",
            "access_token": "",
            "verify_token": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    oa.refresh_from_db()
    assert (oa.app_secret, oa.access_token) == ("giu-nguyen", "token-cu")


@pytest.mark.django_db
def test_admin_refuses_a_zalo_account_without_app_id_or_secret(client, admin_a):
    client.force_login(admin_a)
    response = client.post(
        reverse("admin:feedback_channelaccount_add"),
        {
            "platform": "zalo",
            "account_id": "oa-2",
            "app_id": "",
            "app_secret": "",
            "access_token": "",
            "verify_token": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert not ChannelAccount.objects.exists()
    assert "Cần khoá bí mật".encode() in response.content


@pytest.mark.django_db
def test_inbound_log_admin_is_read_only_and_shows_only_the_own_commune(
    client, admin_a, commune_a, commune_b, django_assert_max_num_queries
):
    InboundLogFactory(commune=commune_a, reason="bad signature")
    InboundLogFactory(commune=commune_b, reason="cua xa binh")
    client.force_login(admin_a)
    url = reverse("admin:feedback_inboundlog_changelist")
    response = client.get(url)
    assert response.status_code == 200
    assert b"bad signature" in response.content and b"cua xa binh" not in response.content
    assert client.get(reverse("admin:feedback_inboundlog_add")).status_code == 403
    InboundLogFactory.create_batch(20, commune=commune_a)
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    assert InboundLog.objects.filter(commune=commune_a).count() == 21
