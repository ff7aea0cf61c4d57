"""Reads of complaints and denunciations, with the denouncer's identity kept confidential.

Law on Denunciations 2018 art. 47: the denouncer's name, address and contact are secret.
Leaders and administrators of the commune see every denunciation of their commune, other
roles only the ones they are assigned to; in every case the person_* fields (and the
hamlet, which narrows the person down) are replaced by "(bảo mật)" unless the reader is one
of the assignees. Pages, the XLSX register, the print view and the admin all read through
`complaints_for` + `mask_identity`; the audit log does not store those fields at all
(AUDITLOG_INCLUDE_TRACKING_MODELS in settings).
"""

from dataclasses import dataclass
from datetime import date

from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, Q, QuerySet, Value
from django.utils.translation import gettext_lazy as _

from thanthien.core import tenancy
from thanthien.feedback.complaints import Complaint, ComplaintExtension
from thanthien.people.roles import Role

CONFIDENTIAL = _("(bảo mật)")
IDENTITY_FIELDS = ("person_name", "person_phone", "person_address", "person_id_number")
SEES_ALL_KINDS = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN})
Status = Complaint.Status


def sees_every_kind(user) -> bool:
    """Leaders, administrators (and superusers) see denunciations they are not assigned to."""
    return bool(user.is_superuser or getattr(user, "role", None) in SEES_ALL_KINDS)


def complaints_for(*, user) -> QuerySet[Complaint]:
    """The complaints and denunciations the user may see, each annotated `is_assigned`."""
    assigned = Complaint.assignees.through.objects.filter(
        complaint_id=OuterRef("pk"), user_id=user.pk
    )
    queryset = tenancy.scope(Complaint.objects.all(), user).annotate(
        is_assigned=Exists(assigned) if user.pk else Value(False)
    )
    if not sees_every_kind(user):
        queryset = queryset.filter(Q(kind=Complaint.Kind.COMPLAINT) | Q(is_assigned=True))
    return queryset.select_related("commune", "hamlet", "recorded_by")


def identity_visible(complaint: Complaint, user) -> bool:
    """A complaint's person is visible to whoever sees it; a denouncer only to assignees."""
    if complaint.kind != Complaint.Kind.DENUNCIATION:
        return True
    assigned = getattr(complaint, "is_assigned", None)
    if assigned is None:
        assigned = complaint.assignees.filter(pk=user.pk).exists()
    return bool(assigned)


def mask_identity(complaints, user):
    """Replace the identity on the denunciations the user may not identify (in memory only:
    services re-read the row before writing, so a masked instance is never saved)."""
    for complaint in complaints:
        complaint.identity_masked = not identity_visible(complaint, user)
        if complaint.identity_masked:
            for field in IDENTITY_FIELDS:
                setattr(complaint, field, str(CONFIDENTIAL))
            complaint.hamlet = None
    return complaints


def overdue_q(today: date) -> Q:
    """Past the current stage's deadline: not accepted in time, or not resolved in time."""
    return Q(status=Status.RECEIVED, accept_due__lt=today) | Q(
        status=Status.ACCEPTED, resolve_due__lt=today
    )


def complaint_list(
    *, user, today: date, kind: str = "", status: str = "", overdue: bool = False, query=""
) -> QuerySet[Complaint]:
    """The register, newest first. The name search never matches a denouncer the user may
    not identify (it would reveal who wrote which denunciation)."""
    complaints = complaints_for(user=user)
    if kind:
        complaints = complaints.filter(kind=kind)
    if status:
        complaints = complaints.filter(status=status)
    if overdue:
        complaints = complaints.filter(overdue_q(today))
    query = query.strip()
    if query:
        may_identify = Q(kind=Complaint.Kind.COMPLAINT) | Q(is_assigned=True)
        complaints = complaints.filter(
            Q(code__icontains=query)
            | Q(subject__icontains=query)
            | Q(respondent__icontains=query)
            | (Q(person_name__icontains=query) & may_identify)
        )
    return complaints.order_by("-received_on", "-pk")


@dataclass(frozen=True)
class Counts:
    open: int
    overdue: int


def complaint_counts(*, user, today: date) -> Counts:
    visible = complaints_for(user=user)
    open_states = (Status.RECEIVED, Status.ACCEPTED)
    return Counts(
        open=visible.filter(status__in=open_states).count(),
        overdue=visible.filter(overdue_q(today)).count(),
    )


def current_due(complaint: Complaint) -> date | None:
    """The deadline of the stage the case is in (None once it is closed)."""
    if complaint.status == Status.RECEIVED:
        return complaint.accept_due
    if complaint.status == Status.ACCEPTED:
        return complaint.resolve_due
    return None


def annotate_due(complaints, today: date):
    """Set `due` and `is_overdue` on each row for the pages (no query)."""
    for complaint in complaints:
        complaint.due = current_due(complaint)
        complaint.is_overdue = complaint.due is not None and complaint.due < today
    return complaints


def extensions_of(complaint: Complaint) -> QuerySet[ComplaintExtension]:
    return complaint.extensions.select_related("decided_by").order_by("decided_on", "pk")


def assignees_of(complaint: Complaint) -> list:
    return list(complaint.assignees.order_by("full_name", "username"))


def assignable_users(commune_id: int) -> QuerySet:
    """The commune's active staff accounts that may be given a case."""
    return (
        get_user_model()
        .objects.filter(
            commune_id=commune_id,
            is_active=True,
            role__in=[Role.COMMUNE_OFFICIAL, Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN],
        )
        .order_by("full_name", "username")
    )
