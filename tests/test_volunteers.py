"""Volunteers at the desk (S1): the duty roster, its rules, its pages and the desk screen."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.factories_dossiers import VolunteerFactory, VolunteerShiftFactory
from thanthien.core.demo import DemoContext
from thanthien.core.models import WorkdayOverride
from thanthien.onestop import volunteer_selectors as selectors
from thanthien.onestop.demo import volunteers_load
from thanthien.onestop.models import Volunteer, VolunteerShift
from thanthien.onestop.volunteer_services import shift_add, shift_remove
from thanthien.people.roles import Role

pytestmark = pytest.mark.django_db

MONDAY = date(2025, 3, 3)
SATURDAY = date(2025, 3, 8)
NATIONAL_DAY = date(2025, 9, 2)  # Tuesday, a public holiday
Period = VolunteerShift.Period


@pytest.fixture
def lan(commune_a):
    return VolunteerFactory(
        commune=commune_a, name="Nguyễn Thị Lan", organisation="women_union", phone="0911222333"
    )


@pytest.fixture
def minh(commune_a):
    return VolunteerFactory(commune=commune_a, name="Trần Văn Minh", organisation="youth_union")


def roster_url(**query) -> str:
    url = reverse("staff:volunteer_roster")
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


# --- The desk screen ---------------------------------------------------------------------------


def test_desk_receive_screen_shows_who_is_on_duty_today(
    client, official, commune_a, commune_b, lan, minh, django_assert_max_num_queries
):
    today = timezone.localdate()
    VolunteerShiftFactory(commune=commune_a, volunteer=lan, day=today, period=Period.MORNING)
    VolunteerShiftFactory(commune=commune_a, volunteer=minh, day=today, period=Period.FULL_DAY)
    gone = VolunteerFactory(commune=commune_a, name="Lê Văn Nghỉ", active=False)
    VolunteerShiftFactory(commune=commune_a, volunteer=gone, day=today)
    VolunteerShiftFactory(
        commune=commune_a,
        volunteer=VolunteerFactory(commune=commune_a, name="Phạm Thị Mai"),
        day=today + timedelta(days=1),
    )
    VolunteerShiftFactory(
        commune=commune_b, volunteer=VolunteerFactory(commune=commune_b, name="Đỗ Văn Bình")
    )
    client.force_login(official)

    page = client.get(reverse("staff:desk_receive")).content.decode()

    assert "Hôm nay trực hướng dẫn:" in page
    assert "Nguyễn Thị Lan (buổi sáng), Trần Văn Minh (cả ngày)" in page
    for absent in ("Lê Văn Nghỉ", "Phạm Thị Mai", "Đỗ Văn Bình"):
        assert absent not in page


def test_desk_receive_screen_without_volunteers_shows_no_line(client, official):
    client.force_login(official)
    page = client.get(reverse("staff:desk_receive")).content.decode()
    assert "Hôm nay trực hướng dẫn" not in page


def test_on_duty_by_period_counts_full_day_turns_for_both_halves(commune_a, lan, minh):
    other = VolunteerFactory(commune=commune_a, name="Vũ Thị Hoa")
    VolunteerShiftFactory(commune=commune_a, volunteer=lan, day=MONDAY, period=Period.MORNING)
    VolunteerShiftFactory(commune=commune_a, volunteer=minh, day=MONDAY, period=Period.AFTERNOON)
    VolunteerShiftFactory(commune=commune_a, volunteer=other, day=MONDAY, period=Period.FULL_DAY)

    def names(period=None):
        shifts = selectors.on_duty(commune=commune_a, day=MONDAY, period=period)
        return [s.volunteer.name for s in shifts]

    assert names() == ["Nguyễn Thị Lan", "Trần Văn Minh", "Vũ Thị Hoa"]
    assert names(Period.MORNING) == ["Nguyễn Thị Lan", "Vũ Thị Hoa"]
    assert names(Period.AFTERNOON) == ["Trần Văn Minh", "Vũ Thị Hoa"]
    assert names(Period.FULL_DAY) == ["Vũ Thị Hoa"]
    assert selectors.on_duty(commune=None, day=MONDAY) == []


# --- Rules of the roster -----------------------------------------------------------------------


def test_leader_adds_a_turn_on_a_working_day_and_duplicates_are_refused(commune_a, leader_a, lan):
    shift = shift_add(
        actor=leader_a, commune=commune_a, volunteer=lan, day=MONDAY, task="  Đón tiếp  "
    )
    assert (shift.commune, shift.period, shift.task) == (commune_a, Period.MORNING, "Đón tiếp")

    with pytest.raises(ValidationError) as duplicate:
        shift_add(actor=leader_a, commune=commune_a, volunteer=lan, day=MONDAY)
    assert duplicate.value.message_dict["period"] == [
        "Nguyễn Thị Lan đã có lịch trực ngày 03/03/2025 (buổi sáng)."
    ]
    with pytest.raises(ValidationError):
        shift_add(
            actor=leader_a, commune=commune_a, volunteer=lan, day=MONDAY, period=Period.FULL_DAY
        )
    afternoon = shift_add(
        actor=leader_a, commune=commune_a, volunteer=lan, day=MONDAY, period=Period.AFTERNOON
    )
    assert VolunteerShift.objects.count() == 2
    shift_remove(actor=leader_a, shift=afternoon)
    assert VolunteerShift.objects.count() == 1


@pytest.mark.parametrize("day", [SATURDAY, NATIONAL_DAY])
def test_a_non_working_day_is_refused(commune_a, leader_a, lan, day):
    with pytest.raises(ValidationError) as refused:
        shift_add(actor=leader_a, commune=commune_a, volunteer=lan, day=day)
    assert refused.value.message_dict["day"] == [
        f"Ngày {day:%d/%m/%Y} là ngày nghỉ (cuối tuần hoặc ngày lễ); chỉ xếp lịch trực vào "
        "ngày làm việc."
    ]
    assert not VolunteerShift.objects.exists()


def test_a_make_up_saturday_declared_working_can_be_rostered(commune_a, leader_a, lan):
    WorkdayOverride.objects.create(date=SATURDAY, is_working_day=True, reason="Làm bù")
    assert shift_add(actor=leader_a, commune=commune_a, volunteer=lan, day=SATURDAY).pk


def test_a_volunteer_of_another_commune_or_who_left_is_refused(commune_a, commune_b, leader_a, lan):
    theirs = VolunteerFactory(commune=commune_b, name="Đỗ Văn Bình")
    with pytest.raises(ValidationError) as other:
        shift_add(actor=leader_a, commune=commune_a, volunteer=theirs, day=MONDAY)
    assert "không phải tình nguyện viên của Xã An" in other.value.message_dict["volunteer"][0]
    lan.active = False
    lan.save()
    with pytest.raises(ValidationError) as left:
        shift_add(actor=leader_a, commune=commune_a, volunteer=lan, day=MONDAY)
    assert "đã thôi tham gia" in left.value.message_dict["volunteer"][0]


def test_only_leaders_and_administrators_of_that_commune_change_the_roster(
    make_user, commune_a, commune_b, official, lan, admin_a
):
    for actor in (
        official,
        make_user(Role.FRONT_MEMBER, commune=commune_a),
        make_user(Role.COMMUNE_LEADER, commune=commune_b),
        make_user(Role.PROVINCE_ADMIN, province=commune_a.province),
    ):
        with pytest.raises(PermissionDenied):
            shift_add(actor=actor, commune=commune_a, volunteer=lan, day=MONDAY)
    shift = shift_add(actor=admin_a, commune=commune_a, volunteer=lan, day=MONDAY)
    with pytest.raises(PermissionDenied):
        shift_remove(actor=official, shift=shift)
    assert VolunteerShift.objects.filter(pk=shift.pk).exists()


# --- The roster pages ----------------------------------------------------------------------------


def test_roster_page_shows_the_week_with_days_off_and_links_to_other_weeks(
    client, commune_a, official, lan, minh
):
    VolunteerShiftFactory(commune=commune_a, volunteer=lan, day=MONDAY, task="Đón tiếp")
    VolunteerShiftFactory(
        commune=commune_a, volunteer=minh, day=MONDAY + timedelta(days=2), period=Period.AFTERNOON
    )
    VolunteerShiftFactory(commune=commune_a, volunteer=minh, day=MONDAY + timedelta(days=7))
    client.force_login(official)

    response = client.get(roster_url(tuan="2025-03-05"))  # any day of the week

    page = response.content.decode()
    assert response.status_code == 200
    assert "tuần từ 03/03/2025 đến 09/03/2025" in page
    assert "Nguyễn Thị Lan" in page and "Đón tiếp" in page and "Hội Liên hiệp Phụ nữ" in page
    assert page.count("Trần Văn Minh") == 1  # the next week's turn is not shown
    assert page.count("Ngày nghỉ") == 2
    assert "tuan=2025-02-24" in page and "tuan=2025-03-10" in page
    assert reverse("staff:volunteer_roster_print") in page
    # A desk official reads the roster but cannot change it.
    assert reverse("staff:volunteer_shift_add") not in page
    assert "/xoa/" not in page
    nav = client.get(reverse("staff:dossier_list")).content.decode()
    assert reverse("staff:volunteer_roster") in nav


def test_roster_page_query_count_does_not_grow_with_turns(
    client, commune_a, leader_a, django_assert_max_num_queries
):
    def load(turns):
        VolunteerShift.objects.all().delete()
        for n in range(turns):
            VolunteerShiftFactory(
                commune=commune_a,
                volunteer=VolunteerFactory(commune=commune_a),
                day=MONDAY + timedelta(days=n % 5),
                period=[Period.MORNING, Period.AFTERNOON, Period.FULL_DAY][n % 3],
            )

    client.force_login(leader_a)
    load(2)
    with django_assert_max_num_queries(12) as few:
        client.get(roster_url(tuan=MONDAY.isoformat()))
    load(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(roster_url(tuan=MONDAY.isoformat())).content.decode()
    assert page.count("<li><strong>") == 30


def test_week_roster_takes_two_queries(commune_a, lan, django_assert_num_queries):
    VolunteerShiftFactory(commune=commune_a, volunteer=lan, day=MONDAY, period=Period.FULL_DAY)
    with django_assert_num_queries(2):
        days = selectors.week_roster(commune=commune_a, week_start=MONDAY + timedelta(days=3))
    assert [d.day for d in days] == [MONDAY + timedelta(days=n) for n in range(7)]
    assert [d.is_working for d in days] == [True] * 5 + [False] * 2
    assert [s.volunteer.name for s in days[0].full_day] == ["Nguyễn Thị Lan"]


def test_leader_adds_and_removes_a_turn_from_the_page(client, commune_a, leader_a, lan):
    client.force_login(leader_a)
    page = client.get(roster_url(tuan=MONDAY.isoformat())).content.decode()
    assert reverse("staff:volunteer_shift_add") in page

    response = client.post(
        reverse("staff:volunteer_shift_add"),
        {"volunteer": lan.pk, "day": "04/03/2025", "period": "afternoon", "task": "Đón tiếp"},
    )

    shift = VolunteerShift.objects.get()
    assert response.status_code == 302
    assert response["Location"] == roster_url(tuan="2025-03-03", xa=commune_a.pk)
    assert (shift.day, shift.period, shift.commune) == (date(2025, 3, 4), "afternoon", commune_a)
    page = client.get(response["Location"]).content.decode()
    assert "Đã xếp Nguyễn Thị Lan trực ngày 04/03/2025 (buổi chiều)." in page
    remove = reverse("staff:volunteer_shift_remove", kwargs={"pk": shift.pk})
    assert remove in page

    assert client.get(remove).status_code == 405
    response = client.post(remove)
    assert response.status_code == 302
    assert not VolunteerShift.objects.exists()


def test_page_refuses_a_non_working_day_with_the_reason(client, commune_a, leader_a, lan):
    client.force_login(leader_a)
    response = client.post(
        reverse("staff:volunteer_shift_add"),
        {"volunteer": lan.pk, "day": SATURDAY.isoformat(), "period": "morning"},
    )
    assert response.status_code == 400
    assert "Ngày 08/03/2025 là ngày nghỉ" in response.content.decode()
    assert not VolunteerShift.objects.exists()


def test_roster_pages_keep_to_the_users_commune(client, commune_a, commune_b, leader_a, lan):
    theirs = VolunteerFactory(commune=commune_b, name="Đỗ Văn Bình")
    their_shift = VolunteerShiftFactory(commune=commune_b, volunteer=theirs, day=MONDAY)
    client.force_login(leader_a)

    for url in (
        roster_url(tuan=MONDAY.isoformat(), xa=commune_b.pk),
        reverse("staff:volunteer_roster_print") + f"?tuan={MONDAY.isoformat()}&xa={commune_b.pk}",
    ):
        page = client.get(url).content.decode()
        assert "Đỗ Văn Bình" not in page
        assert "Xã An" in page
    remove = reverse("staff:volunteer_shift_remove", kwargs={"pk": their_shift.pk})
    assert client.post(remove).status_code == 404
    response = client.post(
        reverse("staff:volunteer_shift_add"),
        {
            "volunteer": theirs.pk,
            "day": MONDAY.isoformat(),
            "period": "morning",
            "xa": commune_b.pk,
        },
    )
    assert response.status_code == 400
    assert VolunteerShift.objects.filter(commune=commune_a).count() == 0
    assert VolunteerShift.objects.filter(pk=their_shift.pk).exists()


def test_province_evaluator_reads_a_chosen_commune_of_the_province(
    client, make_user, commune_a, lan
):
    VolunteerShiftFactory(commune=commune_a, volunteer=lan, day=MONDAY)
    evaluator = make_user(Role.PROVINCE_EVALUATOR, province=commune_a.province)
    client.force_login(evaluator)
    page = client.get(roster_url(tuan=MONDAY.isoformat(), xa=commune_a.pk)).content.decode()
    assert "Nguyễn Thị Lan" in page
    assert reverse("staff:volunteer_shift_add") not in page
    add = client.post(reverse("staff:volunteer_shift_add"), {"volunteer": lan.pk})
    assert add.status_code == 403


@pytest.mark.parametrize(
    "name", ["staff:volunteer_roster", "staff:volunteer_roster_print", "staff:volunteer_shift_add"]
)
def test_roster_pages_need_a_signed_in_user(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff:login"))


def test_desk_official_gets_403_when_changing_the_roster(client, commune_a, official, lan):
    shift = VolunteerShiftFactory(commune=commune_a, volunteer=lan, day=MONDAY)
    client.force_login(official)
    add = client.post(
        reverse("staff:volunteer_shift_add"),
        {"volunteer": lan.pk, "day": "04/03/2025", "period": "morning"},
    )
    assert add.status_code == 403
    remove = client.post(reverse("staff:volunteer_shift_remove", kwargs={"pk": shift.pk}))
    assert remove.status_code == 403
    assert VolunteerShift.objects.count() == 1


def test_print_page_is_an_a4_roster_with_the_national_header(client, commune_a, official, lan):
    VolunteerShiftFactory(
        commune=commune_a, volunteer=lan, day=MONDAY, period=Period.FULL_DAY, task="Đón tiếp"
    )
    client.force_login(official)

    response = client.get(reverse("staff:volunteer_roster_print") + "?tuan=2025-03-03")

    page = response.content.decode()
    assert response.status_code == 200
    assert "size: A4 portrait" in page and "Times New Roman" in page
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in page
    assert "Độc lập - Tự do - Hạnh phúc" in page
    assert "Lịch trực hướng dẫn người dân tại bộ phận một cửa" in page
    assert "Tuần từ ngày 03/03/2025 đến ngày 09/03/2025" in page
    # A full-day turn shows in the morning and the afternoon columns.
    assert page.count("Nguyễn Thị Lan (Hội Liên hiệp Phụ nữ, cả ngày) — Đón tiếp") == 2
    assert page.count("Ngày nghỉ") == 2
    assert 'onclick="window.print()"' in page


# --- Admin and demo ------------------------------------------------------------------------------


def test_admin_refuses_a_weekend_turn_and_lists_own_volunteers(
    client, commune_a, commune_b, admin_a, lan
):
    VolunteerFactory(commune=commune_b, name="Đỗ Văn Bình")
    client.force_login(admin_a)
    listing = client.get(reverse("admin:onestop_volunteer_changelist")).content.decode()
    assert "Nguyễn Thị Lan" in listing and "Đỗ Văn Bình" not in listing

    response = client.post(
        reverse("admin:onestop_volunteershift_add"),
        {"volunteer": lan.pk, "day": SATURDAY.isoformat(), "period": "morning", "task": ""},
    )

    assert response.status_code == 200
    assert "là ngày nghỉ" in response.content.decode()
    assert not VolunteerShift.objects.exists()
    response = client.post(
        reverse("admin:onestop_volunteershift_add"),
        {"volunteer": lan.pk, "day": MONDAY.isoformat(), "period": "morning", "task": ""},
    )
    assert response.status_code == 302
    assert VolunteerShift.objects.get().commune == commune_a


def test_demo_step_gives_eight_volunteers_and_five_weeks_of_turns(commune_a):
    ctx = DemoContext(commune=commune_a)
    volunteers_load(ctx)
    volunteers = Volunteer.objects.filter(commune=commune_a)
    assert volunteers.count() == 8
    assert {v.organisation for v in volunteers} >= {"youth_union", "women_union", "veterans"}
    first = selectors.week_start_of(timezone.localdate())
    shifts = VolunteerShift.objects.filter(commune=commune_a)
    days = set(shifts.values_list("day", flat=True))
    assert min(days) >= first and max(days) < first + timedelta(weeks=5)
    assert all(day.weekday() < 5 for day in days)
    assert shifts.count() == 2 * len(days) >= 2 * 15
    before = list(shifts.order_by("day", "period").values_list("day", "period", "volunteer__name"))

    again = DemoContext(commune=commune_a)
    volunteers_load(again)

    assert again.created == {"tình nguyện viên": 0, "ca trực tình nguyện": 0}
    after = list(shifts.order_by("day", "period").values_list("day", "period", "volunteer__name"))
    assert after == before
