"""Satisfaction indices: the share satisfied or very satisfied, with a Wilson 95% interval.

SIPAS publishes no answer scale or formula (../shared/DOMAIN.md "Satisfaction measurement"),
so every index here is the share of answers that are "satisfied" or "very satisfied" over all
counted answers, reported with its count and a Wilson score interval. The Wilson interval is
used rather than the normal ("Wald") interval because it stays inside [0, 1] and is honest for
small samples and shares near 100%, which is where commune results usually sit.

Aggregation happens in the database: `score_counts` / `score_counts_by` turn a queryset with a
score column into the counts in one query, whatever the number of rows.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.db.models import Count, Q, QuerySet

VERY_SATISFIED = "very_satisfied"
SATISFIED = "satisfied"
NEUTRAL = "neutral"
DISSATISFIED = "dissatisfied"

#: The four answer keys, best first. Missing keys in a counts mapping count as 0.
SCALE_KEYS: tuple[str, ...] = (VERY_SATISFIED, SATISFIED, NEUTRAL, DISSATISFIED)
#: The keys that count towards the share.
POSITIVE_KEYS: frozenset[str] = frozenset({VERY_SATISFIED, SATISFIED})

#: z for a two-sided 95% interval: the 0.975 quantile of the standard normal distribution.
Z_95 = 1.959963984540054


@dataclass(frozen=True)
class Index:
    """A satisfaction index: n answers, the share satisfied or better, its 95% Wilson interval.

    `positive` is the number of satisfied or very satisfied answers (share = positive / n).
    With n = 0 the share and both bounds are None: there is nothing to report, not an error.
    """

    n: int
    positive: int
    share: float | None
    low: float | None
    high: float | None

    @property
    def has_data(self) -> bool:
        return self.n > 0


def _check_count(key: str, value: Any) -> int:
    # bool is an int subclass: True as a count is a bug upstream, not a 1.
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(
            f"count for {key!r} must be a whole number, got {value!r} ({type(value).__name__})"
        )
    if value < 0:
        raise ValueError(f"count for {key!r} must not be negative, got {value}")
    return value


def wilson_interval(positive: int, n: int, *, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for `positive` successes out of `n` (n > 0), clamped to [0, 1]."""
    if n <= 0:
        raise ValueError(f"n must be positive for an interval, got {n}")
    if not 0 <= positive <= n:
        raise ValueError(f"positive must lie between 0 and n={n}, got {positive}")
    p = positive / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half_width = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    # Mathematically low <= p <= high; floating point can miss by one ulp at p = 0 or 1.
    low = min(max(0.0, centre - half_width), p)
    high = max(min(1.0, centre + half_width), p)
    return low, high


def satisfaction_index(counts: Mapping[str, int]) -> Index:
    """The index of answer counts keyed by `SCALE_KEYS`; missing keys count as 0.

    Raises ValueError for an unknown key, a negative count or a count that is not an int.
    """
    unknown = sorted(str(key) for key in counts if key not in SCALE_KEYS)
    if unknown:
        raise ValueError(
            f"unknown answer key(s) {', '.join(unknown)}; expected some of {', '.join(SCALE_KEYS)}"
        )
    checked = {key: _check_count(key, counts.get(key, 0)) for key in SCALE_KEYS}
    n = sum(checked.values())
    positive = checked[VERY_SATISFIED] + checked[SATISFIED]
    if n == 0:
        return Index(n=0, positive=0, share=None, low=None, high=None)
    low, high = wilson_interval(positive, n)
    return Index(n=n, positive=positive, share=positive / n, low=low, high=high)


def _target_fraction(target: float | Decimal | Fraction) -> float:
    if isinstance(target, bool) or not isinstance(target, int | float | Decimal | Fraction):
        raise ValueError(f"target must be a number between 0 and 1, got {target!r}")
    value = float(target)
    if math.isnan(value) or not 0 <= value <= 1:
        raise ValueError(f"target must be a fraction between 0 and 1 (90% is 0.9), got {target!r}")
    return value


def meets_target(index: Index, target: float | Decimal | Fraction) -> bool | None:
    """Whether the measured share reaches the target (share >= target, e.g. 0.9 for 90%).

    None when there are no answers: a commune with no data has neither met nor missed it.
    This is the rule for the headline "met / not met"; `target_verdict` says whether the
    sample is large enough for that answer to be trusted.
    """
    fraction = _target_fraction(target)
    if index.share is None:
        return None
    return index.share >= fraction


class TargetVerdict(enum.StrEnum):
    """How an index stands against a target once sampling error is taken into account."""

    NO_DATA = "no_data"
    #: The whole 95% interval lies at or above the target.
    ABOVE = "above"
    #: The whole 95% interval lies below the target.
    BELOW = "below"
    #: The interval contains the target: the sample cannot tell.
    INCONCLUSIVE = "inconclusive"


def target_verdict(index: Index, target: float | Decimal | Fraction) -> TargetVerdict:
    """ABOVE if low >= target, BELOW if high < target, INCONCLUSIVE otherwise (NO_DATA if n = 0)."""
    fraction = _target_fraction(target)
    if index.low is None or index.high is None:
        return TargetVerdict.NO_DATA
    if index.low >= fraction:
        return TargetVerdict.ABOVE
    if index.high < fraction:
        return TargetVerdict.BELOW
    return TargetVerdict.INCONCLUSIVE


def _values_by_key(mapping: Mapping[Any, str]) -> dict[str, list[Any]]:
    by_key: dict[str, list[Any]] = {key: [] for key in SCALE_KEYS}
    for value, key in mapping.items():
        if key not in SCALE_KEYS:
            raise ValueError(
                f"score {value!r} maps to unknown key {key!r}; expected one of "
                f"{', '.join(SCALE_KEYS)}"
            )
        by_key[key].append(value)
    if not mapping:
        raise ValueError("mapping must map at least one score value to an answer key")
    return by_key


def _count_expressions(field: str, mapping: Mapping[Any, str]) -> dict[str, Count]:
    # Keys with no score mapped to them get no column; _full() fills them with 0.
    return {
        f"count_{key}": Count("pk", filter=Q(**{f"{field}__in": values}))
        for key, values in _values_by_key(mapping).items()
        if values
    }


def _full(row: Mapping[str, Any]) -> dict[str, int]:
    return {key: row.get(f"count_{key}") or 0 for key in SCALE_KEYS}


def score_counts(queryset: QuerySet, *, field: str, mapping: Mapping[Any, str]) -> dict[str, int]:
    """Counts per answer key of the rows of `queryset`, by the value of `field`, in one query.

    `mapping` maps score values stored in `field` to `SCALE_KEYS`, e.g.
    ``{4: "very_satisfied", 3: "satisfied", 2: "neutral", 1: "dissatisfied"}``; several values
    may map to one key. Rows whose score is not in the mapping (no answer, "don't know") are
    not counted and so do not enter n.
    """
    return _full(queryset.aggregate(**_count_expressions(field, mapping)))


def score_counts_by(
    queryset: QuerySet, *, field: str, mapping: Mapping[Any, str], group_by: str
) -> dict[Any, dict[str, int]]:
    """`score_counts` per value of `group_by` (a hamlet, an official, a month), in one query.

    Groups with no mapped answers still appear, with zero counts.
    """
    rows = (
        queryset.order_by()
        .values(group_by)
        .annotate(**_count_expressions(field, mapping))
        .order_by(group_by)
    )
    return {row[group_by]: _full(row) for row in rows}


def index_of(queryset: QuerySet, *, field: str, mapping: Mapping[Any, str]) -> Index:
    """The satisfaction index of a queryset's score column (one query)."""
    return satisfaction_index(score_counts(queryset, field=field, mapping=mapping))


def indices_by(
    queryset: QuerySet, *, field: str, mapping: Mapping[Any, str], group_by: str
) -> dict[Any, Index]:
    """The satisfaction index per value of `group_by` (one query)."""
    grouped = score_counts_by(queryset, field=field, mapping=mapping, group_by=group_by)
    return {group: satisfaction_index(counts) for group, counts in grouped.items()}


def combine_counts(counts: Iterable[Mapping[str, int]]) -> dict[str, int]:
    """The sum of several counts mappings (e.g. all factors into an overall index)."""
    total = dict.fromkeys(SCALE_KEYS, 0)
    for item in counts:
        for key, value in item.items():
            if key not in total:
                raise ValueError(f"unknown answer key {key!r}")
            total[key] += _check_count(key, value)
    return total
