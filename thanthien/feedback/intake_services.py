"""New feedback items, whatever the channel: one service every intake path calls.

The public form, the desk QR, the Zalo and Facebook webhooks, the mail endpoint, Open311
and the official's entry of a phone call or a letter from the box all end in
`feedback_submit`. It gives the tracking code, stores the files, computes the deadlines,
writes the first history row and queues the acknowledgement in the outbox, in one
transaction; a repeat of the same submission returns the first item instead of a second.
"""

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.core.workdays import LOCAL_TZ, add_working_days, receipt_day
from thanthien.feedback.categories import category, response_working_days
from thanthien.feedback.items import (
    Action,
    Attachment,
    FeedbackEvent,
    FeedbackItem,
    Kind,
    ReplyChannel,
    Sequence,
    Source,
)
from thanthien.feedback.links import status_url
from thanthien.feedback.uploads import CleanFile, clean_uploads
from thanthien.notify.models import Channel, Event
from thanthien.notify.services import Contact, notification_enqueue

PHONE_RE = re.compile(r"^0\d{9}$")
MIN_CONTENT_LENGTH = 10
MAX_CONTENT_LENGTH = 5000
WORKING_HOURS_PER_DAY = 8


@dataclass(frozen=True)
class Submitted:
    item: FeedbackItem
    created: bool  # False when this repeated an earlier submission


def sequence_next(*, commune, name: str, year: int) -> int:
    """The next number in one of the commune's yearly registers (the row is locked)."""
    Sequence.objects.get_or_create(commune=commune, name=name, year=year)
    row = Sequence.objects.select_for_update().get(commune=commune, name=name, year=year)
    row.last += 1
    row.save(update_fields=["last", "updated_at"])
    return row.last


def _next_code(commune, at: datetime) -> str:
    """ "PA-<commune code>-<yy>-<sequence>", e.g. PA-11725-26-00042."""
    year = at.astimezone(LOCAL_TZ).year
    number = sequence_next(commune=commune, name="feedback", year=year)
    return f"PA-{commune.code}-{year % 100:02d}-{number:05d}"


def normalized_phone(phone: str) -> str:
    """Digits only, with +84 / 84 written as a leading 0: "+84 912 345 678" -> "0912345678"."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


def content_fingerprint(*, commune_id: int, content: str, sender: str) -> str:
    """The same words from the same sender (case, spacing and accents' encoding aside)."""
    words = " ".join(unicodedata.normalize("NFC", content).casefold().split())
    return hashlib.sha256(f"{commune_id}|{sender}|{words}".encode()).hexdigest()


def ack_due(received_at: datetime) -> datetime:
    """Acknowledge within THANTHIEN_FEEDBACK_ACK_WORKING_HOURS working hours, counted as whole
    working days of 8 hours: the same clock time that many working days after receipt."""
    hours = settings.THANTHIEN_FEEDBACK_ACK_WORKING_HOURS
    days = max(1, -(-hours // WORKING_HOURS_PER_DAY))
    local = received_at.astimezone(LOCAL_TZ)
    day = add_working_days(local.date(), days)
    return local.replace(year=day.year, month=day.month, day=day.day)


def answer_due(received_at: datetime, category_code: str):
    """The day the answer is due: working days per category from the day of receipt."""
    return add_working_days(receipt_day(received_at), response_working_days(category_code))


def _check(
    *,
    content: str,
    category_code: str,
    sender_phone: str,
    sender_email: str,
    sender_platform_id: str,
    reply_channel: str,
    consent_contact: bool,
    is_anonymous: bool,
) -> None:
    errors: dict[str, str] = {}
    text = content.strip()
    if len(text) < MIN_CONTENT_LENGTH:
        errors["content"] = _("Xin ông/bà viết nội dung rõ hơn (ít nhất %(n)s ký tự).") % {
            "n": MIN_CONTENT_LENGTH
        }
    elif len(text) > MAX_CONTENT_LENGTH:
        errors["content"] = _("Nội dung dài quá %(n)s ký tự; xin gửi phần còn lại trong tệp.") % {
            "n": MAX_CONTENT_LENGTH
        }
    if category_code and category(category_code) is None:
        errors["category"] = _("Lĩnh vực không có trong danh mục.")
    if sender_phone and not PHONE_RE.match(sender_phone):
        errors["sender_phone"] = _("Số điện thoại gồm đúng 10 chữ số, bắt đầu bằng 0.")
    if reply_channel not in ReplyChannel.values:
        errors["reply_channel"] = _("Kênh nhận phản hồi không hợp lệ.")
    elif reply_channel != ReplyChannel.NONE and not is_anonymous:
        needs = {
            ReplyChannel.SMS: (sender_phone, "sender_phone", _("Cần số điện thoại để nhắn tin.")),
            ReplyChannel.ZALO: (sender_phone, "sender_phone", _("Cần số điện thoại dùng Zalo.")),
            ReplyChannel.EMAIL: (sender_email, "sender_email", _("Cần địa chỉ thư điện tử.")),
            ReplyChannel.ZALO_OA: (sender_platform_id, "reply_channel", _("Thiếu mã Zalo.")),
            ReplyChannel.FACEBOOK: (sender_platform_id, "reply_channel", _("Thiếu mã Facebook.")),
        }
        value, field, message = needs[reply_channel]
        if not value:
            errors.setdefault(field, message)
        if not consent_contact:
            errors["consent_contact"] = _("Xin đánh dấu đồng ý để xã liên hệ lại qua kênh đã chọn.")
    if errors:
        raise ValidationError(errors)


def item_contact(item: FeedbackItem) -> Contact:
    """Where the item's acknowledgement and answer go (the outbox's Contact)."""
    channel = item.reply_channel if not item.is_anonymous else ReplyChannel.NONE
    consent = item.consent_contact
    return Contact(
        name=item.sender_name or _("ông/bà"),
        phone=item.sender_phone,
        email=item.sender_email,
        channel=channel if channel in Channel.values else Channel.NONE,
        consent_sms=consent,
        consent_zalo=consent,
        consent_email=consent,
        platform_id=item.sender_platform_id,
        consent_platform=consent,
    )


def item_notify(item: FeedbackItem, event: str, *, dedupe: str, **context: str):
    """Queue a message to the sender through the outbox, in the caller's transaction; the
    Message, or None when the sender chose no channel or gave no consent."""
    return notification_enqueue(
        commune=item.commune,
        event=event,
        contact=item_contact(item),
        context={
            "code": item.code,
            "commune": item.commune.name,
            "lookup_url": status_url(item.code),
            "due_date": f"{item.due_date:%d/%m/%Y}" if item.due_date else "",
            **context,
        },
        dedupe_key=f"feedback:{item.pk}:{dedupe}",
        related=item,
    )


def _existing(commune, *, idempotency_key: str, source: str, external_id: str, fingerprint: str):
    if idempotency_key:
        found = FeedbackItem.objects.filter(commune=commune, idempotency_key=idempotency_key)
        if found.exists():
            return found.first()
    if external_id:
        found = FeedbackItem.objects.filter(
            commune=commune, source=source, external_id=external_id
        ).first()
        if found is not None:
            return found
    since = timezone.now() - timedelta(minutes=settings.THANTHIEN_FEEDBACK_DEDUPE_MINUTES)
    return (
        FeedbackItem.objects.filter(
            commune=commune, content_hash=fingerprint, received_at__gte=since
        )
        .order_by("pk")
        .first()
    )


def attachments_store(
    *, item: FeedbackItem, files: list[CleanFile], role: str, is_public: bool = False
) -> list[Attachment]:
    """Save checked files on the item (see uploads.clean_uploads for the checks)."""
    stored = []
    for clean in files:
        attachment = Attachment(
            commune=item.commune,
            item=item,
            role=role,
            original_name=clean.original_name,
            content_type=clean.content_type,
            size=clean.size,
            is_public=is_public,
        )
        attachment.file.save(clean.name, clean.as_django_file(), save=False)
        attachment.save()
        stored.append(attachment)
    return stored


def feedback_submit(
    *,
    commune,
    content: str,
    source: str,
    kind: str = Kind.REPORT,
    title: str = "",
    category: str = "",
    hamlet=None,
    location_text: str = "",
    latitude=None,
    longitude=None,
    counter=None,
    procedure=None,
    dossier=None,
    is_anonymous: bool = False,
    sender_name: str = "",
    sender_phone: str = "",
    sender_email: str = "",
    sender_address: str = "",
    sender_platform_id: str = "",
    reply_channel: str = ReplyChannel.NONE,
    consent_contact: bool = False,
    consent_publish: bool = False,
    idempotency_key: str = "",
    external_id: str = "",
    submitted_ip: str | None = None,
    entered_by=None,
    received_at: datetime | None = None,
    files=(),
    file_role: str = Attachment.Role.FROM_SENDER,
    scans=(),
) -> Submitted:
    """Register a new item, or return the earlier one this submission repeats (same
    idempotency key, same platform message, or the same words from the same sender within
    THANTHIEN_FEEDBACK_DEDUPE_MINUTES). Files are checked before anything is saved: `files`
    are stored with `file_role`, `scans` (a paper letter from the box) as letter scans; a
    ValidationError names every faulty field ("files", "scans" for the uploads)."""
    if source not in Source.values:
        raise ValidationError({"source": _("Kênh tiếp nhận không hợp lệ.")})
    if kind not in Kind.values:
        raise ValidationError({"kind": _("Loại ý kiến không hợp lệ.")})
    sender_phone = normalized_phone(sender_phone)
    sender_email = (sender_email or "").strip().lower()
    if is_anonymous:
        sender_name = sender_phone = sender_email = sender_address = ""
        sender_platform_id = sender_platform_id if reply_channel in ("zalo_oa", "facebook") else ""
        reply_channel = ReplyChannel.NONE
        consent_contact = False
    errors: dict[str, list] = {}
    try:
        _check(
            content=content,
            category_code=category,
            sender_phone=sender_phone,
            sender_email=sender_email,
            sender_platform_id=sender_platform_id,
            reply_channel=reply_channel,
            consent_contact=consent_contact,
            is_anonymous=is_anonymous,
        )
    except ValidationError as exc:
        errors.update(exc.error_dict)
    # Every fault at once, the files' with the words': the sender corrects them in one go.
    cleaned_files, cleaned_scans = [], []
    for name, given in (("files", files), ("scans", scans)):
        try:
            cleaned = clean_uploads(given)
        except ValidationError as exc:
            errors[name] = exc.error_list
        else:
            (cleaned_files if name == "files" else cleaned_scans).extend(cleaned)
    if errors:
        raise ValidationError(errors)
    for related, field in ((hamlet, "hamlet"), (counter, "counter"), (procedure, "procedure")):
        if related is not None and related.commune_id != commune.pk:
            raise ValidationError({field: _("Không thuộc xã này.")})
    if dossier is not None and dossier.commune_id != commune.pk:
        raise ValidationError({"dossier": _("Không thuộc xã này.")})
    sender_key = sender_phone or sender_email or sender_platform_id or (submitted_ip or "")
    fingerprint = content_fingerprint(
        commune_id=commune.pk, content=content, sender=f"{source}:{sender_key}"
    )
    at = received_at or timezone.now()
    try:
        with transaction.atomic():
            earlier = _existing(
                commune,
                idempotency_key=idempotency_key,
                source=source,
                external_id=external_id,
                fingerprint=fingerprint,
            )
            if earlier is not None:
                return Submitted(item=earlier, created=False)
            item = FeedbackItem.objects.create(
                commune=commune,
                code=_next_code(commune, at),
                kind=kind,
                source=source,
                category=category,
                title=title.strip()[:200],
                content=content.strip(),
                hamlet=hamlet,
                location_text=location_text.strip()[:255],
                latitude=latitude,
                longitude=longitude,
                counter=counter,
                procedure=procedure,
                dossier=dossier,
                is_anonymous=is_anonymous,
                sender_name=sender_name.strip()[:150],
                sender_phone=sender_phone,
                sender_email=sender_email,
                sender_address=sender_address.strip()[:255],
                sender_platform_id=sender_platform_id,
                reply_channel=reply_channel,
                consent_contact=consent_contact,
                consent_publish=consent_publish,
                idempotency_key=idempotency_key,
                external_id=external_id,
                content_hash=fingerprint,
                submitted_ip=submitted_ip or None,
                entered_by=entered_by,
                received_at=at,
                ack_due_at=ack_due(at),
                due_date=answer_due(at, category),
            )
            attachments_store(item=item, files=cleaned_files, role=file_role)
            attachments_store(item=item, files=cleaned_scans, role=Attachment.Role.LETTER_SCAN)
            FeedbackEvent.objects.create(
                commune=commune,
                item=item,
                action=Action.SUBMIT,
                to_status=item.status,
                at=at,
                actor=entered_by,
                note=item.get_source_display(),
            )
            acknowledge(item)
    except IntegrityError:
        # A concurrent submission with the same key or platform message won the race.
        earlier = _existing(
            commune,
            idempotency_key=idempotency_key,
            source=source,
            external_id=external_id,
            fingerprint=fingerprint,
        )
        if earlier is None:
            raise
        return Submitted(item=earlier, created=False)
    return Submitted(item=item, created=True)


def acknowledge(item: FeedbackItem) -> bool:
    """Queue the acknowledgement with the tracking code on the sender's channel; record it.
    False when the sender chose no channel (they saw the code on screen or were told it)."""
    if item.acknowledged_at is not None:
        return False
    message = None
    if item.reply_channel != ReplyChannel.NONE and item.consent_contact:
        message = item_notify(item, Event.FEEDBACK_ACKNOWLEDGED, dedupe="ack")
    if message is not None:
        item.acknowledged_at = timezone.now()
        item.save(update_fields=["acknowledged_at", "updated_at"])
        FeedbackEvent.objects.create(
            commune=item.commune,
            item=item,
            action=Action.ACKNOWLEDGE,
            from_status=item.status,
            to_status=item.status,
            at=item.acknowledged_at,
            note=item.get_reply_channel_display(),
        )
    return message is not None
