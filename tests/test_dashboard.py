"""The desk dashboard: its numbers, its scope, its query count, its page and its XLSX."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import CommuneFactory, OfficialFactory, UserFactory
from tests.factories_dossiers import DossierFactory
from tests.factories_onestop import ProcedureFactory, ProcedureFieldFactory
from thanthien.onestop.dashboard import Shares, desk_dashboard
from thanthien.onestop.dossier_selectors import today_local
from thanthien.onestop.models import Dossier
from thanthien.people.roles import Role

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2025, 3, 14)  # a Friday; the next working day is Monday 17/03/2025
START, END = date(2025, 1, 1), TODAY


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def d(month: int, day: int, year: int = 2025) -> date:
    return date(year, month, day)


@pytest.fixture
def desk(commune_a, make_user):
    """Commune A's two fields, two procedures, two officials and a desk user."""
    ho_tich = ProcedureFieldFactory(code="ho-tich", name="Hộ tịch", order=1)
    chung_thuc = ProcedureFieldFactory(code="chung-thuc", name="Chứng thực", order=2)
    user = make_user(Role.COMMUNE_OFFICIAL, commune=commune_a)
    return {
        "user": user,
        "p1": ProcedureFactory(commune=commune_a, code="1.001", name="Khai sinh", field=ho_tich),
        "p2": ProcedureFactory(
            commune=commune_a, code="2.002", name="Chứng thực bản sao", field=chung_thuc
        ),
        "o1": OfficialFactory(commune=commune_a, full_name="Nguyễn Văn Một"),
        "o2": OfficialFactory(commune=commune_a, full_name="Trần Thị Hai"),
    }


def make(commune, created_by, *, received, due, state="received", ready=None, **extra):
    values = {
        "commune": commune,
        "created_by": created_by,
        "received_at": received,
        "receipt_day": received.astimezone(TZ).date(),
        "due_date": due,
        "state": state,
        "state_changed_at": received,
        "result_ready_at": ready,
    }
    if state == "returned" and "returned_at" not in extra:
        extra["returned_at"] = ready
    if "original_due_date" in extra:
        extra.setdefault("rescheduled_at", received + timedelta(days=1))
    return DossierFactory(**values, **extra)


@pytest.fixture
def hand_built(desk, commune_a):
    """Fourteen dossiers of commune A, each a case the dashboard must judge right."""
    u, p1, p2, o1, o2 = desk["user"], desk["p1"], desk["p2"], desk["o1"], desk["o2"]
    a = commune_a

    def m(**kwargs):
        return make(a, u, **kwargs)

    # January: early (ready 23:30 local on 08/01, still 08/01 in Vietnam) and on time (ready
    # 00:30 local on 15/01, which is still 14/01 in UTC).
    m(
        received=at(d(1, 6)),
        due=d(1, 9),
        state="returned",
        ready=at(d(1, 8), 23, 30),
        procedure=p1,
        handling_official=o1,
    )
    m(
        received=at(d(1, 10)),
        due=d(1, 15),
        state="result_ready",
        ready=at(d(1, 15), 0, 30),
        procedure=p1,
        handling_official=o1,
    )
    # February: late; received 00:30 on 01/02 local (31/01 in UTC) so it is February's.
    m(
        received=at(d(2, 1), 0, 30),
        due=d(2, 6),
        state="returned",
        ready=at(d(2, 10)),
        procedure=p2,
        handling_official=o2,
    )
    # Rescheduled once and ready before the new date: early now, late against the original.
    m(
        received=at(d(2, 10)),
        due=d(2, 20),
        original_due_date=d(2, 13),
        state="returned",
        ready=at(d(2, 19)),
        procedure=p1,
        handling_official=o2,
    )
    # March: rescheduled, ready on the new date: on time now, late against the original.
    m(
        received=at(d(3, 3)),
        due=d(3, 12),
        original_due_date=d(3, 6),
        state="returned",
        ready=at(d(3, 12)),
        procedure=p2,
        handling_official=o1,
    )
    # Running past its due day: late.
    m(received=at(d(3, 5)), due=d(3, 10), state="in_progress", procedure=p2, handling_official=o2)
    # Running, due Monday 17/03 (the next working day): not judged, due soon.
    m(received=at(d(3, 12)), due=d(3, 17), procedure=p1)
    # Running, due today: not judged yet, due today and due soon.
    m(received=at(d(3, 11)), due=TODAY, state="in_progress", procedure=p1, handling_official=o1)
    # Waiting for a supplement past its date: the clock is stopped, not late.
    m(received=at(d(3, 4)), due=d(3, 7), state="supplement", procedure=p2)
    # Refused: never judged, not open.
    m(received=at(d(3, 13)), due=d(3, 18), state="refused", procedure=p2)
    # Received today.
    m(received=at(TODAY, 8, 15), due=d(3, 19), procedure=p1)
    # Rescheduled, still running, new date ahead: not judged now, late against the original.
    m(
        received=at(d(3, 3), 10),
        due=d(3, 18),
        original_due_date=d(3, 6),
        state="in_progress",
        procedure=p2,
        handling_official=o2,
    )
    # Result ready today and returned today, a day late.
    m(
        received=at(d(3, 10)),
        due=d(3, 13),
        state="returned",
        ready=at(TODAY, 10),
        returned_at=at(TODAY, 11),
        procedure=p2,
        handling_official=o2,
    )
    # Received last year, still running and late: counted today, outside the period.
    m(
        received=at(d(12, 20, 2024)),
        due=d(12, 25, 2024),
        state="in_progress",
        procedure=p1,
        handling_official=o1,
    )
    return desk


def by_key(rows):
    return {row.key: row for row in rows}


@pytest.mark.django_db
def test_today_counts_cover_intake_results_due_soon_and_late(hand_built):
    board = desk_dashboard(user=hand_built["user"], start=START, end=END, today=TODAY)
    counts = board.counts
    assert board.next_working_day == d(3, 17)
    assert (counts.received, counts.result_ready, counts.returned) == (1, 1, 1)
    assert counts.open == 7
    assert counts.open_by_state == {"received": 2, "in_progress": 4, "supplement": 1}
    assert counts.waiting_return == 1
    assert counts.due_today == 1
    assert counts.due_soon == 2
    # Running past the due day only: not the supplement one, not the rescheduled one.
    assert counts.late == 2


@pytest.mark.django_db
def test_period_shares_against_the_current_and_the_original_due_date(hand_built):
    board = desk_dashboard(user=hand_built["user"], start=START, end=END, today=TODAY)
    total = board.total
    assert total.received == 13
    assert total.current == Shares(early=2, on_time=2, late=3)
    assert total.original == Shares(early=1, on_time=1, late=6)
    assert total.not_judged == 6
    assert round(total.current.late_ratio, 4) == round(3 / 7, 4)
    assert round(total.original.late_percent, 1) == 75.0


@pytest.mark.django_db
def test_month_rows_follow_the_vietnamese_calendar_and_fill_empty_months(hand_built):
    board = desk_dashboard(user=hand_built["user"], start=d(12, 1, 2024), end=END, today=TODAY)
    months = by_key(board.by_month)
    assert list(months) == ["2024-12", "2025-01", "2025-02", "2025-03"]
    assert months["2024-12"].received == 1
    assert months["2024-12"].current == Shares(late=1)
    assert months["2025-01"].received == 2
    assert months["2025-01"].current == Shares(early=1, on_time=1)
    assert months["2025-01"].label == "01/2025"
    assert months["2025-02"].current == Shares(early=1, late=1)
    assert months["2025-02"].original == Shares(late=2)
    assert months["2025-03"].received == 9
    assert months["2025-03"].current == Shares(on_time=1, late=2)
    assert months["2025-03"].original == Shares(late=4)

    quiet = desk_dashboard(user=hand_built["user"], start=d(4, 1), end=d(5, 31), today=TODAY)
    assert [(r.key, r.received) for r in quiet.by_month] == [("2025-04", 0), ("2025-05", 0)]
    assert quiet.total.current == Shares()


@pytest.mark.django_db
def test_procedure_field_and_official_rows(hand_built):
    board = desk_dashboard(user=hand_built["user"], start=START, end=END, today=TODAY)
    procedures = by_key(board.by_procedure)
    assert procedures["1.001"].label == "1.001 — Khai sinh"
    assert procedures["1.001"].received == 6
    assert procedures["1.001"].current == Shares(early=2, on_time=1)
    assert procedures["1.001"].original == Shares(early=1, on_time=1, late=1)
    assert procedures["2.002"].received == 7
    assert procedures["2.002"].current == Shares(on_time=1, late=3)
    assert procedures["2.002"].original == Shares(late=5)

    fields = by_key(board.by_field)
    assert list(fields) == ["ho-tich", "chung-thuc"]
    assert fields["ho-tich"].current == procedures["1.001"].current
    assert fields["chung-thuc"].original == procedures["2.002"].original

    officials = {row.label: row for row in board.by_official}
    one, two = officials["Nguyễn Văn Một"], officials["Trần Thị Hai"]
    assert one.received == 4
    assert one.current == Shares(early=1, on_time=2)
    assert one.original == Shares(early=1, on_time=1, late=1)
    assert two.received == 5
    assert two.current == Shares(early=1, late=3)
    assert two.original == Shares(late=5)
    nobody = by_key(board.by_official)["none"]
    assert nobody.label == "Chưa giao cán bộ xử lý"
    assert nobody.received == 4
    assert nobody.current.judged == 0


@pytest.mark.django_db
def test_another_communes_dossiers_are_never_counted(hand_built, commune_a, commune_b):
    intruder = UserFactory(role=Role.COMMUNE_OFFICIAL, commune=commune_b)
    for _ in range(3):
        make(commune_b, intruder, received=at(TODAY, 10), due=d(3, 19))
        make(commune_b, intruder, received=at(d(3, 3)), due=d(3, 10), state="in_progress")
        make(
            commune_b,
            intruder,
            received=at(d(2, 3)),
            due=d(2, 6),
            state="returned",
            ready=at(TODAY, 9),
        )
    mine = desk_dashboard(user=hand_built["user"], start=START, end=END, today=TODAY)
    assert mine.commune_ids == [commune_a.pk]
    assert mine.total.received == 13
    assert (mine.counts.received, mine.counts.result_ready, mine.counts.late) == (1, 1, 2)
    # Asking for commune B does not widen a commune A user's view.
    asked = desk_dashboard(
        user=hand_built["user"], start=START, end=END, commune_ids=[commune_b.pk], today=TODAY
    )
    assert asked.total.received == 0
    assert asked.counts.open == 0

    theirs = desk_dashboard(user=intruder, start=START, end=END, today=TODAY)
    assert theirs.total.received == 9
    assert (theirs.counts.received, theirs.counts.result_ready, theirs.counts.late) == (3, 3, 3)
    assert all("Khai sinh" not in row.label for row in theirs.by_procedure)


@pytest.mark.django_db
def test_province_evaluator_sees_the_provinces_communes_only_and_can_pick_one(
    make_user, province_p, commune_a, commune_b
):
    neighbour = CommuneFactory(name="Xã Láng Giềng", province=province_p)
    author = UserFactory(role=Role.COMMUNE_OFFICIAL, commune=commune_a)
    make(commune_a, author, received=at(d(3, 3)), due=d(3, 6), state="returned", ready=at(d(3, 5)))
    make(neighbour, author, received=at(d(3, 3)), due=d(3, 6), state="returned", ready=at(d(3, 7)))
    make(commune_b, author, received=at(d(3, 3)), due=d(3, 6), state="returned", ready=at(d(3, 6)))
    evaluator = make_user(Role.PROVINCE_EVALUATOR, province=province_p)

    board = desk_dashboard(user=evaluator, start=START, end=END, today=TODAY)
    assert sorted(board.commune_ids) == sorted([commune_a.pk, neighbour.pk])
    assert board.total.current == Shares(early=1, late=1)

    one = desk_dashboard(
        user=evaluator, start=START, end=END, commune_ids=[neighbour.pk], today=TODAY
    )
    assert one.commune_ids == [neighbour.pk]
    assert one.total.current == Shares(late=1)
    other_province = desk_dashboard(
        user=evaluator, start=START, end=END, commune_ids=[commune_b.pk], today=TODAY
    )
    assert other_province.total.received == 0


def grow(commune, user, procedures, officials, count: int, offset: int = 0) -> None:
    """`count` varied dossiers: every state, procedure, official and several months."""
    states = ["received", "in_progress", "supplement", "result_ready", "returned", "refused"]
    for n in range(offset, offset + count):
        received = at(d(1 + n % 3, 3 + n % 10))
        state = states[n % len(states)]
        ready = received + timedelta(days=n % 9) if state in ("result_ready", "returned") else None
        extra = {"original_due_date": received.date() + timedelta(days=2)} if n % 5 == 0 else {}
        make(
            commune,
            user,
            received=received,
            due=received.date() + timedelta(days=4),
            state=state,
            ready=ready,
            procedure=procedures[n % len(procedures)],
            handling_official=officials[n % len(officials)] if n % 4 else None,
            **extra,
        )


@pytest.mark.django_db
def test_selector_query_count_does_not_grow_with_the_dossiers(desk, commune_a):
    procedures, officials = [desk["p1"], desk["p2"]], [desk["o1"], desk["o2"]]
    grow(commune_a, desk["user"], procedures, officials, 3)
    with CaptureQueriesContext(connection) as small:
        small_board = desk_dashboard(user=desk["user"], start=START, end=END, today=TODAY)
    assert small_board.total.received == 3
    more_procedures = [ProcedureFactory(commune=commune_a) for _ in range(5)]
    more_officials = [OfficialFactory(commune=commune_a) for _ in range(4)]
    grow(commune_a, desk["user"], more_procedures, more_officials, 57, offset=3)
    with CaptureQueriesContext(connection) as large:
        large_board = desk_dashboard(user=desk["user"], start=START, end=END, today=TODAY)
    assert large_board.total.received == 60
    assert len(large_board.by_procedure) == 7
    assert len(small.captured_queries) == len(large.captured_queries) == 6


@pytest.mark.django_db
def test_page_query_count_is_the_same_for_3_and_60_dossiers(
    client, desk, commune_a, django_assert_num_queries
):
    procedures, officials = [desk["p1"], desk["p2"]], [desk["o1"], desk["o2"]]
    client.force_login(desk["user"])
    url = reverse("staff:desk_dashboard") + "?period=tuy-chon&start=2025-01-01&end=2025-03-31"
    grow(commune_a, desk["user"], procedures, officials, 3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    more_procedures = [ProcedureFactory(commune=commune_a) for _ in range(5)]
    more_officials = [OfficialFactory(commune=commune_a) for _ in range(4)]
    grow(commune_a, desk["user"], more_procedures, more_officials, 57, offset=3)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["dashboard"].total.received == 60


@pytest.mark.django_db
def test_page_shows_counts_charts_tables_and_links(client, desk, commune_a):
    user, p1, o1 = desk["user"], desk["p1"], desk["o1"]
    today = today_local()
    now = at(today, 8)
    make(
        commune_a,
        user,
        received=now,
        due=today - timedelta(days=0),
        state="in_progress",
        procedure=p1,
        handling_official=o1,
    )
    make(
        commune_a,
        user,
        received=now - timedelta(days=1),
        due=now.date() - timedelta(days=1),
        state="result_ready",
        ready=now,
        procedure=p1,
        handling_official=o1,
    )
    client.force_login(user)
    response = client.get(reverse("staff:desk_dashboard"))
    assert response.status_code == 200
    page = response.content.decode()
    assert response.context["dashboard"].start == today.replace(day=1)
    assert page.count('role="img"') == 5
    assert "Khai sinh" in page and "Nguyễn Văn Một" in page
    assert f"{reverse('staff:dossier_list')}?state=in_progress" in page
    assert f"{reverse('staff:dossier_list')}?state=result_ready" in page
    assert reverse("staff:desk_dashboard_xlsx") in page
    assert "@media print" in page
    nav = reverse("staff:desk_dashboard")
    assert f'href="{nav}"' in page
    assert 'name="commune"' not in page  # one commune: nothing to choose


@pytest.mark.django_db
def test_period_choices_and_custom_range(client, desk):
    client.force_login(desk["user"])
    today = today_local()
    url = reverse("staff:desk_dashboard")
    year = client.get(url, {"period": "nam-nay"}).context["dashboard"]
    assert (year.start, year.end) == (today.replace(month=1, day=1), today)
    quarter = client.get(url, {"period": "3-thang"}).context["dashboard"]
    assert quarter.start.day == 1 and quarter.end == today
    assert (today.year - quarter.start.year) * 12 + today.month - quarter.start.month == 2
    custom = client.get(url, {"period": "tuy-chon", "start": "2025-02-01", "end": "2025-02-28"})
    assert (custom.context["dashboard"].start, custom.context["dashboard"].end) == (
        d(2, 1),
        d(2, 28),
    )
    backwards = client.get(url, {"period": "tuy-chon", "start": "2025-03-01", "end": "2025-02-01"})
    assert backwards.status_code == 200
    assert "Ngày kết thúc phải sau ngày bắt đầu." in backwards.content.decode()
    assert backwards.context["dashboard"].start == today.replace(day=1)


@pytest.mark.django_db
def test_province_user_filters_by_commune_on_the_page(client, make_user, province_p, commune_a):
    neighbour = CommuneFactory(name="Xã Láng Giềng", province=province_p)
    author = UserFactory(role=Role.COMMUNE_OFFICIAL, commune=commune_a)
    today = today_local()
    make(commune_a, author, received=at(today, 8), due=today)
    make(neighbour, author, received=at(today, 8), due=today)
    evaluator = make_user(Role.PROVINCE_EVALUATOR, province=province_p)
    client.force_login(evaluator)
    url = reverse("staff:desk_dashboard")
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="commune"' in page.content.decode()
    assert page.context["dashboard"].counts.received == 2
    picked = client.get(url, {"period": "thang-nay", "commune": neighbour.pk})
    assert picked.context["dashboard"].counts.received == 1
    assert picked.context["scope_label"] == "Xã Láng Giềng"


@pytest.mark.django_db
def test_every_commune_role_but_the_front_can_open_the_dashboard(client, make_user, commune_a):
    for role in (Role.COMMUNE_OFFICIAL, Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN):
        client.force_login(make_user(role, commune=commune_a))
        assert client.get(reverse("staff:desk_dashboard")).status_code == 200, role
        assert client.get(reverse("staff:desk_dashboard_xlsx")).status_code == 200, role
    client.force_login(make_user(Role.FRONT_MEMBER, commune=commune_a))
    assert client.get(reverse("staff:desk_dashboard")).status_code == 403
    assert client.get(reverse("staff:desk_dashboard_xlsx")).status_code == 403
    nav = client.get(reverse("staff:dashboard")).content.decode()
    assert reverse("staff:desk_dashboard") not in nav


@pytest.mark.django_db
def test_xlsx_export_has_a_sheet_per_breakdown_with_percent_numbers(client, hand_built):
    client.force_login(hand_built["user"])
    query = {"period": "tuy-chon", "start": "2025-01-01", "end": "2025-03-31"}
    response = client.get(reverse("staff:desk_dashboard_xlsx"), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "bang-dieu-khien-mot-cua-20250101-20250331.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Tổng hợp",
        "Theo thủ tục",
        "Theo lĩnh vực",
        "Theo cán bộ",
        "Theo tháng",
    ]
    for sheet in book.worksheets:
        assert all(cell.font.bold for cell in sheet[1] if cell.value is not None)

    months = book["Theo tháng"]
    header = [cell.value for cell in months[1]]
    assert header[:9] == [
        "Tháng tiếp nhận",
        "Tiếp nhận",
        "Đã đánh giá",
        "Trước hạn",
        "Đúng hạn",
        "Quá hạn",
        "% trước hạn",
        "% đúng hạn",
        "% quá hạn",
    ]
    assert header[9] == "Đã đánh giá (hạn ban đầu)"
    rows = {row[0].value: row for row in months.iter_rows(min_row=2)}
    february = rows["02/2025"]
    assert [c.value for c in february[1:6]] == [2, 2, 1, 0, 1]
    assert february[6].value == 0.5 and february[6].number_format == "0.0%"
    assert february[8].value == 0.5
    assert [c.value for c in february[9:13]] == [2, 0, 0, 2]
    assert february[15].value == 1.0 and february[15].number_format == "0.0%"
    total = rows["Tổng cộng"]
    assert total[1].value == 13
    assert total[0].font.bold

    procedures = {row[0].value: row for row in book["Theo thủ tục"].iter_rows(min_row=2)}
    assert procedures["2.002 — Chứng thực bản sao"][1].value == 7
    officials = {row[0].value for row in book["Theo cán bộ"].iter_rows(min_row=2)}
    assert {"Nguyễn Văn Một", "Trần Thị Hai", "Chưa giao cán bộ xử lý"} <= officials
    summary = {row[0].value: row[1].value for row in book["Tổng hợp"].iter_rows(min_row=2)}
    assert summary["Tiếp nhận trong kỳ"] == 13
    assert summary["Phạm vi"] == "Xã An"


@pytest.mark.django_db
def test_a_dossier_is_in_exactly_one_state_count(desk, commune_a):
    """Open + finished + closed add up to everything received (no dossier counted twice)."""
    grow(commune_a, desk["user"], [desk["p1"]], [desk["o1"]], 18)
    board = desk_dashboard(user=desk["user"], start=START, end=END, today=TODAY)
    closed = Dossier.objects.filter(state__in=["returned", "refused"]).count()
    assert board.counts.open + board.counts.waiting_return + closed == 18


@pytest.mark.django_db
def test_todays_volunteers_on_duty_are_shown_for_one_commune_only(
    client, desk, commune_a, commune_b, make_user, province_p
):
    from tests.factories_dossiers import VolunteerShiftFactory

    today = today_local()
    VolunteerShiftFactory(commune=commune_a, day=today, volunteer__name="Đoàn Viên Trực Hôm Nay")
    VolunteerShiftFactory(
        commune=commune_a, day=today + timedelta(days=1), volunteer__name="Đoàn Viên Ngày Mai"
    )
    VolunteerShiftFactory(commune=commune_b, day=today, volunteer__name="Đoàn Viên Xã Khác")
    client.force_login(desk["user"])
    page = client.get(reverse("staff:desk_dashboard")).content.decode()
    assert "Tình nguyện viên trực hôm nay" in page
    assert "Đoàn Viên Trực Hôm Nay" in page
    assert "Đoàn Viên Ngày Mai" not in page
    assert "Đoàn Viên Xã Khác" not in page

    CommuneFactory(province=province_p)
    client.force_login(make_user(Role.PROVINCE_EVALUATOR, province=province_p))
    url = reverse("staff:desk_dashboard")
    assert "Tình nguyện viên trực hôm nay" not in client.get(url).content.decode()
    picked = client.get(url, {"period": "thang-nay", "commune": commune_a.pk}).content.decode()
    assert "Đoàn Viên Trực Hôm Nay" in picked
