"""Every write to a dossier: receiving it and each move of its workflow.

Each service checks the move against `TRANSITIONS` (thanthien/onestop/dossiers.py), locks the
row, records one `DossierEvent` with the actor and the minute, and queues the applicant's
notification in the same transaction.
"""

from collections.abc import Iterable
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.core import workdays
from thanthien.core.staff import require_commune_role
from thanthien.core.text import fold
from thanthien.notify.services import Contact, notification_enqueue
from thanthien.onestop.dossier_selectors import LOCAL_TZ, local_day
from thanthien.onestop.lookup import status_url
from thanthien.onestop.models import (
    TRANSITIONS,
    Dossier,
    DossierAction,
    DossierCounter,
    DossierEvent,
    DossierSupplement,
    Procedure,
)
from thanthien.onestop.permissions import DESK_ROLES
from thanthien.people.models import Office, Official
from thanthien.people.roles import Role
from thanthien.surveys.rating_links import rating_url

# ND 61/2018 art. 19: a supplement is requested within 3 working days of receipt.
SUPPLEMENT_REQUEST_WORKING_DAYS = 3
LEADER_ROLES = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN})


class DossierTransitionError(ValidationError):
    """A move the workflow does not allow (wrong state, second reschedule, too late…)."""


def _minute(at: datetime | None) -> datetime:
    """The moment of a move, to the minute, as the control slip records it."""
    moment = at or timezone.now()
    return moment.replace(second=0, microsecond=0)


def _date_text(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _require_handler(actor, commune_id: int) -> None:
    """Only desk roles (or a superuser) of the dossier's own commune move its dossiers."""
    require_commune_role(
        actor,
        commune_id,
        roles=DESK_ROLES,
        perm="onestop.change_dossier",
        message=_("Bạn không có quyền xử lý hồ sơ của xã này."),
    )


def _check_move(dossier: Dossier, action: str) -> None:
    if dossier.state not in TRANSITIONS[action].sources:
        raise DossierTransitionError(
            _("Không thể “%(action)s” hồ sơ %(code)s khi hồ sơ đang ở trạng thái “%(state)s”.")
            % {
                "action": DossierAction(action).label,
                "code": dossier.code,
                "state": dossier.get_state_display(),
            }
        )


def _lock(dossier: Dossier) -> Dossier:
    """Lock the row and reload it, so two officials cannot move one dossier at once."""
    list(Dossier.objects.select_for_update().filter(pk=dossier.pk).values_list("pk"))
    dossier.refresh_from_db()
    return dossier


def _begin(actor, dossier: Dossier, action: str) -> Dossier:
    """Every move starts here: the actor may handle it, the row is locked, the move allowed."""
    _require_handler(actor, dossier.commune_id)
    dossier = _lock(dossier)
    _check_move(dossier, action)
    return dossier


def _same_commune(commune_id: int, official: Official | None, office: Office | None) -> None:
    if official is not None and official.commune_id != commune_id:
        raise ValidationError(_("Cán bộ được chọn không thuộc xã của hồ sơ."))
    if office is not None and office.commune_id != commune_id:
        raise ValidationError(_("Bộ phận được chọn không thuộc xã của hồ sơ."))


def _move(dossier: Dossier, action: str, at: datetime, fields: dict) -> str:
    """Apply a checked move: the new state, its time, the other changed fields; returns the
    state it came from."""
    source = dossier.state
    target = TRANSITIONS[action].target
    changed = ["state_changed_at", "updated_at", *fields]
    for name, value in fields.items():
        setattr(dossier, name, value)
    if target is not None:
        dossier.state = target
        changed.append("state")
    dossier.state_changed_at = at
    dossier.full_clean(validate_unique=False, validate_constraints=False)
    dossier.save(update_fields=changed)
    return source


def _record(dossier: Dossier, action: str, *, actor, at: datetime, source: str, **fields):
    return DossierEvent.objects.create(
        dossier=dossier,
        kind=action,
        at=at,
        actor=actor,
        from_state=source,
        to_state=dossier.state,
        **fields,
    )


def _close_open_step(dossier: Dossier, at: datetime) -> None:
    """Give the running hand-over step its result: finished early, on time or late."""
    step = (
        dossier.events.filter(
            kind=DossierAction.HANDOVER, step_due_date__isnull=False, step_finished_at__isnull=True
        )
        .order_by("-at", "-pk")
        .first()
    )
    if step is None:
        return
    step.step_finished_at = at
    step.step_result = _result(local_day(at), step.step_due_date)
    step.save(update_fields=["step_finished_at", "step_result"])


def _result(finished: date, due: date) -> str:
    if finished < due:
        return DossierEvent.StepResult.EARLY
    if finished == due:
        return DossierEvent.StepResult.ON_TIME
    return DossierEvent.StepResult.LATE


def _notify(dossier: Dossier, event: str, **context: str) -> None:
    """Queue the applicant's message through the notify app, inside the caller's transaction."""
    n = context.pop("n", "1")
    notification_enqueue(
        commune=dossier.commune,
        event=event,
        contact=Contact(
            name=dossier.applicant_name,
            phone=dossier.applicant_phone,
            email=dossier.email,
            channel=dossier.notify_channel,
            consent_sms=dossier.consent_sms,
            consent_zalo=dossier.consent_zalo,
            consent_email=dossier.consent_email,
        ),
        context={
            "code": dossier.code,
            "procedure": dossier.procedure.name,
            "due_date": _date_text(dossier.due_date),
            "commune": dossier.commune.name,
            "lookup_url": status_url(dossier.code),
            **context,
        },
        dedupe_key=f"{dossier.code}:{event}:{n}",
        related=dossier,
    )


def _next_code(commune, day: date) -> str:
    """ "<commune code>-<yymmdd>-<sequence>": the day's counter row is locked while it counts."""
    DossierCounter.objects.get_or_create(commune=commune, day=day)
    counter = DossierCounter.objects.select_for_update().get(commune=commune, day=day)
    counter.last += 1
    counter.save(update_fields=["last", "updated_at"])
    return f"{commune.code}-{day:%y%m%d}-{counter.last:04d}"


def _check_contact(
    *,
    notify_channel: str,
    consent_sms: bool,
    consent_zalo: bool,
    consent_email: bool,
    email: str,
    return_method: str,
    applicant_address: str,
) -> None:
    errors: dict[str, str] = {}
    needs = {
        Dossier.NotifyChannel.SMS: consent_sms,
        Dossier.NotifyChannel.ZALO: consent_zalo,
        Dossier.NotifyChannel.EMAIL: consent_email,
    }
    if notify_channel in needs and not needs[notify_channel]:
        errors["notify_channel"] = _(
            "Người nộp chưa đồng ý nhận thông báo qua kênh đã chọn: đánh dấu ô đồng ý, "
            "hoặc chọn “Không nhận thông báo”."
        )
    if consent_email and not email:
        errors["email"] = _("Nhập địa chỉ thư điện tử để gửi thông báo qua thư.")
    if return_method == Dossier.ReturnMethod.POST and not applicant_address.strip():
        errors["applicant_address"] = _("Trả kết quả qua bưu chính cần địa chỉ nhận.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def dossier_receive(
    *,
    actor,
    procedure: Procedure,
    applicant_name: str,
    applicant_phone: str,
    applicant_address: str = "",
    applicant_id_number: str = "",
    channel: str = Dossier.Channel.DESK,
    return_method: str = Dossier.ReturnMethod.DESK,
    appointment_at: datetime | None = None,
    notify_channel: str = Dossier.NotifyChannel.SMS,
    consent_sms: bool = False,
    consent_zalo: bool = False,
    consent_email: bool = False,
    email: str = "",
    documents_received: Iterable[str] | None = None,
    note: str = "",
    handling_official: Official | None = None,
    received_at: datetime | None = None,
    idempotency_token: str | None = None,
) -> Dossier:
    """Receive a dossier: number it, set its due date, record the event, tell the applicant.

    With an `idempotency_token` already used, the dossier it created is returned unchanged.
    """
    _require_handler(actor, procedure.commune_id)
    if idempotency_token:
        existing = Dossier.objects.filter(idempotency_token=idempotency_token).first()
        if existing is not None:
            if existing.commune_id != procedure.commune_id:
                raise PermissionDenied
            return existing
    if not procedure.is_active:
        raise ValidationError(
            {"procedure": _("Thủ tục “%(name)s” không còn áp dụng.") % {"name": procedure.name}}
        )
    _same_commune(procedure.commune_id, handling_official, None)
    _check_contact(
        notify_channel=notify_channel,
        consent_sms=consent_sms,
        consent_zalo=consent_zalo,
        consent_email=consent_email,
        email=email,
        return_method=return_method,
        applicant_address=applicant_address,
    )
    received_at = received_at or timezone.now()
    if documents_received is None:
        documents_received = procedure.documents.values_list("name", flat=True)
    documents = [d.strip() for d in documents_received if d and d.strip()]
    consenting = consent_sms or consent_zalo or consent_email
    dossier = Dossier(
        commune=procedure.commune,
        code="-",
        procedure=procedure,
        applicant_name=applicant_name.strip(),
        applicant_phone=applicant_phone.strip(),
        applicant_address=applicant_address.strip(),
        applicant_id_number=applicant_id_number.strip(),
        channel=channel,
        return_method=return_method,
        appointment_at=appointment_at,
        notify_channel=notify_channel,
        consent_sms=consent_sms,
        consent_zalo=consent_zalo,
        consent_email=consent_email,
        consent_recorded_at=received_at if consenting else None,
        email=email.strip(),
        documents_received=documents,
        note=note.strip(),
        processing_days=procedure.processing_days,
        received_at=received_at,
        receipt_day=workdays.receipt_day(received_at),
        due_date=workdays.due_date(received_at, procedure.processing_days),
        state=Dossier.State.RECEIVED,
        state_changed_at=received_at,
        handling_official=handling_official,
        handling_office=handling_official.office if handling_official else None,
        created_by=actor,
        idempotency_token=idempotency_token or None,
    )
    dossier.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            dossier.code = _next_code(procedure.commune, received_at.astimezone(LOCAL_TZ).date())
            dossier.save()
    except IntegrityError:
        # The same form submitted twice at the same moment: the first one won.
        if idempotency_token:
            existing = Dossier.objects.filter(idempotency_token=idempotency_token).first()
            if existing is not None:
                return existing
        raise
    _record(
        dossier,
        DossierAction.RECEIVE,
        actor=actor,
        at=_minute(received_at),
        source="",
        to_official=dossier.handling_official,
        to_office=dossier.handling_office,
    )
    _notify(dossier, "dossier_received")
    return dossier


@transaction.atomic
def dossier_handover(
    *,
    actor,
    dossier: Dossier,
    to_official: Official | None = None,
    to_office: Office | None = None,
    step_due_date: date | None = None,
    note: str = "",
    at: datetime | None = None,
) -> Dossier:
    """Hand the dossier on to another official or office (a control-slip row, to the minute)."""
    dossier = _begin(actor, dossier, DossierAction.HANDOVER)
    if to_official is None and to_office is None:
        raise ValidationError(_("Chọn cán bộ hoặc bộ phận nhận hồ sơ."))
    if to_office is None and to_official is not None:
        to_office = to_official.office
    _same_commune(dossier.commune_id, to_official, to_office)
    step_due = step_due_date or dossier.due_date
    if step_due > dossier.due_date:
        raise ValidationError(
            _("Hạn của bước không được sau ngày hẹn trả %(due)s.")
            % {"due": _date_text(dossier.due_date)}
        )
    at = _minute(at)
    _close_open_step(dossier, at)
    from_official, from_office = dossier.handling_official, dossier.handling_office
    source = _move(
        dossier,
        DossierAction.HANDOVER,
        at,
        {"handling_official": to_official, "handling_office": to_office},
    )
    _record(
        dossier,
        DossierAction.HANDOVER,
        actor=actor,
        at=at,
        source=source,
        from_official=from_official,
        from_office=from_office,
        to_official=to_official,
        to_office=to_office,
        step_due_date=step_due,
        note=note.strip(),
    )
    return dossier


def _clean_items(items: Iterable[str]) -> list[str]:
    seen: set[str] = set()
    cleaned = []
    for item in items:
        text = " ".join((item or "").split())
        if text and fold(text) not in seen:
            seen.add(fold(text))
            cleaned.append(text)
    return cleaned


@transaction.atomic
def dossier_request_supplement(
    *, actor, dossier: Dossier, items: Iterable[str], note: str = "", at: datetime | None = None
) -> DossierSupplement:
    """Ask the applicant for missing papers; the clock stops until they are complete.

    Items that are not among the procedure's required documents are flagged for a leader.
    """
    dossier = _begin(actor, dossier, DossierAction.REQUEST_SUPPLEMENT)
    wanted = _clean_items(items)
    if not wanted:
        raise ValidationError(
            {"items": _("Ghi rõ ít nhất một giấy tờ cần bổ sung (mỗi dòng một giấy tờ).")}
        )
    listed = {fold(name) for name in dossier.procedure.documents.values_list("name", flat=True)}
    unlisted = [item for item in wanted if fold(item) not in listed]
    at = _minute(at)
    source = _move(dossier, DossierAction.REQUEST_SUPPLEMENT, at, {"supplement_requested_at": at})
    supplement = DossierSupplement.objects.create(
        dossier=dossier,
        items=wanted,
        unlisted_items=unlisted,
        needs_leader_review=bool(unlisted),
        requested_at=at,
        requested_by=actor,
        note=note.strip(),
    )
    request_due = workdays.add_working_days(dossier.receipt_day, SUPPLEMENT_REQUEST_WORKING_DAYS)
    _record(
        dossier,
        DossierAction.REQUEST_SUPPLEMENT,
        actor=actor,
        at=at,
        source=source,
        note="; ".join(wanted),
        step_due_date=request_due,
        step_result=_result(local_day(at), request_due),
        step_finished_at=at,
    )
    n = dossier.supplements.count()
    _notify(dossier, "dossier_supplement_requested", reason="; ".join(wanted), n=str(n))
    return supplement


@transaction.atomic
def dossier_complete_supplement(
    *, actor, dossier: Dossier, note: str = "", at: datetime | None = None
) -> Dossier:
    """The applicant brought what was missing: the time limit starts again from now."""
    dossier = _begin(actor, dossier, DossierAction.COMPLETE_SUPPLEMENT)
    at = _minute(at)
    new_due = workdays.due_date(at, dossier.processing_days)
    DossierSupplement.objects.filter(dossier=dossier, completed_at__isnull=True).update(
        completed_at=at, updated_at=timezone.now()
    )
    source = _move(
        dossier,
        DossierAction.COMPLETE_SUPPLEMENT,
        at,
        {"supplement_completed_at": at, "due_date": new_due},
    )
    _record(
        dossier,
        DossierAction.COMPLETE_SUPPLEMENT,
        actor=actor,
        at=at,
        source=source,
        note=note.strip(),
        step_due_date=new_due,
    )
    return dossier


def _require_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Ghi rõ lý do.")})
    return reason


@transaction.atomic
def dossier_refuse(*, actor, dossier: Dossier, reason: str, at: datetime | None = None) -> Dossier:
    """Refuse to handle a dossier just received (with the reason, form 03)."""
    dossier = _begin(actor, dossier, DossierAction.REFUSE)
    reason = _require_reason(reason)
    at = _minute(at)
    source = _move(dossier, DossierAction.REFUSE, at, {"refused_at": at, "closing_reason": reason})
    _record(dossier, DossierAction.REFUSE, actor=actor, at=at, source=source, note=reason)
    _notify(dossier, "dossier_refused", reason=reason)
    return dossier


@transaction.atomic
def dossier_withdraw(
    *, actor, dossier: Dossier, reason: str, at: datetime | None = None
) -> Dossier:
    """The applicant withdraws an open dossier."""
    dossier = _begin(actor, dossier, DossierAction.WITHDRAW)
    reason = _require_reason(reason)
    at = _minute(at)
    _close_open_step(dossier, at)
    source = _move(
        dossier, DossierAction.WITHDRAW, at, {"withdrawn_at": at, "closing_reason": reason}
    )
    _record(dossier, DossierAction.WITHDRAW, actor=actor, at=at, source=source, note=reason)
    return dossier


@transaction.atomic
def dossier_result_ready(
    *, actor, dossier: Dossier, note: str = "", at: datetime | None = None
) -> Dossier:
    """The result is ready for the applicant: this date decides early / on time / late."""
    dossier = _begin(actor, dossier, DossierAction.RESULT_READY)
    at = _minute(at)
    _close_open_step(dossier, at)
    source = _move(
        dossier,
        DossierAction.RESULT_READY,
        at,
        {"result_ready_at": at, "result_ready_day": local_day(at)},
    )
    _record(
        dossier,
        DossierAction.RESULT_READY,
        actor=actor,
        at=at,
        source=source,
        note=note.strip(),
        step_due_date=dossier.due_date,
        step_result=_result(local_day(at), dossier.due_date),
        step_finished_at=at,
    )
    _notify(dossier, "dossier_result_ready", rating_url=rating_url(dossier.code))
    return dossier


@transaction.atomic
def dossier_return(
    *, actor, dossier: Dossier, note: str = "", at: datetime | None = None
) -> Dossier:
    """The applicant has received the result (at the desk or by post)."""
    dossier = _begin(actor, dossier, DossierAction.RETURN)
    at = _minute(at)
    source = _move(dossier, DossierAction.RETURN, at, {"returned_at": at})
    _record(dossier, DossierAction.RETURN, actor=actor, at=at, source=source, note=note.strip())
    # A marriage, birth or death registration drafts its letter for the leader (configuration
    # in thanthien/letters/data/triggers.json), in this transaction.
    from thanthien.letters.services import letter_draft_for_returned_dossier

    letter_draft_for_returned_dossier(dossier=dossier, actor=actor)
    return dossier


@transaction.atomic
def dossier_reschedule(
    *,
    actor,
    dossier: Dossier,
    new_due_date: date,
    reason: str,
    at: datetime | None = None,
) -> Dossier:
    """Reset the return date of a dossier at risk of being late: once, and at least one working
    day before the due date (ND 61 art. 19.9), with an apology to the applicant."""
    dossier = _begin(actor, dossier, DossierAction.RESCHEDULE)
    if dossier.rescheduled_at is not None:
        raise DossierTransitionError(
            _(
                "Hồ sơ %(code)s đã được hẹn lại ngày trả một lần (ngày hẹn ban đầu %(original)s). "
                "Theo quy định chỉ được hẹn lại một lần."
            )
            % {"code": dossier.code, "original": _date_text(dossier.original_due_date)}
        )
    at = _minute(at)
    today = local_day(at)
    if workdays.working_days_between(today, dossier.due_date) < 1:
        raise DossierTransitionError(
            _(
                "Đã quá thời điểm hẹn lại: phải hẹn lại chậm nhất một ngày làm việc trước ngày "
                "hẹn trả %(due)s."
            )
            % {"due": _date_text(dossier.due_date)}
        )
    reason = _require_reason(reason)
    if new_due_date <= dossier.due_date:
        raise ValidationError(
            {
                "new_due_date": _("Ngày hẹn mới phải sau ngày hẹn trả hiện tại %(due)s.")
                % {"due": _date_text(dossier.due_date)}
            }
        )
    if not workdays.is_working_day(new_due_date):
        raise ValidationError({"new_due_date": _("Ngày hẹn mới phải là một ngày làm việc.")})
    original = dossier.due_date
    source = _move(
        dossier,
        DossierAction.RESCHEDULE,
        at,
        {
            "original_due_date": original,
            "due_date": new_due_date,
            "rescheduled_at": at,
            "reschedule_reason": reason,
        },
    )
    _record(
        dossier,
        DossierAction.RESCHEDULE,
        actor=actor,
        at=at,
        source=source,
        note=reason,
        step_due_date=new_due_date,
    )
    # Form 04, numbered and issued with the move (apology_services builds on this module).
    from thanthien.onestop.apology_services import apology_record_reschedule

    slip = apology_record_reschedule(
        actor=actor, dossier=dossier, original_due_date=original, at=at
    )
    # The issued slip also drafts the chairman's apology letter (Mẫu 02) for the leader.
    from thanthien.letters.services import letter_draft_for_apology

    letter_draft_for_apology(slip=slip, actor=actor)
    _notify(
        dossier,
        "dossier_rescheduled",
        new_due_date=_date_text(new_due_date),
        # The apology names the date that will be missed.
        due_date=_date_text(original),
        reason=reason,
    )
    return dossier


@transaction.atomic
def dossier_supplement_review(
    *, actor, supplement: DossierSupplement, note: str = ""
) -> DossierSupplement:
    """A leader has looked at a supplement request that asked for unlisted papers."""
    dossier = supplement.dossier
    leader = actor.is_superuser or actor.role in LEADER_ROLES
    if not leader:
        raise PermissionDenied(_("Chỉ lãnh đạo xã xem xét yêu cầu bổ sung ngoài quy định."))
    _require_handler(actor, dossier.commune_id)
    supplement = DossierSupplement.objects.select_for_update().get(pk=supplement.pk)
    if supplement.reviewed_at is not None:
        raise DossierTransitionError(_("Yêu cầu bổ sung này đã được lãnh đạo xem."))
    supplement.reviewed_at = timezone.now()
    supplement.reviewed_by = actor
    supplement.review_note = note.strip()
    supplement.save(update_fields=["reviewed_at", "reviewed_by", "review_note", "updated_at"])
    return supplement
