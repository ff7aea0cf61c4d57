"""The feedback dashboard: items by channel, category, hamlet and month, the share answered
on time, the residents' satisfaction with the answers, and the oldest open items.

Everything is counted in the database. The period is read in one GROUP BY over
(source, category, hamlet, month of receipt) with filtered COUNTs; the cells it returns (far
fewer than the items) are summed in Python into the four breakdowns. With the hamlets'
names, the open-item counts (and the working-day calendar they need) and the oldest open
items that is five queries (six for a province user, whose communes are looked up once),
whatever the number of items.

Choices, so the numbers can be explained to a leader:
- **Which items a period holds**: those *received* in it (local days, Asia/Ho_Chi_Minh).
- **Merged and redirected items** are counted as received but never judged: a duplicate is
  answered with its main item, a redirected item is handled elsewhere.
- **On time**: an answered (or closed) item whose answer's local date is on or before its
  due date. **Late**: answered after it, or still open with its due date passed (overdue
  now). Open items not yet due are *pending*, not judged; shares are of judged items only.
- **Satisfaction**: the residents' ratings of the answers (satisfied / not) of the period's
  items, as a share with its Wilson 95% interval (surveys.indices), so a share over a handful
  of ratings is read with the caution it needs.
- **Oldest open items** ignore the period (an item received before it is still waiting) but
  follow the commune, category and channel filters.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Case, CharField, Count, DateField, F, Q, QuerySet, Value, When
from django.db.models.functions import TruncDate, TruncMonth
from django.db.models.lookups import Exact, LessThanOrEqual
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.core import tenancy, workdays
from thanthien.core.months import month_of, months_between
from thanthien.core.workdays import LOCAL_TZ
from thanthien.feedback.categories import categories, category_label
from thanthien.feedback.items import OPEN_STATES, FeedbackItem, Source, Status
from thanthien.places.models import Hamlet
from thanthien.surveys.indices import wilson_interval

ON_TIME, LATE, PENDING, EXCLUDED = "on_time", "late", "pending", "excluded"
TIMELINESS_VALUES = (ON_TIME, LATE, PENDING, EXCLUDED)
# The counts of one cell, in this order (see _aggregates).
COUNT_NAMES = (
    "received",
    ON_TIME,
    LATE,
    PENDING,
    EXCLUDED,
    "merged",
    "redirected",
    "answered",
    "open",
    "overdue",
    "rated",
    "satisfied",
)
OLDEST_OPEN_LIMIT = 10
NO_HAMLET = "none"
NO_CATEGORY = ""
# The category filter's value for the items not yet classified.
UNCLASSIFIED = "chua-phan-loai"
# The open items due within this many working days are "due soon".


def today_local() -> date:
    return timezone.localtime(timezone.now(), LOCAL_TZ).date()


@dataclass(frozen=True)
class Satisfaction:
    """Ratings of the answers: `satisfied` out of `rated`, with the Wilson 95% interval."""

    rated: int = 0
    satisfied: int = 0

    @property
    def not_satisfied(self) -> int:
        return self.rated - self.satisfied

    @property
    def share(self) -> float | None:
        return self.satisfied / self.rated if self.rated else None

    @property
    def interval(self) -> tuple[float, float] | tuple[None, None]:
        return wilson_interval(self.satisfied, self.rated) if self.rated else (None, None)

    @property
    def percent(self) -> float | None:
        return None if self.share is None else 100 * self.share


@dataclass(frozen=True)
class Counts:
    """The counts of one group of items (a channel, category, hamlet, month or the total)."""

    received: int = 0
    on_time: int = 0
    late: int = 0
    pending: int = 0
    excluded: int = 0
    merged: int = 0
    redirected: int = 0
    answered: int = 0
    open: int = 0
    overdue: int = 0
    rated: int = 0
    satisfied: int = 0

    @classmethod
    def of(cls, values) -> Counts:
        return cls(*values)

    def vector(self) -> list[int]:
        return [getattr(self, name) for name in COUNT_NAMES]

    @property
    def judged(self) -> int:
        return self.on_time + self.late

    @property
    def on_time_ratio(self) -> float | None:
        return self.on_time / self.judged if self.judged else None

    @property
    def on_time_percent(self) -> float | None:
        ratio = self.on_time_ratio
        return None if ratio is None else 100 * ratio

    @property
    def late_ratio(self) -> float | None:
        return self.late / self.judged if self.judged else None

    @property
    def satisfaction(self) -> Satisfaction:
        return Satisfaction(rated=self.rated, satisfied=self.satisfied)

    def timeliness_values(self) -> tuple[int, int, int, int]:
        """(on time, late, pending, merged or redirected): they add up to `received`."""
        return (self.on_time, self.late, self.pending, self.excluded)


@dataclass(frozen=True)
class BreakdownRow:
    key: str
    label: str
    counts: Counts
    month: date | None = None


@dataclass(frozen=True)
class OpenCounts:
    open: int = 0
    new: int = 0
    overdue: int = 0
    due_soon: int = 0
    unacknowledged: int = 0


@dataclass(frozen=True)
class OldItem:
    pk: int
    code: str
    title: str
    category: str
    source: str
    status: str
    received_at: datetime
    due_date: date | None
    hamlet: str
    commune: str
    assignee: str
    age_days: int
    overdue_days: int

    @property
    def category_label(self) -> str:
        return category_label(self.category) if self.category else _("Chưa phân loại")

    @property
    def source_label(self) -> str:
        return str(Source(self.source).label) if self.source in Source.values else self.source

    @property
    def status_label(self) -> str:
        return str(Status(self.status).label) if self.status in Status.values else self.status


@dataclass(frozen=True)
class Dashboard:
    today: date
    start: date
    end: date
    commune_ids: list[int] | None
    category: str
    source: str
    total: Counts
    by_source: list[BreakdownRow]
    by_category: list[BreakdownRow]
    by_hamlet: list[BreakdownRow]
    by_month: list[BreakdownRow]
    open_counts: OpenCounts
    oldest_open: list[OldItem] = field(default_factory=list)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


def timeliness_expression(*, today: date) -> Case:
    """on_time / late / pending / excluded for one item, as of `today` (see the docstring)."""
    answered = Q(status__in=[Status.ANSWERED, Status.CLOSED], answered_at__isnull=False)
    return Case(
        When(Q(status__in=[Status.MERGED, Status.REDIRECTED]), then=Value(EXCLUDED)),
        When(
            answered
            & Q(due_date__isnull=False)
            & LessThanOrEqual(
                TruncDate("answered_at", tzinfo=LOCAL_TZ, output_field=DateField()), F("due_date")
            ),
            then=Value(ON_TIME),
        ),
        When(answered & Q(due_date__isnull=False), then=Value(LATE)),
        When(Q(status__in=OPEN_STATES, due_date__lt=today), then=Value(LATE)),
        default=Value(PENDING),
        output_field=CharField(),
    )


def _aggregates(today: date) -> dict:
    expression = timeliness_expression(today=today)
    open_q = Q(status__in=OPEN_STATES)
    return {
        "received": Count("pk"),
        **{
            value: Count("pk", filter=Exact(expression, Value(value)))
            for value in TIMELINESS_VALUES
        },
        "merged": Count("pk", filter=Q(status=Status.MERGED)),
        "redirected": Count("pk", filter=Q(status=Status.REDIRECTED)),
        "answered": Count("pk", filter=Q(status__in=[Status.ANSWERED, Status.CLOSED])),
        "open": Count("pk", filter=open_q),
        "overdue": Count("pk", filter=open_q & Q(due_date__lt=today)),
        "rated": Count("pk", filter=Q(satisfied__isnull=False)),
        "satisfied": Count("pk", filter=Q(satisfied=True)),
    }


def _sum(vectors: list) -> list[int]:
    return [sum(column) for column in zip(*vectors, strict=True)]


def default_period(today: date) -> tuple[date, date]:
    """The last twelve months: from the first day of the month eleven months ago to today."""
    first = today.replace(day=1)
    for _step in range(11):
        first = (first - timedelta(days=1)).replace(day=1)
    return first, today


def _scoped(user, commune_ids, *, category: str, source: str) -> QuerySet[FeedbackItem]:
    qs = tenancy.scope(FeedbackItem.objects.all(), user)
    if commune_ids is not None:
        qs = qs.filter(commune_id__in=list(commune_ids))
    if category == UNCLASSIFIED:
        qs = qs.filter(category="")
    elif category:
        qs = qs.filter(category=category)
    if source:
        qs = qs.filter(source=source)
    return qs.order_by()


def _open_counts(qs: QuerySet[FeedbackItem], *, today: date) -> OpenCounts:
    # The same horizon as the inbox's "due soon" tab and the watch's reminders.
    soon = workdays.add_working_days(today, settings.THANTHIEN_FEEDBACK_REMIND_WORKING_DAYS)
    now = timezone.now()
    counts = qs.filter(status__in=OPEN_STATES).aggregate(
        open=Count("pk"),
        new=Count("pk", filter=Q(status=Status.NEW)),
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        due_soon=Count("pk", filter=Q(due_date__range=(today, soon))),
        unacknowledged=Count(
            "pk", filter=Q(acknowledged_at__isnull=True, ack_due_at__lt=now, status=Status.NEW)
        ),
    )
    return OpenCounts(**counts)


def _oldest_open(qs: QuerySet[FeedbackItem], *, today: date) -> list[OldItem]:
    rows = (
        qs.filter(status__in=OPEN_STATES)
        .select_related("hamlet", "commune", "assignee")
        .only(
            "code",
            "title",
            "content",
            "category",
            "source",
            "status",
            "received_at",
            "due_date",
            "hamlet__name",
            "commune__name",
            "assignee__full_name",
            "assignee__username",
        )
        .order_by("received_at", "pk")[:OLDEST_OPEN_LIMIT]
    )
    items = []
    for item in rows:
        received_day = item.received_at.astimezone(LOCAL_TZ).date()
        assignee = ""
        if item.assignee is not None:
            assignee = item.assignee.full_name or item.assignee.username
        items.append(
            OldItem(
                pk=item.pk,
                code=item.code,
                title=item.title or item.content[:80],
                category=item.category,
                source=item.source,
                status=item.status,
                received_at=item.received_at,
                due_date=item.due_date,
                hamlet=item.hamlet.name if item.hamlet else "",
                commune=item.commune.name,
                assignee=assignee,
                age_days=(today - received_day).days,
                overdue_days=max(0, (today - item.due_date).days) if item.due_date else 0,
            )
        )
    return items


def _rows(table: dict, labels: list[tuple[str, str]]) -> list[BreakdownRow]:
    return [
        BreakdownRow(key, label, Counts.of(table[key])) for key, label in labels if key in table
    ]


def _busiest_first(rows: list[BreakdownRow]) -> list[BreakdownRow]:
    return sorted(rows, key=lambda r: (-r.counts.received, r.label))


def feedback_dashboard(
    *,
    user,
    start: date,
    end: date,
    commune_ids: list[int] | None = None,
    category: str = "",
    source: str = "",
    today: date | None = None,
) -> Dashboard:
    """The period's counts and today's open items for the user's communes.

    `commune_ids` narrows the user's visible communes (a province evaluator picking one); it
    never widens them. `category` and `source` empty mean every one; `category`
    UNCLASSIFIED means the items not yet classified.
    The period is start–end inclusive, by day of receipt. Five queries whatever the data.
    """
    if end < start:
        raise ValueError("the period's end is before its start")
    today = today or today_local()
    if commune_ids is not None:
        commune_ids = sorted(set(commune_ids))
    scope = tenancy.visible_commune_ids(user)
    if commune_ids is not None:
        scope = commune_ids if scope is None else [c for c in scope if c in set(commune_ids)]
    qs = _scoped(user, commune_ids, category=category, source=source)
    period = qs.filter(
        received_at__gte=_local_midnight(start),
        received_at__lt=_local_midnight(end + timedelta(days=1)),
    )
    cells = (
        period.annotate(month=TruncMonth("received_at", tzinfo=LOCAL_TZ, output_field=DateField()))
        .values("source", "category", "hamlet_id", "month")
        .annotate(**_aggregates(today))
        .values_list("source", "category", "hamlet_id", "month", *COUNT_NAMES)
        .order_by()
    )
    by_source: dict[str, list] = defaultdict(list)
    by_category: dict[str, list] = defaultdict(list)
    by_hamlet: dict[str, list] = defaultdict(list)
    by_month: dict[date, list] = defaultdict(list)
    for item_source, item_category, hamlet_id, month, *vector in cells:
        by_source[item_source].append(vector)
        by_category[item_category or NO_CATEGORY].append(vector)
        by_hamlet[str(hamlet_id) if hamlet_id else NO_HAMLET].append(vector)
        by_month[month_of(month)].append(vector)
    sources = {key: _sum(v) for key, v in by_source.items()}
    category_sums = {key: _sum(v) for key, v in by_category.items()}
    hamlet_sums = {key: _sum(v) for key, v in by_hamlet.items()}
    month_sums = {key: _sum(v) for key, v in by_month.items()}

    source_rows = _rows(sources, [(s.value, str(s.label)) for s in Source])
    category_rows = _rows(
        category_sums,
        [(c.code, c.label) for c in categories()] + [(NO_CATEGORY, _("Chưa phân loại"))],
    )
    category_rows += [
        BreakdownRow(key, key, Counts.of(values))
        for key, values in category_sums.items()
        if key not in {c.code for c in categories()} | {NO_CATEGORY}
    ]
    several = scope is None or len(scope) != 1
    hamlet_ids = [int(key) for key in hamlet_sums if key != NO_HAMLET]
    hamlet_rows = []
    if hamlet_ids:
        hamlets = (
            Hamlet.objects.filter(pk__in=hamlet_ids)
            .select_related("commune")
            .only("name", "order", "commune__name")
            .order_by("commune__name", "order", "name")
        )
        for hamlet in hamlets:
            label = hamlet.name
            if several:
                label = _("%(hamlet)s (%(commune)s)") % {
                    "hamlet": hamlet.name,
                    "commune": hamlet.commune.name,
                }
            hamlet_rows.append(
                BreakdownRow(str(hamlet.pk), label, Counts.of(hamlet_sums[str(hamlet.pk)]))
            )
    if NO_HAMLET in hamlet_sums:
        hamlet_rows.append(
            BreakdownRow(
                NO_HAMLET, _("Không rõ thôn, tổ dân phố"), Counts.of(hamlet_sums[NO_HAMLET])
            )
        )
    month_rows = [
        BreakdownRow(
            f"{month:%Y-%m}",
            f"{month:%m/%Y}",
            Counts.of(month_sums.get(month, [0] * len(COUNT_NAMES))),
            month=month,
        )
        for month in months_between(start, end)
    ]
    total = Counts.of(_sum([row.counts.vector() for row in month_rows]) or [0] * len(COUNT_NAMES))
    return Dashboard(
        today=today,
        start=start,
        end=end,
        commune_ids=scope,
        category=category,
        source=source,
        total=total,
        by_source=_busiest_first(source_rows),
        by_category=category_rows,
        by_hamlet=hamlet_rows,
        by_month=month_rows,
        open_counts=_open_counts(qs, today=today),
        oldest_open=_oldest_open(qs, today=today),
    )
