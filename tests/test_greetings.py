"""The chairman's greetings (S7): drafted ahead of holidays, approved, published, exported."""

import json
import string
from datetime import date, time

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.module_loading import import_string

from tests.factories import HamletFactory
from tests.factories_greetings import GreetingFactory, GreetingOccasionFactory
from tests.factories_letters import chairman_of
from thanthien.letters import greeting_selectors, greeting_services
from thanthien.letters.greetings import BroadcastSlot, Greeting, HolidayKind
from thanthien.people.roles import Role


@pytest.fixture
def chairman(commune_a):
    return chairman_of(commune_a)


@pytest.fixture
def hamlets(commune_a):
    return [
        HamletFactory(commune=commune_a, name="Thôn Đông", order=1),
        HamletFactory(commune=commune_a, name="Thôn Tây", order=2),
    ]


def draft(commune, today):
    return greeting_services.greetings_draft_upcoming(commune=commune, today=today)


# --- drafting ahead of holidays -----------------------------------------------------------


def test_national_day_is_drafted_once_two_weeks_ahead(commune_a, chairman):
    assert draft(commune_a, date(2026, 8, 18)) == []  # 15 days ahead: not yet
    drafted = draft(commune_a, date(2026, 8, 19))
    assert [(g.kind, g.holiday_date) for g in drafted] == [("national_day", date(2026, 9, 2))]
    greeting = drafted[0]
    assert greeting.state == Greeting.State.DRAFT
    assert greeting.signer == chairman
    assert "2026" in greeting.title and commune_a.name in greeting.body
    assert "{" not in greeting.title + greeting.body
    # The next days' runs (and a replay of the same day) draft nothing more.
    assert draft(commune_a, date(2026, 8, 19)) == []
    assert draft(commune_a, date(2026, 8, 25)) == []
    assert Greeting.objects.filter(commune=commune_a).count() == 1


def test_tet_comes_from_the_holiday_calendar_with_the_lunar_year(commune_a, chairman):
    drafted = draft(commune_a, date(2026, 2, 5))
    tet = [g for g in drafted if g.kind == "tet"]
    assert len(tet) == 1
    assert tet[0].holiday_date == date(2026, 2, 17)  # first day of Tết Bính Ngọ
    assert "Bính Ngọ" in tet[0].title


def test_new_year_30_4_and_1_5_and_the_communes_own_day(commune_a):
    assert {g.kind for g in draft(commune_a, date(2025, 12, 20))} == {"new_year"}
    assert {g.kind for g in draft(commune_a, date(2026, 4, 20))} == {"reunification", "labour"}
    GreetingOccasionFactory(commune=commune_a, name="Lễ hội đình làng", month=6, day=10)
    own = draft(commune_a, date(2026, 6, 1))
    assert [(g.kind, g.holiday_name, g.holiday_date) for g in own] == [
        ("other", "Lễ hội đình làng", date(2026, 6, 10))
    ]
    assert "Lễ hội đình làng" in own[0].title


def test_the_daily_job_drafts_for_communes_with_staff_only(commune_a, commune_b, make_user):
    path = "thanthien.letters.greeting_services.greetings_draft_all"
    assert path in settings.THANTHIEN_DAILY_JOBS
    make_user(Role.COMMUNE_OFFICIAL, commune=commune_a)
    report = import_string(path)(today=date(2026, 8, 25))
    assert report.drafted == 1
    assert Greeting.objects.filter(commune=commune_a).count() == 1
    assert not Greeting.objects.filter(commune=commune_b).exists()
    assert import_string(path)(today=date(2026, 8, 25)).drafted == 0


def test_default_texts_use_known_placeholders_and_have_english():
    data = json.loads(greeting_services.DEFAULTS_FILE.read_text(encoding="utf-8"))
    kinds = {row["kind"] for row in data["greetings"]}
    assert kinds == set(HolidayKind.values)
    for row in data["greetings"]:
        assert row["title_en"] and row["body_en"]
        for key in ("title", "body", "title_en", "body_en"):
            fields = {f for _, f, _, _ in string.Formatter().parse(row[key]) if f}
            assert fields <= set(greeting_services.PLACEHOLDERS), (row["kind"], key, fields)


# --- placeholders ----------------------------------------------------------------------------


def test_unknown_placeholder_is_refused_by_the_service_and_the_page(client, commune_a, official):
    greeting = GreetingFactory(commune=commune_a)
    with pytest.raises(ValidationError) as caught:
        greeting_services.greeting_update(
            actor=official, greeting=greeting, title="Chúc mừng {ten_le}", body="Nội dung"
        )
    assert "ten_le" in str(caught.value.message_dict["title"])
    with pytest.raises(ValidationError):
        greeting_services.greeting_update(
            actor=official, greeting=greeting, title="Chúc mừng", body="Kính gửi {commune"
        )
    client.force_login(official)
    url = reverse("staff:greeting_edit", args=[greeting.pk])
    response = client.post(url, {"title": "Chúc mừng", "body": "Kính gửi {nguoi_nhan}"})
    assert response.status_code == 400
    assert "nguoi_nhan" in response.content.decode()
    greeting.refresh_from_db()
    assert greeting.body == "Kính gửi toàn thể bà con nhân dân!"


def test_known_placeholders_are_filled_when_editing(commune_a, official, chairman):
    greeting = GreetingFactory(commune=commune_a, signer=chairman)
    greeting_services.greeting_update(
        actor=official,
        greeting=greeting,
        title="Chúc mừng {holiday}",
        body="Xã {commune}, {signer_name}.",
    )
    greeting.refresh_from_db()
    assert greeting.title == "Chúc mừng Ngày Quốc khánh 2/9"
    assert greeting.body == f"Xã {commune_a.name}, Trần Văn Chủ Tịch."


# --- approval --------------------------------------------------------------------------------


def test_only_a_leader_of_the_commune_approves(
    client, commune_a, commune_b, official, make_user, chairman
):
    greeting = GreetingFactory(commune=commune_a)
    with pytest.raises(PermissionDenied):
        greeting_services.greeting_approve(actor=official, greeting=greeting)
    leader_b = make_user(Role.COMMUNE_LEADER, commune=commune_b)
    with pytest.raises(PermissionDenied):
        greeting_services.greeting_approve(actor=leader_b, greeting=greeting)
    client.force_login(official)
    assert client.post(reverse("staff:greeting_approve", args=[greeting.pk])).status_code == 403
    greeting.refresh_from_db()
    assert greeting.state == Greeting.State.DRAFT

    leader = make_user(Role.COMMUNE_LEADER, commune=commune_a)
    client.force_login(leader)
    response = client.post(reverse("staff:greeting_approve", args=[greeting.pk]))
    assert response.status_code == 302
    greeting.refresh_from_db()
    assert greeting.state == Greeting.State.APPROVED
    assert greeting.approved_by == leader and greeting.signer == chairman
    assert greeting.show_until == date(2026, 9, 7)


def test_leader_drops_a_greeting(commune_a, leader_a, chairman):
    greeting = GreetingFactory(commune=commune_a)
    greeting_services.greeting_drop(actor=leader_a, greeting=greeting)
    greeting.refresh_from_db()
    assert greeting.state == Greeting.State.DROPPED
    with pytest.raises(ValidationError):
        greeting_services.greeting_approve(actor=leader_a, greeting=greeting)


# --- the portal ------------------------------------------------------------------------------


def test_public_page_shows_only_current_approved_greetings(
    client, commune_a, commune_b, leader_a, chairman, django_assert_max_num_queries
):
    approved = GreetingFactory(
        commune=commune_a,
        title="Chúc mừng Quốc khánh đã duyệt",
        holiday_date=date(2099, 9, 2),
        year=2099,
    )
    greeting_services.greeting_approve(actor=leader_a, greeting=approved)
    GreetingFactory(commune=commune_a, title="Dự thảo chưa duyệt")
    dropped = GreetingFactory(
        commune=commune_a, title="Thư đã bỏ", holiday_date=date(2099, 4, 30), year=2099
    )
    greeting_services.greeting_drop(actor=leader_a, greeting=dropped)
    old = GreetingFactory(
        commune=commune_a, title="Thư năm ngoái", holiday_date=date(2020, 9, 2), year=2020
    )
    greeting_services.greeting_approve(actor=leader_a, greeting=old)
    GreetingFactory(
        commune=commune_b,
        title="Thư của xã khác",
        state="approved",
        approved_at="2026-01-01T00:00Z",
        show_until=date(2099, 1, 1),
    )

    with django_assert_max_num_queries(6):
        response = client.get(reverse("portal:greetings", args=[commune_a.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Chúc mừng Quốc khánh đã duyệt" in page
    assert "Trần Văn Chủ Tịch" in page
    for hidden in ("Dự thảo chưa duyệt", "Thư đã bỏ", "Thư năm ngoái", "Thư của xã khác"):
        assert hidden not in page
    home = client.get(reverse("portal:commune_home", args=[commune_a.slug])).content.decode()
    assert reverse("portal:greetings", args=[commune_a.slug]) in home


# --- exports ---------------------------------------------------------------------------------


def test_zalo_facebook_post_is_plain_text_with_its_length(client, commune_a, leader_a, chairman):
    greeting = GreetingFactory(
        commune=commune_a,
        title="Thư chúc mừng <b>Quốc khánh</b>",
        body="Đoạn một.\n\nĐoạn hai & ba.",
    )
    client.force_login(leader_a)
    url = reverse("staff:greeting_post", args=[greeting.pk])
    assert client.get(url).status_code == 404  # a draft is not posted
    greeting_services.greeting_approve(actor=leader_a, greeting=greeting)
    greeting.refresh_from_db()
    text = greeting_selectors.greeting_post_text(greeting)
    assert text == (
        "THƯ CHÚC MỪNG <B>QUỐC KHÁNH</B>\n\nĐoạn một.\n\nĐoạn hai & ba."
        "\n\nChủ tịch UBND\nTrần Văn Chủ Tịch"
    )
    response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "&lt;B&gt;QUỐC KHÁNH&lt;/B&gt;" in page and "<B>" not in page
    assert f"{len(text)} ký tự" in page
    assert 'id="copy-post" hidden' in page and "<noscript>" in page


def test_loudspeaker_schedule_per_hamlet(
    client, commune_a, commune_b, leader_a, official, hamlets, chairman
):
    other_hamlet = HamletFactory(commune=commune_b, name="Thôn Xã Khác")
    greeting = GreetingFactory(commune=commune_a)
    greeting_services.greeting_approve(actor=leader_a, greeting=greeting)
    slots = BroadcastSlot.objects.filter(greeting=greeting)
    assert sorted((s.hamlet.name, s.date, s.time) for s in slots) == [
        ("Thôn Tây", date(2026, 9, 1), time(17, 0)),
        ("Thôn Tây", date(2026, 9, 2), time(6, 30)),
        ("Thôn Đông", date(2026, 9, 1), time(17, 0)),
        ("Thôn Đông", date(2026, 9, 2), time(6, 30)),
    ]
    assert {s.commune_id for s in slots} == {commune_a.pk}

    client.force_login(official)
    add = reverse("staff:greeting_slot_add", args=[greeting.pk])
    client.post(add, {"hamlet": hamlets[0].pk, "date": "2026-09-02", "time": "11:00"})
    assert slots.filter(hamlet=hamlets[0]).count() == 3
    client.post(add, {"hamlet": other_hamlet.pk, "date": "2026-09-02", "time": "11:00"})
    assert not BroadcastSlot.objects.filter(hamlet=other_hamlet).exists()
    with pytest.raises(ValidationError):
        greeting_services.broadcast_slot_add(
            actor=official,
            greeting=greeting,
            hamlet=other_hamlet,
            day=date(2026, 9, 2),
            at=time(8, 0),
        )
    removed = slots.get(hamlet=hamlets[1], time=time(6, 30))
    client.post(reverse("staff:greeting_slot_delete", args=[removed.pk]))
    assert not BroadcastSlot.objects.filter(pk=removed.pk).exists()

    response = client.get(reverse("staff:greeting_script", args=[greeting.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "size: A4 portrait" in page
    assert "Kịch bản phát thanh" in page and greeting.body in page
    east = page.index("Thôn Đông")
    west = page.index("Thôn Tây")
    assert east < west
    assert "11:00 02/09/2026" in page[east:west]
    assert "06:30 02/09/2026" not in page[west:]
    assert "17:00 01/09/2026" in page[west:]
    assert "Thôn Xã Khác" not in page


# --- isolation -------------------------------------------------------------------------------


def test_another_communes_staff_cannot_see_or_touch_a_greeting(
    client, commune_a, commune_b, make_user, hamlets
):
    greeting = GreetingFactory(commune=commune_a, title="Thư riêng của xã An")
    leader_b = make_user(Role.COMMUNE_LEADER, commune=commune_b)
    client.force_login(leader_b)
    for name in ("greeting_detail", "greeting_post", "greeting_script"):
        assert client.get(reverse(f"staff:{name}", args=[greeting.pk])).status_code == 404
    assert client.post(reverse("staff:greeting_approve", args=[greeting.pk])).status_code == 404
    listing = client.get(reverse("staff:greeting_list")).content.decode()
    assert "Thư riêng của xã An" not in listing
    assert list(greeting_selectors.greetings_for(user=leader_b)) == []
    draft(commune_b, date(2026, 8, 25))
    assert Greeting.objects.filter(commune=commune_a).count() == 1


def test_staff_list_links_the_posters_and_drafts_on_demand(client, commune_a, official):
    client.force_login(official)
    page = client.get(reverse("staff:greeting_list")).content.decode()
    assert reverse("portal:pledge_poster", args=[commune_a.slug]) in page
    assert reverse("portal:conduct_poster", args=[commune_a.slug]) in page
    response = client.post(reverse("staff:greeting_draft_now"))
    assert response.status_code == 302
    assert client.get(reverse("staff:greeting_draft_now")).status_code == 405


def test_greetings_sent_count(commune_a, leader_a, chairman):
    sent = GreetingFactory(commune=commune_a)
    GreetingFactory(commune=commune_a)
    greeting_services.greeting_approve(actor=leader_a, greeting=sent)
    assert greeting_selectors.greetings_sent_count(commune_id=commune_a.pk, year=2026) == 1
