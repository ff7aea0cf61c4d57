"""Reads of dialogue conferences: the year's list and its warning, one conference with its
questions and commitments, the commitments tracker, and the portal's published side."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.core import tenancy
from thanthien.feedback.dialogues import Dialogue, DialogueCommitment, DialogueQuestion
from thanthien.people.roles import Role

# Who sees the yearly warning on the dashboard: those who must plan the conference.
WARNED_ROLES = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN})
COUNTED_STATUSES = (Dialogue.Status.PLANNED, Dialogue.Status.HELD)


def today_local() -> date:
    return timezone.localdate()


# --- staff ---------------------------------------------------------------------------------


def dialogues_for(*, user) -> QuerySet[Dialogue]:
    return Dialogue.objects.visible_to(user).select_related(
        "commune", "chaired_by__position", "created_by"
    )


def dialogue_years(*, user) -> list[int]:
    """The years that have a conference, and this year, newest first."""
    years = {d.year for d in dialogues_for(user=user).dates("date", "year")}
    years.add(today_local().year)
    return sorted(years, reverse=True)


def dialogue_list(*, user, year: int) -> QuerySet[Dialogue]:
    """The year's conferences with their counts of questions, answers and open commitments."""
    return (
        dialogues_for(user=user)
        .filter(date__year=year)
        .annotate(
            question_count=Count("questions", distinct=True),
            unanswered_count=Count("questions", filter=Q(questions__answer=""), distinct=True),
            open_commitment_count=Count(
                "questions__commitments",
                filter=Q(questions__commitments__status=DialogueCommitment.Status.OPEN),
                distinct=True,
            ),
        )
        .order_by("date", "pk")
    )


def _questions_prefetch() -> Prefetch:
    return Prefetch(
        "questions",
        queryset=DialogueQuestion.objects.select_related(
            "hamlet", "answered_by__position", "feedback_item"
        )
        .prefetch_related(
            Prefetch(
                "commitments",
                queryset=DialogueCommitment.objects.select_related("owner__position").order_by(
                    "deadline", "pk"
                ),
            )
        )
        .order_by("number"),
    )


def dialogue_detail(*, user) -> QuerySet[Dialogue]:
    """One conference with everything its page, minutes and paper form show."""
    return dialogues_for(user=user).prefetch_related("hamlets", _questions_prefetch())


def questions_for(*, user) -> QuerySet[DialogueQuestion]:
    return DialogueQuestion.objects.visible_to(user).select_related(
        "dialogue__chaired_by", "hamlet", "answered_by"
    )


def commitments_all(*, user) -> QuerySet[DialogueCommitment]:
    return DialogueCommitment.objects.visible_to(user).select_related(
        "owner__position", "question__dialogue", "question__hamlet", "commune"
    )


TRACKER_STATES = ("open", "overdue", "done", "dropped", "all")


def commitment_tracker(
    *, user, state: str = "open", owner_id: int | None = None, query: str = ""
) -> QuerySet[DialogueCommitment]:
    """Commitments to follow: open (by deadline), overdue, done, dropped or all."""
    today = today_local()
    rows = commitments_all(user=user)
    if state == "open":
        rows = rows.filter(status=DialogueCommitment.Status.OPEN)
    elif state == "overdue":
        rows = rows.filter(status=DialogueCommitment.Status.OPEN, deadline__lt=today)
    elif state == "done":
        rows = rows.filter(status=DialogueCommitment.Status.DONE)
    elif state == "dropped":
        rows = rows.filter(status=DialogueCommitment.Status.DROPPED)
    if owner_id:
        rows = rows.filter(owner_id=owner_id)
    if query:
        rows = rows.filter(
            Q(text__icontains=query)
            | Q(question__question__icontains=query)
            | Q(question__dialogue__title__icontains=query)
        )
    if state in ("done", "dropped"):
        return rows.order_by("-done_on", "-pk")
    return rows.order_by("deadline", "pk")


@dataclass(frozen=True)
class TrackerCounts:
    open: int
    overdue: int
    done: int
    dropped: int


def commitment_counts(*, user) -> TrackerCounts:
    """How many commitments are in each state, in one query."""
    today = today_local()
    status = DialogueCommitment.Status
    counts = DialogueCommitment.objects.visible_to(user).aggregate(
        open=Count("pk", filter=Q(status=status.OPEN)),
        overdue=Count("pk", filter=Q(status=status.OPEN, deadline__lt=today)),
        done=Count("pk", filter=Q(status=status.DONE)),
        dropped=Count("pk", filter=Q(status=status.DROPPED)),
    )
    return TrackerCounts(**counts)


def is_overdue(commitment: DialogueCommitment, today: date | None = None) -> bool:
    today = today or today_local()
    return commitment.status == DialogueCommitment.Status.OPEN and commitment.deadline < today


def commitment_owners(*, user):
    """Officials who own at least one commitment the user sees (the tracker's filter)."""
    from thanthien.people.models import Official

    ids = DialogueCommitment.objects.visible_to(user).values("owner_id")
    return Official.objects.filter(pk__in=ids).select_related("position").order_by("full_name")


# --- the yearly warning (Art. 32) --------------------------------------------------------


def _warning_text(*, commune_name: str, year: int, count: int, minimum: int) -> str:
    return _(
        "%(commune)s mới có %(count)s hội nghị đối thoại được lên kế hoạch hoặc tổ chức trong "
        "năm %(year)s; Luật Thực hiện dân chủ ở cơ sở (Điều 32) yêu cầu ít nhất %(minimum)s "
        "hội nghị đối thoại mỗi năm."
    ) % {"commune": commune_name, "count": count, "year": year, "minimum": minimum}


def dialogue_warning(*, commune, year: int) -> str | None:
    """A warning when the commune has fewer conferences planned or held in `year` than
    THANTHIEN_MIN_DIALOGUES_PER_YEAR (cancelled ones do not count); None when enough."""
    minimum = settings.THANTHIEN_MIN_DIALOGUES_PER_YEAR
    count = Dialogue.objects.filter(
        commune=commune, date__year=year, status__in=COUNTED_STATUSES
    ).count()
    if count >= minimum:
        return None
    return _warning_text(commune_name=commune.name, year=year, count=count, minimum=minimum)


def dialogue_warnings(*, user, year: int | None = None) -> list[str]:
    """The dashboard's warnings for a commune's leaders and administrators: one per commune
    they see that lacks its yearly conference. Others (and superusers) get none."""
    if user.role not in WARNED_ROLES or tenancy.visible_commune_ids(user) is None:
        return []
    year = year or today_local().year
    minimum = settings.THANTHIEN_MIN_DIALOGUES_PER_YEAR
    counts = dict(
        tenancy.scope(Dialogue.objects.filter(date__year=year, status__in=COUNTED_STATUSES), user)
        .values("commune_id")
        .annotate(n=Count("pk"))
        .values_list("commune_id", "n")
    )
    warnings = []
    for commune_id, name in tenancy.visible_communes(user).values_list("pk", "name"):
        count = counts.get(commune_id, 0)
        if count < minimum:
            warnings.append(
                _warning_text(commune_name=name, year=year, count=count, minimum=minimum)
            )
    return warnings


# --- portal --------------------------------------------------------------------------------


def public_dialogues(*, commune) -> QuerySet[Dialogue]:
    """What the portal lists: planned conferences whose plan is published (and cancelled ones
    that had been announced), held ones with published plans or results."""
    return (
        Dialogue.objects.filter(commune=commune)
        .filter(Q(is_plan_published=True) | Q(is_results_published=True))
        .select_related("chaired_by__position")
        .order_by("-date", "-pk")
    )


def public_dialogue(*, commune, pk: int) -> Dialogue | None:
    """One published conference, with its questions and commitments when the results are."""
    return (
        public_dialogues(commune=commune)
        .prefetch_related("hamlets", _questions_prefetch())
        .filter(pk=pk)
        .first()
    )
