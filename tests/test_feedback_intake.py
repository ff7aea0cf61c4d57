"""The public feedback form (/<slug>/gop-y/gui/): no JavaScript, files checked, one item per
submission, honeypot, rate limits, the desk QR's counter and procedure."""

import io
import uuid
from urllib.parse import urlencode

import pytest
from django.urls import reverse
from PIL import Image

from tests.factories import HamletFactory
from tests.factories_onestop import ProcedureFactory
from tests.factories_surveys import CounterFactory
from thanthien.feedback.items import Attachment, FeedbackItem, Source
from thanthien.feedback.links import item_token

GPS_IFD = 0x8825
CONTENT = "Đèn đường ở đầu cầu thôn Đông bị hỏng đã một tuần, buổi tối rất tối."


@pytest.fixture(autouse=True)
def media(settings, tmp_path, empty_cache):
    settings.MEDIA_ROOT = tmp_path
    settings.THANTHIEN_PUBLIC_BASE_URL = ""


def submit_url(commune, **query):
    url = reverse("feedback:submit", kwargs={"slug": commune.slug})
    return f"{url}?{urlencode(query)}" if query else url


def form_data(**overrides):
    data = {
        "kind": "report",
        "category": "",
        "content": CONTENT,
        "location_text": "Đầu cầu thôn Đông",
        "sender_name": "Nguyễn Văn Dân",
        "sender_phone": "0912345678",
        "sender_email": "",
        "reply_channel": "none",
        "token": uuid.uuid4().hex,
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def jpeg_with_gps(name="anh.jpg") -> io.BytesIO:
    picture = Image.new("RGB", (64, 48), (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 50.0, 10.0)}
    out = io.BytesIO()
    picture.save(out, format="JPEG", exif=exif)
    out.seek(0)
    out.name = name
    return out


def test_the_form_opens_without_javascript_with_a_label_for_every_input(client, commune_a):
    HamletFactory(commune=commune_a, name="Thôn Đông")
    response = client.get(submit_url(commune_a))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script" not in html
    assert 'enctype="multipart/form-data"' in html
    for name in ("content", "sender_phone", "sender_email", "files", "location_text", "hamlet"):
        assert f'for="id_{name}"' in html, name
    assert 'name="token"' in html and 'class="hp-field"' in html
    assert "Thôn Đông" in html


def test_each_rendering_carries_a_fresh_idempotency_token(client, commune_a):
    first = client.get(submit_url(commune_a)).context["form"].initial["token"]
    second = client.get(submit_url(commune_a)).context["form"].initial["token"]
    assert first != second and len(first) == 32


def test_a_resident_sends_feedback_and_sees_the_code_on_the_thanks_page(client, commune_a):
    response = client.post(submit_url(commune_a), form_data())
    assert response.status_code == 303
    item = FeedbackItem.objects.get()
    assert item.source == Source.WEB and item.commune == commune_a
    assert item.sender_phone == "0912345678" and item.content == CONTENT
    assert item.submitted_ip == "127.0.0.1"
    assert response["Location"].endswith(f"/da-gui/{item.code}/?k={item_token(item.code)}")
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    html = thanks.content.decode()
    assert f'<p class="tracking-code">{item.code}</p>' in html
    assert f"/gop-y/theo-doi/{item.code}/?k={item_token(item.code)}" in html
    assert thanks["X-Robots-Tag"] == "noindex, nofollow"


def test_the_thanks_page_needs_the_token(client, commune_a):
    client.post(submit_url(commune_a), form_data())
    item = FeedbackItem.objects.get()
    url = reverse("feedback:submitted", kwargs={"slug": commune_a.slug, "code": item.code})
    assert client.get(url).status_code == 404
    assert client.get(url + "?k=0000000000").status_code == 404


def test_a_photo_is_stored_without_its_exif_gps_location(client, commune_a):
    upload = jpeg_with_gps()
    assert Image.open(io.BytesIO(upload.getvalue())).getexif().get_ifd(GPS_IFD)
    response = client.post(submit_url(commune_a), {**form_data(), "files": [upload]})
    assert response.status_code == 303
    attachment = Attachment.objects.get()
    assert attachment.role == Attachment.Role.FROM_SENDER
    assert attachment.content_type == "image/jpeg" and attachment.original_name == "anh.jpg"
    with attachment.file.open("rb") as handle:
        stored = handle.read()
    picture = Image.open(io.BytesIO(stored))
    assert picture.format == "JPEG"
    exif = picture.getexif()
    assert not exif.get_ifd(GPS_IFD)
    assert 0x010F not in exif
    assert b"PhoneMaker" not in stored


def test_a_text_file_renamed_jpg_is_refused_with_a_message_and_nothing_is_lost(client, commune_a):
    fake = io.BytesIO(b"this is not a picture at all")
    fake.name = "anh-hong.jpg"
    response = client.post(submit_url(commune_a), {**form_data(), "files": [fake]})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Tệp “anh-hong.jpg” không phải ảnh (JPEG, PNG, WebP), PDF hay Word (DOCX)." in html
    assert "xin chọn lại tệp" in html
    assert CONTENT in html  # the words the resident wrote are still there
    assert not FeedbackItem.objects.exists()


def test_a_file_over_the_size_limit_is_refused(client, commune_a, settings):
    settings.THANTHIEN_FEEDBACK_MAX_FILE_MB = 1
    big = io.BytesIO(b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
    big.name = "to-qua.pdf"
    response = client.post(submit_url(commune_a), {**form_data(), "files": [big]})
    assert response.status_code == 400
    assert "Tệp “to-qua.pdf” lớn hơn 1 MB." in response.content.decode()
    assert not FeedbackItem.objects.exists()


def test_too_many_files_are_refused(client, commune_a, settings):
    settings.THANTHIEN_FEEDBACK_MAX_FILES = 2
    files = []
    for n in range(3):
        pdf = io.BytesIO(b"%PDF-1.4\n%%EOF\n")
        pdf.name = f"tep-{n}.pdf"
        files.append(pdf)
    response = client.post(submit_url(commune_a), {**form_data(), "files": files})
    assert response.status_code == 400
    assert "Chỉ gửi được tối đa 2 tệp." in response.content.decode()
    assert not FeedbackItem.objects.exists()


def test_content_and_contact_faults_are_shown_on_the_fields(client, commune_a):
    data = form_data(content="ngắn", reply_channel="sms", sender_phone="12345")
    response = client.post(submit_url(commune_a), data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "ít nhất 10 ký tự" in errors["content"][0]
    assert errors["sender_phone"] == ["Số điện thoại gồm đúng 10 chữ số, bắt đầu bằng 0."]
    assert "consent_contact" in errors
    assert not FeedbackItem.objects.exists()


def test_a_double_click_creates_one_item(client, commune_a):
    data = form_data()
    first = client.post(submit_url(commune_a), data)
    second = client.post(submit_url(commune_a), data)
    assert FeedbackItem.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_the_same_words_from_the_same_phone_within_minutes_make_one_item(client, commune_a):
    # A reload of the form gives a new token; the content fingerprint still catches it.
    client.post(submit_url(commune_a), form_data())
    response = client.post(submit_url(commune_a), form_data())
    assert FeedbackItem.objects.count() == 1
    assert response.status_code == 303


def test_the_same_token_with_edited_words_returns_the_first_item(client, commune_a):
    token = uuid.uuid4().hex
    client.post(submit_url(commune_a), form_data(token=token))
    response = client.post(
        submit_url(commune_a), form_data(token=token, content=CONTENT + " Sửa lại.")
    )
    item = FeedbackItem.objects.get()
    assert item.idempotency_key == f"web:{token}"
    assert response["Location"].endswith(f"/da-gui/{item.code}/?k={item_token(item.code)}")


def test_a_filled_honeypot_shows_thanks_and_stores_nothing(client, commune_a):
    response = client.post(submit_url(commune_a), form_data(website="http://spam.example"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Xã đã nhận ý kiến của ông/bà" in html
    assert 'class="tracking-code">PA-' in html
    assert not FeedbackItem.objects.exists()
    assert not Attachment.objects.exists()


def test_anonymous_feedback_keeps_no_personal_data(client, commune_a):
    data = form_data(is_anonymous="on", reply_channel="sms", consent_contact="on")
    response = client.post(submit_url(commune_a), data)
    assert response.status_code == 303
    item = FeedbackItem.objects.get()
    assert item.is_anonymous
    assert (item.sender_name, item.sender_phone, item.reply_channel) == ("", "", "none")
    assert "chỉ có đường dẫn này" in client.get(response["Location"]).content.decode()


def test_submissions_are_rate_limited_per_ip(client, commune_a, settings):
    settings.THANTHIEN_FEEDBACK_RATE = "2/10m"
    for n in range(2):
        data = form_data(content=f"{CONTENT} Lần {n}.", sender_phone=f"091234567{n}")
        assert client.post(submit_url(commune_a), data).status_code == 303
    data = form_data(content=f"{CONTENT} Lần 3.", sender_phone="0912345679")
    response = client.post(submit_url(commune_a), data)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "Ông/bà đã gửi nhiều ý kiến liền." in html
    assert "Lần 3." in html  # nothing typed is lost
    assert FeedbackItem.objects.count() == 2
    # Another address is not held back.
    other = client.post(submit_url(commune_a), data, REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 303


def test_submissions_are_rate_limited_per_phone_across_addresses(client, commune_a, settings):
    settings.THANTHIEN_FEEDBACK_PHONE_RATE = "2/1h"
    for n in range(2):
        data = form_data(content=f"{CONTENT} Lần {n}.")
        response = client.post(submit_url(commune_a), data, REMOTE_ADDR=f"10.0.1.{n}")
        assert response.status_code == 303
    data = form_data(content=f"{CONTENT} Lần 3.")
    response = client.post(submit_url(commune_a), data, REMOTE_ADDR="10.0.1.99")
    assert response.status_code == 429
    assert FeedbackItem.objects.count() == 2
    # The same phone written with +84 is the same phone.
    data = form_data(content=f"{CONTENT} Lần 4.", sender_phone="+84 912 345 678")
    assert client.post(submit_url(commune_a), data, REMOTE_ADDR="10.0.1.98").status_code == 429
    # Another phone from that address goes through.
    data = form_data(content=f"{CONTENT} Lần 5.", sender_phone="0987000111")
    assert client.post(submit_url(commune_a), data, REMOTE_ADDR="10.0.1.97").status_code == 303


def test_a_double_click_is_not_counted_against_the_rate_limit(client, commune_a, settings):
    settings.THANTHIEN_FEEDBACK_RATE = "1/10m"
    data = form_data()
    assert client.post(submit_url(commune_a), data).status_code == 303
    assert client.post(submit_url(commune_a), data).status_code == 303
    assert FeedbackItem.objects.count() == 1


def test_the_desk_qr_prefills_and_records_counter_and_procedure(client, commune_a):
    counter = CounterFactory(commune=commune_a, number=2, name="Tư pháp - Hộ tịch")
    procedure = ProcedureFactory(commune=commune_a, code="1.001193", name="Đăng ký khai sinh")
    response = client.get(submit_url(commune_a, quay="2", **{"thu-tuc": "1.001193"}))
    html = response.content.decode()
    assert "Góp ý về quầy số 2 — Tư pháp - Hộ tịch." in html
    assert "Thủ tục: Đăng ký khai sinh." in html
    form = response.context["form"]
    assert form.initial["quay"] == 2 and form.initial["thu_tuc"] == "1.001193"
    assert form.initial["category"] == "thu_tuc_hanh_chinh"
    data = form_data(quay="2", thu_tuc="1.001193", category="thu_tuc_hanh_chinh")
    assert client.post(submit_url(commune_a), data).status_code == 303
    item = FeedbackItem.objects.get()
    assert item.source == Source.QR
    assert item.counter == counter and item.procedure == procedure


def test_another_communes_counter_or_procedure_in_the_qr_is_ignored(client, commune_a, commune_b):
    CounterFactory(commune=commune_b, number=7)
    ProcedureFactory(commune=commune_b, code="2.000001")
    response = client.get(submit_url(commune_a, quay="7", **{"thu-tuc": "2.000001"}))
    assert response.context["counter"] is None and response.context["procedure"] is None
    assert "Góp ý về quầy" not in response.content.decode()
    data = form_data(quay="7", thu_tuc="2.000001")
    assert client.post(submit_url(commune_a), data).status_code == 303
    item = FeedbackItem.objects.get()
    assert item.counter is None and item.procedure is None and item.source == Source.WEB


def test_nonsense_in_the_qr_is_ignored(client, commune_a):
    response = client.get(submit_url(commune_a, quay="abc", **{"thu-tuc": "x" * 90}))
    assert response.status_code == 200 and response.context["counter"] is None


def test_an_unknown_commune_has_no_form(client, db):
    assert client.get("/khong-co-xa-nay/gop-y/gui/").status_code == 404


def test_the_channels_page_links_to_the_online_form(client, commune_a):
    html = client.get(reverse("portal:channels", kwargs={"slug": commune_a.slug})).content
    assert submit_url(commune_a).encode() in html
    assert "Gửi góp ý trực tuyến".encode() in html


def test_the_form_page_query_count_does_not_grow_with_hamlets(
    client, commune_a, django_assert_max_num_queries
):
    HamletFactory(commune=commune_a)
    with django_assert_max_num_queries(8) as few:
        client.get(submit_url(commune_a))
    HamletFactory.create_batch(15, commune=commune_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(submit_url(commune_a))
    assert len(response.context["form"].fields["hamlet"].choices) == 17
