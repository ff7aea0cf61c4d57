"""Reads about the volunteers on duty at the desk (requirement S1): today's and the week's."""

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Case, IntegerField, QuerySet, Value, When

from thanthien.core import workdays
from thanthien.onestop.models import Volunteer, VolunteerShift
from thanthien.places.models import Commune

Period = VolunteerShift.Period
PERIOD_ORDER = Case(
    When(period=Period.MORNING, then=Value(0)),
    When(period=Period.AFTERNOON, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
WEEK_DAYS = 7


def _commune_id(commune: Commune | int | None) -> int | None:
    return commune.pk if isinstance(commune, Commune) else commune


def week_start_of(day: date) -> date:
    """The Monday of the week `day` falls in."""
    return day - timedelta(days=day.weekday())


def on_duty(
    *, commune: Commune | int | None, day: date, period: str | None = None
) -> list[VolunteerShift]:
    """Active volunteers' turns at the commune's desk on `day`, morning first, then by name.

    With a `period` (morning or afternoon) only that half-day's turns and full-day ones; with
    FULL_DAY only full-day turns. No commune (a superuser at the desk) gives nobody.
    """
    commune_id = _commune_id(commune)
    if commune_id is None:
        return []
    shifts = VolunteerShift.objects.filter(commune_id=commune_id, day=day, volunteer__active=True)
    if period == Period.FULL_DAY:
        shifts = shifts.filter(period=Period.FULL_DAY)
    elif period is not None:
        shifts = shifts.filter(period__in=[period, Period.FULL_DAY])
    return list(shifts.select_related("volunteer").order_by(PERIOD_ORDER, "volunteer__name", "pk"))


@dataclass(frozen=True)
class RosterDay:
    """One day of the roster: whether the desk works, and its turns by period."""

    day: date
    is_working: bool
    morning: list[VolunteerShift] = field(default_factory=list)
    afternoon: list[VolunteerShift] = field(default_factory=list)
    full_day: list[VolunteerShift] = field(default_factory=list)

    @property
    def shifts(self) -> list[VolunteerShift]:
        return [*self.morning, *self.afternoon, *self.full_day]


def week_roster(*, commune: Commune | int, week_start: date) -> list[RosterDay]:
    """The seven days from the Monday of `week_start`, each with its turns (two queries)."""
    first = week_start_of(week_start)
    last = first + timedelta(days=WEEK_DAYS - 1)
    days_off = workdays.non_working_days(first, last)
    days = {
        first + timedelta(days=n): RosterDay(
            day=first + timedelta(days=n), is_working=first + timedelta(days=n) not in days_off
        )
        for n in range(WEEK_DAYS)
    }
    shifts = (
        VolunteerShift.objects.filter(commune_id=_commune_id(commune), day__range=(first, last))
        .select_related("volunteer")
        .order_by("day", PERIOD_ORDER, "volunteer__name", "pk")
    )
    for shift in shifts:
        getattr(days[shift.day], shift.period).append(shift)
    return list(days.values())


def active_volunteers(*, commune: Commune | int) -> QuerySet[Volunteer]:
    """The commune's volunteers who can take a turn, by name."""
    return Volunteer.objects.filter(commune_id=_commune_id(commune), active=True).order_by(
        "name", "pk"
    )
