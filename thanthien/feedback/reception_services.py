"""Every write of citizen reception: bookings of the weekly slots (online, or by phone through
an official), their cancellation and no-shows, and the reception register's rows with what
was opened from each visit (a feedback item, a complaint, a dossier).
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.core.staff import can_act_in_commune, require_commune_role
from thanthien.core.workdays import LOCAL_TZ
from thanthien.feedback.complaint_services import lock_register
from thanthien.feedback.intake_services import (
    PHONE_RE,
    feedback_submit,
    normalized_phone,
    sequence_next,
)
from thanthien.feedback.items import Kind
from thanthien.feedback.reception import ReceptionBooking, ReceptionVisit
from thanthien.feedback.reception_selectors import bookable
from thanthien.notify.models import Channel, Event
from thanthien.notify.services import Contact, notification_enqueue
from thanthien.people.roles import Role
from thanthien.portal.models import ReceptionSlot

STAFF_ROLES = frozenset({Role.COMMUNE_OFFICIAL, Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN})
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out over the phone
CODE_LENGTH = 8
MAX_GROUP = 20
Status = ReceptionBooking.Status


@dataclass(frozen=True)
class Booked:
    booking: ReceptionBooking
    created: bool  # False when this repeated an earlier booking


def can_keep(user, commune_id: int | None) -> bool:
    """Whether the user books by phone and keeps the register of the commune."""
    return can_act_in_commune(
        user, commune_id, roles=STAFF_ROLES, perm="feedback.change_receptionbooking"
    )


def _require_staff(actor, commune_id: int, perm: str) -> None:
    require_commune_role(
        actor,
        commune_id,
        roles=STAFF_ROLES,
        perm=perm,
        message=_("Chỉ cán bộ của xã ghi lịch tiếp và sổ tiếp công dân."),
    )


def _new_code() -> str:
    return "TCD-" + "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def parse_slot_value(value: str) -> tuple[int, date] | None:
    """ "<slot pk>|<yyyy-mm-dd>" -> (pk, date); None when malformed."""
    slot_pk, _sep, day = (value or "").partition("|")
    try:
        return int(slot_pk), date.fromisoformat(day)
    except ValueError:
        return None


def _existing(commune, *, idempotency_key: str, slot, day: date, phone: str):
    if idempotency_key:
        found = ReceptionBooking.objects.filter(
            commune=commune, idempotency_key=idempotency_key
        ).first()
        if found is not None:
            return found
    return (
        ReceptionBooking.objects.filter(slot=slot, date=day, phone=phone)
        .exclude(status=Status.CANCELLED)
        .first()
    )


def booking_notify(booking: ReceptionBooking):
    """The SMS with the date, time, place and code (only with the resident's consent)."""
    slot = booking.slot
    place = slot.place or getattr(getattr(booking.commune, "profile", None), "reception_place", "")
    return notification_enqueue(
        commune=booking.commune,
        event=Event.RECEPTION_BOOKED,
        contact=Contact(
            name=booking.name,
            phone=booking.phone,
            channel=Channel.SMS,
            consent_sms=booking.consent_sms,
        ),
        context={
            "commune": booking.commune.name,
            "code": booking.code,
            "date": f"{booking.date:%d/%m/%Y}",
            "time": f"{slot.start_time:%H:%M}",
            "place": place or booking.commune.name,
            "host": slot.host.full_name,
        },
        dedupe_key=f"reception:{booking.pk}:booked",
        related=booking,
    )


def booking_create(
    *,
    commune,
    slot_value: str,
    name: str,
    phone: str,
    matter: str,
    source: str = ReceptionBooking.Source.ONLINE,
    hamlet=None,
    address: str = "",
    group_size: int = 1,
    consent_sms: bool = False,
    idempotency_key: str = "",
    actor=None,
    now: datetime | None = None,
) -> Booked:
    """Book a place in a slot on one of its coming dates; a repeat (same form token, or the
    same phone for the same slot and date) returns the first booking instead of a second."""
    now = now or timezone.now()
    if source != ReceptionBooking.Source.ONLINE:
        _require_staff(actor, commune.pk, "feedback.add_receptionbooking")
    if source not in ReceptionBooking.Source.values:
        raise ValidationError({"source": _("Kênh đặt lịch không hợp lệ.")})
    phone = normalized_phone(phone)
    errors: dict[str, str] = {}
    if len(name.strip()) < 2:
        errors["name"] = _("Ghi họ và tên.")
    if not PHONE_RE.match(phone):
        errors["phone"] = _("Số điện thoại gồm đúng 10 chữ số, bắt đầu bằng 0.")
    if len(matter.strip()) < 10:
        errors["matter"] = _("Ghi nội dung cần trình bày (ít nhất 10 ký tự).")
    if not 1 <= group_size <= MAX_GROUP:
        errors["group_size"] = _("Số người cùng đến từ 1 đến %(max)s.") % {"max": MAX_GROUP}
    if hamlet is not None and hamlet.commune_id != commune.pk:
        errors["hamlet"] = _("Thôn, tổ dân phố không thuộc xã này.")
    options = {option.value: option for option in bookable(commune.pk, now=now)}
    option = options.get(slot_value)
    if option is None:
        errors["slot"] = _("Buổi tiếp này không còn nhận đặt lịch; xin chọn buổi khác.")
    if errors:
        raise ValidationError(errors)
    try:
        with transaction.atomic():
            # One booking at a time per slot: the count and the position stay right.
            slot = ReceptionSlot.objects.select_for_update().get(pk=option.slot.pk)
            earlier = _existing(
                commune, idempotency_key=idempotency_key, slot=slot, day=option.date, phone=phone
            )
            if earlier is not None:
                return Booked(booking=earlier, created=False)
            used = set(
                ReceptionBooking.objects.filter(slot=slot, date=option.date)
                .exclude(status=Status.CANCELLED)
                .values_list("position", flat=True)
            )
            places = settings.THANTHIEN_RECEPTION_PLACES_PER_SLOT
            free = [n for n in range(1, places + 1) if n not in used]
            if not free:
                raise ValidationError(
                    {
                        "slot": _("Buổi tiếp này đã đủ %(n)s lượt; xin chọn buổi khác.")
                        % {"n": places}
                    }
                )
            booking = ReceptionBooking.objects.create(
                commune=commune,
                code=_new_code(),
                slot=slot,
                date=option.date,
                position=free[0],
                source=source,
                name=name.strip()[:150],
                phone=phone,
                address=address.strip()[:255],
                hamlet=hamlet,
                matter=matter.strip(),
                group_size=group_size,
                consent_sms=consent_sms,
                idempotency_key=idempotency_key[:100],
                booked_by=actor if source != ReceptionBooking.Source.ONLINE else None,
            )
            booking_notify(booking)
    except IntegrityError:
        earlier = _existing(
            commune,
            idempotency_key=idempotency_key,
            slot=option.slot,
            day=option.date,
            phone=phone,
        )
        if earlier is None:
            raise
        return Booked(booking=earlier, created=False)
    return Booked(booking=booking, created=True)


def _open_or_refuse(booking: ReceptionBooking) -> None:
    if booking.status != Status.BOOKED:
        raise ValidationError(
            _('Lịch hẹn đang ở trạng thái "%(status)s".') % {"status": booking.get_status_display()}
        )


@transaction.atomic
def booking_cancel_by_resident(*, code: str, phone_last4: str) -> ReceptionBooking:
    """The resident cancels with the booking code and the last 4 digits of their phone."""
    booking = ReceptionBooking.objects.select_for_update().filter(code=code.strip().upper()).first()
    digits = "".join(ch for ch in phone_last4 if ch.isdigit())
    if booking is None or len(digits) != 4 or not booking.phone.endswith(digits):
        raise ValidationError(
            {"phone_last4": _("Mã đặt lịch hoặc 4 số cuối điện thoại không đúng.")}
        )
    _open_or_refuse(booking)
    booking.status = Status.CANCELLED
    booking.cancel_reason = _("Người dân tự huỷ")
    booking.save()
    return booking


@transaction.atomic
def booking_cancel(*, actor, booking: ReceptionBooking, reason: str) -> ReceptionBooking:
    """An official cancels a booking (the resident called, the session was moved…)."""
    booking = ReceptionBooking.objects.select_for_update().get(pk=booking.pk)
    _require_staff(actor, booking.commune_id, "feedback.change_receptionbooking")
    _open_or_refuse(booking)
    if not reason.strip():
        raise ValidationError({"reason": _("Ghi lý do huỷ lịch.")})
    booking.status = Status.CANCELLED
    booking.cancel_reason = reason.strip()[:255]
    booking.save()
    return booking


@transaction.atomic
def booking_mark_no_show(*, actor, booking: ReceptionBooking, today: date) -> ReceptionBooking:
    """The resident did not come (only once the day has come)."""
    booking = ReceptionBooking.objects.select_for_update().get(pk=booking.pk)
    _require_staff(actor, booking.commune_id, "feedback.change_receptionbooking")
    _open_or_refuse(booking)
    if booking.date > today:
        raise ValidationError(_("Chưa đến ngày hẹn, chưa thể ghi là không đến."))
    booking.status = Status.NO_SHOW
    booking.save()
    return booking


OPEN_NOTHING = "none"
OPEN_FEEDBACK = "feedback"
OPEN_COMPLAINT = "complaint"
OPEN_DOSSIER = "dossier"


@transaction.atomic
def visit_record(
    *,
    actor,
    commune,
    visited_at: datetime,
    received_by,
    citizen_name: str,
    kind: str,
    matter: str,
    outcome: str,
    opens: str = OPEN_NOTHING,
    dossier_code: str = "",
    booking: ReceptionBooking | None = None,
    is_scheduled_session: bool = False,
    citizen_address: str = "",
    citizen_id_number: str = "",
    citizen_phone: str = "",
    hamlet=None,
    group_size: int = 1,
    outcome_note: str = "",
) -> ReceptionVisit:
    """Write one row of the reception register, numbered in the year's register, and open
    what the visit needs: a feedback item (through feedback_submit, source "reception") or
    a link to the dossier received at the desk. A complaint is registered next, on its own
    page (complaint_new?from_visit=), by a leader."""
    _require_staff(actor, commune.pk, "feedback.add_receptionvisit")
    errors: dict[str, str] = {}
    phone = normalized_phone(citizen_phone)
    if len(citizen_name.strip()) < 2:
        errors["citizen_name"] = _("Ghi họ tên người đến.")
    if phone and not PHONE_RE.match(phone):
        errors["citizen_phone"] = _("Số điện thoại gồm đúng 10 chữ số, bắt đầu bằng 0.")
    id_number = citizen_id_number.strip()
    if id_number and not (id_number.isdigit() and len(id_number) == 12):
        errors["citizen_id_number"] = _("Số căn cước gồm đúng 12 chữ số.")
    if kind not in ReceptionVisit.Kind.values:
        errors["kind"] = _("Chọn loại việc.")
    if outcome not in ReceptionVisit.Outcome.values:
        errors["outcome"] = _("Chọn hướng xử lý.")
    if len(matter.strip()) < 10:
        errors["matter"] = _("Ghi nội dung người dân trình bày (ít nhất 10 ký tự).")
    if received_by is None or received_by.commune_id != commune.pk:
        errors["received_by"] = _("Chọn người tiếp là cán bộ của xã.")
    if hamlet is not None and hamlet.commune_id != commune.pk:
        errors["hamlet"] = _("Thôn, tổ dân phố không thuộc xã này.")
    if visited_at is None or visited_at > timezone.now():
        errors["visited_at"] = _("Thời gian tiếp không được sau lúc này.")
    if not 1 <= group_size <= 500:
        errors["group_size"] = _("Số người không hợp lệ.")
    if booking is not None:
        booking = ReceptionBooking.objects.select_for_update().get(pk=booking.pk)
        if booking.commune_id != commune.pk:
            errors["booking"] = _("Lịch hẹn không thuộc xã này.")
        elif (written := ReceptionVisit.objects.filter(booking=booking).first()) is not None:
            return written  # the booking's visit is in the register already (a repeat)
        elif booking.status == Status.CANCELLED:
            errors["booking"] = _("Lịch hẹn này đã huỷ.")
    dossier = None
    if opens == OPEN_DOSSIER:
        from thanthien.onestop.dossiers import Dossier

        dossier = Dossier.objects.filter(commune=commune, code=dossier_code.strip()).first()
        if dossier is None:
            errors["dossier_code"] = _("Không tìm thấy hồ sơ có số này ở xã.")
    elif opens == OPEN_COMPLAINT and kind not in (
        ReceptionVisit.Kind.COMPLAINT,
        ReceptionVisit.Kind.DENUNCIATION,
    ):
        errors["kind"] = _("Chỉ vào sổ đơn khi loại việc là khiếu nại hoặc tố cáo.")
    if errors:
        raise ValidationError(errors)
    year = visited_at.astimezone(LOCAL_TZ).year
    lock_register(commune=commune, name="reception", year=year)
    since = timezone.now() - timedelta(minutes=settings.THANTHIEN_FEEDBACK_DEDUPE_MINUTES)
    earlier = (
        ReceptionVisit.objects.filter(
            commune=commune,
            visited_at=visited_at,
            received_by=received_by,
            citizen_name=citizen_name.strip()[:150],
            matter=matter.strip(),
            created_at__gte=since,
        )
        .order_by("pk")
        .first()
    )
    if earlier is not None:
        return earlier  # a double click on "Ghi vào sổ"
    opened_outcome = {
        OPEN_FEEDBACK: ReceptionVisit.Outcome.FEEDBACK,
        OPEN_COMPLAINT: ReceptionVisit.Outcome.COMPLAINT,
        OPEN_DOSSIER: ReceptionVisit.Outcome.DOSSIER,
    }
    outcome = opened_outcome.get(opens, outcome)
    item = None
    if opens == OPEN_FEEDBACK:
        item = feedback_submit(
            commune=commune,
            content=matter,
            source="reception",
            kind=Kind.PETITION,
            hamlet=hamlet,
            sender_name=citizen_name,
            sender_phone=phone,
            sender_address=citizen_address,
            entered_by=actor,
            received_at=visited_at,
        ).item
    visit = ReceptionVisit.objects.create(
        commune=commune,
        number=sequence_next(commune=commune, name="reception", year=year),
        year=year,
        visited_at=visited_at,
        received_by=received_by,
        is_scheduled_session=is_scheduled_session or booking is not None,
        booking=booking,
        citizen_name=citizen_name.strip()[:150],
        citizen_address=citizen_address.strip()[:255],
        citizen_id_number=id_number,
        citizen_phone=phone,
        hamlet=hamlet,
        group_size=group_size,
        kind=kind,
        matter=matter.strip(),
        outcome=outcome,
        outcome_note=outcome_note.strip(),
        feedback_item=item,
        dossier=dossier,
        recorded_by=actor,
    )
    if booking is not None:
        booking.status = Status.ATTENDED
        booking.save()
    return visit


def require_keeper(user, commune_id: int) -> None:
    """PermissionDenied unless the user keeps the commune's reception pages."""
    if not can_keep(user, commune_id):
        raise PermissionDenied
