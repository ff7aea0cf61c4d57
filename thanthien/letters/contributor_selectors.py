"""Reads of contributors, contributions and the yearly meeting (S8)."""

from django.db.models import Count, Q, QuerySet, Sum

from thanthien.core.text import fold
from thanthien.letters.contributors import Contribution, Contributor, Invitation, YearlyMeeting


def contributors_for(*, user) -> QuerySet[Contributor]:
    return Contributor.objects.visible_to(user).select_related("commune", "hamlet")


def contributor_list(*, user, query: str = "", kind: str = "") -> QuerySet[Contributor]:
    """The commune's list with each one's contribution count and total in đồng, by name.

    `query` matches the name, phone or address, with or without diacritics.
    """
    contributors = contributors_for(user=user)
    query = query.strip()
    if query:
        wanted = fold(query)
        folded = [
            pk
            for pk, name, address in contributors.values_list("pk", "name", "address")
            if wanted in fold(name) or wanted in fold(address)
        ]
        contributors = contributors.filter(
            Q(name__icontains=query) | Q(phone__icontains=query) | Q(pk__in=folded)
        )
    if kind in (Contributor.Kind.CONTRIBUTOR, Contributor.Kind.RESPECTED):
        # "Both" is in either list.
        contributors = contributors.filter(kind__in=[kind, Contributor.Kind.BOTH])
    elif kind:
        contributors = contributors.filter(kind=kind)
    return contributors.annotate(
        contribution_count=Count("contributions"),
        contribution_total=Sum("contributions__value_dong"),
    ).order_by("name", "pk")


def contributions_of(*, contributor: Contributor) -> QuerySet[Contribution]:
    return contributor.contributions.select_related("letter").order_by("-date", "-pk")


def meetings_for(*, user) -> QuerySet[YearlyMeeting]:
    return (
        YearlyMeeting.objects.visible_to(user)
        .select_related("commune")
        .annotate(
            invited=Count("invitations"),
            attended=Count("invitations", filter=Q(invitations__attended=True)),
        )
    )


def invitations_of(*, meeting: YearlyMeeting) -> QuerySet[Invitation]:
    return meeting.invitations.select_related("contributor", "contributor__hamlet").order_by(
        "contributor__name", "pk"
    )


def invitable(*, meeting: YearlyMeeting) -> QuerySet[Contributor]:
    """Everyone of the meeting's commune who may be invited: contributors and respected
    residents alike."""
    return (
        Contributor.objects.filter(commune_id=meeting.commune_id)
        .select_related("hamlet")
        .order_by("name", "pk")
    )
