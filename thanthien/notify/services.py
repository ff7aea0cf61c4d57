"""Writes of the notify app: enqueue a notification, copy a template, purge old bodies.

The dispatcher's state changes (claim, record an attempt) live in dispatcher.py.
"""

import re
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.notify.models import Channel, Event, Message, MessageTemplate
from thanthien.notify.rendering import default_template, render_text

PHONE_RE = re.compile(r"^0\d{9}$")


@dataclass(frozen=True)
class Contact:
    name: str
    phone: str = ""  # 10-digit VN number, e.g. "0912345678"
    email: str = ""
    channel: str = "sms"  # Channel value: "sms" | "zalo" | "email" | "none"
    consent_sms: bool = False
    consent_zalo: bool = False
    consent_email: bool = False
    # A reply on the platform the person wrote from (Zalo OA, Facebook Page): their id there.
    platform_id: str = ""
    consent_platform: bool = False

    def consents_to(self, channel: str) -> bool:
        return {
            Channel.SMS: self.consent_sms and bool(self.phone),
            Channel.ZALO: self.consent_zalo and bool(self.phone),
            Channel.EMAIL: self.consent_email and bool(self.email),
            Channel.ZALO_OA: self.consent_platform and bool(self.platform_id),
            Channel.FACEBOOK: self.consent_platform and bool(self.platform_id),
        }.get(channel, False)


@dataclass(frozen=True)
class RenderedText:
    subject: str
    body: str
    zalo_template_id: str


def template_render(*, commune, event: str, channel: str, context: dict) -> RenderedText:
    """The commune's template for the event and channel, else the national default, filled."""
    found = list(
        MessageTemplate.objects.filter(event=event, channel=channel, is_active=True).filter(
            Q(commune=commune) | Q(commune__isnull=True)
        )
    )
    # The commune's own copy wins over the national default.
    template = next((t for t in found if t.commune_id), None) or next(iter(found), None)
    return _fill(template, event=event, channel=channel, context=context)


def _fill(
    template: MessageTemplate | None, *, event: str, channel: str, context: dict
) -> RenderedText:
    """The template filled in; without one, the shipped default for the event and channel
    (when the database holds none, e.g. a freshly flushed test DB)."""
    if template is not None:
        subject, body, plain = template.subject, template.body, template.strip_diacritics
        zalo_template_id = template.zalo_template_id
    else:
        item = default_template(event, channel)
        if item is None:
            raise ValidationError(_("Chưa có mẫu tin nhắn cho sự kiện và kênh này."))
        subject, body, plain = item["subject"], item["body"], item["strip_diacritics"]
        zalo_template_id = item.get("zalo_template_id", "")
    return RenderedText(
        subject=render_text(subject, context, plain=plain),
        body=render_text(body, context, plain=plain),
        zalo_template_id=zalo_template_id,
    )


def _sendable(event: str, contact: Contact) -> bool:
    """Whether the contact gets a message for the event: False without a channel or consent;
    a ValidationError for an unknown event or channel, or a malformed phone number."""
    if event not in Event.values:
        raise ValidationError(
            _("Sự kiện thông báo không hợp lệ: %(event)s"), params={"event": event}
        )
    channel = contact.channel
    if channel not in Channel.values:
        raise ValidationError(
            _("Kênh nhận thông báo không hợp lệ: %(channel)s"), params={"channel": channel}
        )
    if channel == Channel.NONE or not contact.consents_to(channel):
        return False
    if contact.phone and not PHONE_RE.match(contact.phone):
        raise ValidationError(
            _("Số điện thoại %(phone)s không đúng: cần 10 chữ số, bắt đầu bằng 0."),
            params={"phone": contact.phone},
        )
    return True


def _new_message(
    *,
    event: str,
    contact: Contact,
    values: dict,
    text: RenderedText,
    dedupe_key: str,
    related,
    now,
) -> Message:
    """The unsaved message of a notification, due `now` (its commune is the caller's to set)."""
    message = Message(
        event=event,
        channel=contact.channel,
        recipient_name=contact.name,
        phone=contact.phone,
        email=contact.email,
        recipient_ref=contact.platform_id,
        subject=text.subject,
        body=text.body,
        context={k: "" if v is None else str(v) for k, v in values.items()},
        zalo_template_id=text.zalo_template_id,
        sms_fallback=contact.channel == Channel.ZALO and contact.consents_to(Channel.SMS),
        dedupe_key=dedupe_key,
        next_attempt_at=now,
    )
    if related is not None:
        message.related_type = ContentType.objects.get_for_model(related)
        message.related_id = str(related.pk)
    return message


def notification_enqueue(
    *,
    commune,
    event: str,
    contact: Contact,
    context: dict,
    dedupe_key: str,
    related=None,
) -> Message | None:
    """Queue the message for `event` in the caller's transaction; None when the person
    chose no channel or gave no consent for it. One message per dedupe_key (a unique DB
    constraint), so a retried state change never queues twice."""
    if not _sendable(event, contact):
        return None
    existing = Message.objects.filter(commune=commune, dedupe_key=dedupe_key).first()
    if existing is not None:
        return existing
    values = {"name": contact.name, **context}
    text = template_render(commune=commune, event=event, channel=contact.channel, context=values)
    message = _new_message(
        event=event,
        contact=contact,
        values=values,
        text=text,
        dedupe_key=dedupe_key,
        related=related,
        now=timezone.now(),
    )
    message.commune = commune
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        # A concurrent enqueue with the same key won the race: that one stands.
        existing = Message.objects.filter(commune=commune, dedupe_key=dedupe_key).first()
        if existing is None:
            raise
        return existing
    return message


def message_sms_fallback_enqueue(*, message: Message) -> Message | None:
    """After a permanent Zalo failure, queue the same notification as SMS (if consented)."""
    if message.channel != Channel.ZALO or not message.sms_fallback:
        return None
    with transaction.atomic():
        text = template_render(
            commune=message.commune,
            event=message.event,
            channel=Channel.SMS,
            context=message.context,
        )
        fallback, _created = Message.objects.get_or_create(
            commune=message.commune,
            dedupe_key=f"{message.dedupe_key}:sms"[:200],
            defaults={
                "event": message.event,
                "channel": Channel.SMS,
                "recipient_name": message.recipient_name,
                "phone": message.phone,
                "body": text.body,
                "context": message.context,
                "fallback_of": message,
                "related_type": message.related_type,
                "related_id": message.related_id,
                "next_attempt_at": timezone.now(),
            },
        )
    return fallback


def message_template_copy_for_commune(*, template: MessageTemplate, commune) -> MessageTemplate:
    """The commune's editable copy of a national default (the existing copy if there is one)."""
    with transaction.atomic():
        copy, _created = MessageTemplate.objects.get_or_create(
            commune=commune,
            event=template.event,
            channel=template.channel,
            defaults={
                "subject": template.subject,
                "body": template.body,
                "strip_diacritics": template.strip_diacritics,
                "zalo_template_id": template.zalo_template_id,
            },
        )
    return copy


FINAL_STATUSES = (Message.Status.SENT, Message.Status.DELIVERED, Message.Status.FAILED)


def message_bodies_purge(*, older_than_days: int | None = None, now=None) -> int:
    """Blank the text and template data of finished messages older than the retention period.

    Personal data law: keep SMS bodies no longer than needed. Returns how many were blanked.
    """
    days = (
        settings.THANTHIEN_NOTIFY_BODY_RETENTION_DAYS
        if older_than_days is None
        else older_than_days
    )
    now = now or timezone.now()
    with transaction.atomic():
        return Message.objects.filter(
            status__in=FINAL_STATUSES,
            body_purged_at__isnull=True,
            updated_at__lt=now - timedelta(days=days),
        ).update(subject="", body="", context={}, body_purged_at=now)


def message_mark_delivered(*, provider_request_id: str, delivered_at=None) -> bool:
    """A provider's delivery report: sent → delivered. False when no sent message matches."""
    with transaction.atomic():
        return bool(
            Message.objects.filter(
                provider_request_id=provider_request_id, status=Message.Status.SENT
            ).update(status=Message.Status.DELIVERED, delivered_at=delivered_at or timezone.now())
        )


@dataclass(frozen=True)
class Notice:
    """One notification for `notifications_enqueue_bulk` (what notification_enqueue takes)."""

    commune_id: int
    event: str
    contact: Contact
    context: dict
    dedupe_key: str
    related: object = None


def _bulk_templates(notices: list[Notice]) -> dict[tuple, MessageTemplate]:
    """Every active template the notices may use, communes' and national, in one query."""
    rows = MessageTemplate.objects.filter(
        event__in={n.event for n in notices},
        channel__in={n.contact.channel for n in notices},
        is_active=True,
    ).filter(Q(commune_id__in={n.commune_id for n in notices}) | Q(commune__isnull=True))
    return {(t.commune_id, t.event, t.channel): t for t in rows}


def _bulk_render(notice: Notice, templates: dict, values: dict) -> RenderedText:
    channel = notice.contact.channel
    template = templates.get((notice.commune_id, notice.event, channel)) or templates.get(
        (None, notice.event, channel)
    )
    return _fill(template, event=notice.event, channel=channel, context=values)


def notifications_enqueue_bulk(*, notices: list[Notice]) -> list[Message]:
    """Queue many notifications in a fixed number of queries, whatever their number (a daily
    job's warnings), in the caller's transaction. Same rules as notification_enqueue: nothing
    without a channel and consent, one message per commune and dedupe key (a notice whose key
    is taken is skipped). Returns the messages queued now (without their ids)."""
    wanted: dict[tuple[int, str], Notice] = {}
    for notice in notices:
        if _sendable(notice.event, notice.contact):
            wanted.setdefault((notice.commune_id, notice.dedupe_key), notice)
    if not wanted:
        return []
    taken = set(
        Message.objects.filter(dedupe_key__in={key for _commune, key in wanted}).values_list(
            "commune_id", "dedupe_key"
        )
    )
    fresh = [notice for key, notice in wanted.items() if key not in taken]
    if not fresh:
        return []
    templates = _bulk_templates(fresh)
    now = timezone.now()
    messages = []
    for notice in fresh:
        values = {"name": notice.contact.name, **notice.context}
        message = _new_message(
            event=notice.event,
            contact=notice.contact,
            values=values,
            text=_bulk_render(notice, templates, values),
            dedupe_key=notice.dedupe_key,
            related=notice.related,
            now=now,
        )
        message.commune_id = notice.commune_id
        messages.append(message)
    with transaction.atomic():
        # A concurrent run that took a key in between wins; its message stands.
        Message.objects.bulk_create(messages, ignore_conflicts=True)
    return messages
