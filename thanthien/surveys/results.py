"""Reads of survey and rating results: satisfaction indices per factor, hamlet, channel,
month, procedure, official and counter, all counted in SQL.

Every selector here runs a FIXED number of queries whatever the number of responses or
ratings (tests/test_results.py pins them). A campaign's score rows are read by two GROUP BYs
whose few hundred cells are summed into every breakdown (bench/surveys.py measured one scan
per breakdown at several times the cost); each ratings breakdown is one GROUP BY with a
filtered COUNT per answer key (`indices.indices_by`); the answer distribution of a campaign's
single-choice and Likert questions is one walk over the responses' JSON answers.

An index counts satisfaction ANSWERS, not respondents: a campaign index over several
questions pools every satisfaction answer of every response (see docs/SURVEYS.md).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import Count, DateField, Func, QuerySet
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from thanthien.core.charts import IndexBar, format_percent
from thanthien.core.workdays import LOCAL_TZ
from thanthien.places.models import Hamlet
from thanthien.surveys import indices
from thanthien.surveys.definitions import Questionnaire, parse_definition
from thanthien.surveys.indices import Index, TargetVerdict
from thanthien.surveys.models import SCORE_KEYS, Campaign, Response, ResponseScore
from thanthien.surveys.models import ResponseChannel as Channel
from thanthien.surveys.rating_selectors import own_only, ratings_visible_to

FACTOR_LABELS = {
    "access": _("Tiếp cận dịch vụ"),
    "procedure": _("Thủ tục hành chính"),
    "officials": _("Công chức giải quyết"),
    "result": _("Kết quả giải quyết"),
    "feedback": _("Tiếp nhận, xử lý góp ý"),
}
VERDICT_LABELS = {
    TargetVerdict.NO_DATA: _("Chưa có số liệu"),
    TargetVerdict.ABOVE: _("Đạt mục tiêu"),
    TargetVerdict.BELOW: _("Chưa đạt mục tiêu"),
    TargetVerdict.INCONCLUSIVE: _("Chưa đủ mẫu để kết luận"),
}
#: The target the ratings indices are read against when the page does not set one.
DEFAULT_RATING_TARGET = Decimal("0.9")
#: Question types whose answers are counted per option (multiple choice, numbers and free
#: text are not: multiple choice needs JSON array containment, text is never aggregated).
DISTRIBUTION_TYPES = ("single", "likert")
NO_HAMLET = _("Không rõ thôn")
NOT_RECORDED = _("Không ghi nhận")


@dataclass(frozen=True)
class IndexRow:
    """One line of a breakdown: its index and how it stands against the target."""

    key: Any
    label: str
    index: Index
    verdict: TargetVerdict
    meets: bool | None

    @property
    def verdict_label(self) -> str:
        return str(VERDICT_LABELS[self.verdict])

    @property
    def share_text(self) -> str:
        return "—" if self.index.share is None else format_percent(self.index.share * 100)

    @property
    def interval_text(self) -> str:
        if self.index.low is None:
            return "—"
        return f"{format_percent(self.index.low * 100)} – {format_percent(self.index.high * 100)}"

    def bar(self) -> IndexBar:
        i = self.index
        return IndexBar(label=self.label, n=i.n, share=i.share, low=i.low, high=i.high)


def index_row(*, key: Any, label: str, index: Index, target: Decimal | float) -> IndexRow:
    return IndexRow(
        key=key,
        label=str(label),
        index=index,
        verdict=indices.target_verdict(index, target),
        meets=indices.meets_target(index, target),
    )


@dataclass(frozen=True)
class Breakdown:
    key: str  # "factor", "hamlet", … (the XLSX sheet and the page anchor)
    title: str
    rows: list[IndexRow]


@dataclass(frozen=True)
class HamletCount:
    hamlet_id: int | None
    label: str
    responses: int
    target: int | None

    @property
    def percent_of_target(self) -> float | None:
        return self.responses * 100 / self.target if self.target else None

    @property
    def percent_text(self) -> str:
        value = self.percent_of_target
        return "—" if value is None else format_percent(value)


@dataclass(frozen=True)
class OptionCount:
    value: Any
    label: str
    count: int
    percent: float | None

    @property
    def percent_text(self) -> str:
        return "—" if self.percent is None else format_percent(self.percent)


@dataclass(frozen=True)
class QuestionDistribution:
    question_id: str
    text: str
    factor: str
    n: int  # responses that answered it
    options: list[OptionCount]


@dataclass(frozen=True)
class CampaignResults:
    campaign: Campaign
    target: Decimal
    responses: int
    overall: IndexRow
    breakdowns: list[Breakdown]
    hamlet_counts: list[HamletCount]
    questions: list[QuestionDistribution] = field(default_factory=list)

    def breakdown(self, key: str) -> Breakdown:
        return next(b for b in self.breakdowns if b.key == key)


def _month_label(value: date | datetime | None) -> str:
    return "—" if value is None else f"{value:%m/%Y}"


def _rows(
    grouped: Mapping[Any, Index], *, labels: Mapping[Any, str], target, default_label=""
) -> list[IndexRow]:
    return [
        index_row(
            key=key,
            label=labels.get(key) or default_label or str(key),
            index=index,
            target=target,
        )
        for key, index in grouped.items()
    ]


class LocalMonth(Func):
    """The first day of the month of a timestamp in Việt Nam, computed by the database.

    Việt Nam keeps UTC+7 all year (no daylight saving since 1975), so both databases shift
    by a fixed seven hours: SQLite then needs no call back into Python for every row (as
    TruncMonth(tzinfo=…) makes), and PostgreSQL no time-zone lookup per row (measured: 0.2 s
    instead of 0.37 s over 530,000 rows).
    """

    output_field = DateField()
    template = "CAST(date_trunc('month', %(expressions)s AT TIME ZONE INTERVAL '+07:00') AS date)"

    def as_sqlite(self, compiler, connection, **extra_context):
        # "%%%%" survives the template's % formatting and the backend's "%%" -> "%".
        return self.as_sql(
            compiler,
            connection,
            template="strftime('%%%%Y-%%%%m-01', %(expressions)s, '+7 hours')",
            **extra_context,
        )


def campaign_questionnaire(campaign: Campaign) -> Questionnaire:
    """The questionnaire snapshot the campaign was launched with."""
    return parse_definition(campaign.definition, source=f"campaign {campaign.pk}")


def _distribution_plan(questionnaire: Questionnaire) -> list:
    """[(question, [(value, label)])] of the single-choice and Likert questions counted."""
    language = get_language() or "vi"
    plan = []
    for question in questionnaire.questions:
        if question.type not in DISTRIBUTION_TYPES or question.options_from:
            continue
        if question.type == "likert":
            values = [
                (point, label.get(language))
                for point, label in enumerate(question.scale.labels, start=1)
            ]
        else:
            values = [(option.value, option.label.get(language)) for option in question.options]
        plan.append((question, values))
    return plan


def _answer_counts(campaign: Campaign, question_ids: list[str]) -> dict[tuple[str, str], int]:
    """{(question id, answer as text): responses}, one query walking each JSON answer once."""
    # Response._meta.db_table is "surveys_response"; the ids go in as one parameter.
    if connection.vendor == "postgresql":
        sql = (
            "SELECT j.key, j.value, COUNT(*) FROM surveys_response r "
            "CROSS JOIN LATERAL jsonb_each_text(r.answers) j "
            "WHERE r.campaign_id = %s AND j.key = ANY(%s) GROUP BY j.key, j.value"
        )
        params = [campaign.pk, question_ids]
    elif connection.vendor == "sqlite":
        sql = (
            "SELECT j.key, j.value, COUNT(*) FROM surveys_response r, json_each(r.answers) j "
            "WHERE r.campaign_id = %s AND j.key IN (SELECT value FROM json_each(%s)) "
            "GROUP BY j.key, j.value"
        )
        params = [campaign.pk, json.dumps(question_ids)]
    else:  # pragma: no cover - the platform runs on PostgreSQL and SQLite only
        raise NotImplementedError(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(key, str(value)): count for key, value, count in cursor.fetchall()}


def question_distributions(
    campaign: Campaign, *, questionnaire: Questionnaire | None = None
) -> list[QuestionDistribution]:
    """How the responses answered each single-choice and Likert question (one query).

    Questions whose options come from the campaign (hamlets, procedures), multiple choice,
    numbers and free text are left out: free text is never published or exported.
    """
    questionnaire = questionnaire or campaign_questionnaire(campaign)
    plan = _distribution_plan(questionnaire)
    if not plan:
        return []
    counts = _answer_counts(campaign, [question.id for question, _values in plan])
    language = get_language() or "vi"
    result = []
    for question, values in plan:
        cells = [
            (value, label, counts.get((question.id, str(value)), 0)) for value, label in values
        ]
        n = sum(count for _v, _l, count in cells)
        options = [
            OptionCount(
                value=value,
                label=label,
                count=count,
                percent=count * 100 / n if n else None,
            )
            for value, label, count in cells
        ]
        result.append(
            QuestionDistribution(
                question_id=question.id,
                text=question.text.get(language),
                factor=question.factor or "",
                n=n,
                options=options,
            )
        )
    return result


def _add(totals: dict, group: Any, key: str, count: int) -> None:
    totals.setdefault(group, dict.fromkeys(indices.SCALE_KEYS, 0))[key] += count


def campaign_results(campaign: Campaign, *, with_questions: bool = True) -> CampaignResults:
    """Every index of a campaign against its satisfaction target, in 5 queries.

    Breakdowns: factor (the SIPAS five), satisfaction question, hamlet and channel from ONE
    GROUP BY of the score rows over (question, factor, hamlet, channel, key) — its few
    hundred cells are summed here into each breakdown, so the rows are read once, not once
    per breakdown — and month (in Vietnamese time) from a second. Response counts per
    hamlet against `target_per_hamlet`; the answer distribution (`question_distributions`).
    """
    target = campaign.satisfaction_target
    questionnaire = campaign_questionnaire(campaign)
    language = get_language() or "vi"
    scores = ResponseScore.objects.filter(campaign=campaign).order_by()
    # Two GROUP BYs, not one over all six columns: PostgreSQL cannot estimate the groups of
    # the month expression and then sorts 530,000 rows on disk instead of hashing them.
    cells = scores.values_list("question_id", "factor", "hamlet_id", "channel", "key").annotate(
        n=Count("pk")
    )  # 1
    months = (
        scores.annotate(month=LocalMonth("submitted_at"))
        .values_list("month", "key")
        .annotate(n=Count("pk"))
    )  # 2
    totals: dict[str, dict] = {b: {} for b in ("factor", "question", "hamlet", "channel", "month")}
    for question_id, factor, hamlet_id, channel, key, n in cells:
        _add(totals["factor"], factor, key, n)
        _add(totals["question"], question_id, key, n)
        _add(totals["hamlet"], hamlet_id, key, n)
        _add(totals["channel"], channel, key, n)
    for month, key, n in months:
        _add(totals["month"], month, key, n)
    grouped = {
        name: {group: indices.satisfaction_index(counts) for group, counts in by.items()}
        for name, by in totals.items()
    }
    # Overall: every satisfaction answer, those of untagged questions ("overall
    # satisfaction") too.
    overall = indices.satisfaction_index(indices.combine_counts(totals["factor"].values()))
    empty = indices.satisfaction_index({})
    factor_rows = [
        index_row(
            key=factor,
            label=FACTOR_LABELS[factor],
            index=grouped["factor"].get(factor, empty),
            target=target,
        )
        for factor in FACTOR_LABELS
    ]

    question_labels = {q.id: q.text.get(language) for q in questionnaire.questions}
    order = {q.id: n for n, q in enumerate(questionnaire.questions)}
    question_rows = sorted(
        _rows(grouped["question"], labels=question_labels, target=target),
        key=lambda row: (order.get(row.key, len(order)), row.key),
    )

    response_counts = list(  # 3
        Response.objects.filter(campaign=campaign)
        .order_by()
        .values("hamlet_id")
        .annotate(n=Count("pk"))
        .values_list("hamlet_id", "n")
    )
    targets = {
        int(key): int(value)
        for key, value in (campaign.target_per_hamlet or {}).items()
        if str(key).isdigit()
    }
    counted = dict(response_counts)
    hamlet_ids = {key for key in grouped["hamlet"] if key} | set(targets) | set(counted)
    hamlet_ids.discard(None)
    hamlet_names = {  # 4
        pk: name for pk, name in Hamlet.objects.filter(pk__in=hamlet_ids).values_list("pk", "name")
    }
    hamlet_rows = sorted(
        _rows(grouped["hamlet"], labels=hamlet_names, target=target, default_label=str(NO_HAMLET)),
        key=lambda row: (row.key is None, row.label),
    )
    hamlet_counts = sorted(
        (
            HamletCount(
                hamlet_id=hamlet_id,
                label=hamlet_names.get(hamlet_id, str(NO_HAMLET)),
                responses=counted.get(hamlet_id, 0),
                target=targets.get(hamlet_id) if hamlet_id else None,
            )
            for hamlet_id in set(counted) | set(targets)
        ),
        key=lambda row: (row.hamlet_id is None, row.label),
    )
    channel_rows = _rows(grouped["channel"], labels=dict(Channel.choices), target=target)
    month_rows = [
        index_row(key=month, label=_month_label(month), index=i, target=target)
        for month, i in sorted(grouped["month"].items(), key=lambda item: item[0] or date.min)
    ]

    breakdowns = [
        Breakdown("factor", str(_("Theo yếu tố")), factor_rows),
        Breakdown("question", str(_("Theo câu hỏi về mức hài lòng")), question_rows),
        Breakdown("hamlet", str(_("Theo thôn, tổ dân phố")), hamlet_rows),
        Breakdown("channel", str(_("Theo hình thức khảo sát")), channel_rows),
        Breakdown("month", str(_("Theo tháng")), month_rows),
    ]
    return CampaignResults(
        campaign=campaign,
        target=target,
        responses=sum(counted.values()),
        overall=index_row(key="overall", label=str(_("Chung")), index=overall, target=target),
        breakdowns=breakdowns,
        hamlet_counts=hamlet_counts,
        questions=question_distributions(campaign, questionnaire=questionnaire)  # 5
        if with_questions
        else [],
    )


# --- Ratings of transactions ----------------------------------------------------------------


@dataclass(frozen=True)
class RatingRow:
    """The service index and the official index of one group of ratings."""

    key: Any
    label: str
    service: IndexRow
    official: IndexRow


@dataclass(frozen=True)
class RatingBreakdown:
    key: str
    title: str
    rows: list[RatingRow]


@dataclass(frozen=True)
class RatingIndices:
    start: date
    end: date
    target: Decimal
    overall: RatingRow
    breakdowns: list[RatingBreakdown]
    own_only: bool

    def breakdown(self, key: str) -> RatingBreakdown:
        return next(b for b in self.breakdowns if b.key == key)


SCORE_FIELDS = ("service_score", "official_score")


def ratings_in_period(user, *, start: date, end: date) -> QuerySet:
    """The ratings the user may read, submitted from `start` to `end` (Vietnamese days)."""
    since = datetime.combine(start, time.min, tzinfo=LOCAL_TZ)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=LOCAL_TZ)
    return ratings_visible_to(user).filter(submitted_at__gte=since, submitted_at__lt=until)


def _dual(ratings: QuerySet, *, group_by: str) -> dict[str, dict[Any, Index]]:
    return {
        field_name: indices.indices_by(
            ratings, field=field_name, mapping=SCORE_KEYS, group_by=group_by
        )
        for field_name in SCORE_FIELDS
    }


def _rating_row(*, key: Any, label: str, service: Index, official: Index, target) -> RatingRow:
    return RatingRow(
        key=key,
        label=label,
        service=index_row(key=key, label=label, index=service, target=target),
        official=index_row(key=key, label=label, index=official, target=target),
    )


def _rating_rows(dual, *, labels: Mapping[Any, str], target, missing_label) -> list[RatingRow]:
    empty = indices.satisfaction_index({})
    keys = list(dual["service_score"]) + [
        k for k in dual["official_score"] if k not in dual["service_score"]
    ]
    rows = []
    for key in keys:
        label = str(labels.get(key) or missing_label) if key is not None else str(missing_label)
        rows.append(
            _rating_row(
                key=key,
                label=label,
                service=dual["service_score"].get(key, empty),
                official=dual["official_score"].get(key, empty),
                target=target,
            )
        )
    return rows


def _rating_breakdown(
    key: str, title, dual, *, labels: Mapping[Any, str], target, order=lambda row: row.label
) -> RatingBreakdown:
    """One breakdown of the ratings, groups ordered by `order` and the unrecorded group last."""
    rows = _rating_rows(dual, labels=labels, target=target, missing_label=NOT_RECORDED)
    return RatingBreakdown(
        key, str(title), sorted(rows, key=lambda row: (row.key is None, order(row)))
    )


def rating_indices(
    user, *, start: date, end: date, target: Decimal = DEFAULT_RATING_TARGET
) -> RatingIndices:
    """Service and official indices of the ratings the user may read in a period: overall,
    per procedure, official, counter and month, in 13 queries whatever the number of ratings.

    An official reads only the ratings of their own service (rating_selectors); a leader
    reads everyone's in their commune.
    """
    from thanthien.onestop.models import Procedure
    from thanthien.people.models import Official
    from thanthien.surveys.models import Counter

    ratings = ratings_in_period(user, start=start, end=end)
    overall = {f: indices.index_of(ratings, field=f, mapping=SCORE_KEYS) for f in SCORE_FIELDS}  # 2
    by_procedure = _dual(ratings, group_by="procedure_id")  # 4
    by_official = _dual(ratings, group_by="official_id")  # 6
    by_counter = _dual(ratings, group_by="counter_id")  # 8
    months = ratings.annotate(month=LocalMonth("submitted_at"))
    by_month = _dual(months, group_by="month")  # 10

    def ids(dual):
        return {k for part in dual.values() for k in part if k is not None}

    procedures = dict(  # 11
        Procedure.objects.filter(pk__in=ids(by_procedure)).values_list("pk", "name")
    )
    officials = dict(  # 12
        Official.objects.filter(pk__in=ids(by_official)).values_list("pk", "full_name")
    )
    counters = {c.pk: str(c) for c in Counter.objects.filter(pk__in=ids(by_counter))}  # 13

    month_labels = {k: _month_label(k) for k in ids(by_month)}
    breakdowns = [
        _rating_breakdown(
            "procedure", _("Theo thủ tục"), by_procedure, labels=procedures, target=target
        ),
        _rating_breakdown(
            "official", _("Theo cán bộ"), by_official, labels=officials, target=target
        ),
        _rating_breakdown("counter", _("Theo quầy"), by_counter, labels=counters, target=target),
        _rating_breakdown(
            "month",
            _("Theo tháng"),
            by_month,
            labels=month_labels,
            target=target,
            order=lambda row: row.key or date.min,
        ),
    ]
    return RatingIndices(
        start=start,
        end=end,
        target=target,
        overall=_rating_row(
            key="overall",
            label=str(_("Chung")),
            service=overall["service_score"],
            official=overall["official_score"],
            target=target,
        ),
        breakdowns=breakdowns,
        own_only=own_only(user),
    )


__all__ = [
    "FACTOR_LABELS",
    "Breakdown",
    "CampaignResults",
    "HamletCount",
    "IndexRow",
    "QuestionDistribution",
    "RatingIndices",
    "campaign_results",
    "question_distributions",
    "rating_indices",
    "ratings_in_period",
]
