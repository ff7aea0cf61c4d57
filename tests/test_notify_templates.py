"""Message templates: placeholder validation, rendering, national defaults."""

import pytest
from django.core.exceptions import ValidationError

from tests.factories_notify import MessageTemplateFactory
from thanthien.notify.models import Channel, Event, MessageTemplate
from thanthien.notify.rendering import (
    EVENT_PLACEHOLDERS,
    SAMPLE_CONTEXT,
    default_templates,
    render_text,
    validate_template_text,
)
from thanthien.notify.sms import is_gsm


def test_an_unknown_placeholder_is_refused_with_a_clear_vietnamese_message():
    with pytest.raises(ValidationError) as caught:
        validate_template_text(event=Event.DOSSIER_RECEIVED, text="Hồ sơ {ma_ho_so} đã nhận")
    message = caught.value.messages[0]
    assert "{ma_ho_so}" in message
    assert "Các trường dùng được" in message and "{code}" in message


def test_a_placeholder_of_another_event_is_refused():
    with pytest.raises(ValidationError):
        validate_template_text(event=Event.DOSSIER_RECEIVED, text="Hẹn mới {new_due_date}")
    validate_template_text(event=Event.DOSSIER_RESCHEDULED, text="Hẹn mới {new_due_date}")


@pytest.mark.parametrize("text", ["Hồ sơ {code", "Hồ sơ {code!r}", "Ngày {due_date:>10}"])
def test_malformed_or_formatted_placeholders_are_refused(text):
    with pytest.raises(ValidationError):
        validate_template_text(event=Event.DOSSIER_RECEIVED, text=text)


def test_double_braces_write_literal_braces():
    validate_template_text(event=Event.DOSSIER_RECEIVED, text="{{mã}} {code}")
    assert render_text("{{mã}} {code}", {"code": "X1"}) == "{mã} X1"


def test_rendering_fills_values_and_blanks_missing_ones():
    assert render_text("{code} – {reason}", {"code": "X1"}) == "X1 –"


def test_rendering_without_diacritics_strips_the_values_too():
    assert render_text("Chào {name}", {"name": "Đỗ Thị Hằng"}, plain=True) == "Chao Do Thi Hang"


@pytest.mark.django_db
def test_saving_a_template_with_an_unknown_placeholder_is_refused(commune_a):
    with pytest.raises(ValidationError) as caught:
        MessageTemplateFactory(commune=commune_a, body="Hồ sơ {so_ho_so}")
    assert "body" in caught.value.message_dict


def test_every_default_template_is_valid_and_covers_every_event_and_channel():
    seen = set()
    for item in default_templates():
        validate_template_text(event=item["event"], text=item["body"])
        validate_template_text(event=item["event"], text=item["subject"])
        seen.add((item["event"], item["channel"]))
    channels = {Channel.SMS, Channel.ZALO, Channel.EMAIL}
    # Replies on the platform the resident wrote from exist for the messages to a sender.
    to_senders = {Event.FEEDBACK_ACKNOWLEDGED, Event.FEEDBACK_ANSWERED, Event.FEEDBACK_REDIRECTED}
    platforms = {Channel.ZALO_OA, Channel.FACEBOOK}
    assert seen == {(e, c) for e in Event.values for c in channels} | {
        (e, c) for e in to_senders for c in platforms
    }


def test_default_sms_are_plain_and_fit_in_two_parts_with_sample_values():
    from thanthien.notify.sms import sms_parts

    for item in default_templates():
        if item["channel"] == Channel.SMS:
            text = render_text(item["body"], SAMPLE_CONTEXT, plain=item["strip_diacritics"])
            assert is_gsm(text), item["event"]
            assert sms_parts(text) <= 2, (item["event"], len(text))


def test_every_event_declares_its_placeholders():
    assert set(EVENT_PLACEHOLDERS) == set(Event.values)


@pytest.mark.django_db
def test_national_defaults_are_loaded_by_the_migration():
    assert MessageTemplate.objects.filter(commune__isnull=True).count() == len(default_templates())
