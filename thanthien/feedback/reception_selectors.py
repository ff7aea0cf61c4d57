"""Reads of citizen reception: the bookable dates of the weekly slots, the bookings of a week
and the reception register (sổ tiếp công dân)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from thanthien.core import tenancy, workdays
from thanthien.core.text import fold
from thanthien.feedback import complaint_selectors
from thanthien.feedback.reception import ReceptionBooking, ReceptionVisit
from thanthien.portal.models import ReceptionSlot

Status = ReceptionBooking.Status
VISIT_IDENTITY_FIELDS = ("citizen_name", "citizen_address", "citizen_id_number", "citizen_phone")


@dataclass
class SlotDate:
    """One slot on one date, with its bookings (staff page) or its free places (booking)."""

    slot: ReceptionSlot
    date: date
    taken: int = 0
    bookings: list = field(default_factory=list)
    is_day_off: bool = False

    @property
    def places(self) -> int:
        return settings.THANTHIEN_RECEPTION_PLACES_PER_SLOT

    @property
    def free(self) -> int:
        return max(self.places - self.taken, 0)

    @property
    def value(self) -> str:
        """The form value naming this slot date: "<slot pk>|<yyyy-mm-dd>"."""
        return f"{self.slot.pk}|{self.date:%Y-%m-%d}"


def active_slots(commune_id: int) -> list[ReceptionSlot]:
    return list(
        ReceptionSlot.objects.filter(commune_id=commune_id, is_active=True)
        .select_related("host", "host__position")
        .order_by("weekday", "start_time")
    )


def _slot_dates(slots: list[ReceptionSlot], first: date, last: date) -> list[SlotDate]:
    """Every date from first to last on which one of the slots falls, marking days off."""
    if not slots:
        return []
    days_off = workdays.non_working_days(first, last)
    found = []
    day = first
    while day <= last:
        for slot in slots:
            if slot.weekday == day.weekday():
                # A weekday slot on a holiday is off; a weekend slot is a deliberate extra
                # service the commune published (the portal's next_reception does the same).
                off = day.weekday() < 5 and day in days_off
                found.append(SlotDate(slot=slot, date=day, is_day_off=off))
        day += timedelta(days=1)
    return found


def _taken(slot_dates: list[SlotDate]) -> None:
    """Fill each slot date's count of live bookings, in one query."""
    if not slot_dates:
        return
    rows = (
        ReceptionBooking.objects.filter(
            slot_id__in={s.slot.pk for s in slot_dates},
            date__range=(slot_dates[0].date, slot_dates[-1].date),
        )
        .exclude(status=Status.CANCELLED)
        .values("slot_id", "date")
        .annotate(n=Count("pk"))
        .values_list("slot_id", "date", "n")
    )
    counts = {(slot_id, day): n for slot_id, day, n in rows}
    for slot_date in slot_dates:
        slot_date.taken = counts.get((slot_date.slot.pk, slot_date.date), 0)


def bookable(commune_id: int, *, now: datetime) -> list[SlotDate]:
    """The slot dates a resident may book: from now to THANTHIEN_RECEPTION_BOOKING_WEEKS weeks
    ahead, not on a day off, not already started, each with its free places (3 queries)."""
    local = now.astimezone(workdays.LOCAL_TZ)
    first = local.date()
    last = first + timedelta(weeks=settings.THANTHIEN_RECEPTION_BOOKING_WEEKS)
    slot_dates = [
        s
        for s in _slot_dates(active_slots(commune_id), first, last)
        if not s.is_day_off and (s.date > first or s.slot.start_time > local.time())
    ]
    _taken(slot_dates)
    return slot_dates


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_view(commune_id: int, *, monday: date) -> list[SlotDate]:
    """The week's slot dates with their bookings, in order of time and place in the queue."""
    slot_dates = _slot_dates(active_slots(commune_id), monday, monday + timedelta(days=6))
    bookings = (
        ReceptionBooking.objects.filter(
            commune_id=commune_id, date__range=(monday, monday + timedelta(days=6))
        )
        .select_related("hamlet", "booked_by", "visit")
        .order_by("date", "position", "pk")
    )
    by_key: dict[tuple[int, date], list] = {}
    for booking in bookings:
        by_key.setdefault((booking.slot_id, booking.date), []).append(booking)
    for slot_date in slot_dates:
        slot_date.bookings = by_key.get((slot_date.slot.pk, slot_date.date), [])
        slot_date.taken = sum(1 for b in slot_date.bookings if b.status != Status.CANCELLED)
    return slot_dates


def reception_days_warning(commune_id: int) -> tuple[int, int] | None:
    """(days a week with an active slot, the legal minimum) when below the minimum."""
    days = (
        ReceptionSlot.objects.filter(commune_id=commune_id, is_active=True)
        .values("weekday")
        .distinct()
        .count()
    )
    minimum = settings.THANTHIEN_MIN_RECEPTION_DAYS_PER_WEEK
    return (days, minimum) if days < minimum else None


def booking_by_code(code: str) -> ReceptionBooking | None:
    return (
        ReceptionBooking.objects.select_related("commune", "slot", "slot__host")
        .filter(code=code.strip().upper())
        .first()
    )


def bookings_for(*, user) -> QuerySet[ReceptionBooking]:
    return tenancy.scope(ReceptionBooking.objects.all(), user).select_related(
        "commune", "slot", "slot__host", "hamlet"
    )


def visits_for(*, user) -> QuerySet[ReceptionVisit]:
    return tenancy.scope(ReceptionVisit.objects.all(), user).select_related(
        "commune", "received_by", "hamlet", "feedback_item", "dossier", "booking"
    )


def _identifiable(user) -> Q:
    """The visits whose person this user may see: all but denunciations, which only leaders,
    administrators, the official who wrote the row and the one who received the person see
    (Law on Denunciations art. 47; the same rule as complaint_selectors)."""
    if complaint_selectors.sees_every_kind(user):
        return Q()
    mine = Q(recorded_by_id=user.pk)
    official = getattr(user, "official", None)
    if official is not None:
        mine |= Q(received_by_id=official.pk)
    return ~Q(kind=ReceptionVisit.Kind.DENUNCIATION) | mine


def mask_visits(visits, user):
    """Replace the person on the denunciation visits the user may not identify (in memory)."""
    privileged = complaint_selectors.sees_every_kind(user)
    official = getattr(user, "official", None)
    for visit in visits:
        visit.identity_masked = not (
            privileged
            or visit.kind != ReceptionVisit.Kind.DENUNCIATION
            or visit.recorded_by_id == user.pk
            or (official is not None and visit.received_by_id == official.pk)
        )
        if visit.identity_masked:
            for name in VISIT_IDENTITY_FIELDS:
                setattr(visit, name, str(complaint_selectors.CONFIDENTIAL))
            visit.hamlet = None
    return visits


def visit_list(*, user, query: str = "", year: int | None = None) -> QuerySet[ReceptionVisit]:
    """The register, newest first; `query` matches the name (with or without diacritics),
    the matter, the phone or the ID number (a denouncer's only for who may identify them)."""
    visits = visits_for(user=user)
    if year:
        visits = visits.filter(year=year)
    query = query.strip()
    if query:
        identifiable = _identifiable(user)
        wanted = fold(query)
        folded = [
            pk
            for pk, name in visits.filter(identifiable).values_list("pk", "citizen_name")
            if wanted in fold(name)
        ]
        person = (
            Q(citizen_name__icontains=query)
            | Q(citizen_phone__contains=query)
            | Q(citizen_id_number__contains=query)
        )
        visits = visits.filter(
            Q(matter__icontains=query) | (person & identifiable) | Q(pk__in=folded)
        )
    return visits.order_by("-visited_at", "-number")


def register_years(*, user) -> list[int]:
    return list(visits_for(user=user).order_by("-year").values_list("year", flat=True).distinct())
