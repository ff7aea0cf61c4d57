"""Counts for the criteria scoring: letters by type and month, ceremonies held by kind,
greetings sent, contributions — for a list of communes and a year, in a fixed number of
queries, each commune counting only its own records."""

from datetime import date, datetime

import pytest

from tests.dossier_helpers import TZ
from tests.factories import CommuneFactory
from tests.factories_ceremonies import CeremonyFactory, ContributionFactory
from tests.factories_letters import LetterFactory
from thanthien.letters import counts
from thanthien.letters.ceremonies import Ceremony, CeremonyKind
from thanthien.letters.models import Letter, LetterType, Occasion
from thanthien.people.roles import Role

_numbers = iter(range(1, 10_000))


def _letter(commune, type_, approved: datetime, state=Letter.State.APPROVED):
    return LetterFactory(
        commune=commune,
        type=type_,
        occasion=Occasion.THANKS if type_ == LetterType.THANKS else Occasion.MARRIAGE,
        state=state,
        year=approved.year,
        number=next(_numbers),
        approved_at=approved,
    )


def _ceremony(commune, kind, day: date, state=Ceremony.State.DONE):
    starts = datetime(day.year, day.month, day.day, 9, tzinfo=TZ)
    return CeremonyFactory(
        commune=commune,
        kind=kind,
        starts_at=starts,
        state=state,
        done_at=starts if state == Ceremony.State.DONE else None,
    )


def _greeting(commune, year: int, approved: bool):
    greeting_model = counts._greeting_model()
    if greeting_model is None:
        return None
    from tests.factories_greetings import GreetingFactory

    return GreetingFactory(
        commune=commune,
        year=year,
        holiday_date=date(year, 9, 2),
        state=greeting_model.State.APPROVED if approved else greeting_model.State.DRAFT,
        approved_at=datetime(year, 8, 30, 9, tzinfo=TZ) if approved else None,
    )


def _fill(commune):
    # Letters: two thank-you in March, one congratulation in December (delivered), one
    # approved at 00:30 on 1 January 2026 local time (still 2025 in UTC: counts for 2026),
    # a draft and a dropped one (not counted).
    _letter(commune, LetterType.THANKS, datetime(2025, 3, 3, 9, tzinfo=TZ))
    _letter(commune, LetterType.THANKS, datetime(2025, 3, 20, 9, tzinfo=TZ))
    _letter(
        commune,
        LetterType.CONGRATULATION,
        datetime(2025, 12, 31, 23, 30, tzinfo=TZ),
        state=Letter.State.DELIVERED,
    )
    _letter(commune, LetterType.THANKS, datetime(2026, 1, 1, 0, 30, tzinfo=TZ))
    LetterFactory(commune=commune, type=LetterType.APOLOGY, occasion=Occasion.APOLOGY)
    LetterFactory(commune=commune, state=Letter.State.DROPPED)
    # Ceremonies: two home deliveries and a condolence visit held, one planned, one cancelled.
    _ceremony(commune, CeremonyKind.HOME_DELIVERY, date(2025, 4, 1))
    _ceremony(commune, CeremonyKind.HOME_DELIVERY, date(2025, 5, 2))
    _ceremony(commune, CeremonyKind.CONDOLENCE, date(2025, 6, 3))
    _ceremony(commune, CeremonyKind.MARRIAGE, date(2025, 7, 4), state=Ceremony.State.PLANNED)
    _ceremony(commune, CeremonyKind.MARRIAGE, date(2025, 7, 5), state=Ceremony.State.CANCELLED)
    _ceremony(commune, CeremonyKind.CONDOLENCE, date(2024, 12, 30))
    # Contributions: two in 2025, one in 2024.
    ContributionFactory(commune=commune, date=date(2025, 2, 1), value_dong=1_000_000)
    ContributionFactory(
        commune=commune, date=date(2025, 8, 1), value_dong=None, in_kind="30 ngày công"
    )
    ContributionFactory(commune=commune, date=date(2024, 8, 1), value_dong=9_000_000)
    _greeting(commune, 2025, approved=True)
    _greeting(commune, 2025, approved=False)


@pytest.mark.django_db
def test_counts_of_a_commune_for_a_year(commune_a):
    _fill(commune_a)
    result = counts.closeness_counts(commune_ids=[commune_a.pk], year=2025)[commune_a.pk]
    thanks = [0] * 12
    thanks[2] = 2
    december = [0] * 12
    december[11] = 1
    assert result.letters_by_month == {
        LetterType.THANKS: thanks,
        LetterType.CONGRATULATION: december,
    }
    assert result.letters_total == 3
    assert result.letters_of_type(LetterType.APOLOGY) == 0
    assert result.ceremonies_held == {CeremonyKind.HOME_DELIVERY: 2, CeremonyKind.CONDOLENCE: 1}
    assert result.ceremonies_total == 3
    assert result.contributions == 2
    assert result.contributions_value == 1_000_000
    if counts._greeting_model() is None:
        assert result.greetings_sent is None
    else:
        assert result.greetings_sent == 1
    next_year = counts.closeness_counts(commune_ids=[commune_a.pk], year=2026)[commune_a.pk]
    assert next_year.letters_of_type(LetterType.THANKS) == 1


@pytest.mark.django_db
def test_each_commune_counts_its_own_records_and_is_present_with_zeros(commune_a, commune_b):
    _fill(commune_a)
    quiet = CommuneFactory(province=commune_a.province)
    result = counts.closeness_counts(commune_ids=[quiet.pk, commune_b.pk], year=2025)
    assert set(result) == {quiet.pk, commune_b.pk}
    for item in result.values():
        assert item.letters_total == 0 and item.ceremonies_total == 0
        assert item.contributions == 0 and item.contributions_value == 0
        assert item.greetings_sent in (0, None)


@pytest.mark.django_db
def test_counts_take_a_fixed_number_of_queries(commune_a, django_assert_num_queries):
    communes = [commune_a, *CommuneFactory.create_batch(2, province=commune_a.province)]
    _fill(communes[0])
    queries = 4 if counts._greeting_model() is not None else 3
    with django_assert_num_queries(queries):
        counts.closeness_counts(commune_ids=[c.pk for c in communes[:1]], year=2025)
    for commune in communes[1:]:
        _fill(commune)
    with django_assert_num_queries(queries):
        result = counts.closeness_counts(commune_ids=[c.pk for c in communes], year=2025)
    assert all(item.letters_total == 3 for item in result.values())


@pytest.mark.django_db
def test_evaluator_gets_the_counts_of_their_province_only(
    make_user, province_p, commune_a, commune_b
):
    _fill(commune_a)
    _fill(commune_b)
    evaluator = make_user(Role.PROVINCE_EVALUATOR, province=province_p)
    assert evaluator.has_perm("letters.view_letter_counts")
    assert not evaluator.has_perm("letters.view_ceremony")
    assert not evaluator.has_perm("letters.view_contributor")
    result = counts.closeness_counts_for_user(user=evaluator, year=2025)
    assert set(result) == {commune_a.pk}
    official_b = make_user(Role.COMMUNE_OFFICIAL, commune=commune_b)
    assert set(counts.closeness_counts_for_user(user=official_b, year=2025)) == {commune_b.pk}
