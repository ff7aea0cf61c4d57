"""Reads of feedback handling: the staff inbox with its filters and tabs, one item with its
files and history, and the published answers on the portal.

Every staff read goes through the user's communes (tenancy.scope); list reads load their
related rows in the same query, so a page's query count does not grow with the data.
"""

import re
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import Count, F, Prefetch, Q, QuerySet
from django.utils import timezone

from thanthien.core import tenancy, workdays
from thanthien.feedback.intake_services import normalized_phone
from thanthien.feedback.items import (
    OPEN_STATES,
    Attachment,
    FeedbackEvent,
    FeedbackItem,
    Status,
)
from thanthien.onestop.dossiers import mask_phone

PUBLISHED_STATES = (Status.ANSWERED, Status.CLOSED)
SORTS = {
    "due": (F("due_date").asc(nulls_last=True), "received_at", "pk"),
    "-received": ("-received_at", "-pk"),
    "received": ("received_at", "pk"),
}


def today_local() -> date:
    return timezone.localdate()


def due_soon_horizon(today: date) -> date:
    return workdays.add_working_days(today, settings.THANTHIEN_FEEDBACK_REMIND_WORKING_DAYS)


def items_for(*, user) -> QuerySet[FeedbackItem]:
    """The items of the user's communes, with what a list row shows."""
    return tenancy.scope(FeedbackItem.objects.all(), user).select_related(
        "commune", "hamlet", "office", "assignee", "duplicate_of"
    )


def _mine(user) -> Q:
    mine = Q(assignee_id=user.pk)
    official = getattr(user, "official", None) if user.official_id else None
    if official is not None and official.office_id:
        mine |= Q(office_id=official.office_id)
    return mine


def inbox(
    *,
    user,
    query: str = "",
    status: str = "",
    category: str = "",
    source: str = "",
    hamlet_id: int | None = None,
    assignee_id: int | None = None,
    office_id: int | None = None,
    overdue: bool = False,
    due_soon: bool = False,
    mine: bool = False,
    sort: str = "due",
) -> QuerySet[FeedbackItem]:
    """The inbox: `status` "open" (default view), "" for all, or one status; `query` finds a
    code, words of the content, the sender's name or phone."""
    items = items_for(user=user)
    today = today_local()
    if status == "open":
        items = items.filter(status__in=OPEN_STATES)
    elif status:
        items = items.filter(status=status)
    if category:
        items = items.filter(category=category)
    if source:
        items = items.filter(source=source)
    if hamlet_id:
        items = items.filter(hamlet_id=hamlet_id)
    if assignee_id:
        items = items.filter(assignee_id=assignee_id)
    if office_id:
        items = items.filter(office_id=office_id)
    if overdue:
        items = items.filter(status__in=OPEN_STATES, due_date__lt=today)
    if due_soon:
        items = items.filter(
            status__in=OPEN_STATES, due_date__gte=today, due_date__lte=due_soon_horizon(today)
        )
    if mine:
        items = items.filter(_mine(user))
    query = query.strip()
    if query:
        match = (
            Q(code__icontains=query)
            | Q(content__icontains=query)
            | Q(title__icontains=query)
            | Q(sender_name__icontains=query)
        )
        digits = normalized_phone(query)
        if len(digits) >= 4 and re.fullmatch(r"[\d\s.+()-]+", query):
            match |= Q(sender_phone__contains=digits)
        items = items.filter(match)
    return items.order_by(*SORTS.get(sort, SORTS["due"]))


@dataclass(frozen=True)
class InboxCounts:
    open: int
    mine: int
    overdue: int
    due_soon: int
    new: int


def inbox_counts(*, user) -> InboxCounts:
    """The numbers on the inbox's tabs, in one query."""
    today = today_local()
    open_q = Q(status__in=OPEN_STATES)
    row = tenancy.scope(FeedbackItem.objects.all(), user).aggregate(
        open=Count("pk", filter=open_q),
        mine=Count("pk", filter=open_q & _mine(user)),
        overdue=Count("pk", filter=open_q & Q(due_date__lt=today)),
        due_soon=Count(
            "pk",
            filter=open_q & Q(due_date__gte=today, due_date__lte=due_soon_horizon(today)),
        ),
        new=Count("pk", filter=Q(status=Status.NEW)),
    )
    return InboxCounts(**row)


def item_detail(*, user) -> QuerySet[FeedbackItem]:
    """One item's page: its files, history with the actors, duplicates, in a fixed number of
    queries."""
    return (
        items_for(user=user)
        .select_related("answered_by", "entered_by", "procedure")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.order_by("created_at", "pk")),
            Prefetch(
                "events",
                queryset=FeedbackEvent.objects.select_related("actor").order_by("at", "pk"),
            ),
            Prefetch("duplicates", queryset=FeedbackItem.objects.order_by("received_at", "pk")),
        )
    )


def attachments_for(*, user) -> QuerySet[Attachment]:
    return tenancy.scope(Attachment.objects.all(), user).select_related("item")


def is_overdue(item: FeedbackItem, today: date | None = None) -> bool:
    return bool(item.is_open and item.due_date and item.due_date < (today or today_local()))


# --- the portal --------------------------------------------------------------------------


def published_answers(*, commune, category: str = "") -> QuerySet[FeedbackItem]:
    """Published answers of a commune, newest first (only what the sender let us publish)."""
    items = FeedbackItem.objects.filter(
        commune=commune,
        is_published=True,
        consent_publish=True,
        status__in=PUBLISHED_STATES,
    ).select_related("hamlet")
    if category:
        items = items.filter(category=category)
    return items.order_by("-published_at", "-pk")


def published_answer(*, commune, code: str) -> FeedbackItem | None:
    return (
        published_answers(commune=commune)
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=Attachment.objects.filter(
                    role=Attachment.Role.ANSWER_EVIDENCE, is_public=True
                ).order_by("created_at", "pk"),
                to_attr="public_files",
            )
        )
        .filter(code=code)
        .first()
    )


def published_categories(*, commune) -> list[str]:
    """The categories that have a published answer (for the filter), one query."""
    return sorted(
        set(
            published_answers(commune=commune)
            .exclude(category="")
            .values_list("category", flat=True)
            .distinct()
        )
    )


LONG_NUMBER_RE = re.compile(r"(?<!\d)(?:\+?84|0)\d{8,10}(?!\d)|(?<!\d)\d{12}(?!\d)")


def public_answer_text(item: FeedbackItem) -> str:
    """The answer as the portal shows it: the sender's name, e-mail and any phone or ID
    number replaced, since a reply often starts "Kính gửi ông Nguyễn Văn A"."""
    from django.utils.translation import gettext as _

    text = item.answer
    if item.sender_name.strip():
        text = re.sub(re.escape(item.sender_name.strip()), _("người gửi"), text, flags=re.I)
    if item.sender_email:
        text = re.sub(re.escape(item.sender_email), "***", text, flags=re.I)
    return LONG_NUMBER_RE.sub(lambda m: mask_phone(m.group(0)), text)
