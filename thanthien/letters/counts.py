"""Counts of the letters and closeness work, for the criteria scoring.

`closeness_counts(commune_ids=…, year=…)` answers for a list of communes in a fixed number of
queries (one per kind of record), whatever the number of communes: letters by type and month,
ceremonies and visits held by kind, greetings sent, contributions. The caller chooses the
communes (the scoring scopes them to the evaluator's province; `closeness_counts_for_user`
does it from a user).

What counts:
- letters: approved letters (approved or delivered), by the local month of their approval;
- ceremonies: ceremonies and visits recorded as done, by the year of their scheduled time;
- greetings: the chairman's holiday greetings approved (= published) for the year, when the
  greetings module (thanthien.letters.greetings) is installed; None otherwise;
- contributions: how many were recorded with a date in the year, and their total in đồng.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Sum
from django.db.models.functions import ExtractMonth

from thanthien.core.tenancy import visible_commune_ids
from thanthien.letters.ceremonies import Ceremony
from thanthien.letters.contributors import Contribution
from thanthien.letters.models import Letter
from thanthien.onestop.dossier_selectors import LOCAL_TZ


@dataclass
class CommuneCounts:
    commune_id: int
    # Letter type -> twelve counts, January first.
    letters_by_month: dict[str, list[int]] = field(default_factory=dict)
    # Ceremony kind -> count of ceremonies held.
    ceremonies_held: dict[str, int] = field(default_factory=dict)
    # None when the greetings module is not installed.
    greetings_sent: int | None = None
    contributions: int = 0
    contributions_value: int = 0

    @property
    def letters_total(self) -> int:
        return sum(sum(months) for months in self.letters_by_month.values())

    def letters_of_type(self, letter_type: str) -> int:
        return sum(self.letters_by_month.get(letter_type, ()))

    @property
    def ceremonies_total(self) -> int:
        return sum(self.ceremonies_held.values())


def _year_bounds(year: int) -> tuple[datetime, datetime]:
    return (
        datetime(year, 1, 1, tzinfo=LOCAL_TZ),
        datetime(year + 1, 1, 1, tzinfo=LOCAL_TZ),
    )


def _greeting_model():
    """The greetings model when that part of the app is installed (it arrived separately)."""
    try:
        from thanthien.letters.greetings import Greeting
    except ImportError:
        return None
    return Greeting


def closeness_counts(*, commune_ids: Sequence[int], year: int) -> dict[int, CommuneCounts]:
    """The year's counts of each commune in `commune_ids` (every one present, zeros included)."""
    ids = list(dict.fromkeys(commune_ids))
    counts = {pk: CommuneCounts(commune_id=pk) for pk in ids}
    if not ids:
        return counts
    start, end = _year_bounds(year)

    letters = (
        Letter.objects.filter(
            commune_id__in=ids,
            state__in=[Letter.State.APPROVED, Letter.State.DELIVERED],
            approved_at__gte=start,
            approved_at__lt=end,
        )
        .annotate(month=ExtractMonth("approved_at", tzinfo=LOCAL_TZ))
        .values("commune_id", "type", "month")
        .annotate(total=Count("pk"))
    )
    for row in letters:
        months = counts[row["commune_id"]].letters_by_month.setdefault(row["type"], [0] * 12)
        months[row["month"] - 1] += row["total"]

    ceremonies = (
        Ceremony.objects.filter(
            commune_id__in=ids,
            state=Ceremony.State.DONE,
            starts_at__gte=start,
            starts_at__lt=end,
        )
        .values("commune_id", "kind")
        .annotate(total=Count("pk"))
    )
    for row in ceremonies:
        counts[row["commune_id"]].ceremonies_held[row["kind"]] = row["total"]

    greeting = _greeting_model()
    if greeting is not None:
        for item in counts.values():
            item.greetings_sent = 0
        sent = (
            greeting.objects.filter(commune_id__in=ids, year=year, state=greeting.State.APPROVED)
            .values("commune_id")
            .annotate(total=Count("pk"))
        )
        for row in sent:
            counts[row["commune_id"]].greetings_sent = row["total"]

    contributions = (
        Contribution.objects.filter(commune_id__in=ids, date__year=year)
        .values("commune_id")
        .annotate(total=Count("pk"), value=Sum("value_dong"))
    )
    for row in contributions:
        item = counts[row["commune_id"]]
        item.contributions = row["total"]
        item.contributions_value = row["value"] or 0
    return counts


def closeness_counts_for_user(*, user, year: int) -> dict[int, CommuneCounts]:
    """The counts of every commune the user may see (an evaluator: the province's)."""
    from thanthien.places.models import Commune

    ids = visible_commune_ids(user)
    if ids is None:
        ids = list(Commune.objects.values_list("pk", flat=True))
    return closeness_counts(commune_ids=ids, year=year)
