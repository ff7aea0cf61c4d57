"""Reads about dossiers that the desk pages and the reports share.

Timeliness (DOMAIN.md, "Working days and deadlines"): a dossier is judged on the day its
result was ready for the applicant (`result_ready_at`, in Vietnamese legal time, stored beside
it as `result_ready_day` by whatever writes it) — not the day the applicant came to collect
it, which the commune does not control. Ready before the
due day is early, on the due day on time, after it late. A dossier still running (received or
in progress) whose due day has passed is late already; one waiting for a supplement has its
clock stopped and is not judged; refused and withdrawn dossiers are not judged either.
"""

from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.lookups import Exact, GreaterThan, LessThan
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thanthien.core import tenancy
from thanthien.core.text import fold
from thanthien.onestop.dossiers import FINISHED_STATES, RUNNING_STATES
from thanthien.onestop.models import Dossier, DossierEvent, DossierSupplement, Procedure

# Deadlines run on Vietnamese legal time, whatever zone a request has activated.
LOCAL_TZ = ZoneInfo("Asia/Ho_Chi_Minh")

Timeliness = Literal["early", "on_time", "late"]
EARLY, ON_TIME, LATE = "early", "on_time", "late"
TIMELINESS_LABELS = {
    EARLY: gettext_lazy("Trước hạn"),
    ON_TIME: gettext_lazy("Đúng hạn"),
    LATE: gettext_lazy("Quá hạn"),
}


def local_day(moment: datetime) -> date:
    return moment.astimezone(LOCAL_TZ).date()


def today_local() -> date:
    return local_day(timezone.now())


def _due(dossier: Dossier, against: str) -> date:
    if against == "original":
        return dossier.original_due_date or dossier.due_date
    if against != "current":
        raise ValueError(f"against must be 'current' or 'original', not {against!r}")
    return dossier.due_date


def timeliness(
    dossier: Dossier, *, against: str = "current", today: date | None = None
) -> Timeliness | None:
    """Early, on time or late against the due date in force or the original one; None while
    it cannot be judged yet (see the module docstring). `dossier` may be any row with the
    dossier's state, due_date, original_due_date and result_ready_day."""
    due = _due(dossier, against)
    ready = dossier.result_ready_day
    if dossier.state in FINISHED_STATES and ready is not None:
        if ready < due:
            return EARLY
        return ON_TIME if ready == due else LATE
    if dossier.state in RUNNING_STATES and due < (today or today_local()):
        return LATE
    return None


def timeliness_expression(*, against: str = "current", today: date | None = None) -> Case:
    """The same judgement as `timeliness`, as SQL, for annotations and report counts."""
    if against == "original":
        due = Coalesce(F("original_due_date"), F("due_date"))
    elif against == "current":
        due = F("due_date")
    else:
        raise ValueError(f"against must be 'current' or 'original', not {against!r}")
    # The stored local day: no time-zone conversion per row (a province's year is a million).
    ready = F("result_ready_day")
    finished = {"state__in": sorted(FINISHED_STATES), "result_ready_day__isnull": False}
    return Case(
        When(LessThan(ready, due), **finished, then=Value(EARLY)),
        When(Exact(ready, due), **finished, then=Value(ON_TIME)),
        When(GreaterThan(ready, due), **finished, then=Value(LATE)),
        When(
            LessThan(due, Value(today or today_local())),
            state__in=sorted(RUNNING_STATES),
            then=Value(LATE),
        ),
        default=Value(None),
        output_field=CharField(),
    )


def with_timeliness(qs: QuerySet[Dossier], *, today: date | None = None) -> QuerySet[Dossier]:
    """Annotate `timeliness` (due date in force) and `timeliness_original`, both in SQL."""
    today = today or today_local()
    return qs.annotate(
        timeliness=timeliness_expression(against="current", today=today),
        timeliness_original=timeliness_expression(against="original", today=today),
    )


def timeliness_counts(qs: QuerySet[Dossier], *, today: date | None = None) -> dict[str, dict]:
    """{"current": {"early": n, "on_time": n, "late": n}, "original": {…}} in one query."""
    today = today or today_local()
    annotated = with_timeliness(qs.order_by(), today=today)
    totals = annotated.aggregate(
        **{
            f"{against}_{value}": Count("pk", filter=Q(**{field: value}))
            for against, field in (
                ("current", "timeliness"),
                ("original", "timeliness_original"),
            )
            for value in (EARLY, ON_TIME, LATE)
        }
    )
    return {
        against: {value: totals[f"{against}_{value}"] for value in (EARLY, ON_TIME, LATE)}
        for against in ("current", "original")
    }


def dossier_list(
    *,
    user,
    query: str = "",
    state: str = "",
    timeliness_value: str = "",
    today: date | None = None,
) -> QuerySet[Dossier]:
    """The user's communes' dossiers, newest first; the query matches code, name or phone."""
    qs = with_timeliness(
        Dossier.objects.visible_to(user).select_related(
            "commune", "procedure", "handling_official", "handling_office"
        ),
        today=today,
    ).order_by("-received_at", "-pk")
    query = query.strip()
    if query:
        digits = "".join(ch for ch in query if ch.isdigit())
        condition = Q(code__icontains=query) | Q(applicant_name__icontains=query)
        if fold(query) != query.lower():
            condition |= Q(applicant_name__icontains=fold(query))
        if len(digits) >= 3 and digits == query.replace(" ", "").replace(".", ""):
            condition |= Q(applicant_phone__contains=digits)
        qs = qs.filter(condition)
    if state in Dossier.State.values:
        qs = qs.filter(state=state)
    if timeliness_value in TIMELINESS_LABELS:
        qs = qs.filter(timeliness=timeliness_value)
    return qs


def dossier_for_page(*, user, pk: int) -> Dossier:
    """One dossier of the user's communes with its history and supplements (raises 404)."""
    from django.shortcuts import get_object_or_404

    events = DossierEvent.objects.select_related(
        "actor", "from_office", "from_official", "to_office", "to_official"
    ).order_by("at", "pk")
    qs = Dossier.objects.visible_to(user).select_related(
        "commune",
        "commune__province",
        "procedure",
        "handling_official",
        "handling_office",
        "created_by",
    )
    qs = qs.prefetch_related(
        Prefetch("events", queryset=events),
        Prefetch("supplements", queryset=DossierSupplement.objects.order_by("requested_at")),
    )
    return get_object_or_404(qs, pk=pk)


def supplements_for_leader(*, user) -> QuerySet[DossierSupplement]:
    """Supplement requests that asked for papers outside the procedure's list, not yet seen."""
    qs = DossierSupplement.objects.filter(needs_leader_review=True, reviewed_at__isnull=True)
    return (
        tenancy.scope(qs, user, "dossier__commune")
        .select_related("dossier", "dossier__procedure", "requested_by")
        .order_by("requested_at", "pk")
    )


def procedures_for_desk(*, user) -> QuerySet[Procedure]:
    """The active procedures the user's desk can receive dossiers for."""
    return (
        Procedure.objects.visible_to(user)
        .filter(is_active=True)
        .only("pk", "code", "name", "search_name", "commune_id", "processing_days")
        .order_by("code")
    )


def procedure_choice_label(procedure: Procedure) -> str:
    return f"{procedure.code} — {procedure.name}"


def procedure_resolve(*, user, text: str) -> tuple[Procedure | None, str]:
    """The procedure typed at the desk ("code — name", a code or a name without diacritics).

    Returns (procedure, "") or (None, an error message for the official).
    """
    text = " ".join(text.split())
    if not text:
        return None, _("Chọn thủ tục: gõ mã hoặc tên thủ tục rồi chọn trong danh sách.")
    candidates = procedures_for_desk(user=user)
    code = text.split(" — ", 1)[0].strip() if " — " in text else text
    by_code = list(candidates.filter(code__iexact=code)[:2])
    if len(by_code) == 1:
        return by_code[0], ""
    folded = fold(text.split(" — ", 1)[1] if " — " in text else text)
    exact = list(candidates.filter(search_name=folded)[:2])
    if len(exact) == 1:
        return exact[0], ""
    matches = list(candidates.filter(search_name__contains=folded)[:6])
    if len(matches) == 1:
        return matches[0], ""
    if not matches:
        return None, _("Không tìm thấy thủ tục “%(text)s”. Gõ mã thủ tục hoặc một phần tên.") % {
            "text": text
        }
    shown = "; ".join(procedure_choice_label(p) for p in matches[:5])
    return None, _(
        "“%(text)s” khớp với nhiều thủ tục: %(matches)s. Chọn đúng một thủ tục trong danh sách."
    ) % {"text": text, "matches": shown}
