"""Working days, receipt days and due dates for dossiers.

A day's status comes from a `WorkdayOverride` row when one exists (an admin records a
government decision the package lags), otherwise from the `holidays` package: its make-up
Saturdays are working, other weekends and public holidays are not, every other day is.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

from thanthien.core.models import WorkdayOverride

# Deadlines run on Vietnamese legal time, whatever zone a request has activated.
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
ONE_DAY = timedelta(days=1)
# Calendar days loaded per override query: enough for n working days across Tết.
WINDOW_PADDING_DAYS = 40

_calendars: dict[str, holidays.HolidayBase] = {}
_calendars_lock = threading.Lock()


def _holiday_calendar() -> holidays.HolidayBase:
    """The shared auto-expanding calendar of the configured country, built on first use."""
    country = settings.THANTHIEN_HOLIDAY_COUNTRY
    calendar = _calendars.get(country)
    if calendar is None:
        with _calendars_lock:
            calendar = _calendars.get(country)
            if calendar is None:
                calendar = holidays.country_holidays(country)
                _calendars[country] = calendar
    return calendar


def _package_says_working(day: date) -> bool:
    """Whether the `holidays` package alone makes `day` a working day."""
    calendar = _holiday_calendar()
    # The membership test also loads the day's year, which fills `weekend_workdays`.
    is_holiday = day in calendar
    if day in calendar.weekend_workdays:
        return True
    if day.weekday() >= 5:
        return False
    return not is_holiday


def _is_working(day: date, overrides: dict[date, bool]) -> bool:
    """Whether `day` is a working day, given the overrides loaded for its window."""
    override = overrides.get(day)
    if override is not None:
        return override
    return _package_says_working(day)


def _overrides_between(first: date, last: date) -> dict[date, bool]:
    """The override rows from `first` to `last` (either order, inclusive), in one query."""
    low, high = min(first, last), max(first, last)
    return dict(
        WorkdayOverride.objects.filter(date__range=(low, high)).values_list(
            "date", "is_working_day"
        )
    )


def _require_date(value: object, name: str) -> None:
    # A datetime is a date subclass and would silently drag its time along.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime.date, not {type(value).__name__}")


def _working_days_from(first: date, step: int, expected: int) -> Iterator[date]:
    """Working days from `first` (included) in direction `step`, one override query a window."""
    span = 2 * expected + WINDOW_PADDING_DAYS
    window_start = first
    while True:
        window_end = window_start + step * (span - 1) * ONE_DAY
        overrides = _overrides_between(window_start, window_end)
        day = window_start
        for _ in range(span):
            if _is_working(day, overrides):
                yield day
            day += step * ONE_DAY
        window_start = day


def is_working_day(day: date) -> bool:
    """Whether `day` is a working day (an override row wins over the holiday package)."""
    _require_date(day, "day")
    override = (
        WorkdayOverride.objects.filter(date=day).values_list("is_working_day", flat=True).first()
    )
    return _package_says_working(day) if override is None else override


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (before it if negative; 0: `start` or the next)."""
    _require_date(start, "start")
    if days >= 0:
        # With 0 days the start itself may be the answer; otherwise it is not counted.
        first, step, wanted = (start if days == 0 else start + ONE_DAY), 1, max(days, 1)
    else:
        first, step, wanted = start - ONE_DAY, -1, -days
    for count, day in enumerate(_working_days_from(first, step, wanted), start=1):
        if count == wanted:
            return day
    raise AssertionError("unreachable: the working-day walk never ends")  # pragma: no cover


def working_days_between(start: date, end: date) -> int:
    """Working days d with start < d <= end; negative, mirrored, when `end` is before `start`."""
    _require_date(start, "start")
    _require_date(end, "end")
    if end < start:
        return -working_days_between(end, start)
    if end == start:
        return 0
    first = start + ONE_DAY
    overrides = _overrides_between(first, end)
    return sum(
        _is_working(first + offset * ONE_DAY, overrides) for offset in range((end - first).days + 1)
    )


def non_working_days(first: date, last: date) -> set[date]:
    """The days off (weekends, holidays, declared days off) from first to last, inclusive."""
    _require_date(first, "first")
    _require_date(last, "last")
    overrides = _overrides_between(first, last)
    span = (last - first).days
    days = (first + timedelta(days=n) for n in range(span + 1))
    return {day for day in days if not _is_working(day, overrides)}


def receipt_day(received_at: datetime) -> date:
    """The day a dossier counts as received: that working day before the cut-off, else the next."""
    if received_at.tzinfo is None or received_at.utcoffset() is None:
        # A programming error, not a user's: both languages so any developer can read it.
        raise ValueError(
            "Thời điểm tiếp nhận phải có múi giờ (received_at must be a timezone-aware datetime)."
        )
    local = received_at.astimezone(LOCAL_TZ)
    if local.time() < settings.THANTHIEN_RECEIPT_CUTOFF:
        return add_working_days(local.date(), 0)
    return add_working_days(local.date(), 1)


def due_date(received_at: datetime, working_days: int) -> date:
    """The due day of a procedure limited to `working_days` working days, received at that time."""
    if working_days < 0:
        raise ValueError(
            f"Thời hạn giải quyết không được âm (working_days must not be negative): {working_days}"
        )
    return add_working_days(receipt_day(received_at), working_days)
