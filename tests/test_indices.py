"""Satisfaction index: share satisfied or better with a Wilson 95% interval; SQL aggregation."""

import dataclasses
import math
from decimal import Decimal
from statistics import NormalDist

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.factories import HamletFactory
from thanthien.places.models import Hamlet
from thanthien.surveys.indices import (
    SCALE_KEYS,
    Z_95,
    Index,
    TargetVerdict,
    combine_counts,
    index_of,
    indices_by,
    meets_target,
    satisfaction_index,
    score_counts,
    score_counts_by,
    target_verdict,
)

Z = NormalDist().inv_cdf(0.975)


def wilson_by_hand(x: int, n: int) -> tuple[float, float]:
    """Wilson score interval written from the textbook formula, independently of the module."""
    p = x / n
    centre = p + Z**2 / (2 * n)
    spread = Z * math.sqrt(p * (1 - p) / n + Z**2 / (4 * n**2))
    scale = 1 + Z**2 / n
    return (centre - spread) / scale, (centre + spread) / scale


def test_z_is_the_two_sided_95_percent_normal_quantile():
    assert math.isclose(Z_95, Z, rel_tol=1e-12)


def test_ninety_satisfied_out_of_a_hundred_gives_the_wilson_interval():
    index = satisfaction_index(
        {"very_satisfied": 40, "satisfied": 50, "neutral": 6, "dissatisfied": 4}
    )
    low, high = wilson_by_hand(90, 100)
    assert index.n == 100
    assert index.positive == 90
    assert index.share == pytest.approx(0.9)
    assert math.isclose(index.low, low, rel_tol=1e-12)
    assert math.isclose(index.high, high, rel_tol=1e-12)
    # The published value for 90/100: [0.8256, 0.9448].
    assert math.isclose(index.low, 0.8256, abs_tol=5e-5)
    assert math.isclose(index.high, 0.9448, abs_tol=5e-5)


def test_no_answers_give_no_share_and_no_error():
    assert satisfaction_index({}) == Index(n=0, positive=0, share=None, low=None, high=None)
    index = satisfaction_index(dict.fromkeys(SCALE_KEYS, 0))
    assert index.share is None and index.low is None and index.high is None
    assert not index.has_data


def test_all_satisfied_reaches_one_with_the_closed_form_lower_bound():
    index = satisfaction_index({"very_satisfied": 12, "satisfied": 8})
    assert index.share == 1.0
    assert index.high == 1.0
    assert math.isclose(index.low, 20 / (20 + Z**2), rel_tol=1e-12)


def test_none_satisfied_starts_at_zero_with_the_closed_form_upper_bound():
    index = satisfaction_index({"neutral": 5, "dissatisfied": 5})
    assert index.share == 0.0
    assert index.low == 0.0
    assert math.isclose(index.high, Z**2 / (10 + Z**2), rel_tol=1e-12)


def test_missing_keys_count_as_zero():
    assert satisfaction_index({"satisfied": 3}) == satisfaction_index(
        {"very_satisfied": 0, "satisfied": 3, "neutral": 0, "dissatisfied": 0}
    )


def test_negative_count_is_rejected_with_its_key():
    with pytest.raises(ValueError, match=r"neutral.*negative"):
        satisfaction_index({"satisfied": 3, "neutral": -1})


def test_unknown_key_is_rejected_by_name():
    with pytest.raises(ValueError, match=r"unknown answer key.*happy"):
        satisfaction_index({"satisfied": 3, "happy": 2})


@pytest.mark.parametrize("bad", [1.5, "3", True, None])
def test_counts_must_be_whole_numbers(bad):
    with pytest.raises(ValueError, match="whole number"):
        satisfaction_index({"satisfied": bad})


def test_index_is_immutable():
    index = satisfaction_index({"satisfied": 1})
    with pytest.raises(dataclasses.FrozenInstanceError):
        index.share = 0.5


counts = st.fixed_dictionaries(
    {key: st.integers(min_value=0, max_value=10**7) for key in SCALE_KEYS}
)


@given(counts)
def test_interval_always_brackets_the_share_inside_zero_one(counts):
    index = satisfaction_index(counts)
    assert index.n == sum(counts.values())
    if index.n == 0:
        assert index.share is None
        return
    assert index.share == (counts["satisfied"] + counts["very_satisfied"]) / index.n
    assert 0 <= index.low <= index.share <= index.high <= 1


@given(
    st.integers(min_value=1, max_value=2000),
    st.integers(min_value=0, max_value=2000),
    st.integers(min_value=2, max_value=50),
)
def test_more_answers_with_the_same_share_narrow_the_interval(n, positive, factor):
    positive = min(positive, n)
    small = satisfaction_index({"satisfied": positive, "neutral": n - positive})
    large = satisfaction_index({"satisfied": positive * factor, "neutral": (n - positive) * factor})
    assert large.high - large.low < small.high - small.low


def test_meets_target_compares_the_share():
    index = satisfaction_index({"satisfied": 90, "neutral": 10})
    assert meets_target(index, 0.9) is True
    assert meets_target(index, Decimal("0.91")) is False
    assert meets_target(satisfaction_index({}), 0.9) is None


@pytest.mark.parametrize("bad", [90, -0.1, 1.01, float("nan"), "0.9"])
def test_target_must_be_a_fraction(bad):
    with pytest.raises(ValueError, match="target"):
        meets_target(satisfaction_index({"satisfied": 1}), bad)


def test_target_verdict_uses_the_whole_interval():
    index = satisfaction_index({"satisfied": 90, "neutral": 10})  # [0.8256, 0.9448]
    assert target_verdict(index, 0.8) is TargetVerdict.ABOVE
    assert target_verdict(index, 0.9) is TargetVerdict.INCONCLUSIVE
    assert target_verdict(index, 0.95) is TargetVerdict.BELOW
    assert target_verdict(satisfaction_index({}), 0.9) is TargetVerdict.NO_DATA


def test_a_small_sample_at_the_target_share_is_inconclusive():
    index = satisfaction_index({"satisfied": 9, "dissatisfied": 1})
    assert meets_target(index, 0.85) is True
    assert target_verdict(index, 0.85) is TargetVerdict.INCONCLUSIVE


def test_combine_counts_adds_factors_into_an_overall_count():
    total = combine_counts([{"satisfied": 2, "neutral": 1}, {"satisfied": 3, "very_satisfied": 1}])
    assert total == {"very_satisfied": 1, "satisfied": 5, "neutral": 1, "dissatisfied": 0}
    with pytest.raises(ValueError, match="negative"):
        combine_counts([{"satisfied": -1}])


# Hamlet.household_count stands in for a score column: the helpers only need a queryset.
SCORE_MAP = {4: "very_satisfied", 3: "satisfied", 2: "neutral", 1: "dissatisfied"}


@pytest.fixture
def scored_rows(commune_a, commune_b):
    scores = {
        Hamlet.Kind.THON: [4, 4, 3, 3, 3, 2, 1, 0],
        Hamlet.Kind.XOM: [3, 1],
    }
    for kind, values in scores.items():
        for value in values:
            HamletFactory(commune=commune_a, kind=kind, household_count=value)
    HamletFactory(commune=commune_b, household_count=4)
    return Hamlet.objects.filter(commune=commune_a)


def test_score_counts_aggregates_in_one_query_and_skips_unmapped_scores(
    scored_rows, django_assert_num_queries
):
    with django_assert_num_queries(1):
        counts = score_counts(scored_rows, field="household_count", mapping=SCORE_MAP)
    assert counts == {"very_satisfied": 2, "satisfied": 4, "neutral": 1, "dissatisfied": 2}


def test_several_scores_can_map_to_one_key(scored_rows):
    counts = score_counts(
        scored_rows,
        field="household_count",
        mapping={4: "satisfied", 3: "satisfied", 2: "dissatisfied", 1: "dissatisfied"},
    )
    assert counts == {"very_satisfied": 0, "satisfied": 6, "neutral": 0, "dissatisfied": 3}


def test_index_of_an_empty_queryset_has_no_share(db, django_assert_num_queries):
    with django_assert_num_queries(1):
        index = index_of(Hamlet.objects.filter(pk=-1), field="household_count", mapping=SCORE_MAP)
    assert index.n == 0 and index.share is None


def test_score_counts_by_groups_in_one_query(scored_rows, django_assert_num_queries):
    with django_assert_num_queries(1):
        grouped = score_counts_by(
            scored_rows, field="household_count", mapping=SCORE_MAP, group_by="kind"
        )
    assert grouped == {
        "thon": {"very_satisfied": 2, "satisfied": 3, "neutral": 1, "dissatisfied": 1},
        "xom": {"very_satisfied": 0, "satisfied": 1, "neutral": 0, "dissatisfied": 1},
    }
    indices = indices_by(scored_rows, field="household_count", mapping=SCORE_MAP, group_by="kind")
    assert indices["thon"] == satisfaction_index(grouped["thon"])
    assert indices["xom"].share == 0.5


def test_mapping_to_an_unknown_key_is_rejected(db):
    with pytest.raises(ValueError, match="unknown key 'great'"):
        score_counts(Hamlet.objects.all(), field="household_count", mapping={5: "great"})
    with pytest.raises(ValueError, match="at least one"):
        score_counts(Hamlet.objects.all(), field="household_count", mapping={})
