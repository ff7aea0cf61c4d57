"""Open311 GeoReport v2 at /open311/v2/: services from the categories, new requests (form and
JSON, idempotent, rate-limited, optional API key), and public reads without personal data."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories_feedback import AttachmentFactory, FeedbackItemFactory
from thanthien.feedback.categories import categories
from thanthien.feedback.items import Action, FeedbackItem, Source
from thanthien.notify.models import Message

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

BASE = "/open311/v2"
NAME, PHONE, EMAIL = "Trần Thị Phản Ánh", "0912345678", "phananh@example.com"


def new_request(client, commune, *, as_json=False, key=None, **fields):
    data = {
        "jurisdiction_id": str(commune.code),
        "service_code": "ha_tang_giao_thong",
        "lat": "21.028511",
        "long": "105.804817",
        "address_string": "Ngã ba thôn Đông",
        "description": "Ổ gà lớn giữa đường, xe máy đi qua rất nguy hiểm.",
        "email": EMAIL,
        "first_name": "Trần Thị",
        "last_name": "Phản Ánh",
        "phone": PHONE,
        **fields,
    }
    data = {k: v for k, v in data.items() if v is not None}
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    if as_json:
        return client.post(
            f"{BASE}/requests.json", json.dumps(data), content_type="application/json", **headers
        )
    return client.post(f"{BASE}/requests.json", data, **headers)


def test_schema_lists_the_four_geo_report_endpoints(client):
    schema = client.get(f"{BASE}/openapi.json").json()

    assert schema["info"]["version"] == "2"
    assert set(schema["paths"]) == {
        f"{BASE}/services.json",
        f"{BASE}/services/{{service_code}}.json",
        f"{BASE}/requests.json",
        f"{BASE}/requests/{{service_request_id}}.json",
    }
    body = schema["paths"][f"{BASE}/requests.json"]["post"]["requestBody"]["content"]
    assert {"application/x-www-form-urlencoded", "application/json"} <= set(body)


def test_services_are_the_feedback_categories(client, commune_a):
    response = client.get(f"{BASE}/services.json", {"jurisdiction_id": commune_a.code})

    assert response.status_code == 200
    services = response.json()
    assert [s["service_code"] for s in services] == [c.code for c in categories()]
    land = services[0]
    assert land["service_name"] == "Đất đai"
    assert land["metadata"] is False and land["type"] == "realtime"
    assert "Land" in land["keywords"] and land["group"]


def test_service_definition_has_no_extra_attributes(client, commune_a):
    response = client.get(f"{BASE}/services/moi_truong.json", {"jurisdiction_id": commune_a.code})

    assert response.json() == {"service_code": "moi_truong", "attributes": []}


def test_unknown_service_is_a_404_error_array(client, commune_a):
    response = client.get(f"{BASE}/services/khong_co.json", {"jurisdiction_id": commune_a.code})

    assert response.status_code == 404
    [error] = response.json()
    assert error["code"] == 404 and "khong_co" in error["description"]


def test_unknown_jurisdiction_is_a_404_error_array(client, commune_a):
    for unknown in ("999999", "abc", "9" * 30, "²", "٣"):
        response = client.get(f"{BASE}/services.json", {"jurisdiction_id": unknown})
        assert response.status_code == 404
        assert response.json()[0]["code"] == 404


def test_jurisdiction_is_required_when_several_communes_are_served(client, commune_a, commune_b):
    response = client.get(f"{BASE}/services.json")

    assert response.status_code == 400
    assert "jurisdiction_id" in response.json()[0]["description"]


def test_jurisdiction_may_be_left_out_when_one_commune_is_served(client, commune_a):
    assert client.get(f"{BASE}/services.json").status_code == 200


def test_form_encoded_request_becomes_a_feedback_item_acknowledged_by_email(client, commune_a):
    response = new_request(client, commune_a)

    assert response.status_code == 201
    [created] = response.json()
    item = FeedbackItem.objects.get()
    assert created["service_request_id"] == item.code
    assert created["account_id"] is None
    assert f"{item.due_date:%d/%m/%Y}" in created["service_notice"]
    assert item.source == Source.OPEN311 and item.category == "ha_tang_giao_thong"
    assert item.location_text == "Ngã ba thôn Đông"
    assert str(item.latitude) == "21.028511" and str(item.longitude) == "105.804817"
    assert item.sender_name == NAME and item.sender_phone == PHONE
    assert item.reply_channel == "email" and item.consent_contact
    assert Message.objects.get(email=EMAIL).channel == "email"


def test_json_request_becomes_a_feedback_item(client, commune_a):
    response = new_request(client, commune_a, as_json=True, email=None)

    assert response.status_code == 201
    item = FeedbackItem.objects.get()
    assert item.reply_channel == "sms"
    assert item.content.startswith("Ổ gà lớn")


def test_same_idempotency_key_returns_the_same_request_id(client, commune_a):
    first = new_request(client, commune_a, key="app-1234-abcd")
    second = new_request(
        client, commune_a, key="app-1234-abcd", description="Ổ gà lớn, gửi lại lần hai ạ."
    )

    assert first.status_code == 201 and second.status_code == 200
    assert first.json()[0]["service_request_id"] == second.json()[0]["service_request_id"]
    assert FeedbackItem.objects.count() == 1


def test_request_without_a_location_is_refused(client, commune_a):
    response = new_request(client, commune_a, lat=None, long=None, address_string=None)

    assert response.status_code == 400
    assert "lat" in response.json()[0]["description"]
    assert not FeedbackItem.objects.exists()


def test_request_with_faults_names_each_of_them(client, commune_a):
    response = new_request(
        client, commune_a, phone="12345", description="ngắn", service_code="khong_co"
    )

    assert response.status_code == 400
    described = " ".join(e["description"] for e in response.json())
    assert "sender_phone" in described and "content" in described and "category" in described


def test_request_with_a_bad_email_or_media_url_is_refused(client, commune_a):
    response = new_request(client, commune_a, email="khong-phai-email", media_url="ftp://x/y")

    assert response.status_code == 400
    assert len(response.json()) == 2


def test_media_url_is_noted_on_the_item_not_fetched(client, commune_a):
    new_request(client, commune_a, media_url="https://anh.example.com/o-ga.jpg")

    item = FeedbackItem.objects.get()
    assert not item.attachments.exists()
    note = item.events.get(action=Action.NOTE).note
    assert "https://anh.example.com/o-ga.jpg" in note


def test_api_key_is_required_when_one_is_configured(client, commune_a, settings):
    settings.THANTHIEN_OPEN311_API_KEYS = ["khoa-ung-dung"]

    refused = new_request(client, commune_a)
    accepted = new_request(client, commune_a, api_key="khoa-ung-dung")

    assert refused.status_code == 403 and refused.json()[0]["code"] == 403
    assert accepted.status_code == 201


def test_new_requests_are_rate_limited_per_ip(client, commune_a, settings):
    settings.THANTHIEN_OPEN311_RATE = "2/10m"
    for n in range(2):
        sent = new_request(client, commune_a, description=f"Ổ gà thứ {n} trên đường thôn Đông.")
        assert sent.status_code == 201

    refused = new_request(client, commune_a, description="Ổ gà thứ ba trên đường thôn Đông.")

    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert FeedbackItem.objects.count() == 2


def test_malformed_json_and_idempotency_key_are_400_error_arrays(client, commune_a):
    bad_json = client.post(f"{BASE}/requests.json", "{", content_type="application/json")
    not_object = client.post(f"{BASE}/requests.json", "[1]", content_type="application/json")
    bad_key = new_request(client, commune_a, key="có dấu")

    for response in (bad_json, not_object, bad_key):
        assert response.status_code == 400
        assert response.json()[0]["code"] == 400


def test_listed_requests_never_show_the_senders_personal_data(client, commune_a):
    new_request(client, commune_a)

    response = client.get(f"{BASE}/requests.json", {"jurisdiction_id": commune_a.code})

    [listed] = response.json()
    text = response.content.decode()
    for personal in (NAME, "Trần Thị", "Phản Ánh", PHONE, EMAIL, "Ổ gà lớn"):
        assert personal not in text
    assert listed["description"] == "Hạ tầng, giao thông"
    assert listed["status"] == "open"
    assert listed["address"] == "Ngã ba thôn Đông"
    assert listed["lat"] == pytest.approx(21.028511)
    assert listed["requested_datetime"].endswith("+07:00")
    assert listed["expected_datetime"].startswith(FeedbackItem.objects.get().due_date.isoformat())
    assert listed["agency_responsible"] == commune_a.name


def test_published_answer_shows_the_summary_and_the_answer_without_the_name(client, commune_a):
    item = FeedbackItemFactory(
        commune=commune_a,
        category="moi_truong",
        status="answered",
        sender_name="Lê Văn Gửi",
        sender_phone="0987654321",
        content="Nhà ông Lê Văn Gửi bên cạnh bãi rác.",
        location_text="Bãi rác thôn Tây",
        answer="Kính gửi ông Lê Văn Gửi, xã đã thu gom rác ngày 02/03.",
        is_published=True,
        consent_publish=True,
        public_summary="Rác tồn đọng ở bãi rác thôn Tây.",
    )
    evidence = AttachmentFactory(commune=commune_a, item=item, is_public=True, role="answer")

    response = client.get(f"{BASE}/requests/{item.code}.json", {"jurisdiction_id": commune_a.code})

    [shown] = response.json()
    assert shown["status"] == "closed"
    assert shown["description"] == "Rác tồn đọng ở bãi rác thôn Tây."
    assert "xã đã thu gom rác" in shown["status_notes"]
    assert "Lê Văn Gửi" not in response.content.decode()
    assert "0987654321" not in response.content.decode()
    assert shown["address"] == "Bãi rác thôn Tây"
    file_path = f"/{commune_a.slug}/gop-y/tra-loi/{item.code}/tep/{evidence.pk}/"
    assert shown["media_url"] == f"http://testserver{file_path}"
    assert client.get(file_path).status_code == 200  # the public file view serves it


def test_unpublished_item_from_another_channel_shows_no_place_and_no_private_file(
    client, commune_a
):
    item = FeedbackItemFactory(commune=commune_a, source="web", location_text="Nhà số 5")
    AttachmentFactory(commune=commune_a, item=item, is_public=True)  # not published: hidden

    [shown] = client.get(
        f"{BASE}/requests/{item.code}.json", {"jurisdiction_id": commune_a.code}
    ).json()

    assert shown["address"] is None and shown["media_url"] is None
    assert shown["description"] == "Chưa phân loại"


def test_request_of_another_commune_is_not_found(client, commune_a, commune_b):
    item = FeedbackItemFactory(commune=commune_b)

    response = client.get(f"{BASE}/requests/{item.code}.json", {"jurisdiction_id": commune_a.code})

    assert response.status_code == 404
    assert response.json()[0]["code"] == 404


def test_requests_are_filtered_by_status_service_and_dates(client, commune_a):
    now = timezone.now()
    open_item = FeedbackItemFactory(commune=commune_a, category="moi_truong", received_at=now)
    closed = FeedbackItemFactory(
        commune=commune_a, category="dat_dai", status="closed", received_at=now
    )
    old = FeedbackItemFactory(
        commune=commune_a, category="moi_truong", received_at=now - timedelta(days=120)
    )

    def codes(**params):
        response = client.get(
            f"{BASE}/requests.json", {"jurisdiction_id": commune_a.code, **params}
        )
        assert response.status_code == 200, response.content
        return {r["service_request_id"] for r in response.json()}

    assert codes() == {open_item.code, closed.code}
    assert codes(status="open") == {open_item.code}
    assert codes(status="closed") == {closed.code}
    assert codes(service_code="moi_truong") == {open_item.code}
    start = (now - timedelta(days=150)).isoformat()
    end = (now - timedelta(days=100)).isoformat()
    assert codes(start_date=start, end_date=end) == {old.code}
    assert codes(service_request_id=f"{old.code},{closed.code}") == {old.code, closed.code}


def test_bad_filters_are_400_error_arrays(client, commune_a):
    for params in (
        {"start_date": "hôm qua"},
        {"status": "pending"},
        {"start_date": "2026-05-01T00:00:00Z", "end_date": "2026-04-01T00:00:00Z"},
        {"start_date": "0001-01-01T00:00:00+07:00"},
        {"service_request_id": "a b"},
    ):
        response = client.get(
            f"{BASE}/requests.json", {"jurisdiction_id": commune_a.code, **params}
        )
        assert response.status_code == 400, params
        assert response.json()[0]["code"] == 400


def test_request_list_query_count_does_not_grow_with_the_data(
    client, commune_a, django_assert_max_num_queries
):
    def make(n):
        for _ in range(n):
            item = FeedbackItemFactory(
                commune=commune_a, is_published=True, consent_publish=True, public_summary="x"
            )
            AttachmentFactory(commune=commune_a, item=item, is_public=True, role="answer")

    make(2)
    with django_assert_max_num_queries(4):
        assert len(client.get(f"{BASE}/requests.json").json()) == 2
    make(20)
    with django_assert_max_num_queries(4):
        assert len(client.get(f"{BASE}/requests.json").json()) == 22
