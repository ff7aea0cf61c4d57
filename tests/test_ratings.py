"""A rating for every transaction: the signed link, one per dossier, the 24-hour change
window, idempotency keys, the kiosk, rate limits and who sees which ratings."""

import json
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tests.dossier_helpers import at
from tests.factories import OfficialFactory
from tests.factories_surveys import CounterFactory, KioskSessionFactory, RatingFactory
from thanthien.notify.models import Message
from thanthien.onestop import dossier_services
from thanthien.onestop.lookup import status_path, status_token
from thanthien.onestop.models import Dossier
from thanthien.people.roles import Role
from thanthien.surveys import rating_services as services
from thanthien.surveys.models import Rating, Score
from thanthien.surveys.public_views import KIOSK_COOKIE
from thanthien.surveys.rating_links import rating_path, rating_token
from thanthien.surveys.rating_selectors import ratings_visible_to

RATE_URL = "/danh-gia/"


@pytest.fixture(autouse=True)
def _fresh_limits(empty_cache):
    """Every test starts with an empty rate-limit count."""


@pytest.fixture
def handler(commune_a):
    return OfficialFactory(commune=commune_a, full_name="Phạm Văn Giải Quyết")


@pytest.fixture
def ready(receive, official, handler):
    """ready(): a dossier handed to `handler`, its result ready (SMS to the applicant)."""
    from datetime import date

    def make(**overrides):
        dossier = receive(**overrides)
        dossier_services.dossier_handover(
            actor=official, dossier=dossier, to_official=handler, at=at(date(2025, 3, 3), 10)
        )
        return dossier_services.dossier_result_ready(
            actor=official, dossier=dossier, at=at(date(2025, 3, 5), 14)
        )

    return make


def rate_query(dossier, token=None):
    return {"ma": dossier.code, "k": rating_token(dossier.code) if token is None else token}


def test_one_rating_per_dossier_is_enforced_by_the_database(ready):
    dossier = ready()
    first = services.rating_submit(channel="qr", dossier=dossier, service_score=Score.SATISFIED)
    assert first.official.full_name == "Phạm Văn Giải Quyết"
    assert first.procedure_id == dossier.procedure_id
    with pytest.raises(ValidationError):
        services.rating_submit(channel="link", dossier=dossier, service_score=Score.NEUTRAL)
    with pytest.raises(IntegrityError), transaction.atomic():
        Rating.objects.create(
            commune=dossier.commune,
            dossier=dossier,
            channel="link",
            service_score=1,
            submitted_at=timezone.now(),
        )
    assert Rating.objects.filter(dossier=dossier).count() == 1


def test_kiosk_ratings_without_a_dossier_are_many(commune_a):
    session = KioskSessionFactory(commune=commune_a)
    for _ in range(3):
        services.rating_submit(channel="kiosk", kiosk_session=session, service_score=4)
    assert Rating.objects.filter(dossier__isnull=True, counter=session.counter).count() == 3


def test_rating_can_be_changed_for_24_hours_then_is_refused_clearly(ready, client):
    dossier = ready()
    rating = services.rating_submit(
        channel="qr",
        dossier=dossier,
        service_score=Score.SATISFIED,
        at=timezone.now() - timedelta(hours=23),
    )
    changed = services.rating_change(rating=rating, service_score=Score.DISSATISFIED)
    assert changed.service_score == Score.DISSATISFIED
    assert changed.changed_at is not None

    Rating.objects.filter(pk=rating.pk).update(submitted_at=timezone.now() - timedelta(hours=25))
    rating.refresh_from_db()
    with pytest.raises(ValidationError, match="chỉ sửa được trong 24 giờ"):
        services.rating_change(rating=rating, service_score=Score.VERY_SATISFIED)
    response = client.post(RATE_URL, {**rate_query(dossier), "action": "service", "score": "4"})
    assert response.status_code == 400
    assert "chỉ sửa được trong 24 giờ" in response.content.decode()
    rating.refresh_from_db()
    assert rating.service_score == Score.DISSATISFIED
    # The thanks page no longer offers a change.
    page = client.get(RATE_URL, {**rate_query(dossier), "buoc": "dich-vu"}).content.decode()
    assert "Đã quá thời hạn đổi đánh giá." in page


def test_rating_page_requires_the_rating_token(ready, client):
    dossier = ready()
    assert client.get(RATE_URL, {"ma": dossier.code}).status_code == 404
    assert client.get(RATE_URL, rate_query(dossier, token="0123456789ab")).status_code == 404
    # The status link's token opens the status, never the rating.
    lookup_token = status_token(dossier.code)
    assert client.get(RATE_URL, rate_query(dossier, token=lookup_token)).status_code == 404
    response = client.post(
        RATE_URL, {**rate_query(dossier, token="wrong"), "action": "service", "score": "4"}
    )
    assert response.status_code == 404
    assert not Rating.objects.exists()
    assert client.get(RATE_URL, rate_query(dossier)).status_code == 200


def test_only_a_dossier_with_its_result_can_be_rated(receive, client):
    dossier = receive(notify_channel=Dossier.NotifyChannel.NONE)
    page = client.get(RATE_URL, rate_query(dossier)).content.decode()
    assert "chưa có kết quả" in page
    assert 'name="score"' not in page
    with pytest.raises(ValidationError):
        services.rating_submit(channel="qr", dossier=dossier, service_score=4)


def test_one_tap_then_official_then_reasons_and_conduct(ready, client):
    dossier = ready()
    query = rate_query(dossier)
    response = client.post(RATE_URL, {**query, "kenh": "qr", "action": "service", "score": "2"})
    assert response.status_code == 302
    assert "buoc=can-bo" in response["Location"]
    rating = Rating.objects.get(dossier=dossier)
    assert (rating.channel, rating.service_score, rating.official_score) == ("qr", 2, None)

    response = client.post(RATE_URL, {**query, "action": "official", "score": "1"})
    assert "buoc=ly-do" in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert "Vì sao ông/bà chưa hài lòng?" in page
    assert "Xin chào" in page  # the C1 code of conduct, the defaults of the commune

    response = client.post(
        RATE_URL,
        {
            **query,
            "action": "details",
            "reasons": ["too_slow", "extra_papers"],
            "conduct_xin": "no",
            "conduct_khong": "yes",
            "comment": "Phải chờ lâu",
        },
    )
    assert "buoc=cam-on" in response["Location"]
    rating.refresh_from_db()
    assert rating.reasons == ["too_slow", "extra_papers"]
    assert rating.conduct == {"xin": "no", "khong": "yes"}
    assert rating.comment == "Phải chờ lâu"
    assert rating.contact_phone == "" and not rating.contact_consent
    page = client.get(response["Location"]).content.decode()
    assert "Cảm ơn ông/bà đã đánh giá!" in page
    assert "Đổi đánh giá" in page
    assert Rating.objects.count() == 1


def test_unknown_reason_and_phone_without_consent_are_refused(ready):
    dossier = ready()
    with pytest.raises(ValidationError):
        services.rating_submit(channel="qr", dossier=dossier, service_score=2, reasons=["nope"])
    with pytest.raises(ValidationError):
        services.rating_submit(
            channel="qr", dossier=dossier, service_score=2, contact_phone="0912345678"
        )
    rating = services.rating_submit(
        channel="qr",
        dossier=dossier,
        service_score=2,
        contact_consent=True,
        contact_phone="0912 345 678",
    )
    assert rating.contact_phone == "0912345678"


def test_the_same_idempotency_key_returns_the_same_rating(commune_a):
    session = KioskSessionFactory(commune=commune_a)
    first = services.rating_submit(
        channel="kiosk", kiosk_session=session, service_score=3, idempotency_key="k-1"
    )
    again = services.rating_submit(
        channel="kiosk", kiosk_session=session, service_score=1, idempotency_key="k-1"
    )
    assert again.pk == first.pk
    assert again.service_score == 3
    assert Rating.objects.count() == 1


def test_public_rating_page_is_rate_limited_per_address(ready, client, settings):
    settings.THANTHIEN_RATING_RATE = "3/10m"
    dossier = ready()
    for _ in range(3):
        assert client.get(RATE_URL, rate_query(dossier)).status_code == 200
    response = client.get(RATE_URL, rate_query(dossier))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    # Another address still gets in.
    other = client.get(RATE_URL, rate_query(dossier), REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_result_ready_message_and_status_page_carry_the_rating_link(ready, client):
    dossier = ready()
    message = Message.objects.get(event="dossier_result_ready")
    assert message.context["rating_url"] == rating_path(dossier.code)
    assert "danh-gia" in message.body
    page = client.get(status_path(dossier.code)).content.decode()
    assert "Đánh giá mức độ hài lòng" in page
    assert f"k={rating_token(dossier.code)}" in page


def test_status_page_of_a_running_dossier_has_no_rating_link(receive, client):
    dossier = receive(notify_channel=Dossier.NotifyChannel.NONE)
    page = client.get(status_path(dossier.code)).content.decode()
    assert "/danh-gia/" not in page


# --- Kiosk ----------------------------------------------------------------------------------


@pytest.fixture
def counter(commune_a):
    return CounterFactory(commune=commune_a, number=1, name="Tư pháp - Hộ tịch")


def sign_in(client, user, counter, official):
    client.force_login(user)
    return client.post(
        reverse("staff:kiosk_sign_in"), {"counter": counter.pk, "official": official.pk}
    )


def test_official_signs_the_kiosk_in_and_it_keeps_one_record_per_key(
    client, official, counter, handler
):
    response = sign_in(client, official, counter, handler)
    assert response.status_code == 302
    assert response["Location"] == reverse("surveys:kiosk", args=[counter.pk])
    token = response.cookies[KIOSK_COOKIE].value
    assert response.cookies[KIOSK_COOKIE]["httponly"]
    session = counter.sessions.get()
    assert session.token_hash != token and len(session.token_hash) == 64
    client.logout()  # the tablet works without a staff sign-in (logout drops every cookie)
    client.cookies[KIOSK_COOKIE] = token

    page = client.get(reverse("surveys:kiosk", args=[counter.pk]))
    assert page.status_code == 200
    assert "Rất hài lòng" in page.content.decode()

    url = reverse("surveys:kiosk_submit", args=[counter.pk])
    body = json.dumps({"key": "7f1c", "service_score": 2, "reasons": ["manner"]})
    for _ in range(2):  # a resend after a lost answer
        response = client.post(url, body, content_type="application/json", HTTP_X_KIOSK_TOKEN=token)
        assert response.status_code == 201
    rating = Rating.objects.get()
    assert (rating.channel, rating.counter_id, rating.official_id) == (
        "kiosk",
        counter.pk,
        handler.pk,
    )
    assert rating.reasons == ["manner"]


def test_kiosk_refuses_without_its_device_token(client, counter):
    assert client.get(reverse("surveys:kiosk", args=[counter.pk])).status_code == 403
    url = reverse("surveys:kiosk_submit", args=[counter.pk])
    body = json.dumps({"key": "a", "service_score": 4})
    assert client.post(url, body, content_type="application/json").status_code == 403
    response = client.post(url, body, content_type="application/json", HTTP_X_KIOSK_TOKEN="x")
    assert response.status_code == 403
    assert not Rating.objects.exists()


def test_kiosk_without_javascript_is_a_plain_form(client, official, counter, handler):
    token = sign_in(client, official, counter, handler).cookies[KIOSK_COOKIE].value
    client.logout()
    client.cookies[KIOSK_COOKIE] = token
    url = reverse("surveys:kiosk", args=[counter.pk])
    data = {"idempotency_key": "plain-1", "service_score": "4", "official_score": "3"}
    for _ in range(2):  # a double tap
        response = client.post(url, data)
        assert response.status_code == 200
        assert "Cảm ơn ông/bà đã đánh giá!" in response.content.decode()
    assert Rating.objects.get().official_score == 3


def test_signing_a_counter_in_again_ends_the_earlier_session(client, official, counter, handler):
    old = sign_in(client, official, counter, handler).cookies[KIOSK_COOKIE].value
    sign_in(client, official, counter, handler)
    url = reverse("surveys:kiosk_submit", args=[counter.pk])
    body = json.dumps({"key": "b", "service_score": 4})
    response = client.post(url, body, content_type="application/json", HTTP_X_KIOSK_TOKEN=old)
    assert response.status_code == 403


def test_kiosk_thanks_then_returns_to_a_new_rating_after_the_reset_seconds(
    client, official, counter, handler
):
    assert settings.THANTHIEN_KIOSK_RESET_SECONDS == 30
    token = sign_in(client, official, counter, handler).cookies[KIOSK_COOKIE].value
    client.logout()
    client.cookies[KIOSK_COOKIE] = token
    url = reverse("surveys:kiosk", args=[counter.pk])
    page = client.get(url).content.decode()
    # The kiosk script resets the steps after this many seconds ...
    assert 'data-reset-seconds="30"' in page
    # ... and without it, the thanks page goes back to a new rating by itself.
    thanks = client.post(url, {"idempotency_key": "reset-1", "service_score": "4"})
    text = thanks.content.decode()
    assert "Cảm ơn ông/bà đã đánh giá!" in text
    assert f'<meta http-equiv="refresh" content="30;url={url}">' in text


def test_kiosk_endpoint_is_rate_limited_per_address(client, official, counter, handler, settings):
    settings.THANTHIEN_KIOSK_RATE = "2/10m"
    token = sign_in(client, official, counter, handler).cookies[KIOSK_COOKIE].value
    url = reverse("surveys:kiosk_submit", args=[counter.pk])
    statuses = [
        client.post(
            url,
            json.dumps({"key": f"limit-{n}", "service_score": 4}),
            content_type="application/json",
            HTTP_X_KIOSK_TOKEN=token,
        ).status_code
        for n in range(3)
    ]
    assert statuses == [201, 201, 429]
    assert Rating.objects.count() == 2


def test_kiosk_of_another_commune_cannot_be_signed_in(client, official, commune_b, handler):
    other = CounterFactory(commune=commune_b)
    response = sign_in(client, official, other, handler)
    assert response.status_code == 200  # the form refuses the choice
    assert not other.sessions.exists()


# --- Who sees which ratings -----------------------------------------------------------------


@pytest.fixture
def two_officials_rated(commune_a, commune_b, official, handler):
    colleague = OfficialFactory(commune=commune_a)
    official.official = handler
    official.save()
    RatingFactory(commune=commune_a, official=handler, service_score=4)
    RatingFactory(commune=commune_a, official=handler, service_score=1)
    RatingFactory(commune=commune_a, official=colleague, service_score=3)
    RatingFactory(commune=commune_b, service_score=2)
    return handler, colleague


def test_official_sees_only_their_own_ratings(two_officials_rated, official, client):
    handler, _colleague = two_officials_rated
    assert set(ratings_visible_to(official).values_list("official_id", flat=True)) == {handler.pk}
    client.force_login(official)
    page = client.get(reverse("staff:rating_list")).content.decode()
    assert "2 đánh giá" in page


def test_leader_sees_everyones_ratings_of_their_commune_only(
    two_officials_rated, leader_a, make_user, commune_b, client, django_assert_max_num_queries
):
    assert ratings_visible_to(leader_a).count() == 3
    leader_b = make_user(Role.COMMUNE_LEADER, commune=commune_b)
    assert ratings_visible_to(leader_b).count() == 1
    client.force_login(leader_a)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("staff:rating_list"))
    page = response.content.decode()
    assert "3 đánh giá" in page
    filtered = client.get(reverse("staff:rating_list"), {"score": "1"}).content.decode()
    assert "1 đánh giá" in filtered


def test_official_without_a_directory_entry_sees_no_ratings(
    two_officials_rated, make_user, commune_a
):
    loose = make_user(Role.COMMUNE_OFFICIAL, commune=commune_a)
    assert not ratings_visible_to(loose).exists()
