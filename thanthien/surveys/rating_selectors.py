"""Reads of ratings: an official sees the ratings of their own service, a leader everyone's."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from thanthien.people.roles import Role
from thanthien.surveys.models import SCORE_KEYS, Counter, Rating, Score

OWN_ONLY_ROLES = frozenset({Role.COMMUNE_OFFICIAL})


def own_only(user) -> bool:
    """Whether the user reads only the ratings of their own service."""
    return not user.is_superuser and user.role in OWN_ONLY_ROLES


def ratings_visible_to(user) -> QuerySet:
    """Ratings in the user's communes; a commune official only those of their own service."""
    ratings = Rating.objects.visible_to(user)
    if own_only(user):
        official_id = getattr(user, "official_id", None)
        if official_id is None:
            return ratings.none()
        ratings = ratings.filter(official_id=official_id)
    return ratings


@dataclass(frozen=True)
class RatingFilters:
    channel: str = ""
    score: int | None = None
    official_id: int | None = None
    counter_id: int | None = None


def ratings_list(user, *, filters: RatingFilters) -> QuerySet:
    ratings = ratings_visible_to(user)
    if filters.channel:
        ratings = ratings.filter(channel=filters.channel)
    if filters.score:
        ratings = ratings.filter(service_score=filters.score)
    if filters.official_id:
        ratings = ratings.filter(official_id=filters.official_id)
    if filters.counter_id:
        ratings = ratings.filter(counter_id=filters.counter_id)
    return ratings.select_related("official", "procedure", "counter", "dossier").order_by(
        "-submitted_at", "-pk"
    )


def score_counts(ratings: QuerySet) -> dict[str, int]:
    """{"very_satisfied": n, "satisfied": n, "neutral": n, "dissatisfied": n} of the service
    score, in one query (the counts satisfaction_index takes)."""
    aggregates = {SCORE_KEYS[score]: Count("pk", filter=Q(service_score=score)) for score in Score}
    return ratings.order_by().aggregate(**aggregates)


def counters_visible_to(user) -> QuerySet:
    return Counter.objects.visible_to(user).select_related("office", "commune")


def open_kiosk_sessions(user) -> list:
    """The kiosks signed in now that the user may sign out: every one of the commune for its
    leader and admin, an official's own (on duty or signed in by them)."""
    from thanthien.surveys.models import KioskSession

    sessions = KioskSession.objects.visible_to(user).filter(ended_at__isnull=True)
    if own_only(user):
        mine = Q(signed_in_by_id=user.pk)
        if getattr(user, "official_id", None):
            mine |= Q(official_id=user.official_id)
        sessions = sessions.filter(mine)
    return list(sessions.select_related("counter", "official").order_by("counter__number"))
