"""Reads of the letters: the register with its filters, the leader's queue, counts."""

from datetime import date

from django.db.models import Count, Q, QuerySet

from thanthien.core.text import fold
from thanthien.letters.models import Letter


def letters_for(*, user) -> QuerySet[Letter]:
    return Letter.objects.visible_to(user).select_related(
        "commune", "signer", "source_dossier", "approved_by"
    )


def letter_register(
    *,
    user,
    query: str = "",
    type: str = "",
    state: str = "",
    month: date | None = None,
) -> QuerySet[Letter]:
    """The letter register (sổ theo dõi thư), newest first.

    `query` matches the recipient's name (with or without diacritics, case-insensitive) or
    the number ("12" or "12/2025"); `month` is the month the letter was approved in, or
    drafted in for a letter not yet approved.
    """
    letters = letters_for(user=user)
    query = query.strip()
    if query:
        number, _sep, year = query.partition("/")
        match = Q(recipient_name__icontains=query)
        if number.isdigit():
            match |= Q(number=int(number)) & (Q(year=int(year)) if year.isdigit() else Q())
        letters = letters.filter(match | Q(pk__in=_folded_matches(letters, query)))
    if type:
        letters = letters.filter(type=type)
    if state:
        letters = letters.filter(state=state)
    if month:
        approved = Q(approved_at__year=month.year, approved_at__month=month.month)
        drafted = Q(approved_at__isnull=True) & Q(
            created_at__year=month.year, created_at__month=month.month
        )
        letters = letters.filter(approved | drafted)
    return letters.order_by("-year", "-number", "-created_at", "-pk")


def _folded_matches(letters: QuerySet[Letter], query: str) -> list[int]:
    """Letters whose recipient matches `query` once diacritics are folded away ("nguyen van
    an" finds "Nguyễn Văn An"). One query over names and ids only."""
    wanted = fold(query)
    return [pk for pk, name in letters.values_list("pk", "recipient_name") if wanted in fold(name)]


def letter_queue(*, user) -> QuerySet[Letter]:
    """Drafts waiting for a leader, oldest first."""
    return letters_for(user=user).filter(state=Letter.State.DRAFT).order_by("created_at", "pk")


def letters_to_print(*, user, ids: list[int] | None = None) -> QuerySet[Letter]:
    """Approved letters not yet delivered (or the given ones among the approved)."""
    letters = letters_for(user=user).filter(state=Letter.State.APPROVED)
    if ids:
        letters = letters.filter(pk__in=ids)
    return letters.order_by("year", "number")


def letter_counts(*, user, year: int) -> list[dict]:
    """Letters of the year by commune, type and state (for the province's evaluators too)."""
    return list(
        Letter.objects.visible_to(user)
        .filter(Q(year=year) | Q(year__isnull=True, created_at__year=year))
        .values("commune__name", "type")
        .annotate(
            total=Count("pk"),
            approved=Count("pk", filter=Q(state=Letter.State.APPROVED)),
            delivered=Count("pk", filter=Q(state=Letter.State.DELIVERED)),
            drafts=Count("pk", filter=Q(state=Letter.State.DRAFT)),
        )
        .order_by("commune__name", "type")
    )
