"""The official's entry (/staff/gop-y/nhap/), the desk QR posters, the acknowledgement through
the outbox, and the public status page (/gop-y/theo-doi/<code>/)."""

import io
import re
import threading
import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from tests.factories import CommuneFactory, HamletFactory
from tests.factories_onestop import ProcedureFactory
from tests.factories_surveys import CounterFactory
from tests.notify_servers import GatewayServer
from thanthien.feedback.intake_services import feedback_submit
from thanthien.feedback.items import (
    Action,
    Attachment,
    FeedbackEvent,
    FeedbackItem,
    Source,
    Status,
)
from thanthien.feedback.links import item_token, status_path
from thanthien.notify.dispatcher import dispatch_batch
from thanthien.notify.models import Event, Message
from thanthien.people.roles import Role

CONTENT = "Ông Tư gọi điện báo cống thoát nước ở xóm Chùa bị tắc, nước tràn ra đường."
ENTER = "/staff/gop-y/nhap/"
POSTERS = "/staff/gop-y/ma-qr/"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


@pytest.fixture(autouse=True)
def media(settings, tmp_path, empty_cache):
    settings.MEDIA_ROOT = tmp_path
    settings.THANTHIEN_PUBLIC_BASE_URL = "https://thanthien.example.vn"


def scan(name="thu.png") -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", (40, 60), (250, 250, 250)).save(out, format="PNG")
    out.seek(0)
    out.name = name
    return out


def entry(**overrides):
    data = {
        "source": "phone",
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "kind": "report",
        "category": "ha_tang_giao_thong",
        "title": "Cống tắc xóm Chùa",
        "content": CONTENT,
        "sender_name": "Trần Văn Tư",
        "sender_phone": "0987654321",
        "reply_channel": "sms",
        "consent_contact": "on",
        "token": uuid.uuid4().hex,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def submit(commune, **overrides):
    values = {
        "commune": commune,
        "content": CONTENT,
        "source": Source.WEB,
        "sender_name": "Lê Thị Mai",
        "sender_phone": "0912345678",
    }
    return feedback_submit(**(values | overrides)).item


# --- Official entry ------------------------------------------------------------------------


def test_an_official_enters_a_phone_call_and_is_recorded_as_entered_by(client, official):
    client.force_login(official)
    response = client.post(ENTER, entry())
    item = FeedbackItem.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:feedback:item", kwargs={"pk": item.pk})
    assert item.source == Source.PHONE and item.entered_by == official
    assert item.commune == official.commune and item.title == "Cống tắc xóm Chùa"
    assert item.category == "ha_tang_giao_thong"
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any(item.code in m and "Hạn trả lời" in m for m in messages)
    assert item.events.get(action="submit").actor == official


def test_the_entry_form_shows_only_the_officials_commune(client, official, commune_b):
    HamletFactory(commune=official.commune, name="Xóm Chùa")
    HamletFactory(commune=commune_b, name="Thôn Khác Xã")
    client.force_login(official)
    response = client.get(ENTER)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Xóm Chùa" in html and "Thôn Khác Xã" not in html
    assert 'name="commune"' not in html


def test_a_letter_from_the_box_needs_its_scan(client, official):
    client.force_login(official)
    response = client.post(ENTER, entry(source="box"))
    assert response.status_code == 400
    assert "cần có bản quét" in response.content.decode()
    assert not FeedbackItem.objects.exists()


def test_a_letter_from_the_box_is_stored_with_its_scan(client, official):
    client.force_login(official)
    opened = (timezone.localtime() - timedelta(days=1)).replace(hour=8, minute=0)
    data = entry(
        source="box",
        received_at=opened.strftime("%Y-%m-%dT%H:%M"),
        reply_channel="none",
        consent_contact=None,
    )
    response = client.post(ENTER, {**data, "scans": [scan()]})
    assert response.status_code == 302
    item = FeedbackItem.objects.get()
    assert item.source == Source.BOX
    assert timezone.localtime(item.received_at).date() == opened.date()
    attachment = item.attachments.get()
    assert attachment.role == Attachment.Role.LETTER_SCAN
    assert attachment.content_type == "image/png" and attachment.original_name == "thu.png"


def test_a_received_time_in_the_future_is_refused(client, official):
    client.force_login(official)
    later = timezone.localtime() + timedelta(days=2)
    response = client.post(ENTER, entry(received_at=later.strftime("%Y-%m-%dT%H:%M")))
    assert response.status_code == 400
    assert "Thời điểm nhận không thể ở tương lai." in response.content.decode()


def test_saving_the_entry_twice_makes_one_item(client, official):
    client.force_login(official)
    data = entry()
    client.post(ENTER, data)
    response = client.post(ENTER, data)
    assert FeedbackItem.objects.count() == 1
    assert any("đã được nhập trước đó" in str(m) for m in response.wsgi_request._messages)


def test_another_communes_counter_cannot_be_chosen(client, official, commune_b):
    other = CounterFactory(commune=commune_b, number=9)
    client.force_login(official)
    response = client.post(ENTER, entry(counter=str(other.pk)))
    assert response.status_code == 400
    assert "counter" in response.context["form"].errors
    assert not FeedbackItem.objects.exists()


def test_a_province_evaluator_cannot_enter_feedback(client, make_user, province_p):
    evaluator = make_user(Role.PROVINCE_EVALUATOR, province=province_p)
    client.force_login(evaluator)
    assert client.get(ENTER).status_code == 403
    assert client.post(ENTER, entry()).status_code == 403
    assert not FeedbackItem.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(ENTER)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:login"))


def test_a_get_request_changes_nothing(client, official):
    client.force_login(official)
    client.get(ENTER, entry())
    assert not FeedbackItem.objects.exists()


# --- QR posters -----------------------------------------------------------------------------


def test_posters_have_one_qr_per_counter_opening_the_prefilled_form(client, official, commune_b):
    commune = official.commune
    CounterFactory(commune=commune, number=1, name="Quầy Hộ tịch")
    CounterFactory(commune=commune, number=2, name="Quầy Đất đai")
    CounterFactory(commune=commune_b, number=3, name="Quầy xã khác")
    procedure = ProcedureFactory(commune=commune, code="1.001193", name="Đăng ký khai sinh")
    client.force_login(official)
    response = client.get(POSTERS)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") == 2
    assert f"https://thanthien.example.vn/{commune.slug}/gop-y/gui/?quay=1" in html
    assert f"https://thanthien.example.vn/{commune.slug}/gop-y/gui/?quay=2" in html
    assert "Quầy xã khác" not in html
    response = client.get(POSTERS, {"size": "a5", "procedures": [procedure.pk]})
    html = response.content.decode()
    assert html.count("<svg") == 3 and "size-a5" in html
    assert f"/{commune.slug}/gop-y/gui/?thu-tuc=1.001193" in html


def test_posters_query_count_does_not_grow_with_counters(
    client, official, django_assert_max_num_queries
):
    for number in range(1, 4):
        CounterFactory(commune=official.commune, number=number)
    client.force_login(official)
    with django_assert_max_num_queries(12) as few:
        client.get(POSTERS)
    for number in range(4, 20):
        CounterFactory(commune=official.commune, number=number)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(POSTERS)
    assert response.content.decode().count("<svg") == 19


def test_a_commune_without_counters_gets_one_general_poster(client, official):
    client.force_login(official)
    html = client.get(POSTERS).content.decode()
    assert html.count("<svg") == 1
    assert f"/{official.commune.slug}/gop-y/gui/" in html


def test_a_superuser_chooses_the_commune_of_the_posters(client, make_user, commune_a, commune_b):
    CounterFactory(commune=commune_b, number=5, name="Quầy Bình")
    admin = make_user(Role.COMMUNE_ADMIN, commune=commune_a, is_superuser=True)
    client.force_login(admin)
    html = client.get(POSTERS).content.decode()
    assert "<svg" not in html and 'name="commune"' in html
    html = client.get(POSTERS, {"commune": commune_b.pk}).content.decode()
    assert "Quầy Bình" in html and html.count("<svg") == 1


# --- Acknowledgement through the outbox ----------------------------------------------------


def test_the_acknowledgement_is_queued_with_the_code(commune_a):
    item = submit(commune_a, reply_channel="sms", consent_contact=True)
    message = Message.objects.get(event=Event.FEEDBACK_ACKNOWLEDGED)
    assert item.code in message.body
    assert message.phone == "0912345678" and message.channel == "sms"
    assert f"https://thanthien.example.vn{status_path(item.code)}" in message.body
    item.refresh_from_db()
    assert item.acknowledged_at is not None
    assert item.events.filter(action="acknowledge").count() == 1


def test_an_anonymous_item_sends_nothing(commune_a):
    item = submit(commune_a, is_anonymous=True, reply_channel="sms", consent_contact=True)
    assert not Message.objects.exists()
    item.refresh_from_db()
    assert item.acknowledged_at is None and item.sender_phone == ""


def test_no_channel_or_no_consent_sends_nothing(commune_a):
    submit(commune_a, reply_channel="none")
    assert not Message.objects.exists()


def test_an_email_acknowledgement_goes_to_the_address(commune_a):
    item = submit(
        commune_a,
        sender_phone="",
        sender_email="Mai@Example.VN",
        reply_channel="email",
        consent_contact=True,
    )
    message = Message.objects.get()
    assert message.channel == "email" and message.email == "mai@example.vn"
    assert item.code in message.body


def test_the_public_form_acknowledgement_reaches_the_sms_provider(client, commune_a, settings):
    with GatewayServer() as gateway:
        gateway.configure(settings)
        data = {
            "kind": "report",
            "content": CONTENT,
            "sender_phone": "0987654321",
            "reply_channel": "sms",
            "consent_contact": "on",
            "token": uuid.uuid4().hex,
        }
        response = client.post(f"/{commune_a.slug}/gop-y/gui/", data)
        assert response.status_code == 303
        item = FeedbackItem.objects.get()
        assert dispatch_batch().claimed == 1
        message = Message.objects.get()
        assert message.status == Message.Status.SENT
        payload = gateway.delivered["esms"][str(message.provider_request_id)]["payload"]
        assert payload["Phone"] == "0987654321"
        assert item.code in payload["Content"]


def test_the_desk_entry_acknowledges_by_sms_when_the_caller_agreed(client, official):
    client.force_login(official)
    client.post(ENTER, entry())
    item = FeedbackItem.objects.get()
    message = Message.objects.get(event=Event.FEEDBACK_ACKNOWLEDGED)
    assert message.phone == "0987654321" and item.code in message.body


# --- Service rules --------------------------------------------------------------------------


def test_a_procedure_of_another_commune_is_refused_by_the_service(commune_a, commune_b):
    other = ProcedureFactory(commune=commune_b)
    with pytest.raises(ValidationError) as caught:
        submit(commune_a, procedure=other)
    assert "procedure" in caught.value.error_dict


def test_the_service_reports_words_and_files_faults_together(commune_a):
    bad = io.BytesIO(b"not a picture")
    bad.name = "x.jpg"
    with pytest.raises(ValidationError) as caught:
        submit(commune_a, content="ngắn", files=[bad])
    assert set(caught.value.error_dict) == {"content", "files"}


def test_codes_follow_the_communes_yearly_register(commune_a):
    first = submit(commune_a)
    second = submit(commune_a, content=CONTENT + " Thêm.")
    year = timezone.localdate().year % 100
    assert first.code == f"PA-{commune_a.code}-{year:02d}-00001"
    assert second.code == f"PA-{commune_a.code}-{year:02d}-00002"


# --- Public status page ---------------------------------------------------------------------


def status_url(code, token=None):
    url = reverse("feedback:status", kwargs={"code": code})
    return f"{url}?k={token}" if token is not None else url


def test_the_status_link_shows_the_item_without_personal_data(client, commune_a, official):
    item = submit(
        commune_a,
        sender_email="mai@example.vn",
        sender_address="Xóm Chùa",
        reply_channel="sms",
        consent_contact=True,
    )
    FeedbackEvent.objects.create(
        commune=commune_a,
        item=item,
        action=Action.NOTE,
        at=timezone.now(),
        actor=official,
        note="Đã gọi lại cho bà Mai",
    )
    response = client.get(status_path(item.code))
    assert response.status_code == 200
    html = response.content.decode()
    assert item.code in html and "Mới nhận" in html and "Phản ánh" in html
    assert f"{item.due_date:%d/%m/%Y}" in html
    assert "091****678" in html
    assert "Xã nhận ý kiến" in html and "Đã báo nhận cho người gửi" in html
    for secret in ("0912345678", "Lê Thị Mai", "mai@example.vn", "Xóm Chùa", CONTENT):
        assert secret not in html
    assert "bà Mai" not in html and official.full_name not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_the_answer_is_shown_once_answered(client, commune_a):
    item = submit(commune_a)
    FeedbackItem.objects.filter(pk=item.pk).update(
        status=Status.ANSWERED, answer="Xã đã cho thông cống ngày 12/3.", answered_at=timezone.now()
    )
    html = client.get(status_path(item.code)).content.decode()
    assert "Đã trả lời" in html and "Xã đã cho thông cống ngày 12/3." in html


def test_a_wrong_token_answers_like_an_unknown_code(client, commune_a):
    item = submit(commune_a)
    wrong = client.get(status_url(item.code, "0000000000"))
    unknown = client.get(status_url("PA-0-26-99999", item_token("PA-0-26-99999")))
    assert wrong.status_code == unknown.status_code == 404
    assert "Không tìm thấy góp ý, phản ánh." in wrong.content.decode()
    assert item.code not in wrong.content.decode().split("<main")[1].replace(
        f'value="{item.code}"', ""
    )


def test_without_a_token_the_page_asks_for_code_and_four_digits(client, commune_a):
    item = submit(commune_a)
    response = client.get(status_url(item.code))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="phone_last4"' in html and f'value="{item.code}"' in html
    assert "Mới nhận" not in html
    post = client.post(
        reverse("feedback:status_lookup"), {"code": item.code, "phone_last4": "5678"}
    )
    assert post.status_code == 303
    assert post["Location"] == status_path(item.code)


def test_the_code_may_be_typed_in_lower_case_with_spaces(client, commune_a):
    item = submit(commune_a)
    typed = " " + item.code.lower().replace("-", "- ", 1)
    post = client.post(reverse("feedback:status_lookup"), {"code": typed, "phone_last4": "5678"})
    assert post.status_code == 303


def test_wrong_digits_and_wrong_code_give_the_same_404(client, commune_a):
    item = submit(commune_a)
    lookup = reverse("feedback:status_lookup")
    wrong_digits = client.post(lookup, {"code": item.code, "phone_last4": "1111"})
    wrong_code = client.post(lookup, {"code": "PA-X-26-00001", "phone_last4": "5678"})
    assert wrong_digits.status_code == wrong_code.status_code == 404

    def page(response, code):
        return CSRF.sub("", response.content.decode().replace(code, "CODE"))

    assert page(wrong_digits, item.code) == page(wrong_code, "PA-X-26-00001")


def test_an_anonymous_item_cannot_be_opened_by_digits(client, commune_a):
    item = submit(commune_a, is_anonymous=True)
    lookup = reverse("feedback:status_lookup")
    assert client.post(lookup, {"code": item.code, "phone_last4": "5678"}).status_code == 404
    assert client.get(status_path(item.code)).status_code == 200


def test_status_look_ups_are_rate_limited(client, commune_a, settings):
    settings.THANTHIEN_LOOKUP_RATE = "3/10m"
    item = submit(commune_a)
    lookup = reverse("feedback:status_lookup")
    for digits in ("0000", "1111", "2222"):
        assert client.post(lookup, {"code": item.code, "phone_last4": digits}).status_code == 404
    limited = client.post(lookup, {"code": item.code, "phone_last4": "5678"})
    assert limited.status_code == 429 and int(limited["Retry-After"]) > 0
    assert "Ông/bà đã tra cứu nhiều lần liền." in limited.content.decode()


def test_malformed_digits_are_explained(client, commune_a):
    response = client.post(reverse("feedback:status_lookup"), {"code": "PA-1", "phone_last4": "12"})
    assert response.status_code == 400
    assert "Gõ đúng 4 chữ số cuối" in response.content.decode()


def test_the_status_page_query_count_is_small(client, commune_a, django_assert_max_num_queries):
    item = submit(commune_a)
    with django_assert_max_num_queries(3):
        assert client.get(status_path(item.code)).status_code == 200


def test_items_of_other_communes_have_their_own_codes(commune_a):
    other = CommuneFactory(name="Xã Khác")
    assert submit(commune_a).code != submit(other).code


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_with_one_key_make_one_item(commune_a):
    """Two web workers receive the same double click at once: the database's unique key
    decides, and both answer with the same item."""
    if connection.vendor != "postgresql":
        pytest.skip("needs two real connections (PostgreSQL)")
    barrier = threading.Barrier(2)
    results = []

    def worker():
        try:
            barrier.wait()
            results.append(submit(commune_a, idempotency_key="web:same-click").code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert FeedbackItem.objects.count() == 1
    assert results == [FeedbackItem.objects.get().code] * 2
