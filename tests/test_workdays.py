"""Working days, receipt days and due dates: the `holidays` calendar, overrides, the cut-off."""

from datetime import UTC, date, datetime, time, timedelta

import factory
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from thanthien.core.models import WorkdayOverride
from thanthien.core.workdays import (
    LOCAL_TZ,
    add_working_days,
    due_date,
    is_working_day,
    receipt_day,
    working_days_between,
)
from thanthien.core.workdays import (
    non_working_days as days_off_between,
)

pytestmark = pytest.mark.django_db


class WorkdayOverrideFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WorkdayOverride
        django_get_or_create = ("date",)

    is_working_day = False
    reason = "Quyết định điều chỉnh lịch làm việc"


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=LOCAL_TZ)


def days_from(first: date, last: date) -> list[date]:
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def non_working_days(first: date, last: date) -> set[date]:
    return {day for day in days_from(first, last) if not is_working_day(day)}


# --- The holiday package's calendar, checked against the published decisions ---------------


def test_tet_2025_closes_offices_from_saturday_25_january_to_sunday_2_february():
    assert non_working_days(date(2025, 1, 20), date(2025, 2, 9)) == {
        *days_from(date(2025, 1, 25), date(2025, 2, 2)),
        date(2025, 2, 8),
        date(2025, 2, 9),
    }


def test_one_working_day_after_the_friday_before_tet_2025_is_the_monday_after():
    assert add_working_days(date(2025, 1, 24), 1) == date(2025, 2, 3)
    assert add_working_days(date(2025, 2, 3), -1) == date(2025, 1, 24)
    assert working_days_between(date(2025, 1, 24), date(2025, 2, 3)) == 1


def test_tet_2026_closes_offices_from_monday_16_to_friday_20_february():
    assert non_working_days(date(2026, 2, 9), date(2026, 2, 27)) == {
        date(2026, 2, 14),
        date(2026, 2, 15),
        *days_from(date(2026, 2, 16), date(2026, 2, 20)),
        date(2026, 2, 21),
        date(2026, 2, 22),
    }
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 23)
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 1


def test_saturday_26_april_2025_is_a_make_up_working_day_for_friday_2_may():
    assert is_working_day(date(2025, 4, 26)) is True
    assert is_working_day(date(2025, 5, 2)) is False
    assert add_working_days(date(2025, 4, 25), 1) == date(2025, 4, 26)
    assert add_working_days(date(2025, 4, 26), 1) == date(2025, 4, 28)


def test_30_april_to_4_may_2025_is_off_so_tuesday_29_april_plus_one_is_monday_5_may():
    assert non_working_days(date(2025, 4, 28), date(2025, 5, 5)) == set(
        days_from(date(2025, 4, 30), date(2025, 5, 4))
    )
    assert add_working_days(date(2025, 4, 29), 1) == date(2025, 5, 5)


def test_make_up_saturday_4_may_2024_and_the_29_april_2024_day_off():
    assert is_working_day(date(2024, 5, 4)) is True
    assert is_working_day(date(2024, 4, 29)) is False
    assert add_working_days(date(2024, 4, 26), 1) == date(2024, 5, 2)
    assert add_working_days(date(2024, 5, 3), 1) == date(2024, 5, 4)


def test_make_up_saturday_22_august_2026_repays_monday_31_august():
    assert is_working_day(date(2026, 8, 22)) is True
    assert is_working_day(date(2026, 8, 29)) is False
    assert add_working_days(date(2026, 8, 21), 1) == date(2026, 8, 22)
    assert add_working_days(date(2026, 8, 28), 1) == date(2026, 9, 3)


def test_national_day_2025_is_monday_1_and_tuesday_2_september():
    assert non_working_days(date(2025, 8, 29), date(2025, 9, 3)) == {
        date(2025, 8, 30),
        date(2025, 8, 31),
        date(2025, 9, 1),
        date(2025, 9, 2),
    }
    assert add_working_days(date(2025, 8, 29), 1) == date(2025, 9, 3)


def test_national_day_2027_is_thursday_2_and_friday_3_september():
    assert add_working_days(date(2027, 9, 1), 1) == date(2027, 9, 6)
    assert working_days_between(date(2027, 9, 1), date(2027, 9, 6)) == 1


def test_labour_day_on_saturday_1_may_2027_is_taken_on_monday_3_may():
    assert is_working_day(date(2027, 4, 30)) is False
    assert is_working_day(date(2027, 5, 3)) is False
    assert add_working_days(date(2027, 4, 29), 1) == date(2027, 5, 4)


def test_ordinary_weekdays_are_working_and_weekends_are_not():
    assert [is_working_day(day) for day in days_from(date(2025, 3, 10), date(2025, 3, 16))] == [
        True,
        True,
        True,
        True,
        True,
        False,
        False,
    ]


# --- Overrides win over the package ---------------------------------------------------------


def test_override_makes_a_tet_holiday_a_working_day():
    WorkdayOverrideFactory(date=date(2026, 2, 20), is_working_day=True)

    assert is_working_day(date(2026, 2, 20)) is True
    assert add_working_days(date(2026, 2, 13), 1) == date(2026, 2, 20)
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 23)) == 2


def test_override_makes_an_ordinary_wednesday_a_day_off():
    WorkdayOverrideFactory(date=date(2025, 3, 12), is_working_day=False)

    assert is_working_day(date(2025, 3, 12)) is False
    assert add_working_days(date(2025, 3, 11), 1) == date(2025, 3, 13)
    assert add_working_days(date(2025, 3, 13), -1) == date(2025, 3, 11)
    assert working_days_between(date(2025, 3, 10), date(2025, 3, 14)) == 3


def test_override_makes_a_saturday_the_package_does_not_know_a_working_day():
    WorkdayOverrideFactory(date=date(2027, 3, 13), is_working_day=True)

    assert is_working_day(date(2027, 3, 13)) is True
    assert add_working_days(date(2027, 3, 12), 1) == date(2027, 3, 13)


def test_override_added_after_a_computation_is_seen_by_the_next_one():
    assert add_working_days(date(2025, 3, 11), 1) == date(2025, 3, 12)

    WorkdayOverrideFactory(date=date(2025, 3, 12), is_working_day=False)

    assert add_working_days(date(2025, 3, 11), 1) == date(2025, 3, 13)
    assert is_working_day(date(2025, 3, 12)) is False


# --- add_working_days and working_days_between at the edges ---------------------------------


def test_zero_working_days_from_a_holiday_is_the_next_working_day():
    assert add_working_days(date(2025, 4, 30), 0) == date(2025, 5, 5)
    assert add_working_days(date(2025, 1, 25), 0) == date(2025, 2, 3)


def test_zero_working_days_from_a_working_day_is_that_day():
    assert add_working_days(date(2025, 3, 12), 0) == date(2025, 3, 12)


def test_negative_working_days_count_back_across_tet_2026():
    assert add_working_days(date(2026, 2, 23), -1) == date(2026, 2, 13)
    assert add_working_days(date(2026, 2, 23), -2) == date(2026, 2, 12)
    # From a holiday, the first working day back is the Friday before.
    assert add_working_days(date(2026, 2, 18), -1) == date(2026, 2, 13)


def test_working_days_between_is_negative_when_the_end_is_before_the_start():
    assert working_days_between(date(2025, 2, 3), date(2025, 1, 24)) == -1
    assert working_days_between(date(2025, 3, 14), date(2025, 3, 10)) == -4
    assert working_days_between(date(2025, 3, 12), date(2025, 3, 12)) == 0


def test_working_days_in_march_2025_are_its_21_weekdays():
    assert working_days_between(date(2025, 2, 28), date(2025, 3, 31)) == 21


def test_a_datetime_is_refused_where_a_date_is_expected():
    with pytest.raises(TypeError):
        add_working_days(datetime(2025, 3, 12, 9, tzinfo=UTC), 1)


# --- Receipt day and the cut-off ------------------------------------------------------------


def test_dossier_received_before_cutoff_counts_from_that_day():
    assert receipt_day(local(2025, 3, 12, 14, 59, 59)) == date(2025, 3, 12)


def test_dossier_received_at_cutoff_counts_from_next_working_day():
    assert receipt_day(local(2025, 3, 12, 15, 0)) == date(2025, 3, 13)


def test_dossier_received_after_cutoff_on_friday_counts_from_monday():
    assert receipt_day(local(2025, 3, 7, 16, 0)) == date(2025, 3, 10)


def test_utc_time_is_converted_to_vietnamese_local_time():
    # 07:59 UTC is 14:59 in Hà Nội, 08:00 UTC is the 15:00 cut-off.
    assert receipt_day(datetime(2025, 3, 11, 7, 59, tzinfo=UTC)) == date(2025, 3, 11)
    assert receipt_day(datetime(2025, 3, 11, 8, 0, tzinfo=UTC)) == date(2025, 3, 12)
    # 17:30 UTC on the 11th is 00:30 on Wednesday the 12th locally.
    assert receipt_day(datetime(2025, 3, 11, 17, 30, tzinfo=UTC)) == date(2025, 3, 12)


def test_dossier_received_on_saturday_morning_counts_from_monday():
    assert receipt_day(local(2025, 3, 8, 9, 0)) == date(2025, 3, 10)


def test_dossier_received_on_make_up_saturday_morning_counts_from_that_saturday():
    assert receipt_day(local(2025, 4, 26, 9, 0)) == date(2025, 4, 26)


def test_dossier_received_on_a_holiday_morning_counts_from_next_working_day():
    assert receipt_day(local(2025, 4, 30, 9, 0)) == date(2025, 5, 5)


def test_cutoff_setting_is_read_when_the_receipt_day_is_computed(settings):
    received = local(2025, 3, 12, 16, 0)
    assert receipt_day(received) == date(2025, 3, 13)

    settings.THANTHIEN_RECEIPT_CUTOFF = time(16, 30)

    assert receipt_day(received) == date(2025, 3, 12)
    assert receipt_day(local(2025, 3, 12, 16, 30)) == date(2025, 3, 13)


def test_naive_received_at_is_refused():
    with pytest.raises(ValueError, match="múi giờ"):
        receipt_day(datetime(2025, 3, 12, 9, 0))
    with pytest.raises(ValueError, match="timezone-aware"):
        due_date(datetime(2025, 3, 12, 9, 0), 3)


# --- Due dates ------------------------------------------------------------------------------


def test_three_working_days_received_friday_after_cutoff_are_due_thursday():
    assert due_date(local(2025, 3, 7, 16, 0), 3) == date(2025, 3, 13)


def test_three_working_days_received_friday_before_cutoff_are_due_wednesday():
    assert due_date(local(2025, 3, 7, 14, 0), 3) == date(2025, 3, 12)


def test_same_day_procedure_is_due_on_the_receipt_day():
    assert due_date(local(2025, 3, 12, 9, 0), 0) == date(2025, 3, 12)
    assert due_date(local(2025, 3, 12, 15, 30), 0) == date(2025, 3, 13)


def test_five_working_days_received_friday_before_tet_2026_skip_the_holiday_week():
    assert due_date(local(2026, 2, 13, 10, 0), 5) == date(2026, 2, 27)


def test_one_working_day_received_after_cutoff_before_30_april_2025_is_due_6_may():
    assert due_date(local(2025, 4, 29, 16, 0), 1) == date(2025, 5, 6)


def test_negative_time_limit_is_refused():
    with pytest.raises(ValueError, match="working_days"):
        due_date(local(2025, 3, 12, 9, 0), -1)


# --- Query counts ---------------------------------------------------------------------------


def test_adding_200_working_days_takes_one_query(django_assert_num_queries):
    WorkdayOverrideFactory(date=date(2025, 6, 11), is_working_day=False)

    with django_assert_num_queries(1):
        forward = add_working_days(date(2025, 1, 2), 200)
    with django_assert_num_queries(1):
        backward = add_working_days(forward, -200)

    assert backward == date(2025, 1, 2)


def test_counting_working_days_over_a_year_takes_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        count = working_days_between(date(2024, 12, 31), date(2025, 12, 31))
    # 261 weekdays in 2025, less 12 weekday holidays, plus make-up Saturday 26/04.
    assert count == 250


def test_receipt_and_due_date_take_a_query_per_step(django_assert_num_queries):
    with django_assert_num_queries(1):
        receipt_day(local(2025, 3, 7, 16, 0))
    with django_assert_num_queries(1):
        is_working_day(date(2025, 3, 7))
    with django_assert_num_queries(2):
        due_date(local(2025, 3, 7, 16, 0), 3)


def test_a_long_run_of_days_off_extends_the_window_with_a_single_query(
    django_assert_num_queries,
):
    WorkdayOverride.objects.bulk_create(
        WorkdayOverride(date=day, is_working_day=False, reason="Thiên tai")
        for day in days_from(date(2025, 3, 3), date(2025, 5, 1))
    )

    with django_assert_num_queries(2):
        forward = add_working_days(date(2025, 2, 28), 1)
    with django_assert_num_queries(2):
        backward = add_working_days(date(2025, 5, 5), -1)

    assert forward == date(2025, 5, 5)
    assert backward == date(2025, 2, 28)


# --- Properties -----------------------------------------------------------------------------

any_day = st.dates(min_value=date(2024, 1, 1), max_value=date(2027, 12, 31))
any_count = st.integers(min_value=-60, max_value=60)
fast = hypothesis_settings(max_examples=60, deadline=None)


@fast
@given(day=any_day, count=any_count)
def test_adding_working_days_always_lands_on_a_working_day(day, count):
    assert is_working_day(add_working_days(day, count))


@fast
@given(day=any_day, count=any_count)
def test_working_days_between_a_working_day_and_its_sum_is_the_count(day, count):
    start = add_working_days(day, 0)
    assert working_days_between(start, add_working_days(start, count)) == count


@fast
@given(day=any_day, count=any_count)
def test_subtracting_what_was_added_returns_to_the_working_day(day, count):
    start = add_working_days(day, 0)
    assert add_working_days(add_working_days(start, count), -count) == start


@fast
@given(first=any_day, second=any_day)
def test_working_days_between_is_antisymmetric(first, second):
    assert working_days_between(first, second) == -working_days_between(second, first)


@fast
@given(first=any_day, second=any_day, count=any_count)
def test_adding_working_days_is_monotonic_in_the_start(first, second, count):
    earlier, later = sorted((first, second))
    assert add_working_days(earlier, count) <= add_working_days(later, count)


@fast
@given(day=any_day, counts=st.lists(any_count, min_size=2, max_size=2, unique=True))
def test_more_working_days_never_give_an_earlier_date(day, counts):
    fewer, more = sorted(counts)
    assert add_working_days(day, fewer) <= add_working_days(day, more)
    if is_working_day(day):
        assert add_working_days(day, fewer) < add_working_days(day, more)


def walk_one_day_at_a_time(start: date, count: int) -> date:
    step = timedelta(days=1 if count >= 0 else -1)
    day, found = start, 0
    if count == 0:
        while not is_working_day(day):
            day += step
        return day
    while found < abs(count):
        day += step
        found += is_working_day(day)
    return day


@pytest.fixture
def irregular_2025_overrides(db):
    WorkdayOverrideFactory(date=date(2025, 2, 8), is_working_day=True)
    WorkdayOverrideFactory(date=date(2025, 4, 29), is_working_day=False)
    WorkdayOverrideFactory(date=date(2025, 5, 2), is_working_day=True)
    for day in days_from(date(2025, 7, 14), date(2025, 7, 25)):
        WorkdayOverrideFactory(date=day, is_working_day=False)


@hypothesis_settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    day=st.dates(min_value=date(2025, 1, 1), max_value=date(2025, 12, 31)),
    count=st.integers(min_value=-15, max_value=15),
)
def test_windowed_walk_agrees_with_a_day_by_day_walk_over_overrides(
    irregular_2025_overrides, day, count
):
    expected = walk_one_day_at_a_time(day, count)
    assert add_working_days(day, count) == expected
    earlier, later = sorted((day, expected))
    counted = sum(map(is_working_day, days_from(earlier + timedelta(days=1), later)))
    assert working_days_between(day, expected) == (counted if expected >= day else -counted)


def test_non_working_days_lists_weekends_holidays_and_declared_days_off_in_one_query(
    db, django_assert_num_queries
):
    WorkdayOverride.objects.create(date=date(2026, 5, 4), is_working_day=False, reason="Thử")
    with django_assert_num_queries(1):
        days_off = days_off_between(date(2026, 4, 27), date(2026, 5, 4))
    # Hùng Kings (observed) Mon 27/4, 30/4, 1/5, the weekend 2–3/5, the declared Mon 4/5.
    assert days_off == {
        date(2026, 4, 27),
        date(2026, 4, 30),
        date(2026, 5, 1),
        date(2026, 5, 2),
        date(2026, 5, 3),
        date(2026, 5, 4),
    }
