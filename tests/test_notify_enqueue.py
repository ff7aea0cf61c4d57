"""notification_enqueue: the outbox row, its consent rules and its de-duplication."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.factories_notify import MessageFactory, MessageTemplateFactory
from thanthien.notify.models import Channel, Event, Message
from thanthien.notify.services import Contact, notification_enqueue

CONTEXT = {
    "commune": "UBND xã An",
    "code": "H01-0001",
    "procedure": "Đăng ký khai sinh",
    "due_date": "16/06/2025",
    "lookup_url": "https://an.gov.vn/tra-cuu/H01-0001",
}


def lan(**kwargs) -> Contact:
    values = {"name": "Nguyễn Thị Lan", "phone": "0912345678", "consent_sms": True}
    return Contact(**(values | kwargs))


def enqueue(commune, contact, key="dossier-1-received", **kwargs):
    return notification_enqueue(
        commune=commune,
        event=kwargs.pop("event", Event.DOSSIER_RECEIVED),
        contact=contact,
        context=kwargs.pop("context", CONTEXT),
        dedupe_key=key,
        **kwargs,
    )


@pytest.mark.django_db
def test_enqueue_writes_a_queued_message_with_the_rendered_default_text(commune_a):
    message = enqueue(commune_a, lan())
    assert message.status == Message.Status.QUEUED
    assert message.channel == Channel.SMS
    assert message.phone == "0912345678"
    # The national SMS default is sent without diacritics (cheaper: 160 characters a part).
    assert "H01-0001" in message.body and "16/06/2025" in message.body
    assert "Nguyen Thi Lan" in message.body
    assert message.body.isascii()
    assert message.next_attempt_at is not None
    assert message.provider_request_id


@pytest.mark.django_db
def test_the_communes_own_template_wins_over_the_national_default(commune_a):
    MessageTemplateFactory(
        commune=commune_a, body="Xin chào {name}, hồ sơ {code} đã nhận.", strip_diacritics=False
    )
    assert enqueue(commune_a, lan()).body == "Xin chào Nguyễn Thị Lan, hồ sơ H01-0001 đã nhận."


@pytest.mark.django_db
def test_the_same_dedupe_key_never_queues_twice(commune_a):
    first = enqueue(commune_a, lan())
    again = enqueue(commune_a, lan())
    assert again.pk == first.pk
    assert Message.objects.count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_message_with_the_same_key(commune_a):
    MessageFactory(commune=commune_a, dedupe_key="k")
    with pytest.raises(IntegrityError), transaction.atomic():
        MessageFactory(commune=commune_a, dedupe_key="k")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "contact",
    [
        lan(channel="none"),
        lan(consent_sms=False),
        lan(channel="zalo"),  # no Zalo consent
        lan(channel="email", consent_email=True),  # no address
        lan(channel="email", email="lan@example.vn"),  # no email consent
    ],
)
def test_no_channel_or_no_consent_queues_nothing(commune_a, contact):
    assert enqueue(commune_a, contact) is None
    assert not Message.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_state_change_leaves_no_message(commune_a):
    with pytest.raises(RuntimeError), transaction.atomic():
        enqueue(commune_a, lan())
        raise RuntimeError("the dossier change failed")
    assert not Message.objects.exists()


@pytest.mark.django_db
def test_the_related_record_is_kept_as_a_generic_reference(commune_a):
    message = enqueue(commune_a, lan(), related=commune_a)
    message.refresh_from_db()
    assert message.related == commune_a


@pytest.mark.django_db
def test_zalo_message_carries_the_template_data_and_remembers_sms_consent(commune_a):
    message = enqueue(commune_a, lan(channel="zalo", consent_zalo=True))
    assert message.channel == Channel.ZALO
    assert message.sms_fallback
    assert message.context["code"] == "H01-0001"
    assert message.context["name"] == "Nguyễn Thị Lan"
    assert "Nguyễn Thị Lan" in message.body  # Zalo keeps the diacritics


@pytest.mark.django_db
def test_email_message_has_a_subject(commune_a):
    message = enqueue(commune_a, lan(channel="email", email="lan@example.vn", consent_email=True))
    assert message.subject == "Hồ sơ H01-0001 đã được tiếp nhận"
    assert message.email == "lan@example.vn"


@pytest.mark.django_db
def test_a_phone_number_that_is_not_ten_digits_is_refused(commune_a):
    with pytest.raises(ValidationError):
        enqueue(commune_a, lan(phone="+84912345678"))


@pytest.mark.django_db
def test_the_database_refuses_an_sms_without_a_vietnamese_mobile_number(commune_a):
    with pytest.raises(IntegrityError), transaction.atomic():
        MessageFactory(commune=commune_a, phone="12345")
