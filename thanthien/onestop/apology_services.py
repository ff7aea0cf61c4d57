"""Every write to an apology slip (Phiếu xin lỗi và hẹn lại ngày trả kết quả, form 04).

A slip is issued with a reschedule (`apology_record_reschedule`, called by
`dossier_reschedule`), or drafted by the overdue watch for a dossier already late
(`apology_draft_for_late`); a leader of the commune then issues the draft with the reason and
a new return date, which queues the apology to the applicant, or drops it with a note.

Issued slips are numbered per commune and year ("Số: 12/PXL"). The commune's row is locked
while a number is given, so two leaders issuing at once never get the same one; the unique
constraint `uniq_apology_number` is the last guard.
"""

from collections.abc import Iterable
from datetime import date, datetime

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.encoding import smart_str
from django.utils.translation import gettext as _

from thanthien.core import workdays
from thanthien.core.staff import require_commune_role
from thanthien.onestop.dossier_selectors import local_day
from thanthien.onestop.dossier_services import (
    LEADER_ROLES,
    DossierTransitionError,
    _date_text,
    _minute,
    _notify,
)
from thanthien.onestop.dossiers import RUNNING_STATES
from thanthien.onestop.models import ApologySlip, Dossier
from thanthien.places.models import Commune

APOLOGY_EVENT = "dossier_rescheduled"  # the applicant's apology: same wording for both kinds


def _require_leader(actor, commune_id: int) -> None:
    """Only a leader or administrator of the slip's own commune (or a superuser)."""
    require_commune_role(
        actor,
        commune_id,
        roles=LEADER_ROLES,
        perm="onestop.change_apologyslip",
        message=_("Chỉ lãnh đạo xã ban hành hoặc huỷ phiếu xin lỗi của xã mình."),
    )


def _lock_draft(slip: ApologySlip) -> ApologySlip:
    slip = ApologySlip.objects.select_for_update().select_related("dossier").get(pk=slip.pk)
    if slip.state != ApologySlip.State.DRAFT:
        raise DossierTransitionError(
            _("Phiếu xin lỗi của hồ sơ %(code)s đã được xử lý (“%(state)s”).")
            % {"code": slip.dossier.code, "state": slip.get_state_display()}
        )
    return slip


def _next_number(commune_id: int, year: int) -> int:
    """The next slip number of the commune's year; the commune row stays locked until commit."""
    list(Commune.objects.select_for_update().filter(pk=commune_id).values_list("pk"))
    last = ApologySlip.objects.filter(commune_id=commune_id, year=year).aggregate(
        last=Max("number")
    )["last"]
    return (last or 0) + 1


def apology_record_reschedule(
    *, actor, dossier: Dossier, original_due_date: date, at: datetime
) -> ApologySlip:
    """The issued slip of a reschedule: called by `dossier_reschedule` inside its transaction,
    after it checked the move (the dossier row is locked, the applicant's message queued)."""
    year = local_day(at).year
    slip = ApologySlip(
        commune_id=dossier.commune_id,
        dossier=dossier,
        kind=ApologySlip.Kind.RESCHEDULE,
        state=ApologySlip.State.ISSUED,
        year=year,
        number=_next_number(dossier.commune_id, year),
        reason=dossier.reschedule_reason,
        original_due_date=original_due_date,
        new_due_date=dossier.due_date,
        drafted_at=at,
        issued_at=at,
        issued_by=actor,
    )
    slip.save()
    return slip


def apology_draft_for_late(
    *, dossiers: Iterable[Dossier], today: date, at: datetime | None = None
) -> list[ApologySlip]:
    """Draft a "late" slip for each running dossier past its due date that has none yet.

    Used by the daily watch: a fixed number of queries whatever the number of dossiers; a
    second run (or a concurrent one) drafts nothing more (unique dossier + kind). Returns the
    slips this call drafted, each recorded in the audit log.
    """
    late = {
        d.pk: d for d in dossiers if d.state in RUNNING_STATES and d.due_date < today
    }  # only what is late today, whatever the caller passed
    if not late:
        return []
    at = at or timezone.now()
    with transaction.atomic():
        has_slip = set(
            ApologySlip.objects.filter(
                dossier_id__in=list(late), kind=ApologySlip.Kind.LATE
            ).values_list("dossier_id", flat=True)
        )
        new = [
            ApologySlip(
                commune_id=d.commune_id,
                dossier=d,
                kind=ApologySlip.Kind.LATE,
                state=ApologySlip.State.DRAFT,
                original_due_date=d.due_date,
                drafted_at=at,
            )
            for pk, d in late.items()
            if pk not in has_slip
        ]
        if not new:
            return []
        # A concurrent run may have drafted some in between: its rows stand, ours are skipped.
        ApologySlip.objects.bulk_create(new, ignore_conflicts=True)
        drafted = list(
            ApologySlip.objects.filter(
                dossier_id__in=[s.dossier_id for s in new],
                kind=ApologySlip.Kind.LATE,
                drafted_at=at,
            )
        )
        _audit_created(drafted)
    return drafted


def _audit_created(slips: list[ApologySlip]) -> None:
    """Bulk inserts skip django-auditlog's signals: write the "created" entries in one go."""
    if not slips:
        return
    content_type = ContentType.objects.get_for_model(ApologySlip)
    fields = ("commune", "dossier", "kind", "state", "original_due_date", "drafted_at")
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=content_type,
                object_pk=str(slip.pk),
                object_id=slip.pk,
                object_repr=smart_str(slip),
                action=LogEntry.Action.CREATE,
                changes={
                    name: [
                        "None",
                        smart_str(getattr(slip, ApologySlip._meta.get_field(name).attname)),
                    ]
                    for name in fields
                },
                additional_data=slip.get_additional_data(),
            )
            for slip in slips
        ]
    )


@transaction.atomic
def apology_issue(
    *,
    actor,
    slip: ApologySlip,
    reason: str,
    new_due_date: date,
    at: datetime | None = None,
) -> ApologySlip:
    """A leader issues a drafted slip: it gets the commune's next number for the year, and the
    apology with the reason and the new return date is queued to the applicant.

    The dossier's own due date is not changed: a late dossier stays late (ND 61 art. 19.9 lets
    the date be reset only by a reschedule, once and before the due day); the slip records the
    date promised to the applicant.
    """
    _require_leader(actor, slip.commune_id)
    slip = _lock_draft(slip)
    reason = " ".join(reason.split())
    at = _minute(at)
    today = local_day(at)
    errors = {}
    if not reason:
        errors["reason"] = _("Ghi rõ lý do chậm trả kết quả.")
    if new_due_date is None or new_due_date <= today:
        errors["new_due_date"] = _("Ngày hẹn mới phải sau hôm nay (%(today)s).") % {
            "today": _date_text(today)
        }
    elif new_due_date <= slip.original_due_date:
        errors["new_due_date"] = _("Ngày hẹn mới phải sau ngày hẹn ban đầu %(due)s.") % {
            "due": _date_text(slip.original_due_date)
        }
    elif not workdays.is_working_day(new_due_date):
        errors["new_due_date"] = _("Ngày hẹn mới phải là một ngày làm việc.")
    if errors:
        raise ValidationError(errors)
    slip.year = today.year
    slip.number = _next_number(slip.commune_id, slip.year)
    slip.state = ApologySlip.State.ISSUED
    slip.reason = reason
    slip.new_due_date = new_due_date
    slip.issued_at = at
    slip.issued_by = actor
    slip.save(
        update_fields=[
            "year",
            "number",
            "state",
            "reason",
            "new_due_date",
            "issued_at",
            "issued_by",
            "updated_at",
        ]
    )
    dossier = Dossier.objects.select_related("commune", "procedure").get(pk=slip.dossier_id)
    _notify(
        dossier,
        APOLOGY_EVENT,
        new_due_date=_date_text(new_due_date),
        due_date=_date_text(slip.original_due_date),
        reason=reason,
        n=f"apology-{slip.kind}",
    )
    # Like a reschedule's slip, an issued late slip drafts the chairman's apology letter
    # (Mẫu 02) for the leader's queue, in this transaction.
    from thanthien.letters.services import letter_draft_for_apology

    letter_draft_for_apology(slip=slip, actor=actor)
    return slip


@transaction.atomic
def apology_drop(*, actor, slip: ApologySlip, note: str) -> ApologySlip:
    """A leader decides a drafted slip is not to be issued, and says why."""
    _require_leader(actor, slip.commune_id)
    slip = _lock_draft(slip)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Ghi rõ vì sao không ban hành phiếu xin lỗi.")})
    slip.state = ApologySlip.State.DROPPED
    slip.note = note
    slip.save(update_fields=["state", "note", "updated_at"])
    return slip
