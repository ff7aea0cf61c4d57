"""The public status lookup page /tra-cuu/: what a resident sees, and what nobody else learns."""

import re
from datetime import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dossier_helpers import ADDRESS, ID_NUMBER, NAME, PHONE, TZ, receive_for_lookup
from tests.factories import CommuneProfileFactory, OfficeFactory, OfficialFactory
from thanthien.core import ratelimit
from thanthien.notify.models import Message
from thanthien.onestop import dossier_services as services
from thanthien.onestop.lookup import initials, public_status, status_path, status_token
from thanthien.onestop.models import Dossier

# Rate-limit counts live in the cache: every test starts from zero.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

LOOKUP = "/tra-cuu/"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')


def at(day: int, hour: int = 9, minute: int = 5) -> datetime:
    return datetime(2025, 3, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def dossier(official, procedure):
    return receive_for_lookup(actor=official, procedure=procedure)


def status_page(client, dossier) -> str:
    response = client.get(status_path(dossier.code))
    assert response.status_code == 200
    return response.content.decode()


def without_csrf(content: bytes) -> str:
    return CSRF_INPUT.sub('name="csrfmiddlewaretoken" value=""', content.decode())


def test_the_form_asks_for_code_and_four_digits_in_plain_words(client):
    response = client.get(LOOKUP)
    html = response.content.decode()
    assert response.status_code == 200
    assert '<form method="post"' in html
    assert "csrfmiddlewaretoken" in html
    assert "Mã hồ sơ" in html
    assert "ví dụ: 26734-250612-0001" in html
    assert "4 số cuối của số điện thoại" in html
    assert 'inputmode="numeric"' in html
    assert "<script" not in html
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_code_and_phone_digits_lead_to_the_status_address_without_the_digits(client, dossier):
    response = client.post(LOOKUP, {"code": dossier.code, "phone_last4": "5678"})
    assert response.status_code == 303
    assert response["Location"] == status_path(dossier.code)
    assert "5678" not in response["Location"]
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert "Đăng ký khai sinh" in page.content.decode()


def test_code_typed_with_spaces_and_digits_with_a_space_still_match(client, dossier):
    spaced = " ".join(dossier.code.split("-"))
    spaced = spaced.replace(" ", " - ")
    response = client.post(LOOKUP, {"code": f"  {spaced} ", "phone_last4": "56 78"})
    assert response.status_code == 303
    assert response["Location"] == status_path(dossier.code)


def test_status_shows_procedure_dates_steps_and_initials_only(client, official, dossier):
    office = OfficeFactory(commune=dossier.commune, name="Công chức Tư pháp - Hộ tịch")
    handler = OfficialFactory(
        commune=dossier.commune, office=office, full_name="Phạm Thị Xử Lý", phone="0987000111"
    )
    services.dossier_handover(actor=official, dossier=dossier, to_official=handler, at=at(3, 10))
    html = status_page(client, dossier)
    assert dossier.code in html
    assert "Đăng ký khai sinh" in html
    assert "Xã An" in html
    assert "N.V.A." in html
    assert "Đang giải quyết" in html
    assert "03/03/2025" in html  # received
    assert "06/03/2025" in html  # due
    assert "Nhận tại bộ phận một cửa" in html
    assert "Bộ phận một cửa nhận hồ sơ" in html
    assert "Hồ sơ được chuyển đi giải quyết" in html
    assert "Công chức Tư pháp - Hộ tịch" in html
    assert "03/03/2025 10:05" in html
    for secret in (NAME, "Nguyễn", PHONE, "5678", ADDRESS, ID_NUMBER, "4567"):
        assert secret not in html, secret
    # No official's name or phone either.
    for secret in ("Phạm Thị Xử Lý", "0987000111", "Lê Thị Tiếp Nhận"):
        assert secret not in html, secret


def test_status_page_takes_two_queries_however_long_the_history(
    client, official, dossier, django_assert_max_num_queries
):
    office = OfficeFactory(commune=dossier.commune)
    for hour in (10, 11, 13, 14, 15):
        services.dossier_handover(actor=official, dossier=dossier, to_office=office, at=at(3, hour))
    with django_assert_max_num_queries(2):
        html = status_page(client, dossier)
    assert html.count(office.name) == 5


def test_rescheduled_dossier_shows_both_due_dates_and_both_judgements(client, official, dossier):
    services.dossier_reschedule(
        actor=official,
        dossier=dossier,
        new_due_date=datetime(2025, 3, 10).date(),
        reason="Cần xác minh thêm",
        at=at(4),
    )
    services.dossier_result_ready(actor=official, dossier=dossier, at=at(7, 14))
    html = status_page(client, dossier)
    assert "Ngày hẹn ban đầu" in html
    assert "06/03/2025" in html
    assert "10/03/2025" in html
    assert "Xong trước hẹn" in html  # ready 07/03, before the new date 10/03
    assert "So với ngày hẹn ban đầu: Trễ hẹn" in html  # after the original 06/03
    assert "Có kết quả ngày" in html
    assert "07/03/2025" in html
    assert "Hẹn lại ngày trả kết quả" in html
    assert "Cần xác minh thêm" not in html


def test_returned_dossier_shows_the_returned_date(client, official, dossier):
    services.dossier_result_ready(actor=official, dossier=dossier, at=at(5, 14))
    services.dossier_return(actor=official, dossier=dossier, at=at(6, 8))
    html = status_page(client, dossier)
    assert "Đã trả kết quả" in html
    assert "Đã trả kết quả ngày" in html
    assert "Xong trước hẹn" in html


def test_supplement_request_lists_what_is_missing(client, official, dossier):
    services.dossier_request_supplement(
        actor=official,
        dossier=dossier,
        items=["Giấy chứng sinh", "Giấy xác nhận nơi cư trú"],
        at=at(4),
    )
    html = status_page(client, dossier)
    assert "Chờ bổ sung" in html
    assert "Giấy tờ cần bổ sung" in html
    assert "<li>Giấy chứng sinh</li>" in html
    assert "<li>Giấy xác nhận nơi cư trú</li>" in html
    assert "Tạm dừng tính hạn" in html


def test_wrong_phone_suffix_answers_exactly_like_an_unknown_code(client, dossier):
    typed = {"code": dossier.code, "phone_last4": "1111"}
    with CaptureQueriesContext(connection) as wrong_suffix_queries:
        wrong_suffix = client.post(LOOKUP, typed)
    # The same input once no dossier has this code any more.
    Dossier.objects.filter(pk=dossier.pk).update(code="DA-DOI-MA")
    with CaptureQueriesContext(connection) as unknown_queries:
        unknown = client.post(LOOKUP, typed)

    assert wrong_suffix.status_code == unknown.status_code == 404
    assert [t.name for t in wrong_suffix.templates] == [t.name for t in unknown.templates]
    assert without_csrf(wrong_suffix.content) == without_csrf(unknown.content)
    assert "Không tìm thấy hồ sơ." in unknown.content.decode()
    assert "Đăng ký khai sinh" not in wrong_suffix.content.decode()
    # The same database work on both paths.
    assert len(wrong_suffix_queries) == len(unknown_queries) == 2


def test_a_right_suffix_does_the_same_database_work_as_a_wrong_one(client, dossier):
    with CaptureQueriesContext(connection) as right:
        assert public_status(dossier.code, phone_last4="5678") is not None
    with CaptureQueriesContext(connection) as wrong:
        assert public_status(dossier.code, phone_last4="5679") is None
    with CaptureQueriesContext(connection) as unknown:
        assert public_status("KHONG-CO-0001", phone_last4="5678") is None
    assert len(right) == len(wrong) == len(unknown) == 2


def test_token_link_opens_the_status_and_a_wrong_token_does_not(client, dossier):
    assert dossier.code in status_page(client, dossier)
    for bad in ("0" * 10, status_token(dossier.code)[:-1], "ấấấấ"):
        response = client.get(LOOKUP, {"ma": dossier.code, "k": bad})
        html = response.content.decode()
        assert response.status_code == 404, bad
        assert "Không tìm thấy hồ sơ." in html
        assert "Đăng ký khai sinh" not in html
    # The token of one dossier opens no other.
    other = client.get(LOOKUP, {"ma": "KHAC-0001", "k": status_token(dossier.code)})
    assert other.status_code == 404


def test_a_link_with_only_the_code_fills_it_in_and_asks_for_the_digits(client, dossier):
    response = client.get(LOOKUP, {"ma": dossier.code})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'value="{dossier.code}"' in html
    assert "Đăng ký khai sinh" not in html


def test_badly_typed_digits_are_explained_and_not_shown_back(client, dossier):
    response = client.post(LOOKUP, {"code": dossier.code, "phone_last4": "56a"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Gõ đúng 4 chữ số cuối của số điện thoại, ví dụ 5678." in html
    assert 'aria-invalid="true"' in html
    assert "56a" not in html
    assert f'value="{dossier.code}"' in html


def test_lookups_are_rate_limited_per_address_with_a_friendly_429(client, dossier, settings):
    settings.THANTHIEN_LOOKUP_RATE = "3/10m"
    for _ in range(3):
        assert client.post(LOOKUP, {"code": "SAI-0001", "phone_last4": "1234"}).status_code == 404
    limited = client.post(LOOKUP, {"code": dossier.code, "phone_last4": "5678"})
    html = limited.content.decode()
    assert limited.status_code == 429
    assert "Ông/bà đã tra cứu nhiều lần liền." in html
    assert "phút rồi thử lại" in html
    assert 0 < int(limited["Retry-After"]) <= 600
    # The token link counts too; another address is not held back.
    assert client.get(status_path(dossier.code)).status_code == 429
    other = client.post(
        LOOKUP, {"code": dossier.code, "phone_last4": "5678"}, REMOTE_ADDR="198.51.100.9"
    )
    assert other.status_code == 303


def test_client_address_comes_from_the_proxy_header_only_when_trusted(client, dossier, settings):
    settings.THANTHIEN_LOOKUP_RATE = "1/10m"
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    settings.THANTHIEN_TRUST_X_FORWARDED_FOR = False
    # Untrusted: a forged header changes nothing, the proxy's address is the client.
    assert client.get(status_path(dossier.code), **proxy, HTTP_X_FORWARDED_FOR="1.1.1.1")
    second = client.get(status_path(dossier.code), **proxy, HTTP_X_FORWARDED_FOR="2.2.2.2")
    assert second.status_code == 429
    cache.clear()
    settings.THANTHIEN_TRUST_X_FORWARDED_FOR = True
    first = client.get(status_path(dossier.code), **proxy, HTTP_X_FORWARDED_FOR="203.0.113.1")
    # The last entry is the one our proxy wrote; what the client put before it is ignored.
    again = client.get(
        status_path(dossier.code), **proxy, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.1"
    )
    other = client.get(status_path(dossier.code), **proxy, HTTP_X_FORWARDED_FOR="203.0.113.2")
    assert (first.status_code, again.status_code, other.status_code) == (200, 429, 200)


def test_rate_text_is_parsed_with_its_window():
    assert ratelimit.parse_rate("20/10m") == ratelimit.Rate(limit=20, seconds=600)
    assert ratelimit.parse_rate("5/h") == ratelimit.Rate(limit=5, seconds=3600)
    assert ratelimit.parse_rate("100/1d") == ratelimit.Rate(limit=100, seconds=86400)
    with pytest.raises(Exception, match="20/10m"):
        ratelimit.parse_rate("twenty")


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Nguyễn Văn An", "N.V.A."), ("đỗ  thị hà", "Đ.T.H."), ("Ê", "Ê."), ("", "")],
)
def test_initials_keep_only_the_first_letter_of_each_word(name, expected):
    assert initials(name) == expected


def test_received_dossiers_sms_has_a_link_that_opens_the_status(
    client, official, procedure, settings
):
    settings.THANTHIEN_PUBLIC_BASE_URL = "http://testserver"
    dossier = services.dossier_receive(
        actor=official,
        procedure=procedure,
        applicant_name=NAME,
        applicant_phone=PHONE,
        notify_channel=Dossier.NotifyChannel.SMS,
        consent_sms=True,
        received_at=at(3),
    )
    message = Message.objects.get(event="dossier_received")
    link = re.search(r"http://testserver(/tra-cuu/\?\S+)", message.body)
    assert link, message.body
    response = client.get(link.group(1))
    html = response.content.decode()
    assert response.status_code == 200
    assert dossier.code in html
    assert "Đăng ký khai sinh" in html
    assert "06/03/2025" in html


def test_commune_home_and_procedure_pages_link_to_the_lookup(client, commune_a, procedure):
    CommuneProfileFactory(commune=commune_a)
    pages = [
        reverse("portal:commune_home", args=[commune_a.slug]),
        reverse("portal:procedure_list", args=[commune_a.slug]),
        reverse("portal:procedure_detail", args=[commune_a.slug, procedure.code]),
    ]
    for address in pages:
        response = client.get(address)
        assert response.status_code == 200, address
        assert f'href="{LOOKUP}"' in response.content.decode(), address


def test_the_receipt_tells_where_to_look_the_dossier_up(client, official, dossier, settings):
    settings.THANTHIEN_PUBLIC_BASE_URL = "https://xaan.example.gov.vn"
    client.force_login(official)
    page = client.get(reverse("staff:dossier_receipt", args=[dossier.pk])).content.decode()
    assert "Hoặc vào trang https://xaan.example.gov.vn/tra-cuu/, gõ mã hồ sơ" in page
