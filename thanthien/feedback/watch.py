"""The daily feedback watch: remind whoever holds an item before its answer is due, and tell
the commune's leaders once an item is overdue.

An open item (new, classified, assigned, in progress) is "due soon" when its due date falls
within THANTHIEN_FEEDBACK_REMIND_WORKING_DAYS working days from today: the assigned official
gets `staff_feedback_due_soon` (the leaders when nobody holds it). Past its due date it is
overdue: the leaders get `staff_feedback_overdue` (escalation). Each item is reminded once and
escalated once per due date: `reminded_at` / `escalated_at` are set and a REMIND / ESCALATE
row is written to its history; classifying or reopening sets a new due date and clears both.
Running the job twice sends nothing new (the flags, and the outbox's dedupe keys which name
the due date). Warnings go out on working days only. The number of queries does not grow with
the number of items.

Run once a local day by `manage.py dispatch_notifications --loop` (THANTHIEN_DAILY_JOBS).
"""

import re
from dataclasses import dataclass, field
from datetime import date

from auditlog.models import LogEntry
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.encoding import smart_str
from django.utils.translation import gettext as _

from thanthien.core import workdays
from thanthien.feedback.items import OPEN_STATES, Action, FeedbackEvent, FeedbackItem
from thanthien.feedback.workflow_services import LEADER_ROLES
from thanthien.notify.models import Channel, Event
from thanthien.notify.services import Contact, Notice, notifications_enqueue_bulk
from thanthien.people.models import User

MOBILE_RE = re.compile(r"^0[35789]\d{8}$")


@dataclass
class FeedbackWatchReport:
    today: date
    horizon: date
    warned_today: bool
    reminded: list[str] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)
    messages_queued: int = 0
    # Codes of items nobody could be told about (no holder, no leader with a contact).
    unwarned: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "reminded": len(self.reminded),
            "escalated": len(self.escalated),
            "messages_queued": self.messages_queued,
            "unwarned": len(self.unwarned),
        }

    def __str__(self) -> str:
        return (
            f"{self.today:%d/%m/%Y}: {len(self.reminded)} feedback reminders, "
            f"{len(self.escalated)} escalated, {self.messages_queued} messages queued"
            + ("" if self.warned_today else " (day off: no warnings)")
        )


def _user_contact(user: User) -> Contact | None:
    """Staff are told at work: SMS to the official's mobile, else e-mail; None without."""
    official = user.official if user.official_id else None
    phone = "".join(ch for ch in (official.phone if official else "") if ch.isdigit())
    name = str(user)
    if MOBILE_RE.match(phone):
        return Contact(name=name, phone=phone, channel=Channel.SMS, consent_sms=True)
    email = (official.email if official else "") or user.email
    if email:
        return Contact(name=name, email=email, channel=Channel.EMAIL, consent_email=True)
    return None


def _leaders(commune_ids: set[int]) -> dict[int, list[User]]:
    found: dict[int, list[User]] = {}
    if not commune_ids:
        return found
    users = (
        User.objects.filter(role__in=sorted(LEADER_ROLES), commune_id__in=commune_ids)
        .filter(is_active=True)
        .select_related("official")
        .order_by("commune_id", "pk")
    )
    for user in users:
        found.setdefault(user.commune_id, []).append(user)
    return found


def _item_url(item: FeedbackItem) -> str:
    return settings.THANTHIEN_PUBLIC_BASE_URL.rstrip("/") + item.get_absolute_url()


def _notices(item: FeedbackItem, event: str, users: list[User], kind: str) -> list[Notice]:
    context = {
        "commune": item.commune.name,
        "code": item.code,
        "due_date": f"{item.due_date:%d/%m/%Y}",
        "item_url": _item_url(item),
        "assignee": str(item.assignee or item.office or _("chưa giao")),
    }
    notices = []
    for user in users:
        contact = _user_contact(user)
        if contact is None:
            continue
        notices.append(
            Notice(
                commune_id=item.commune_id,
                event=event,
                contact=contact,
                context=context,
                dedupe_key=f"fbwatch:{kind}:{item.code}:{item.due_date:%Y%m%d}:u{user.pk}"[:200],
                related=item,
            )
        )
    return notices


def _audit(items: list[FeedbackItem], field_name: str, at) -> None:
    """Bulk updates skip django-auditlog's signals: write the entries in one go."""
    if not items:
        return
    content_type = ContentType.objects.get_for_model(FeedbackItem)
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=content_type,
                object_pk=str(item.pk),
                object_id=item.pk,
                object_repr=smart_str(item),
                action=LogEntry.Action.UPDATE,
                changes={field_name: ["None", smart_str(at)]},
                additional_data=item.get_additional_data(),
            )
            for item in items
        ]
    )


def _record(items: list[FeedbackItem], action: str, field_name: str, at, note: str) -> None:
    if not items:
        return
    FeedbackItem.objects.filter(pk__in=[i.pk for i in items]).update(
        **{field_name: at, "updated_at": at}
    )
    FeedbackEvent.objects.bulk_create(
        [
            FeedbackEvent(
                commune_id=item.commune_id,
                item=item,
                action=action,
                from_status=item.status,
                to_status=item.status,
                at=at,
                note=note % {"due": f"{item.due_date:%d/%m/%Y}"},
            )
            for item in items
        ]
    )
    _audit(items, field_name, at)


def feedback_watch(*, today: date | None = None) -> FeedbackWatchReport:
    """Run the day's feedback watch over every commune (see the module docstring)."""
    today = today or timezone.localdate()
    report = FeedbackWatchReport(
        today=today,
        horizon=workdays.add_working_days(today, settings.THANTHIEN_FEEDBACK_REMIND_WORKING_DAYS),
        warned_today=workdays.is_working_day(today),
    )
    if not report.warned_today:
        return report
    items = list(
        FeedbackItem.objects.filter(status__in=sorted(OPEN_STATES), due_date__isnull=False)
        .filter(
            Q(due_date__lt=today, escalated_at__isnull=True)
            | Q(due_date__gte=today, due_date__lte=report.horizon, reminded_at__isnull=True)
        )
        .select_related("commune", "office", "assignee__official")
        .order_by("commune_id", "due_date", "code")
    )
    overdue = [i for i in items if i.due_date < today]
    due_soon = [i for i in items if i.due_date >= today]
    leaders = _leaders({i.commune_id for i in items})
    notices: list[Notice] = []
    reminded, escalated = [], []
    for item in due_soon:
        holder = [item.assignee] if item.assignee and item.assignee.is_active else []
        if holder and _user_contact(holder[0]) is None:
            holder = []
        batch = _notices(
            item, Event.STAFF_FEEDBACK_DUE_SOON, holder or leaders.get(item.commune_id, []), "soon"
        )
        (reminded if batch else report.unwarned).append(item)
        notices.extend(batch)
    for item in overdue:
        batch = _notices(
            item, Event.STAFF_FEEDBACK_OVERDUE, leaders.get(item.commune_id, []), "overdue"
        )
        (escalated if batch else report.unwarned).append(item)
        notices.extend(batch)
    report.unwarned = [i.code for i in report.unwarned]
    at = timezone.now()
    with transaction.atomic():
        report.messages_queued = len(notifications_enqueue_bulk(notices=notices))
        _record(reminded, Action.REMIND, "reminded_at", at, _("Nhắc hạn trả lời %(due)s"))
        _record(escalated, Action.ESCALATE, "escalated_at", at, _("Quá hạn trả lời %(due)s"))
    report.reminded = [i.code for i in reminded]
    report.escalated = [i.code for i in escalated]
    return report
