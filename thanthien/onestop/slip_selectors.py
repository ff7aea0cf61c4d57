"""Reads behind the desk's printed forms: one row with all it prints, or the register's rows.

Each selector scopes by the user's communes (404 for another commune's row) and loads what
the content builders in thanthien/onestop/slips.py print, in a fixed number of queries.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from thanthien.core import tenancy
from thanthien.onestop.dossier_selectors import LOCAL_TZ, timeliness_counts, with_timeliness
from thanthien.onestop.models import (
    ApologySlip,
    Dossier,
    DossierAction,
    DossierEvent,
    DossierSupplement,
)


def supplement_for_slip(*, user, pk: int) -> DossierSupplement:
    """A supplement request of the user's communes with its dossier (raises 404)."""
    qs = tenancy.scope(DossierSupplement.objects.all(), user, "dossier__commune").select_related(
        "dossier__commune", "dossier__procedure", "requested_by"
    )
    return get_object_or_404(qs, pk=pk)


def apology_for_slip(*, user, pk: int) -> ApologySlip:
    """An issued or draft apology slip of the user's communes (a dropped one raises 404)."""
    qs = (
        ApologySlip.objects.visible_to(user)
        .exclude(state=ApologySlip.State.DROPPED)
        .select_related(
            "commune",
            "dossier__commune",
            "dossier__procedure__field",
            "issued_by__official__position",
        )
    )
    return get_object_or_404(qs, pk=pk)


def apologies_of(*, user, dossier: Dossier) -> list[ApologySlip]:
    """The dossier's apology slips that can be printed (issued, or drafts marked as such)."""
    return list(
        ApologySlip.objects.visible_to(user)
        .filter(dossier=dossier)
        .exclude(state=ApologySlip.State.DROPPED)
        .order_by("drafted_at", "pk")
    )


@dataclass(frozen=True)
class RegisterFilter:
    """What the register lists: dossiers received in [date_from, date_to] (local days)."""

    date_from: date
    date_to: date
    procedure_code: str = ""
    state: str = ""
    commune_id: int | None = None


def month_of(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    following = (first + timedelta(days=32)).replace(day=1)
    return first, following - timedelta(days=1)


def _local_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LOCAL_TZ)


def _register_base(*, user, register: RegisterFilter) -> QuerySet[Dossier]:
    qs = Dossier.objects.visible_to(user).filter(
        received_at__gte=_local_midnight(register.date_from),
        received_at__lt=_local_midnight(register.date_to + timedelta(days=1)),
    )
    if register.procedure_code:
        qs = qs.filter(procedure__code=register.procedure_code)
    if register.state:
        qs = qs.filter(state=register.state)
    if register.commune_id:
        qs = qs.filter(commune_id=register.commune_id)
    return qs


def register_dossiers(
    *, user, register: RegisterFilter, today: date | None = None
) -> QuerySet[Dossier]:
    """The register's dossiers, oldest first, with timeliness annotated in SQL and their
    hand-overs prefetched: the same number of queries for ten rows or ten thousand."""
    handovers = (
        DossierEvent.objects.filter(kind=DossierAction.HANDOVER)
        .select_related("to_office", "to_official")
        .order_by("at", "pk")
    )
    qs = _register_base(user=user, register=register).select_related(
        "commune", "procedure", "handling_office", "handling_official"
    )
    qs = qs.prefetch_related(Prefetch("events", queryset=handovers, to_attr="handovers"))
    return with_timeliness(qs, today=today).order_by("received_at", "pk")


def register_counts(
    *, user, register: RegisterFilter, today: date | None = None
) -> dict[str, dict]:
    """Early / on time / late over the whole register (one query)."""
    return timeliness_counts(_register_base(user=user, register=register), today=today)
