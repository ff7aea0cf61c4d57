"""The feedback dashboard: its numbers on a hand-built set, its scope, its query count, its
page and its XLSX."""

import io
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import CommuneFactory, HamletFactory
from tests.factories_feedback import FeedbackItemFactory
from thanthien.feedback.dashboard import UNCLASSIFIED, default_period, feedback_dashboard
from thanthien.people.roles import Role

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
TODAY = date(2025, 3, 14)
START, END = date(2025, 1, 1), TODAY


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def d(month: int, day: int, year: int = 2025) -> date:
    return date(year, month, day)


def item(commune, *, received, due, status="new", answered=None, **extra):
    return FeedbackItemFactory(
        commune=commune,
        received_at=received,
        due_date=due,
        status=status,
        answered_at=answered,
        **extra,
    )


@pytest.fixture
def hand_built(commune_a, commune_b, make_user):
    """Seven items of commune A in the period, one before it, one of commune B."""
    h1 = HamletFactory(commune=commune_a, name="Thôn Đông", order=1)
    h2 = HamletFactory(commune=commune_a, name="Thôn Đoài", order=2)
    env, roads = "moi_truong", "ha_tang_giao_thong"
    a = item(
        commune_a,
        received=at(d(1, 6)),
        due=d(1, 20),
        status="answered",
        answered=at(d(1, 20), 16),
        source="web",
        category=env,
        hamlet=h1,
        satisfied=True,
    )
    items = {
        "a": a,
        # Answered a day late, rated not satisfied.
        "b": item(
            commune_a,
            received=at(d(1, 7)),
            due=d(1, 21),
            status="closed",
            answered=at(d(1, 22), 8),
            source="zalo",
            category=env,
            hamlet=h1,
            satisfied=False,
        ),
        # Still open and past its due date: late now.
        "c": item(
            commune_a,
            received=at(d(2, 3)),
            due=d(2, 17),
            status="in_progress",
            source="phone",
            category=roads,
            hamlet=h2,
        ),
        # Open, not yet due: pending.
        "d": item(
            commune_a,
            received=at(d(3, 10)),
            due=d(3, 24),
            status="assigned",
            source="web",
            category=roads,
            hamlet=h2,
        ),
        # A duplicate merged into A, and a redirected item: neither is judged.
        "e": item(
            commune_a,
            received=at(d(1, 8)),
            due=d(1, 22),
            status="merged",
            duplicate_of=a,
            source="web",
            category=env,
            hamlet=h1,
        ),
        "f": item(
            commune_a, received=at(d(2, 10)), due=d(2, 24), status="redirected", source="email"
        ),
        # Answered at 00:30 on the day after its due date, Vietnamese time (17:30 UTC on the
        # due date): late.
        "g": item(
            commune_a,
            received=at(d(1, 22)),
            due=d(2, 5),
            status="answered",
            answered=at(d(2, 6), 0, 30),
            source="web",
            category=roads,
            hamlet=h2,
            satisfied=True,
        ),
        # Before the period, still open and overdue: the oldest open item.
        "i": item(
            commune_a,
            received=at(d(12, 20, 2024)),
            due=d(1, 6),
            status="classified",
            source="box",
            category=env,
            title="Rác thải ven kênh Thôn Đông",
        ),
        "other": item(
            commune_b, received=at(d(1, 10)), due=d(1, 24), status="in_progress", source="web"
        ),
    }
    user = make_user(Role.COMMUNE_OFFICIAL, commune=commune_a)
    return {"user": user, "h1": h1, "h2": h2, **items}


def rows_by_key(rows):
    return {row.key: row.counts for row in rows}


def test_period_totals_on_time_late_pending_and_satisfaction(hand_built):
    board = feedback_dashboard(user=hand_built["user"], start=START, end=END, today=TODAY)
    total = board.total
    assert total.received == 7
    assert (total.on_time, total.late, total.pending, total.excluded) == (1, 3, 1, 2)
    assert (total.merged, total.redirected, total.answered) == (1, 1, 3)
    assert (total.open, total.overdue) == (2, 1)
    assert total.on_time_ratio == pytest.approx(0.25)
    assert (total.rated, total.satisfied) == (3, 2)
    satisfaction = total.satisfaction
    assert satisfaction.share == pytest.approx(2 / 3)
    low, high = satisfaction.interval
    assert 0 < low < 2 / 3 < high < 1
    assert sum(total.timeliness_values()) == total.received


def test_answer_day_is_read_in_vietnamese_time(hand_built):
    board = feedback_dashboard(
        user=hand_built["user"], start=d(1, 22), end=d(1, 22), source="web", today=TODAY
    )
    # Only G: received 22/01 by web; answered 00:30 on 06/02 local although 05/02 in UTC.
    assert board.total.received == 1
    assert (board.total.on_time, board.total.late) == (0, 1)


def test_rows_by_hamlet_channel_category_and_month(hand_built):
    board = feedback_dashboard(user=hand_built["user"], start=START, end=END, today=TODAY)
    hamlets = rows_by_key(board.by_hamlet)
    h1, h2 = str(hand_built["h1"].pk), str(hand_built["h2"].pk)
    assert [row.label for row in board.by_hamlet] == [
        "Thôn Đông",
        "Thôn Đoài",
        "Không rõ thôn, tổ dân phố",
    ]
    assert (hamlets[h1].received, hamlets[h1].on_time, hamlets[h1].late) == (3, 1, 1)
    assert (hamlets[h1].excluded, hamlets[h1].rated, hamlets[h1].satisfied) == (1, 2, 1)
    assert (hamlets[h2].received, hamlets[h2].late, hamlets[h2].pending) == (3, 2, 1)
    assert hamlets[h2].overdue == 1
    assert hamlets["none"].received == 1 and hamlets["none"].redirected == 1

    sources = rows_by_key(board.by_source)
    assert board.by_source[0].key == "web"  # the busiest channel first
    assert {key: c.received for key, c in sources.items()} == {
        "web": 4,
        "zalo": 1,
        "phone": 1,
        "email": 1,
    }
    categories = rows_by_key(board.by_category)
    assert categories["moi_truong"].received == 3
    assert categories["ha_tang_giao_thong"].received == 3
    assert categories[""].received == 1
    assert [row.label for row in board.by_category][-1] == "Chưa phân loại"

    months = rows_by_key(board.by_month)
    assert list(months) == ["2025-01", "2025-02", "2025-03"]
    assert [months[m].received for m in months] == [4, 2, 1]
    assert sum(c.received for c in months.values()) == board.total.received


def test_open_counts_and_oldest_open_items_ignore_the_period(hand_built):
    board = feedback_dashboard(user=hand_built["user"], start=d(3, 1), end=END, today=TODAY)
    assert board.total.received == 1
    assert board.open_counts.open == 3
    assert board.open_counts.overdue == 2
    assert [i.code for i in board.oldest_open] == [
        hand_built["i"].code,
        hand_built["c"].code,
        hand_built["d"].code,
    ]
    oldest = board.oldest_open[0]
    assert oldest.age_days == (TODAY - d(12, 20, 2024)).days
    assert oldest.overdue_days == (TODAY - d(1, 6)).days
    assert oldest.title == "Rác thải ven kênh Thôn Đông"


def test_category_and_source_filters(hand_built):
    user = hand_built["user"]
    env = feedback_dashboard(user=user, start=START, end=END, category="moi_truong", today=TODAY)
    assert env.total.received == 3
    assert [i.code for i in env.oldest_open] == [hand_built["i"].code]
    unclassified = feedback_dashboard(
        user=user, start=START, end=END, category=UNCLASSIFIED, today=TODAY
    )
    assert unclassified.total.received == 1 and unclassified.total.redirected == 1
    zalo = feedback_dashboard(user=user, start=START, end=END, source="zalo", today=TODAY)
    assert zalo.total.received == 1 and zalo.total.late == 1


def test_another_communes_items_are_never_counted(hand_built, commune_b, make_user):
    board = feedback_dashboard(user=hand_built["user"], start=START, end=END, today=TODAY)
    assert hand_built["other"].code not in [i.code for i in board.oldest_open]
    other = make_user(Role.COMMUNE_LEADER, commune=commune_b)
    theirs = feedback_dashboard(user=other, start=START, end=END, today=TODAY)
    assert theirs.total.received == 1
    # Asking for commune A's id does not widen commune B's view.
    widened = feedback_dashboard(
        user=other, start=START, end=END, commune_ids=[hand_built["a"].commune_id], today=TODAY
    )
    assert widened.total.received == 0 and widened.open_counts.open == 0


def test_province_evaluator_sees_the_provinces_communes_and_can_pick_one(
    hand_built, make_user, province_p, commune_a
):
    neighbour = CommuneFactory(name="Xã Láng Giềng", province=province_p)
    item(neighbour, received=at(d(2, 2)), due=d(2, 16), status="new", source="hotline")
    evaluator = make_user(Role.PROVINCE_EVALUATOR, province=province_p)
    board = feedback_dashboard(user=evaluator, start=START, end=END, today=TODAY)
    assert board.total.received == 8  # commune B is in another province
    labels = [row.label for row in board.by_hamlet]
    assert "Thôn Đông (Xã An)" in labels
    one = feedback_dashboard(
        user=evaluator, start=START, end=END, commune_ids=[neighbour.pk], today=TODAY
    )
    assert one.total.received == 1 and one.commune_ids == [neighbour.pk]


def test_default_period_is_the_last_twelve_months():
    assert default_period(date(2026, 11, 21)) == (date(2025, 12, 1), date(2026, 11, 21))
    assert default_period(date(2026, 1, 5)) == (date(2025, 2, 1), date(2026, 1, 5))


SOURCES = ["web", "qr", "zalo", "facebook", "email", "phone", "hotline", "box", "reception"]
CATEGORIES = ["moi_truong", "ha_tang_giao_thong", "dat_dai", "thai_do_can_bo", ""]
STATUSES = ["new", "classified", "assigned", "in_progress", "answered", "closed", "redirected"]


def grow(commune, hamlets, count: int, offset: int = 0) -> None:
    """`count` varied items: every status, channel, category, hamlet and several months."""
    for n in range(offset, offset + count):
        received = at(d(1 + n % 3, 3 + n % 10))
        status = STATUSES[n % len(STATUSES)]
        answered = received + timedelta(days=n % 17) if status in ("answered", "closed") else None
        item(
            commune,
            received=received,
            due=received.date() + timedelta(days=14),
            status=status,
            answered=answered,
            source=SOURCES[n % len(SOURCES)],
            category=CATEGORIES[n % len(CATEGORIES)],
            hamlet=hamlets[n % len(hamlets)] if n % 6 else None,
            satisfied=(n % 3 != 0) if answered else None,
        )


def test_selector_query_count_is_the_same_for_5_and_50_items(commune_a, make_user):
    user = make_user(Role.COMMUNE_OFFICIAL, commune=commune_a)
    grow(commune_a, [HamletFactory(commune=commune_a)], 5)
    with CaptureQueriesContext(connection) as small:
        small_board = feedback_dashboard(user=user, start=START, end=END, today=TODAY)
    assert small_board.total.received == 5
    grow(commune_a, [HamletFactory(commune=commune_a) for _ in range(6)], 45, offset=5)
    with CaptureQueriesContext(connection) as large:
        large_board = feedback_dashboard(user=user, start=START, end=END, today=TODAY)
    assert large_board.total.received == 50
    assert len(large_board.by_hamlet) == 7  # six hamlets and "none"
    assert len(small.captured_queries) == len(large.captured_queries) == 5


def test_page_query_count_is_the_same_for_5_and_50_items(
    client, commune_a, make_user, django_assert_num_queries
):
    user = make_user(Role.COMMUNE_LEADER, commune=commune_a)
    client.force_login(user)
    url = reverse("staff:feedback:dashboard") + "?period=tuy-chon&start=2025-01-01&end=2025-03-31"
    grow(commune_a, [HamletFactory(commune=commune_a)], 5)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(commune_a, [HamletFactory(commune=commune_a) for _ in range(6)], 45, offset=5)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert response.context["dashboard"].total.received == 50


def test_page_shows_tiles_charts_tables_and_oldest_items(client, hand_built):
    client.force_login(hand_built["user"])
    response = client.get(
        reverse("staff:feedback:dashboard"),
        {"period": "tuy-chon", "start": "2025-01-01", "end": "2025-03-31"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count('role="img"') == 5  # month, channel, category, hamlet, satisfaction
    assert "Thôn Đông" in page and "Thôn Đoài" in page
    assert "Zalo OA" in page and "Môi trường" in page
    assert hand_built["i"].code in page  # the oldest open item
    assert hand_built["other"].code not in page
    assert reverse("staff:feedback:dashboard_xlsx") in page
    assert "@media print" in page
    assert 'name="commune"' not in page  # one commune: nothing to choose
    assert 'name="category"' in page and 'name="source"' in page


def test_period_choices_default_and_bad_range(client, hand_built):
    client.force_login(hand_built["user"])
    url = reverse("staff:feedback:dashboard")
    board = client.get(url).context["dashboard"]
    assert board.end - board.start > timedelta(days=330)
    assert board.start.day == 1
    backwards = client.get(url, {"period": "tuy-chon", "start": "2025-03-01", "end": "2025-02-01"})
    assert backwards.status_code == 200
    assert "Ngày kết thúc phải sau ngày bắt đầu." in backwards.content.decode()
    filtered = client.get(
        url,
        {"period": "tuy-chon", "start": "2025-01-01", "end": "2025-03-31", "source": "zalo"},
    )
    assert filtered.context["dashboard"].total.received == 1
    assert "Zalo OA" in filtered.context["filters"]


def test_province_user_picks_a_commune_on_the_page(client, make_user, province_p, commune_a):
    neighbour = CommuneFactory(name="Xã Láng Giềng", province=province_p)
    now = at(date.today(), 8)
    item(commune_a, received=now, due=date.today(), status="new")
    item(neighbour, received=now, due=date.today(), status="new")
    client.force_login(make_user(Role.PROVINCE_EVALUATOR, province=province_p))
    url = reverse("staff:feedback:dashboard")
    page = client.get(url)
    assert 'name="commune"' in page.content.decode()
    assert page.context["dashboard"].open_counts.open == 2
    picked = client.get(url, {"commune": neighbour.pk})
    assert picked.context["dashboard"].open_counts.open == 1
    assert picked.context["scope_label"] == "Xã Láng Giềng"


def test_roles_that_may_open_the_dashboard(client, make_user, commune_a, province_p):
    for role in (Role.COMMUNE_OFFICIAL, Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN):
        client.force_login(make_user(role, commune=commune_a))
        assert client.get(reverse("staff:feedback:dashboard")).status_code == 200, role
        assert client.get(reverse("staff:feedback:dashboard_xlsx")).status_code == 200, role
    client.force_login(make_user(Role.FRONT_MEMBER, commune=commune_a))
    assert client.get(reverse("staff:feedback:dashboard")).status_code == 403
    assert client.get(reverse("staff:feedback:dashboard_xlsx")).status_code == 403
    client.logout()
    anonymous = client.get(reverse("staff:feedback:dashboard"))
    assert anonymous.status_code == 302


def test_xlsx_export_has_a_sheet_per_breakdown_with_numbers(client, hand_built):
    client.force_login(hand_built["user"])
    query = {"period": "tuy-chon", "start": "2025-01-01", "end": "2025-03-14"}
    response = client.get(reverse("staff:feedback:dashboard_xlsx"), query)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "bang-dieu-khien-gop-y-20250101-20250314.xlsx" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Tổng hợp",
        "Theo kênh",
        "Theo lĩnh vực",
        "Theo thôn",
        "Theo tháng",
        "Tồn lâu nhất",
    ]
    summary = {row[0]: row[1] for row in book["Tổng hợp"].iter_rows(values_only=True)}
    assert summary["Ý kiến tiếp nhận trong kỳ"] == 7
    assert summary["Trả lời đúng hạn"] == 1
    assert summary["Tỷ lệ hài lòng"] == pytest.approx(2 / 3)
    hamlets = list(book["Theo thôn"].iter_rows(values_only=True))
    assert hamlets[0][:5] == (
        "Thôn, tổ dân phố",
        "Tiếp nhận",
        "Đã trả lời",
        "Trả lời đúng hạn",
        "Quá hạn",
    )
    dong = next(row for row in hamlets if row[0] == "Thôn Đông")
    assert dong[1:5] == (3, 2, 1, 1)
    assert dong[10] == pytest.approx(0.5)
    assert book["Theo thôn"].cell(row=hamlets.index(dong) + 1, column=11).number_format == "0.0%"
    assert hamlets[-1][0] == "Tổng cộng" and hamlets[-1][1] == 7
    oldest = list(book["Tồn lâu nhất"].iter_rows(values_only=True))
    assert oldest[1][0] == hand_built["i"].code


def test_overview_links_the_dashboard_for_those_who_may_read_it(client, make_user, commune_a):
    link = reverse("staff:feedback:dashboard")
    client.force_login(make_user(Role.COMMUNE_OFFICIAL, commune=commune_a))
    assert link in client.get(reverse("staff:dashboard")).content.decode()
    client.force_login(make_user(Role.FRONT_MEMBER, commune=commune_a))
    assert link not in client.get(reverse("staff:dashboard")).content.decode()
