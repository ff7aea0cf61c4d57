"""The daily deadline watch of complaints, denunciations and dialogue commitments.

A complaint or denunciation waiting to be accepted (accept_due) or being resolved
(resolve_due, moved by extensions) and a dialogue commitment still open (deadline) are "due
soon" when their date falls within THANTHIEN_FEEDBACK_REMIND_WORKING_DAYS working days: the
officials assigned to the case, or the commitment's owner, are reminded
(`staff_deadline_due_soon`; the leaders when nobody can be told). Past the date the leaders are
told (`staff_deadline_overdue`). The outbox's dedupe keys name the stage and the date, so a
second run the same day — or any later day for the same date — sends nothing new, and an
extension (a new date) is reminded again. Warnings go out on working days only. The number of
queries does not grow with the number of cases.

A denunciation's message names only its case number, never the denouncer.

Run once a local day by `manage.py dispatch_notifications --loop` and the Celery beat
(THANTHIEN_DAILY_JOBS).
"""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.core import workdays
from thanthien.feedback.complaints import Complaint
from thanthien.feedback.dialogues import DialogueCommitment
from thanthien.feedback.watch import MOBILE_RE, _leaders, _user_contact
from thanthien.notify.models import Channel, Event
from thanthien.notify.services import Contact, Notice, notifications_enqueue_bulk
from thanthien.people.models import User


@dataclass
class DeadlineWatchReport:
    today: date
    horizon: date
    warned_today: bool
    reminded: list[str] = field(default_factory=list)
    escalated: list[str] = field(default_factory=list)
    unwarned: list[str] = field(default_factory=list)
    messages_queued: int = 0

    def __str__(self) -> str:
        return (
            f"{self.today:%d/%m/%Y}: {len(self.reminded)} deadlines reminded, "
            f"{len(self.escalated)} overdue told to leaders, "
            f"{self.messages_queued} messages queued"
            + ("" if self.warned_today else " (day off: no warnings)")
        )


@dataclass(frozen=True)
class _Task:
    """One dated task: what it is, whose it is, where to open it."""

    key: str
    commune_id: int
    commune_name: str
    code: str
    what: str
    due: date
    path: str
    people: list[Contact]
    related: object


def _official_contact(official) -> Contact | None:
    """A commitment's owner is an Official: their login's contact, else their own phone."""
    user = getattr(official, "user", None)
    if user is not None and user.is_active:
        contact = _user_contact(user)
        if contact is not None:
            return contact
    phone = "".join(ch for ch in official.phone if ch.isdigit())
    if MOBILE_RE.match(phone):  # an SMS cannot reach an office landline
        return Contact(name=official.full_name, phone=phone, channel=Channel.SMS, consent_sms=True)
    if official.email:
        return Contact(
            name=official.full_name,
            email=official.email,
            channel=Channel.EMAIL,
            consent_email=True,
        )
    return None


def _open_complaints(today: date, horizon: date) -> list[_Task]:
    waiting = Q(status=Complaint.Status.RECEIVED, accept_due__isnull=False, accept_due__lte=horizon)
    resolving = Q(
        status=Complaint.Status.ACCEPTED, resolve_due__isnull=False, resolve_due__lte=horizon
    )
    cases = (
        Complaint.objects.filter(waiting | resolving)
        .select_related("commune")
        .prefetch_related(
            Prefetch(
                "assignees",
                queryset=User.objects.filter(is_active=True).select_related("official"),
            )
        )
        .order_by("commune_id", "pk")
    )
    tasks = []
    for case in cases:
        accepting = case.status == Complaint.Status.RECEIVED
        due = case.accept_due if accepting else case.resolve_due
        if case.kind == Complaint.Kind.DENUNCIATION:
            what = _("Xử lý ban đầu đơn tố cáo") if accepting else _("Giải quyết tố cáo")
        else:
            what = _("Thụ lý đơn khiếu nại") if accepting else _("Giải quyết khiếu nại")
        people = [c for c in (_user_contact(u) for u in case.assignees.all()) if c]
        tasks.append(
            _Task(
                key=f"complaint:{case.pk}:{'accept' if accepting else 'resolve'}",
                commune_id=case.commune_id,
                commune_name=case.commune.name,
                code=case.code,
                what=what,
                due=due,
                path=reverse("staff:feedback:complaint", kwargs={"pk": case.pk}),
                people=people,
                related=case,
            )
        )
    return tasks


def _open_commitments(horizon: date) -> list[_Task]:
    commitments = (
        DialogueCommitment.objects.filter(
            status=DialogueCommitment.Status.OPEN, deadline__lte=horizon
        )
        .select_related("commune", "owner__user__official", "question__dialogue")
        .order_by("commune_id", "pk")
    )
    tasks = []
    for commitment in commitments:
        dialogue = commitment.question.dialogue
        contact = _official_contact(commitment.owner)
        tasks.append(
            _Task(
                key=f"commitment:{commitment.pk}",
                commune_id=commitment.commune_id,
                commune_name=commitment.commune.name,
                code=f"{dialogue.date:%d/%m/%Y} — {commitment.text[:60]}",
                what=_("Cam kết sau hội nghị đối thoại"),
                due=commitment.deadline,
                path=reverse(
                    "staff:feedback:dialogue_question", kwargs={"pk": commitment.question_id}
                ),
                people=[contact] if contact else [],
                related=commitment,
            )
        )
    return tasks


def _dedupe_key(kind: str, task: _Task, contact: Contact) -> str:
    """One message per task, date and person: a new date (an extension) is told again."""
    person = contact.phone or contact.email
    return f"deadline:{kind}:{task.key}:{task.due:%Y%m%d}:{person}"[:200]


def _notices(task: _Task, event: str, people: list[Contact], kind: str) -> list[Notice]:
    base = settings.THANTHIEN_PUBLIC_BASE_URL.rstrip("/")
    context = {
        "commune": task.commune_name,
        "code": task.code,
        "what": task.what,
        "due_date": f"{task.due:%d/%m/%Y}",
        "item_url": base + task.path,
    }
    return [
        Notice(
            commune_id=task.commune_id,
            event=event,
            contact=contact,
            context=context,
            dedupe_key=_dedupe_key(kind, task, contact),
            related=task.related,
        )
        for contact in people
    ]


def deadlines_watch(*, today: date | None = None) -> DeadlineWatchReport:
    """Run the day's watch over every commune (see the module docstring)."""
    today = today or timezone.localdate()
    report = DeadlineWatchReport(
        today=today,
        horizon=workdays.add_working_days(today, settings.THANTHIEN_FEEDBACK_REMIND_WORKING_DAYS),
        warned_today=workdays.is_working_day(today),
    )
    if not report.warned_today:
        return report
    tasks = _open_complaints(today, report.horizon) + _open_commitments(report.horizon)
    leaders = {
        commune_id: [c for c in (_user_contact(u) for u in users) if c]
        for commune_id, users in _leaders({t.commune_id for t in tasks}).items()
    }
    notices: list[Notice] = []
    for task in tasks:
        overdue = task.due < today
        people = leaders.get(task.commune_id, []) if overdue else task.people
        people = people or leaders.get(task.commune_id, [])
        event = Event.STAFF_DEADLINE_OVERDUE if overdue else Event.STAFF_DEADLINE_DUE_SOON
        batch = _notices(task, event, people, "overdue" if overdue else "soon")
        target = report.escalated if overdue else report.reminded
        (target if batch else report.unwarned).append(task.key)
        notices.extend(batch)
    with transaction.atomic():
        report.messages_queued = len(notifications_enqueue_bulk(notices=notices))
    return report
