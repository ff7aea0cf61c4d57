"""Reads of ceremonies and visits: one ceremony, the month's calendar."""

import calendar
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from thanthien.letters.ceremonies import Ceremony
from thanthien.onestop.dossier_selectors import LOCAL_TZ, local_day


def ceremonies_for(*, user) -> QuerySet[Ceremony]:
    return Ceremony.objects.visible_to(user).select_related(
        "commune", "hamlet", "source_dossier", "created_by"
    )


def ceremony_detail(*, user) -> QuerySet[Ceremony]:
    """One ceremony with everything its page shows, in a fixed number of queries."""
    return ceremonies_for(user=user).prefetch_related("officials__position", "letters", "photos")


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The first instant of the month and of the next one, in local time."""
    first = month.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return (
        datetime.combine(first, datetime.min.time(), tzinfo=LOCAL_TZ),
        datetime.combine(following, datetime.min.time(), tzinfo=LOCAL_TZ),
    )


def ceremonies_in_month(*, user, month: date) -> QuerySet[Ceremony]:
    start, end = month_bounds(month)
    return (
        ceremonies_for(user=user)
        .filter(starts_at__gte=start, starts_at__lt=end)
        .prefetch_related("officials")
        .order_by("starts_at", "pk")
    )


@dataclass
class CalendarDay:
    day: date
    in_month: bool
    is_today: bool
    ceremonies: list = field(default_factory=list)


def calendar_weeks(*, month: date, ceremonies) -> list[list[CalendarDay]]:
    """The month as weeks of seven days (Monday first), each day with its ceremonies."""
    today = local_day(timezone.now())
    weeks = []
    by_day: dict[date, list] = {}
    for ceremony in ceremonies:
        by_day.setdefault(local_day(ceremony.starts_at), []).append(ceremony)
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month):
        weeks.append(
            [
                CalendarDay(
                    day=day,
                    in_month=day.month == month.month,
                    is_today=day == today,
                    ceremonies=by_day.get(day, []),
                )
                for day in week
            ]
        )
    return weeks
