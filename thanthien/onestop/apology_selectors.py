"""Reads of apology slips for the leader's queue and the menu."""

from django.db.models import QuerySet

from thanthien.onestop.models import ApologySlip

RECENT_DECIDED = 20


def _slips(user) -> QuerySet[ApologySlip]:
    return ApologySlip.objects.visible_to(user).select_related(
        "commune",
        "dossier",
        "dossier__procedure",
        "dossier__handling_official",
        "issued_by",
    )


def apology_drafts(*, user) -> QuerySet[ApologySlip]:
    """Draft slips of the user's communes waiting for a leader, oldest first."""
    return _slips(user).filter(state=ApologySlip.State.DRAFT).order_by("drafted_at", "pk")


def apology_recent_decided(*, user, limit: int = RECENT_DECIDED) -> list[ApologySlip]:
    """The latest issued or dropped slips of the user's communes, newest first."""
    decided = _slips(user).exclude(state=ApologySlip.State.DRAFT)
    return list(decided.order_by("-updated_at", "-pk")[:limit])


def apology_draft_count(*, user) -> int:
    return ApologySlip.objects.visible_to(user).filter(state=ApologySlip.State.DRAFT).count()
