"""Admin pages of the outbox and the templates, for a commune administrator."""

import pytest
from django.urls import reverse

from tests.factories_notify import MessageAttemptFactory, MessageFactory, MessageTemplateFactory
from thanthien.notify.models import Channel, Event, Message, MessageTemplate
from thanthien.people.roles import Role


@pytest.fixture
def commune_admin(make_user, commune_a, client):
    user = make_user(Role.COMMUNE_ADMIN, commune=commune_a)
    client.force_login(user)
    return user


@pytest.mark.django_db
def test_message_list_shows_only_the_admins_commune(client, commune_admin, commune_a, commune_b):
    mine = MessageFactory(commune=commune_a, phone="0911111111")
    theirs = MessageFactory(commune=commune_b, phone="0922222222")
    response = client.get(reverse("admin:notify_message_changelist"))
    assert response.status_code == 200
    shown = {m.pk for m in response.context["cl"].result_list}
    assert mine.pk in shown and theirs.pk not in shown
    assert "0911111111" in response.content.decode()
    assert "0922222222" not in response.content.decode()
    url = reverse("admin:notify_message_change", args=[theirs.pk])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_message_list_filters_by_status_channel_and_event(client, commune_admin, commune_a):
    MessageFactory(commune=commune_a, status=Message.Status.FAILED)
    MessageFactory(commune=commune_a)
    url = reverse("admin:notify_message_changelist")
    response = client.get(url, {"status": "failed", "channel": "sms", "event": "dossier_received"})
    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 1


@pytest.mark.django_db
def test_message_page_is_read_only_and_shows_its_attempts(client, commune_admin, commune_a):
    attempt = MessageAttemptFactory(
        message__commune=commune_a, request_summary="POST esms RequestId=abc", status_code="100"
    )
    url = reverse("admin:notify_message_change", args=[attempt.message.pk])
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "RequestId=abc" in page
    assert 'name="_save"' not in page
    assert client.get(reverse("admin:notify_message_add")).status_code == 403
    client.post(url, {"status": "sent"})
    assert Message.objects.get(pk=attempt.message.pk).status == Message.Status.QUEUED


@pytest.mark.django_db
def test_national_default_is_listed_but_read_only_for_a_commune_admin(client, commune_admin):
    national = MessageTemplate.objects.get(
        commune__isnull=True, event=Event.DOSSIER_RECEIVED, channel=Channel.SMS
    )
    listing = client.get(reverse("admin:notify_messagetemplate_changelist"))
    assert national.pk in {t.pk for t in listing.context["cl"].result_list}
    url = reverse("admin:notify_messagetemplate_change", args=[national.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert 'name="_save"' not in response.content.decode()
    client.post(url, {"body": "changed", "event": national.event, "channel": national.channel})
    national.refresh_from_db()
    assert national.body != "changed"


@pytest.mark.django_db
def test_commune_admin_copies_a_default_and_edits_the_copy(client, commune_admin, commune_a):
    national = MessageTemplate.objects.get(
        commune__isnull=True, event=Event.DOSSIER_RECEIVED, channel=Channel.SMS
    )
    client.post(
        reverse("admin:notify_messagetemplate_changelist"),
        {"action": "copy_for_my_commune", "_selected_action": [national.pk]},
    )
    copy = MessageTemplate.objects.get(commune=commune_a, event=national.event, channel="sms")
    assert copy.body == national.body
    url = reverse("admin:notify_messagetemplate_change", args=[copy.pk])
    data = {
        "event": copy.event,
        "channel": copy.channel,
        "subject": "",
        "body": "Hồ sơ {code} đã nhận, hẹn {due_date}.",
        "strip_diacritics": "on",
        "zalo_template_id": "",
        "is_active": "on",
    }
    assert client.post(url, data).status_code == 302
    copy.refresh_from_db()
    assert copy.body == "Hồ sơ {code} đã nhận, hẹn {due_date}."


@pytest.mark.django_db
def test_template_form_refuses_an_unknown_placeholder(client, commune_admin, commune_a):
    template = MessageTemplateFactory(commune=commune_a)
    url = reverse("admin:notify_messagetemplate_change", args=[template.pk])
    data = {
        "event": template.event,
        "channel": template.channel,
        "body": "Hồ sơ {ma_so} đã nhận",
        "is_active": "on",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Không có trường {ma_so}" in response.content.decode()


@pytest.mark.django_db
def test_template_page_previews_the_text_with_parts_and_cost(
    client, commune_admin, commune_a, settings
):
    settings.THANTHIEN_SMS_COST_PER_PART = 800
    template = MessageTemplateFactory(
        commune=commune_a, body="Ho so {code} " + "x" * 150, strip_diacritics=True
    )
    response = client.get(reverse("admin:notify_messagetemplate_change", args=[template.pk]))
    page = response.content.decode()
    assert "000.00.25.H01-250612-0001" in page  # the sample code
    assert "2 tin SMS" in page
    assert "1.600 đ" in page


@pytest.mark.django_db
def test_other_communes_templates_are_hidden(client, commune_admin, commune_b):
    theirs = MessageTemplateFactory(commune=commune_b)
    listing = client.get(reverse("admin:notify_messagetemplate_changelist"))
    assert theirs.pk not in {t.pk for t in listing.context["cl"].result_list}
    url = reverse("admin:notify_messagetemplate_change", args=[theirs.pk])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_officials_and_leaders_may_view_messages_only(make_user, commune_a):
    for role in (Role.COMMUNE_OFFICIAL, Role.COMMUNE_LEADER):
        user = make_user(role, commune=commune_a)
        assert user.has_perm("notify.view_message")
        assert not user.has_perm("notify.change_messagetemplate")
    admin = make_user(Role.COMMUNE_ADMIN, commune=commune_a)
    assert admin.has_perm("notify.change_messagetemplate")
    assert admin.has_perm("notify.add_messagetemplate")
