"""The dispatcher against local servers speaking each provider's protocol (no mocks)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories_notify import MessageFactory
from tests.notify_servers import GatewayServer, SmtpServer
from thanthien.notify.dispatcher import backoff_delay, dispatch_batch
from thanthien.notify.models import Channel, Event, Message, MessageAttempt
from thanthien.notify.services import (
    Contact,
    message_bodies_purge,
    message_mark_delivered,
    notification_enqueue,
)

Status = Message.Status
CONTEXT = {"commune": "UBND xã An", "code": "H01-7", "procedure": "Khai sinh", "due_date": "1/7"}


@pytest.fixture
def gateway(settings):
    with GatewayServer() as server:
        server.configure(settings)
        settings.THANTHIEN_NOTIFY_BACKOFF_BASE_SECONDS = 60
        settings.THANTHIEN_NOTIFY_MAX_ATTEMPTS = 3
        yield server


@pytest.fixture
def smtp(settings):
    with SmtpServer() as server:
        server.configure(settings)
        yield server


def enqueue(commune, key="k1", **contact):
    values = {"name": "Lê Văn Tám", "phone": "0987654321", "consent_sms": True} | contact
    return notification_enqueue(
        commune=commune,
        event=Event.DOSSIER_RECEIVED,
        contact=Contact(**values),
        context=CONTEXT,
        dedupe_key=key,
    )


def reload(message):
    message.refresh_from_db()
    return message


@pytest.mark.django_db
def test_esms_message_is_sent_once_with_its_request_id(gateway, commune_a):
    message = enqueue(commune_a)
    result = dispatch_batch()
    assert result.claimed == 1
    message = reload(message)
    assert message.status == Status.SENT
    assert message.sent_at is not None and message.lease_until is None
    payload = gateway.delivered["esms"][str(message.provider_request_id)]["payload"]
    assert payload["Phone"] == "0987654321"
    assert payload["SmsType"] == "2" and payload["IsUnicode"] == "0"
    assert payload["Brandname"] == "UBND-XA"
    assert payload["Content"] == message.body
    attempt = message.attempts.get()
    assert attempt.outcome == MessageAttempt.Outcome.ACCEPTED
    assert attempt.status_code == "100"
    assert message.provider_message_id
    assert "RequestId=" in attempt.request_summary and "SecretKey" not in attempt.request_summary
    assert dispatch_batch().claimed == 0


@pytest.mark.django_db
def test_temporary_failure_is_retried_with_exponential_backoff_then_sent(gateway, commune_a):
    message = enqueue(commune_a)
    gateway.fail_next(2, "temporary")
    start = timezone.now()
    dispatch_batch(now=start)
    message = reload(message)
    assert message.status == Status.RETRY
    assert message.next_attempt_at == start + timedelta(seconds=60)
    assert dispatch_batch(now=start + timedelta(seconds=59)).claimed == 0  # not yet due
    second = start + timedelta(seconds=60)
    dispatch_batch(now=second)
    message = reload(message)
    assert message.status == Status.RETRY
    assert message.next_attempt_at == second + timedelta(seconds=120)
    dispatch_batch(now=second + timedelta(seconds=120))
    message = reload(message)
    assert message.status == Status.SENT
    outcomes = list(message.attempts.values_list("outcome", "status_code"))
    assert outcomes == [("temporary", "503"), ("temporary", "503"), ("accepted", "100")]
    assert gateway.total_delivered("esms") == 1


def test_backoff_doubles_and_is_capped(settings):
    settings.THANTHIEN_NOTIFY_BACKOFF_BASE_SECONDS = 10
    settings.THANTHIEN_NOTIFY_BACKOFF_MAX_SECONDS = 35
    assert [backoff_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [10, 20, 35, 35]


@pytest.mark.django_db
def test_temporary_failures_past_the_maximum_attempts_fail_for_good(gateway, commune_a):
    message = enqueue(commune_a)
    gateway.fail_next(5, "temporary")
    now = timezone.now()
    for _ in range(4):
        dispatch_batch(now=now)
        now += timedelta(hours=1)
    message = reload(message)
    assert message.status == Status.FAILED
    assert message.attempt_count == 3
    assert message.attempts.count() == 3


@pytest.mark.django_db
def test_permanent_failure_is_not_retried(gateway, commune_a):
    message = enqueue(commune_a)
    gateway.fail_next(1, "permanent")
    dispatch_batch()
    message = reload(message)
    assert message.status == Status.FAILED
    assert message.last_error == "Phone number is blocked"
    assert message.attempts.get().status_code == "99"
    assert dispatch_batch(now=timezone.now() + timedelta(days=1)).claimed == 0


@pytest.mark.django_db
def test_wrong_esms_keys_are_reported_by_the_provider_and_retried(gateway, commune_a, settings):
    settings.THANTHIEN_NOTIFY_ESMS_SECRET_KEY = "wrong"
    message = enqueue(commune_a)
    dispatch_batch()
    message = reload(message)
    assert message.status == Status.RETRY
    assert message.attempts.get().status_code == "101"


@pytest.mark.django_db
def test_unicode_sms_is_flagged_for_the_provider(gateway, commune_a):
    message = MessageFactory(commune=commune_a, body="Hồ sơ đã được tiếp nhận")
    dispatch_batch()
    payload = gateway.delivered["esms"][str(message.provider_request_id)]["payload"]
    assert payload["IsUnicode"] == "1"


@pytest.mark.django_db
def test_a_resend_after_a_lost_answer_is_dropped_by_the_provider(gateway, commune_a):
    """The provider took the message but the dispatcher died before recording it."""
    message = MessageFactory(commune=commune_a)
    gateway.deliver("esms", str(message.provider_request_id), {"earlier": True})
    dispatch_batch()
    message = reload(message)
    assert message.status == Status.SENT
    assert message.attempts.get().status_code == "124"
    assert gateway.deliveries[("esms", str(message.provider_request_id))] == 1


@pytest.mark.django_db
def test_webhook_gateway_signs_the_body_and_is_idempotent(gateway, commune_a, settings):
    gateway.configure(settings, sms="webhook")
    message = enqueue(commune_a)
    dispatch_batch()
    message = reload(message)
    assert message.status == Status.SENT
    body = gateway.delivered["webhook"][str(message.provider_request_id)]["payload"]
    assert body == {
        "id": str(message.provider_request_id),
        "to": "0987654321",
        "text": message.body,
    }
    assert message.attempts.get().status_code == "202"


@pytest.mark.django_db
def test_webhook_with_a_wrong_secret_fails_permanently(gateway, commune_a, settings):
    gateway.configure(settings, sms="webhook")
    settings.THANTHIEN_NOTIFY_WEBHOOK_SECRET = "not-the-secret"
    message = enqueue(commune_a)
    dispatch_batch()
    assert reload(message).status == Status.FAILED
    assert gateway.total_delivered("webhook") == 0


@pytest.mark.django_db
def test_webhook_temporary_failure_is_retried(gateway, commune_a, settings):
    gateway.configure(settings, sms="webhook")
    message = enqueue(commune_a)
    gateway.fail_next(1, "temporary")
    now = timezone.now()
    dispatch_batch(now=now)
    assert reload(message).status == Status.RETRY
    dispatch_batch(now=now + timedelta(minutes=5))
    assert reload(message).status == Status.SENT


@pytest.mark.django_db
def test_zalo_message_goes_through_zns_with_its_tracking_id(gateway, commune_a):
    message = enqueue(commune_a, channel="zalo", consent_zalo=True)
    Message.objects.filter(pk=message.pk).update(zalo_template_id="231245")
    dispatch_batch()
    message = reload(message)
    assert message.status == Status.SENT
    payload = gateway.delivered["zns"][str(message.provider_request_id)]["payload"]
    assert payload["phone"] == "84987654321"
    assert payload["template_id"] == "231245"
    assert payload["tracking_id"] == str(message.provider_request_id)
    assert payload["template_data"]["code"] == "H01-7"
    assert message.provider_message_id


@pytest.mark.django_db
def test_zalo_permanent_failure_falls_back_to_sms_when_consented(gateway, commune_a):
    message = enqueue(commune_a, channel="zalo", consent_zalo=True)
    Message.objects.filter(pk=message.pk).update(zalo_template_id="231245")
    gateway.fail_next(1, "permanent")  # -118: not a Zalo user
    dispatch_batch()
    message = reload(message)
    assert message.status == Status.FAILED
    assert message.attempts.get().status_code == "-118"
    fallback = message.fallback
    assert fallback.channel == Channel.SMS and fallback.status == Status.QUEUED
    assert fallback.body.isascii() and "H01-7" in fallback.body
    dispatch_batch()
    assert reload(fallback).status == Status.SENT
    assert gateway.total_delivered("esms") == 1
    assert gateway.total_delivered("zns") == 0


@pytest.mark.django_db
def test_zalo_failure_without_sms_consent_has_no_fallback(gateway, commune_a):
    message = enqueue(commune_a, channel="zalo", consent_zalo=True, consent_sms=False)
    gateway.fail_next(1, "permanent")
    dispatch_batch()
    assert reload(message).status == Status.FAILED
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_zalo_temporary_failure_is_retried_not_replaced(gateway, commune_a):
    message = enqueue(commune_a, channel="zalo", consent_zalo=True)
    Message.objects.filter(pk=message.pk).update(zalo_template_id="231245")
    gateway.fail_next(1, "temporary")
    dispatch_batch()
    assert reload(message).status == Status.RETRY
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_email_goes_through_smtp(gateway, smtp, commune_a):
    message = enqueue(commune_a, channel="email", email="tam@example.vn", consent_email=True)
    dispatch_batch()
    message = reload(message)
    assert message.status == Status.SENT
    (envelope,) = smtp.envelopes
    assert envelope.rcpt_tos == ["tam@example.vn"]
    content = envelope.content.decode()
    assert f"<{message.provider_request_id}@thanthien>" in content
    assert message.attempts.get().outcome == MessageAttempt.Outcome.ACCEPTED


@pytest.mark.django_db
def test_email_refused_by_the_server_fails_permanently(gateway, smtp, commune_a):
    message = enqueue(commune_a, channel="email", email="khongco@example.vn", consent_email=True)
    dispatch_batch()
    assert reload(message).status == Status.FAILED
    assert smtp.envelopes == []


@pytest.mark.django_db
def test_email_with_no_server_listening_is_retried(gateway, commune_a, settings):
    from tests.notify_servers import free_port

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", free_port()
    message = enqueue(commune_a, channel="email", email="tam@example.vn", consent_email=True)
    dispatch_batch()
    assert reload(message).status == Status.RETRY


@pytest.mark.django_db
def test_console_gateway_prints_and_appends_to_the_outbox_log(
    settings, tmp_path, commune_a, capsys
):
    settings.THANTHIEN_NOTIFY_GATEWAYS = {"sms": "console", "zalo": "console", "email": "console"}
    settings.THANTHIEN_NOTIFY_OUTBOX_LOG = str(tmp_path / "outbox.log")
    message = enqueue(commune_a)
    call_command("dispatch_notifications", "--once")
    assert reload(message).status == Status.DELIVERED
    assert message.body in (tmp_path / "outbox.log").read_text(encoding="utf-8")
    assert message.body in capsys.readouterr().out


@pytest.mark.django_db
def test_a_message_whose_lease_is_running_is_not_claimed_again(gateway, commune_a):
    now = timezone.now()
    MessageFactory(commune=commune_a, status=Status.SENDING, lease_until=now + timedelta(minutes=1))
    assert dispatch_batch(now=now).claimed == 0
    assert dispatch_batch(now=now + timedelta(minutes=2)).claimed == 1
    assert gateway.total_delivered("esms") == 1


@pytest.mark.django_db
def test_delivery_report_marks_a_sent_message_delivered(gateway, commune_a):
    message = enqueue(commune_a)
    dispatch_batch()
    assert message_mark_delivered(provider_request_id=str(message.provider_request_id))
    assert reload(message).status == Status.DELIVERED


@pytest.mark.django_db
def test_old_bodies_are_blanked_after_the_retention_period(settings, commune_a):
    settings.THANTHIEN_NOTIFY_BODY_RETENTION_DAYS = 30
    old = MessageFactory(commune=commune_a, status=Status.SENT)
    recent = MessageFactory(commune=commune_a, status=Status.SENT)
    waiting = MessageFactory(commune=commune_a, status=Status.QUEUED)
    Message.objects.filter(pk__in=[old.pk, waiting.pk]).update(
        updated_at=timezone.now() - timedelta(days=31)
    )
    assert message_bodies_purge() == 1
    old, recent, waiting = reload(old), reload(recent), reload(waiting)
    assert old.body == "" and old.context == {} and old.body_purged_at is not None
    assert recent.body and waiting.body  # too recent / not sent yet
    assert old.phone  # the record of the send itself stays


@pytest.mark.django_db
def test_the_dispatch_command_can_only_purge(settings, commune_a):
    settings.THANTHIEN_NOTIFY_BODY_RETENTION_DAYS = 0
    message = MessageFactory(commune=commune_a, status=Status.FAILED)
    Message.objects.filter(pk=message.pk).update(updated_at=timezone.now() - timedelta(days=1))
    call_command("dispatch_notifications", "--purge-only")
    assert reload(message).body == ""


@pytest.mark.django_db
def test_celery_task_runs_one_dispatcher_batch(gateway, commune_a, settings):
    from thanthien.notify.tasks import app, dispatch_notifications_batch

    assert app.conf.broker_url == settings.CELERY_BROKER_URL
    message = enqueue(commune_a)
    result = dispatch_notifications_batch.apply().get()
    assert result == {"claimed": 1, "accepted": 1}
    assert reload(message).status == Status.SENT
