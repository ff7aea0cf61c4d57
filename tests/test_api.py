"""The REST API at /api/v1/: its schema and docs, the dossier status, eSMS delivery reports."""

import json
import re
from datetime import datetime
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest

from tests.dossier_helpers import ADDRESS, ID_NUMBER, NAME, PHONE, TZ, receive_for_lookup
from tests.factories import OfficeFactory
from tests.factories_notify import MessageFactory
from thanthien.notify.models import Message
from thanthien.onestop import dossier_services as services

# Rate-limit counts live in the cache: every test starts from zero.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

SECRET = "bao-cao-esms-2025"


@pytest.fixture
def dossier(official, procedure):
    return receive_for_lookup(actor=official, procedure=procedure)


def status(client, code: str, phone_last4: str, **extra):
    return client.get(f"/api/v1/dossiers/{code}", {"phone_last4": phone_last4}, **extra)


def test_openapi_schema_is_served_and_lists_the_status_operation(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["version"] == "1"
    assert schema["info"]["title"] == "Thân Thiện API"
    assert "Tra cứu" in schema["info"]["description"]
    assert "Look up" in schema["info"]["description"]
    operation = schema["paths"]["/api/v1/dossiers/{code}"]["get"]
    assert operation["operationId"] == "dossier_status"
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["phone_last4"]["required"] is True
    assert params["phone_last4"]["schema"]["pattern"] == "^[0-9]{4}$"
    assert set(operation["responses"]) >= {"200", "404", "429"}
    assert "/api/v1/notify/esms/delivery/{secret}" in schema["paths"]


class _Resources(HTMLParser):
    def __init__(self):
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name in ("href", "src"):
            if attrs.get(name):
                self.urls.append(attrs[name])


def test_docs_page_is_served_with_every_asset_from_this_site(client):
    response = client.get("/api/v1/docs")
    html = response.content.decode()
    assert response.status_code == 200
    assert "swagger-ui" in html
    collector = _Resources()
    collector.feed(html)
    assert collector.urls
    for address in collector.urls:
        parts = urlsplit(address)
        assert parts.scheme == "" and parts.netloc == "", address
        assert client.get(address).status_code == 200, address
    assert not re.search(r"https?://", html), "no outside address at all"
    # Swagger UI's validator badge would call an outside service: switched off.
    settings_json = re.search(
        r'<script type="application/json" id="swagger-settings">(.*?)</script>', html, re.S
    )
    assert json.loads(settings_json.group(1))["validatorUrl"] is None


def test_status_json_has_the_dates_steps_and_initials_only(client, official, dossier):
    office = OfficeFactory(commune=dossier.commune, name="Văn phòng HĐND - UBND")
    services.dossier_handover(
        actor=official, dossier=dossier, to_office=office, at=datetime(2025, 3, 3, 10, 0, tzinfo=TZ)
    )
    response = status(client, dossier.code, phone_last4="5678")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == dossier.code
    assert body["procedure"] == "Đăng ký khai sinh"
    assert body["commune"] == "Xã An"
    assert body["state"] == "in_progress"
    assert body["state_label"] == "Đang giải quyết"
    assert body["received_at"] == "2025-03-03T09:05:00+07:00"
    assert body["due_date"] == "2025-03-06"
    assert body["original_due_date"] is None
    assert body["returned_at"] is None
    assert body["result_ready_at"] is None
    assert body["applicant_initials"] == "N.V.A."
    assert set(body["timeliness"]) == {"current", "current_label", "original", "original_label"}
    assert [s["kind"] for s in body["steps"]] == ["receive", "handover"]
    assert body["steps"][0]["label"] == "Bộ phận một cửa nhận hồ sơ"
    assert body["steps"][1]["office"] == "Văn phòng HĐND - UBND"
    assert body["steps"][1]["at"] == "2025-03-03T10:00:00+07:00"
    raw = response.content.decode()
    for secret in (NAME, "Nguyễn", PHONE, "5678", ADDRESS, ID_NUMBER, "Lê Thị Tiếp Nhận"):
        assert secret not in raw, secret
        assert json.dumps(secret)[1:-1] not in raw, secret


def test_late_result_reports_timeliness_against_both_due_dates(client, official, dossier):
    services.dossier_reschedule(
        actor=official,
        dossier=dossier,
        new_due_date=datetime(2025, 3, 10).date(),
        reason="Cần xác minh thêm",
        at=datetime(2025, 3, 4, 9, 0, tzinfo=TZ),
    )
    services.dossier_result_ready(
        actor=official, dossier=dossier, at=datetime(2025, 3, 11, 9, 0, tzinfo=TZ)
    )
    body = status(client, dossier.code, phone_last4="5678").json()
    assert body["original_due_date"] == "2025-03-06"
    assert body["due_date"] == "2025-03-10"
    assert body["result_ready_at"].startswith("2025-03-11T")
    assert body["timeliness"] == {
        "current": "late",
        "current_label": "Trễ hẹn",
        "original": "late",
        "original_label": "Trễ hẹn",
    }


def test_unknown_code_and_wrong_suffix_give_the_same_404(client, dossier):
    wrong = status(client, dossier.code, phone_last4="1111")
    unknown = status(client, "KHONG-CO-0001", phone_last4="5678")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.content == unknown.content
    assert wrong.json() == {"detail": "Không tìm thấy hồ sơ với mã và 4 số cuối điện thoại này."}


@pytest.mark.parametrize("suffix", ["", "567", "56789", "abcd", "５６７８"])
def test_phone_suffix_must_be_four_digits(client, dossier, suffix):
    response = status(client, dossier.code, phone_last4=suffix)
    assert response.status_code == 422


def test_missing_phone_suffix_is_422(client, dossier):
    assert client.get(f"/api/v1/dossiers/{dossier.code}").status_code == 422


def test_api_is_rate_limited_and_shares_the_count_with_the_page(client, dossier, settings):
    settings.THANTHIEN_LOOKUP_RATE = "4/10m"
    for _ in range(2):
        assert status(client, "SAI-0001", phone_last4="1234").status_code == 404
    for _ in range(2):
        assert client.post("/tra-cuu/", {"code": "SAI", "phone_last4": "1234"}).status_code == 404
    limited = status(client, dossier.code, phone_last4="5678")
    assert limited.status_code == 429
    assert "Tra cứu quá nhiều lần" in limited.json()["detail"]
    assert 0 < int(limited["Retry-After"]) <= 600
    other = status(client, dossier.code, phone_last4="5678", REMOTE_ADDR="198.51.100.7")
    assert other.status_code == 200


# --- eSMS.vn delivery reports --------------------------------------------------------------


@pytest.fixture
def sent_sms(commune_a):
    return MessageFactory(
        commune=commune_a, status=Message.Status.SENT, provider_message_id="dc712784-9c5f-4c69"
    )


def esms_report(client, secret: str, **params):
    query = {
        "SMSID": "dc712784-9c5f-4c69",
        "SendFailed": "0",
        "SendStatus": "5",
        "SendSuccess": "1",
        "TotalPrice": "0.0000",
        "TotalReceiver": "1",
        "TotalSent": "1",
        "RequestId": "",
        "TypeId": "2",
        "telcoid": "1",
        "phonenumber": "0901888484",
        **params,
    }
    return client.get(f"/api/v1/notify/esms/delivery/{secret}", query)


def test_esms_report_marks_the_message_delivered_by_request_id(client, settings, sent_sms):
    settings.THANTHIEN_NOTIFY_ESMS_CALLBACK_SECRET = SECRET
    response = esms_report(client, SECRET, RequestId=str(sent_sms.provider_request_id), SMSID="")
    assert response.status_code == 200
    assert response.json() == {"received": True, "delivered": True}
    sent_sms.refresh_from_db()
    assert sent_sms.status == Message.Status.DELIVERED
    assert sent_sms.delivered_at is not None


def test_esms_report_without_request_id_finds_the_message_by_sms_id(client, settings, sent_sms):
    settings.THANTHIEN_NOTIFY_ESMS_CALLBACK_SECRET = SECRET
    response = esms_report(client, SECRET)
    assert response.json() == {"received": True, "delivered": True}
    sent_sms.refresh_from_db()
    assert sent_sms.status == Message.Status.DELIVERED


def test_esms_report_of_a_failed_or_pending_send_changes_nothing(client, settings, sent_sms):
    settings.THANTHIEN_NOTIFY_ESMS_CALLBACK_SECRET = SECRET
    failed = esms_report(client, SECRET, SendSuccess="0", SendFailed="1")
    waiting = esms_report(client, SECRET, SendStatus="7")
    assert failed.json() == waiting.json() == {"received": True, "delivered": False}
    sent_sms.refresh_from_db()
    assert sent_sms.status == Message.Status.SENT


def test_esms_report_with_a_wrong_secret_is_refused(client, settings, sent_sms):
    settings.THANTHIEN_NOTIFY_ESMS_CALLBACK_SECRET = SECRET
    response = esms_report(client, "doan-mo", RequestId=str(sent_sms.provider_request_id))
    assert response.status_code == 403
    sent_sms.refresh_from_db()
    assert sent_sms.status == Message.Status.SENT


def test_esms_reports_are_refused_while_no_secret_is_configured(client, settings, sent_sms):
    settings.THANTHIEN_NOTIFY_ESMS_CALLBACK_SECRET = ""
    assert esms_report(client, "bat-ky").status_code == 403
    sent_sms.refresh_from_db()
    assert sent_sms.status == Message.Status.SENT
