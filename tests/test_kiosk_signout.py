"""Signing a counter's kiosk out: the official on duty (or the commune's leader) ends the
session from the kiosk's screen or the staff page; the kiosk stops taking ratings, and no
rating tapped after that is attributed to the official — while ratings tapped before, and
queued offline, still are."""

import json
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories import OfficialFactory
from tests.factories_surveys import CounterFactory
from thanthien.people.roles import Role
from thanthien.surveys import rating_services as services
from thanthien.surveys.models import KioskSession, Rating
from thanthien.surveys.public_views import KIOSK_COOKIE


@pytest.fixture(autouse=True)
def _fresh_rate_limits(empty_cache):
    """Kiosk posts are rate-limited in the cache: every test starts from zero."""


@pytest.fixture
def on_duty(commune_a):
    return OfficialFactory(commune=commune_a, full_name="Lê Thị Trực Quầy")


@pytest.fixture
def official(make_user, commune_a, on_duty):
    """The desk official of commune A, with their directory entry."""
    return make_user(Role.COMMUNE_OFFICIAL, commune=commune_a, official=on_duty)


@pytest.fixture
def counter(commune_a):
    return CounterFactory(commune=commune_a, number=3, name="Đất đai")


def sign_in(client, user, counter, official) -> str:
    client.force_login(user)
    response = client.post(
        reverse("staff:kiosk_sign_in"), {"counter": counter.pk, "official": official.pk}
    )
    assert response.status_code == 302
    return response.cookies[KIOSK_COOKIE].value


def send(client, counter, token, *, key, at=None, score=4):
    body = {"key": key, "service_score": score}
    if at is not None:
        body["at"] = at.isoformat()
    return client.post(
        reverse("surveys:kiosk_submit", args=[counter.pk]),
        json.dumps(body),
        content_type="application/json",
        HTTP_X_KIOSK_TOKEN=token,
    )


def test_official_signs_out_from_the_page_and_the_kiosk_stops(client, official, counter, on_duty):
    token = sign_in(client, official, counter, on_duty)
    session = KioskSession.objects.get()
    url = reverse("staff:kiosk_sign_out", args=[session.pk])
    # The kiosk's own screen links to the sign-out page.
    client.cookies[KIOSK_COOKIE] = token
    kiosk = client.get(reverse("surveys:kiosk", args=[counter.pk])).content.decode()
    assert url in kiosk
    page = client.get(url)
    assert page.status_code == 200
    assert "Lê Thị Trực Quầy" in page.content.decode()
    assert session.ended_at is None  # GET only asks to confirm

    response = client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:kiosk_sign_in")
    session.refresh_from_db()
    assert session.ended_at is not None
    # The device cookie is dropped, and the kiosk no longer opens with the old token.
    assert response.cookies[KIOSK_COOKIE].value == ""
    client.cookies[KIOSK_COOKIE] = token
    assert client.get(reverse("surveys:kiosk", args=[counter.pk])).status_code == 403
    # A rating tapped after the sign-out is not taken, let alone attributed to the official.
    response = send(client, counter, token, key="after", at=timezone.now())
    assert response.status_code == 403
    assert response.json() == {"error": "kiosk_signed_out"}
    assert not Rating.objects.exists()
    # Signing out twice says so.
    client.post(url)
    messages = [str(m) for m in client.get(reverse("staff:kiosk_sign_in")).context["messages"]]
    assert any("đã kết thúc" in m for m in messages)


def test_sign_in_page_lists_open_kiosks_with_a_sign_out_button(client, official, counter, on_duty):
    sign_in(client, official, counter, on_duty)
    session = KioskSession.objects.get()
    page = client.get(reverse("staff:kiosk_sign_in")).content.decode()
    assert "Máy đang mở" in page and "3. Đất đai" in page
    assert f'action="{reverse("staff:kiosk_sign_out", args=[session.pk])}"' in page
    client.post(reverse("staff:kiosk_sign_out", args=[session.pk]))
    page = client.get(reverse("staff:kiosk_sign_in")).content.decode()
    assert "Không có máy nào đang mở." in page


def test_ratings_tapped_before_the_sign_out_still_count_for_the_official(
    client, official, counter, on_duty
):
    token = sign_in(client, official, counter, on_duty)
    tapped = timezone.now()
    session = KioskSession.objects.get()
    services.kiosk_sign_out(actor=official, session=session)
    # Queued offline, sent after the sign-out: tapped while the official was on duty.
    response = send(client, counter, token, key="queued", at=tapped)
    assert response.status_code == 201
    rating = Rating.objects.get()
    assert (rating.official_id, rating.kiosk_session_id) == (on_duty.pk, session.pk)
    # Sent again (the answer was lost): the same rating, not a refusal.
    assert send(client, counter, token, key="queued", at=None).status_code == 201
    assert Rating.objects.count() == 1


def test_a_rating_tapped_between_sessions_is_attributed_to_nobody(
    client, official, counter, on_duty, make_user, commune_a
):
    token = sign_in(client, official, counter, on_duty)
    first = KioskSession.objects.get()
    services.kiosk_sign_out(actor=official, session=first)
    between = timezone.now()
    # Later another official signs the same counter in; the tablet's queue is sent with the
    # new token: one rating tapped during the first session, one after its sign-out.
    colleague = OfficialFactory(commune=commune_a, full_name="Trần Văn Ca Chiều")
    colleague_user = make_user(Role.COMMUNE_OFFICIAL, commune=commune_a, official=colleague)
    new_token = sign_in(client, colleague_user, counter, colleague)
    assert new_token != token
    during_first = first.signed_in_at + timedelta(microseconds=1)
    assert send(client, counter, new_token, key="k1", at=during_first).status_code == 201
    assert send(client, counter, new_token, key="k2", at=between).status_code == 201
    assert send(client, counter, new_token, key="k3").status_code == 201
    by_key = {r.idempotency_key: r for r in Rating.objects.all()}
    assert by_key["k1"].official_id == on_duty.pk
    assert by_key["k1"].kiosk_session_id == first.pk
    assert by_key["k2"].official_id is None  # no one was on duty: no one is credited
    assert by_key["k2"].counter_id == counter.pk
    assert by_key["k3"].official_id == colleague.pk


def test_an_official_ends_only_their_own_sessions_a_leader_any(
    client, official, counter, on_duty, leader_a, make_user, commune_a, commune_b
):
    colleague = OfficialFactory(commune=commune_a)
    colleague_user = make_user(Role.COMMUNE_OFFICIAL, commune=commune_a, official=colleague)
    sign_in(client, colleague_user, counter, colleague)
    session = KioskSession.objects.get()
    client.force_login(official)
    url = reverse("staff:kiosk_sign_out", args=[session.pk])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    with pytest.raises(PermissionDenied):
        services.kiosk_sign_out(actor=official, session=session)
    # Another commune's leader does not even see it; the commune's own leader ends it.
    client.force_login(make_user(Role.COMMUNE_LEADER, commune=commune_b))
    assert client.post(url).status_code == 404
    client.force_login(leader_a)
    assert client.post(url).status_code == 302
    session.refresh_from_db()
    assert session.ended_at is not None
    with pytest.raises(ValidationError):
        services.kiosk_sign_out(actor=leader_a, session=session)


def test_province_users_cannot_sign_kiosks_out(
    client, make_user, province_p, counter, official, on_duty
):
    sign_in(client, official, counter, on_duty)
    session = KioskSession.objects.get()
    client.force_login(make_user(Role.PROVINCE_EVALUATOR, province=province_p))
    assert client.post(reverse("staff:kiosk_sign_out", args=[session.pk])).status_code == 403
    session.refresh_from_db()
    assert session.ended_at is None
