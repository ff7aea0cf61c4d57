"""Every write to complaints and denunciations: the register and each stage's move.

Leaders and administrators of the commune register and handle them; each move checks the
state, records the stage's date and recomputes the deadline (complaint_deadlines). A
denunciation's register entry is assigned to the official who records it, so the identity
is seen at once by someone who may see it; the leader then assigns the handling officials.
"""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.core.staff import can_act_in_commune, require_commune_role
from thanthien.feedback import complaint_deadlines as deadlines
from thanthien.feedback.complaints import Complaint, ComplaintExtension
from thanthien.feedback.intake_services import normalized_phone, sequence_next
from thanthien.feedback.items import Sequence
from thanthien.people.roles import Role

HANDLER_ROLES = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN})
PHONE_DIGITS = 10
ID_DIGITS = 12
Status = Complaint.Status


def can_handle(user, commune_id: int | None) -> bool:
    """Whether the user registers and moves the commune's complaints and denunciations."""
    return can_act_in_commune(
        user, commune_id, roles=HANDLER_ROLES, perm="feedback.change_complaint"
    )


def _require_handler(actor, commune_id: int, perm: str = "feedback.change_complaint") -> None:
    require_commune_role(
        actor,
        commune_id,
        roles=HANDLER_ROLES,
        perm=perm,
        message=_("Chỉ lãnh đạo, quản trị viên của xã xử lý đơn khiếu nại, tố cáo."),
    )


def _locked(complaint: Complaint) -> Complaint:
    return Complaint.objects.select_for_update().select_related("commune").get(pk=complaint.pk)


def _require_status(complaint: Complaint, allowed: tuple[str, ...], action: str) -> None:
    if complaint.status not in allowed:
        raise ValidationError(
            _('Đơn đang ở trạng thái "%(status)s", không thể %(action)s.')
            % {"status": complaint.get_status_display(), "action": action}
        )


def _today() -> date:
    return timezone.localdate()


def _check_day(day: date | None, *, field: str, not_before: date, label: str) -> dict:
    if day is None:
        return {field: _("Ghi ngày.")}
    if day > _today():
        return {field: _("Ngày không được sau hôm nay.")}
    if day < not_before:
        return {
            field: _("Ngày không được trước %(label)s (%(day)s).")
            % {"label": label, "day": f"{not_before:%d/%m/%Y}"}
        }
    return {}


def complaint_code(*, commune, kind: str, received_on: date) -> str:
    """ "KN-<commune code>-<yy>-<number>" or "TC-…", numbered in the commune's yearly register
    of complaints and denunciations (one sequence for both, as in the paper register)."""
    number = sequence_next(commune=commune, name="complaint", year=received_on.year)
    prefix = "KN" if kind == Complaint.Kind.COMPLAINT else "TC"
    return f"{prefix}-{commune.code}-{received_on.year % 100:02d}-{number:04d}"


def lock_register(*, commune, name: str, year: int) -> None:
    """Lock the commune's yearly register row: registrations of one commune run one at a
    time, so a double click finds the first entry instead of writing a second."""
    Sequence.objects.get_or_create(commune=commune, name=name, year=year)
    Sequence.objects.select_for_update().filter(commune=commune, name=name, year=year).first()


def _repeated(*, commune, kind, person_name, subject, content, received_on) -> Complaint | None:
    lock_register(commune=commune, name="complaint", year=received_on.year)
    since = timezone.now() - timedelta(minutes=settings.THANTHIEN_FEEDBACK_DEDUPE_MINUTES)
    return (
        Complaint.objects.filter(
            commune=commune,
            kind=kind,
            received_on=received_on,
            person_name=person_name.strip(),
            subject=subject.strip(),
            content__startswith=content.strip(),
            created_at__gte=since,
        )
        .order_by("pk")
        .first()
    )


@transaction.atomic
def complaint_register(
    *,
    actor,
    commune,
    kind: str,
    person_name: str,
    subject: str,
    content: str,
    received_on: date,
    round: int = Complaint.Round.FIRST,
    is_complex: bool = False,
    person_phone: str = "",
    person_address: str = "",
    person_id_number: str = "",
    hamlet=None,
    respondent: str = "",
    learned_on: date | None = None,
    obstacle_reason: str = "",
    feedback_item=None,
    reception_visit=None,
) -> Complaint:
    """Enter a complaint or denunciation in the register with its first deadline.

    A complaint lodged after the 90-day limitation is refused unless an objective obstacle
    (illness, disaster, work far away…) is recorded: that time does not count (art. 9)."""
    _require_handler(actor, commune.pk, "feedback.add_complaint")
    errors: dict[str, str] = {}
    if kind not in Complaint.Kind.values:
        errors["kind"] = _("Chọn khiếu nại hoặc tố cáo.")
    if round not in Complaint.Round.values:
        errors["round"] = _("Lần giải quyết không hợp lệ.")
    elif kind == Complaint.Kind.DENUNCIATION and round != Complaint.Round.FIRST:
        errors["round"] = _("Tố cáo không có giải quyết lần hai.")
    if not person_name.strip():
        errors["person_name"] = _("Ghi họ và tên người khiếu nại, tố cáo.")
    if not subject.strip():
        errors["subject"] = _("Ghi quyết định, hành vi bị khiếu nại, tố cáo.")
    if len(content.strip()) < 10:
        errors["content"] = _("Ghi tóm tắt nội dung đơn (ít nhất 10 ký tự).")
    phone = normalized_phone(person_phone)
    if phone and len(phone) != PHONE_DIGITS:
        errors["person_phone"] = _("Số điện thoại gồm đúng 10 chữ số, bắt đầu bằng 0.")
    id_number = person_id_number.strip()
    if id_number and not (id_number.isdigit() and len(id_number) == ID_DIGITS):
        errors["person_id_number"] = _("Số căn cước gồm đúng 12 chữ số.")
    if hamlet is not None and hamlet.commune_id != commune.pk:
        errors["hamlet"] = _("Thôn, tổ dân phố không thuộc xã này.")
    if received_on is None:
        errors["received_on"] = _("Ghi ngày nhận đơn.")
    elif received_on > _today():
        errors["received_on"] = _("Ngày nhận đơn không được sau hôm nay.")
    elif learned_on is not None and learned_on > received_on:
        errors["learned_on"] = _("Ngày biết quyết định, hành vi không được sau ngày nhận đơn.")
    elif (
        kind == Complaint.Kind.COMPLAINT
        and deadlines.is_time_barred(learned_on=learned_on, received_on=received_on)
        and not obstacle_reason.strip()
    ):
        ends = deadlines.limitation_ends(learned_on)
        errors["learned_on"] = _(
            "Đã quá thời hiệu khiếu nại %(days)s ngày (hết ngày %(end)s). Chỉ vào sổ nếu người "
            "khiếu nại có trở ngại khách quan (ốm đau, thiên tai, đi công tác xa…): ghi rõ "
            "trở ngại đó; nếu không, hướng dẫn người khiếu nại và không thụ lý."
        ) % {"days": deadlines.period("complaint_limitation").number, "end": f"{ends:%d/%m/%Y}"}
    for related, field in ((feedback_item, "feedback_item"), (reception_visit, "reception_visit")):
        if related is not None and related.commune_id != commune.pk:
            errors[field] = _("Không thuộc xã này.")
    if errors:
        raise ValidationError(errors)
    earlier = _repeated(
        commune=commune,
        kind=kind,
        person_name=person_name,
        subject=subject,
        content=content,
        received_on=received_on,
    )
    if earlier is not None:
        return earlier
    text = content.strip()
    if obstacle_reason.strip() and deadlines.is_time_barred(
        learned_on=learned_on, received_on=received_on
    ):
        text += "\n\n" + _("Trở ngại khách quan (không tính vào thời hiệu): %(reason)s") % {
            "reason": obstacle_reason.strip()
        }
    complaint = Complaint.objects.create(
        commune=commune,
        code=complaint_code(commune=commune, kind=kind, received_on=received_on),
        kind=kind,
        round=round,
        is_complex=is_complex,
        is_remote_area=commune.is_remote_area,
        person_name=person_name.strip(),
        person_phone=phone,
        person_address=person_address.strip(),
        person_id_number=id_number,
        hamlet=hamlet,
        subject=subject.strip(),
        respondent=respondent.strip(),
        content=text,
        learned_on=learned_on,
        received_on=received_on,
        accept_due=deadlines.accept_due(kind=kind, received_on=received_on),
        recorded_by=actor,
        feedback_item=feedback_item,
        reception_visit=reception_visit,
    )
    if kind == Complaint.Kind.DENUNCIATION:
        complaint.assignees.add(actor)
    if feedback_item is not None:
        _redirect_item(actor=actor, item=feedback_item, complaint=complaint)
    return complaint


def _redirect_item(*, actor, item, complaint: Complaint) -> None:
    """Close the feedback item the letter came as, through the feedback workflow, telling
    the sender it is now handled as a complaint or denunciation. An item already closed, or
    one the workflow refuses to move, stays as it is: the link to it is kept either way."""
    from thanthien.feedback import workflow_services
    from thanthien.feedback.items import OPEN_STATES

    redirect = getattr(workflow_services, "item_redirect", None) or getattr(
        workflow_services, "feedback_redirect", None
    )
    if redirect is None or item.status not in OPEN_STATES:
        return
    reason = _(
        "Nội dung ông/bà gửi là %(kind)s, được vào sổ theo dõi đơn số %(code)s và giải quyết "
        "theo trình tự của luật; xã sẽ thông báo kết quả cho ông/bà."
    ) % {"kind": complaint.get_kind_display().lower(), "code": complaint.code}
    url = reverse("portal:reception", kwargs={"slug": complaint.commune.slug})
    try:
        with transaction.atomic():
            redirect(actor=actor, item=item, reason=reason, redirect_url=url)
    except (ValidationError, PermissionDenied):
        return


@transaction.atomic
def complaint_accept(
    *, actor, complaint: Complaint, accepted_on: date, is_complex: bool | None = None
) -> Complaint:
    """Accept (thụ lý): the resolution deadline runs from this day."""
    complaint = _locked(complaint)
    _require_handler(actor, complaint.commune_id)
    _require_status(complaint, (Status.RECEIVED,), _("thụ lý"))
    errors = _check_day(
        accepted_on,
        field="accepted_on",
        not_before=complaint.received_on,
        label=_("ngày nhận đơn"),
    )
    if errors:
        raise ValidationError(errors)
    if is_complex is not None:
        complaint.is_complex = is_complex
    complaint.status = Status.ACCEPTED
    complaint.accepted_on = accepted_on
    complaint.resolve_due = deadlines.resolve_due(
        kind=complaint.kind,
        accepted_on=accepted_on,
        round=complaint.round,
        is_complex=complaint.is_complex,
        is_remote=complaint.is_remote_area,
    )
    complaint.save()
    return complaint


@transaction.atomic
def complaint_refuse(*, actor, complaint: Complaint, refused_on: date, reason: str) -> Complaint:
    """Do not accept (không thụ lý), with the reason the notice gives the person."""
    complaint = _locked(complaint)
    _require_handler(actor, complaint.commune_id)
    _require_status(complaint, (Status.RECEIVED,), _("không thụ lý"))
    errors = _check_day(
        refused_on, field="refused_on", not_before=complaint.received_on, label=_("ngày nhận đơn")
    )
    if not reason.strip():
        errors["refusal_reason"] = _("Ghi lý do không thụ lý (sẽ thông báo cho người gửi đơn).")
    if errors:
        raise ValidationError(errors)
    complaint.status = Status.REFUSED
    complaint.refused_on = refused_on
    complaint.refusal_reason = reason.strip()
    complaint.save()
    return complaint


@transaction.atomic
def complaint_transfer(
    *, actor, complaint: Complaint, transferred_on: date, transferred_to: str
) -> Complaint:
    """Send a letter outside the commune's competence to the competent agency."""
    complaint = _locked(complaint)
    _require_handler(actor, complaint.commune_id)
    _require_status(complaint, (Status.RECEIVED,), _("chuyển đơn"))
    errors = _check_day(
        transferred_on,
        field="transferred_on",
        not_before=complaint.received_on,
        label=_("ngày nhận đơn"),
    )
    if not transferred_to.strip():
        errors["transferred_to"] = _("Ghi cơ quan, người có thẩm quyền nhận đơn.")
    if errors:
        raise ValidationError(errors)
    complaint.status = Status.TRANSFERRED
    complaint.transferred_on = transferred_on
    complaint.transferred_to = transferred_to.strip()
    complaint.save()
    return complaint


@transaction.atomic
def complaint_extend(
    *, actor, complaint: Complaint, stage: str, days: int, reason: str, decided_on: date
) -> ComplaintExtension:
    """Extend a denunciation's initial handling (to 10 working days, once) or its resolution
    (30 days a time; once, twice when especially complex). Complaints have no extension."""
    complaint = _locked(complaint)
    _require_handler(actor, complaint.commune_id)
    if stage not in ComplaintExtension.Stage.values:
        raise ValidationError({"stage": _("Chọn giai đoạn gia hạn.")})
    wanted = Status.RECEIVED if stage == deadlines.STAGE_ACCEPT else Status.ACCEPTED
    _require_status(complaint, (wanted,), _("gia hạn giai đoạn này"))
    done = complaint.extensions.filter(stage=stage).count()
    rule = deadlines.extension_rule(
        kind=complaint.kind,
        stage=stage,
        is_complex=complaint.is_complex,
        received_on=complaint.received_on,
    )
    if rule is not None and rule.fixed_due is not None:
        days = rule.max_days  # the law fixes the extended deadline itself
    refusal = deadlines.extension_refusal(
        kind=complaint.kind,
        stage=stage,
        is_complex=complaint.is_complex,
        received_on=complaint.received_on,
        days=days or 0,
        done=done,
    )
    if refusal:
        raise ValidationError({"days": refusal})
    errors = _check_day(
        decided_on, field="decided_on", not_before=complaint.received_on, label=_("ngày nhận đơn")
    )
    if not reason.strip():
        errors["reason"] = _("Ghi lý do gia hạn.")
    if errors:
        raise ValidationError(errors)
    previous = complaint.accept_due if stage == deadlines.STAGE_ACCEPT else complaint.resolve_due
    new_due = deadlines.extended_due(previous_due=previous, days=days, rule=rule)
    extension = ComplaintExtension.objects.create(
        commune_id=complaint.commune_id,
        complaint=complaint,
        stage=stage,
        days=days,
        working_days=rule.working_days,
        previous_due=previous,
        new_due=new_due,
        reason=reason.strip(),
        decided_on=decided_on,
        decided_by=actor,
    )
    if stage == deadlines.STAGE_ACCEPT:
        complaint.accept_due = new_due
    else:
        complaint.resolve_due = new_due
    complaint.save()
    return extension


@transaction.atomic
def complaint_resolve(
    *, actor, complaint: Complaint, resolved_on: date, decision_number: str, resolution: str
) -> Complaint:
    """Record the decision (complaint) or conclusion (denunciation) and its date."""
    complaint = _locked(complaint)
    _require_handler(actor, complaint.commune_id)
    _require_status(complaint, (Status.ACCEPTED,), _("ghi kết quả giải quyết"))
    errors = _check_day(
        resolved_on,
        field="resolved_on",
        not_before=complaint.accepted_on,
        label=_("ngày thụ lý"),
    )
    if not decision_number.strip():
        errors["decision_number"] = _("Ghi số quyết định giải quyết / kết luận nội dung tố cáo.")
    if not resolution.strip():
        errors["resolution"] = _("Ghi tóm tắt kết quả giải quyết.")
    if errors:
        raise ValidationError(errors)
    complaint.status = Status.RESOLVED
    complaint.resolved_on = resolved_on
    complaint.decision_number = decision_number.strip()
    complaint.resolution = resolution.strip()
    complaint.save()
    return complaint


@transaction.atomic
def complaint_withdraw(
    *, actor, complaint: Complaint, withdrawn_on: date, note: str = ""
) -> Complaint:
    """The person withdraws the complaint or denunciation (in writing)."""
    complaint = _locked(complaint)
    _require_handler(actor, complaint.commune_id)
    _require_status(complaint, (Status.RECEIVED, Status.ACCEPTED), _("ghi rút đơn"))
    errors = _check_day(
        withdrawn_on,
        field="withdrawn_on",
        not_before=complaint.received_on,
        label=_("ngày nhận đơn"),
    )
    if errors:
        raise ValidationError(errors)
    complaint.status = Status.WITHDRAWN
    complaint.withdrawn_on = withdrawn_on
    if note.strip():
        complaint.resolution = note.strip()
    complaint.save()
    return complaint


@transaction.atomic
def complaint_assign(*, actor, complaint: Complaint, assignees) -> Complaint:
    """Set the officials who handle it (leaders and administrators only). For a denunciation
    they are the only ones who see the denouncer's identity."""
    complaint = _locked(complaint)
    require_commune_role(
        actor,
        complaint.commune_id,
        roles=HANDLER_ROLES,
        perm="feedback.change_complaint",
        message=_("Chỉ lãnh đạo, quản trị viên của xã giao xử lý đơn."),
    )
    people = list(assignees)
    if not people:
        raise ValidationError({"assignees": _("Chọn ít nhất một cán bộ.")})
    if any(person.commune_id != complaint.commune_id or not person.is_active for person in people):
        raise ValidationError({"assignees": _("Chỉ giao cho cán bộ đang làm việc của xã này.")})
    complaint.assignees.set(people)
    return complaint
