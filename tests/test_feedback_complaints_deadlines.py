"""Deadlines of complaints and denunciations against the numbers of the laws (DOMAIN.md):
Law on Complaints 2011 (limitation 90 days, accept within 10 days, resolve 30/45 days at the
first round, 45/60 at the second, longer in remote areas) and Law on Denunciations 2018
(initial handling 7 working days, extendable to 10; transfer within 5 working days; resolve
within 30 days, extended once by 30, twice when especially complex)."""

from datetime import date

import pytest

from thanthien.feedback import complaint_deadlines as deadlines

COMPLAINT = deadlines.COMPLAINT
DENUNCIATION = deadlines.DENUNCIATION
ACCEPTED = date(2026, 3, 2)  # a Monday


def test_complaint_is_accepted_or_refused_within_10_calendar_days():
    # Received Friday 24 April 2026: the holidays of 27, 30 April and 1 May do not matter.
    assert deadlines.accept_due(kind=COMPLAINT, received_on=date(2026, 4, 24)) == date(2026, 5, 4)


@pytest.mark.parametrize(
    ("round", "is_complex", "is_remote", "days", "expected"),
    [
        (1, False, False, 30, date(2026, 4, 1)),
        (1, True, False, 45, date(2026, 4, 16)),
        (1, False, True, 45, date(2026, 4, 16)),
        (1, True, True, 60, date(2026, 5, 1)),
        (2, False, False, 45, date(2026, 4, 16)),
        (2, True, False, 60, date(2026, 5, 1)),
        (2, False, True, 60, date(2026, 5, 1)),
        (2, True, True, 70, date(2026, 5, 11)),
    ],
)
def test_complaint_resolution_deadline_follows_round_complexity_and_remote_area(
    round, is_complex, is_remote, days, expected
):
    due = deadlines.resolve_due(
        kind=COMPLAINT,
        accepted_on=ACCEPTED,
        round=round,
        is_complex=is_complex,
        is_remote=is_remote,
    )
    assert due == expected
    assert (due - ACCEPTED).days == days


@pytest.mark.django_db
def test_denunciation_initial_handling_is_7_working_days_over_a_weekend_and_holidays():
    # Friday 24 April 2026 -> skips the weekend, the Hùng Kings day observed on Monday 27,
    # 30 April and 1 May, and the next weekend: the 7th working day is Friday 8 May.
    due = deadlines.accept_due(kind=DENUNCIATION, received_on=date(2026, 4, 24))
    assert due == date(2026, 5, 8)


@pytest.mark.django_db
def test_denunciation_initial_handling_extends_to_10_working_days_from_receipt():
    rule = deadlines.extension_rule(
        kind=DENUNCIATION, stage="accept", is_complex=False, received_on=date(2026, 4, 24)
    )
    assert rule.max_count == 1 and rule.working_days
    assert rule.fixed_due == date(2026, 5, 13)
    new_due = deadlines.extended_due(previous_due=date(2026, 5, 8), days=3, rule=rule)
    assert new_due == date(2026, 5, 13)


@pytest.mark.django_db
def test_denunciation_transfer_is_due_in_5_working_days():
    assert deadlines.transfer_due(received_on=date(2026, 4, 24)) == date(2026, 5, 6)


def test_denunciation_resolution_is_30_days_from_acceptance_whatever_the_area():
    for is_remote in (False, True):
        due = deadlines.resolve_due(kind=DENUNCIATION, accepted_on=ACCEPTED, is_remote=is_remote)
        assert due == date(2026, 4, 1)


def test_denunciation_resolution_may_be_extended_once_by_at_most_30_days():
    common = {"kind": DENUNCIATION, "stage": "resolve", "received_on": ACCEPTED}
    assert deadlines.extension_refusal(is_complex=False, days=30, done=0, **common) is None
    too_long = deadlines.extension_refusal(is_complex=False, days=31, done=0, **common)
    assert "không quá 30 ngày" in too_long
    second = deadlines.extension_refusal(is_complex=False, days=30, done=1, **common)
    assert "chỉ được gia hạn 1 lần" in second


def test_especially_complex_denunciation_may_be_extended_twice_not_three_times():
    common = {"kind": DENUNCIATION, "stage": "resolve", "received_on": ACCEPTED}
    assert deadlines.extension_refusal(is_complex=True, days=30, done=1, **common) is None
    third = deadlines.extension_refusal(is_complex=True, days=30, done=2, **common)
    assert "tối đa 2 lần" in third


def test_complaints_have_no_extension_only_the_longer_complex_period():
    refusal = deadlines.extension_refusal(
        kind=COMPLAINT,
        stage="resolve",
        is_complex=False,
        received_on=ACCEPTED,
        days=10,
        done=0,
    )
    assert "không cho gia hạn" in refusal


def test_limitation_is_90_days_from_learning_of_the_decision():
    learned = date(2026, 1, 1)
    assert deadlines.limitation_ends(learned) == date(2026, 4, 1)
    assert not deadlines.is_time_barred(learned_on=learned, received_on=date(2026, 4, 1))
    assert deadlines.is_time_barred(learned_on=learned, received_on=date(2026, 4, 2))
    assert not deadlines.is_time_barred(learned_on=None, received_on=date(2030, 1, 1))


def test_deadlines_follow_the_setting(settings):
    settings.THANTHIEN_COMPLAINT_DEADLINES = {
        **settings.THANTHIEN_COMPLAINT_DEADLINES,
        "complaint_first": (20, "days"),
    }
    assert deadlines.resolve_due(kind=COMPLAINT, accepted_on=ACCEPTED) == date(2026, 3, 22)
