"""Every move of a feedback item after intake: classify, assign, start, answer, publish, close,
reopen, merge duplicates, redirect, note, and the sender's rating.

Each service checks who acts (role, permission, commune, and whether the item is theirs to
handle), locks the row, checks the move against `TRANSITIONS` (items.py), writes one
`FeedbackEvent`, and queues the sender's message in the outbox, in one transaction.
django-auditlog records the row changes.

Who may do what: any commune official classifies, notes, merges duplicates and redirects
items nobody holds yet; the leader (and the commune administrator) assigns and may do
everything; the assigned official, or an official of the assigned office, starts, answers,
publishes and closes.
"""

import re
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.core.staff import can_act_in_commune, require_commune_role
from thanthien.core.workdays import LOCAL_TZ, add_working_days
from thanthien.feedback.categories import category as find_category
from thanthien.feedback.categories import response_working_days
from thanthien.feedback.intake_services import (
    answer_due,
    attachments_store,
    item_notify,
    normalized_phone,
)
from thanthien.feedback.items import (
    TRANSITIONS,
    Action,
    Attachment,
    FeedbackEvent,
    FeedbackItem,
    Kind,
    ReplyTemplate,
    Status,
)
from thanthien.feedback.links import rating_url
from thanthien.feedback.uploads import clean_uploads
from thanthien.notify.models import Event
from thanthien.people.models import Office, User
from thanthien.people.roles import Role

HANDLER_ROLES = frozenset({Role.COMMUNE_OFFICIAL, Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN})
LEADER_ROLES = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN})
CHANGE_PERM = "feedback.change_feedbackitem"
MIN_ANSWER_LENGTH = 20
MIN_REASON_LENGTH = 5
# A number of 9–11 digits in a public summary is almost surely somebody's phone or ID number.
PERSONAL_NUMBER_RE = re.compile(r"(?<!\d)(?:\+?84|0)\d{8,10}(?!\d)|(?<!\d)\d{12}(?!\d)")


class FeedbackTransitionError(ValidationError):
    """A move the workflow does not allow from the item's present state."""


# --- who may act -------------------------------------------------------------------------


def is_leader(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in LEADER_ROLES))


def can_act(user, item: FeedbackItem) -> bool:
    """A commune official (or leader, administrator) of the item's commune."""
    return can_act_in_commune(user, item.commune_id, roles=HANDLER_ROLES, perm=CHANGE_PERM)


def holds(user, item: FeedbackItem) -> bool:
    """The item is assigned to this user, or to the office this user works in."""
    if not user.is_authenticated:
        return False
    if item.assignee_id and item.assignee_id == user.pk:
        return True
    official = getattr(user, "official", None)
    return bool(item.office_id and official is not None and official.office_id == item.office_id)


def may_handle(user, item: FeedbackItem) -> bool:
    """Start, answer, publish, close: the leader, or whoever holds the item."""
    return can_act(user, item) and (is_leader(user) or holds(user, item))


def may_triage(user, item: FeedbackItem) -> bool:
    """Merge or redirect: the leader, whoever holds it, or any official while nobody does."""
    unheld = not item.assignee_id and not item.office_id
    return can_act(user, item) and (is_leader(user) or holds(user, item) or unheld)


def _require_official(actor, item: FeedbackItem) -> None:
    require_commune_role(
        actor,
        item.commune_id,
        roles=HANDLER_ROLES,
        perm=CHANGE_PERM,
        message=_("Bạn không có quyền xử lý góp ý, phản ánh của xã này."),
    )


def _require_leader(actor, item: FeedbackItem) -> None:
    _require_official(actor, item)
    if not is_leader(actor):
        raise PermissionDenied(_("Chỉ lãnh đạo xã giao xử lý góp ý, phản ánh."))


def _require_handler(actor, item: FeedbackItem) -> None:
    _require_official(actor, item)
    if not (is_leader(actor) or holds(actor, item)):
        raise PermissionDenied(
            _("Chỉ người được giao xử lý ý kiến %(code)s hoặc lãnh đạo xã làm được việc này.")
            % {"code": item.code}
        )


def _require_triage(actor, item: FeedbackItem) -> None:
    _require_official(actor, item)
    if not may_triage(actor, item):
        raise PermissionDenied(
            _("Góp ý %(code)s đã giao cho người khác; chỉ người được giao hoặc lãnh đạo xử lý.")
            % {"code": item.code}
        )


# --- moves -------------------------------------------------------------------------------


def _lock(item: FeedbackItem) -> FeedbackItem:
    """Lock the row and reload the caller's instance: two officials cannot move one item at
    once, and the caller's object shows the new state afterwards."""
    list(FeedbackItem.objects.select_for_update().filter(pk=item.pk).values_list("pk"))
    item.refresh_from_db()
    return item


def _check_move(item: FeedbackItem, action: str) -> str:
    target = TRANSITIONS.get((item.status, action))
    if target is None:
        raise FeedbackTransitionError(
            _("Không thể “%(action)s” ý kiến %(code)s khi đang ở trạng thái “%(state)s”.")
            % {
                "action": Action(action).label,
                "code": item.code,
                "state": item.get_status_display(),
            }
        )
    return target


def _event(
    item: FeedbackItem, action: str, *, actor, from_status: str, at: datetime, note: str = ""
) -> FeedbackEvent:
    return FeedbackEvent.objects.create(
        commune_id=item.commune_id,
        item=item,
        action=action,
        from_status=from_status,
        to_status=item.status,
        at=at,
        actor=actor if actor is not None and actor.is_authenticated else None,
        note=note,
    )


def _move(
    item: FeedbackItem, action: str, *, actor, at: datetime, note: str = "", fields=()
) -> FeedbackItem:
    """Check the move, set the new status with `fields` already set by the caller, save, and
    write the history row."""
    before = item.status
    item.status = _check_move(item, action)
    item.save(update_fields=["status", "updated_at", *fields])
    _event(item, action, actor=actor, from_status=before, at=at, note=note)
    return item


def _text(value: str) -> str:
    return (value or "").replace("\r\n", "\n").strip()


def _reset_clock(item: FeedbackItem, due) -> list[str]:
    """A new due date: the reminder and the escalation start again."""
    if item.due_date == due:
        return []
    item.due_date = due
    item.reminded_at = None
    item.escalated_at = None
    return ["due_date", "reminded_at", "escalated_at"]


def _classify_fields(item: FeedbackItem, category: str, kind: str) -> list[str]:
    if find_category(category) is None:
        raise ValidationError({"category": _("Chọn một lĩnh vực trong danh mục.")})
    if kind and kind not in Kind.values:
        raise ValidationError({"kind": _("Loại ý kiến không hợp lệ.")})
    changed = []
    if item.category != category:
        item.category = category
        changed.append("category")
        # The deadline is the category's, counted from receipt.
        changed += _reset_clock(item, answer_due(item.received_at, category))
    if kind and item.kind != kind:
        item.kind = kind
        changed.append("kind")
    return changed


@transaction.atomic
def feedback_classify(
    *, actor, item: FeedbackItem, category: str, kind: str = "", note: str = ""
) -> FeedbackItem:
    """Set the category (and kind); the answer's due date is recomputed from the category."""
    _require_official(actor, item)
    item = _lock(item)
    _check_move(item, Action.CLASSIFY)
    fields = _classify_fields(item, category, kind)
    label = find_category(category).name
    due = f"{item.due_date:%d/%m/%Y}" if item.due_date else ""
    text = _("%(category)s; hạn trả lời %(due)s") % {"category": label, "due": due}
    return _move(
        item,
        Action.CLASSIFY,
        actor=actor,
        at=timezone.now(),
        note="\n".join(filter(None, [text, _text(note)])),
        fields=fields,
    )


def _assignee_ok(item: FeedbackItem, assignee: User | None, office: Office | None) -> None:
    errors = {}
    if office is not None and office.commune_id != item.commune_id:
        errors["office"] = _("Bộ phận không thuộc xã này.")
    if assignee is not None and (
        assignee.commune_id != item.commune_id
        or assignee.role not in HANDLER_ROLES
        or not assignee.is_active
    ):
        errors["assignee"] = _("Người được giao phải là cán bộ đang làm việc của xã này.")
    if office is None and assignee is None:
        errors["assignee"] = _("Chọn bộ phận hoặc cán bộ xử lý.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def feedback_assign(
    *,
    actor,
    item: FeedbackItem,
    office: Office | None = None,
    assignee: User | None = None,
    category: str = "",
    note: str = "",
) -> FeedbackItem:
    """The leader gives the item to an office and/or an official. A new item is classified
    first when `category` is given (a new item cannot be assigned without a category)."""
    _require_leader(actor, item)
    _assignee_ok(item, assignee, office)
    item = _lock(item)
    now = timezone.now()
    if category and (item.status == Status.NEW or category != item.category):
        fields = _classify_fields(item, category, "")
        _move(item, Action.CLASSIFY, actor=actor, at=now, fields=fields)
    if item.status == Status.NEW:
        raise FeedbackTransitionError({"category": _("Chọn lĩnh vực trước khi giao xử lý.")})
    item.office = office
    item.assignee = assignee
    who = ", ".join(str(x) for x in (assignee, office) if x is not None)
    return _move(
        item,
        Action.ASSIGN,
        actor=actor,
        at=now,
        note="\n".join(filter(None, [who, _text(note)])),
        fields=["office", "assignee"],
    )


@transaction.atomic
def feedback_start(*, actor, item: FeedbackItem, note: str = "") -> FeedbackItem:
    """Whoever holds the item starts on it."""
    _require_handler(actor, item)
    item = _lock(item)
    return _move(item, Action.START, actor=actor, at=timezone.now(), note=_text(note))


def _answer_context(item: FeedbackItem, answer: str) -> dict:
    return {"answer": answer, "rating_url": rating_url(item.code)}


def _send_answer(main: FeedbackItem, *, to: list[FeedbackItem]) -> int:
    """Queue the main item's answer to each sender (the main one and its duplicates); each
    rates their own item. How many messages were queued."""
    queued = 0
    for item in to:
        message = item_notify(
            item,
            Event.FEEDBACK_ANSWERED,
            dedupe=f"answer:{main.pk}:{main.reopen_count}",
            **_answer_context(item, main.answer),
        )
        queued += message is not None
    return queued


def _answer_duplicates(main: FeedbackItem, *, actor, at: datetime) -> list[FeedbackItem]:
    """Merged items carry the main item's answer too (their status page shows it)."""
    duplicates = list(
        FeedbackItem.objects.select_for_update(of=("self",))
        .select_related("commune")
        .filter(duplicate_of=main)
        .order_by("pk")
    )
    for duplicate in duplicates:
        duplicate.answer = main.answer
        duplicate.answered_at = at
        duplicate.answered_by = main.answered_by
        duplicate.save(update_fields=["answer", "answered_at", "answered_by", "updated_at"])
        _event(
            duplicate,
            Action.ANSWER,
            actor=actor,
            from_status=duplicate.status,
            at=at,
            note=_("Trả lời chung với ý kiến %(code)s") % {"code": main.code},
        )
    return duplicates


@transaction.atomic
def feedback_answer(
    *,
    actor,
    item: FeedbackItem,
    answer: str,
    files=(),
    evidence_public: bool = True,
    note: str = "",
) -> FeedbackItem:
    """Answer the sender (and every sender merged into this item) through the outbox, with
    the rating link; photos or documents of what was done are stored as evidence."""
    _require_handler(actor, item)
    answer = _text(answer)
    if len(answer) < MIN_ANSWER_LENGTH:
        raise ValidationError(
            {
                "answer": _("Câu trả lời cần rõ ràng (ít nhất %(n)s ký tự).")
                % {"n": MIN_ANSWER_LENGTH}
            }
        )
    try:
        cleaned = clean_uploads(files)
    except ValidationError as error:
        raise ValidationError({"files": error.messages}) from error
    item = _lock(item)
    _check_move(item, Action.ANSWER)
    now = timezone.now()
    item.answer = answer
    item.answered_at = now
    item.answered_by = actor
    attachments_store(
        item=item, files=cleaned, role=Attachment.Role.ANSWER_EVIDENCE, is_public=evidence_public
    )
    _move(
        item,
        Action.ANSWER,
        actor=actor,
        at=now,
        note=_text(note),
        fields=["answer", "answered_at", "answered_by"],
    )
    duplicates = _answer_duplicates(item, actor=actor, at=now)
    _send_answer(item, to=[item, *duplicates])
    return item


def _personal_data_in(item: FeedbackItem, text: str) -> bool:
    folded = text.casefold()
    if item.sender_name and len(item.sender_name) > 3 and item.sender_name.casefold() in folded:
        return True
    digits = normalized_phone(text)
    if item.sender_phone and item.sender_phone[1:] in digits:
        return True
    if item.sender_email and item.sender_email.casefold() in folded:
        return True
    return bool(PERSONAL_NUMBER_RE.search(text))


@transaction.atomic
def feedback_publish(
    *,
    actor,
    item: FeedbackItem,
    public_summary: str,
    public_attachment_ids: list[int] | None = None,
) -> FeedbackItem:
    """Show the answer on the portal with the official's summary of the matter, never the
    sender's name, phone or address; only when the sender consented at submission. The
    answer's evidence files listed in `public_attachment_ids` are shown with it (None: keep
    each file's choice)."""
    _require_handler(actor, item)
    summary = _text(public_summary)
    item = _lock(item)
    if item.status not in (Status.ANSWERED, Status.CLOSED):
        raise FeedbackTransitionError(_("Chỉ công khai ý kiến đã được trả lời."))
    if not item.consent_publish:
        raise ValidationError(
            _("Người gửi không đồng ý công khai; không thể đăng câu trả lời này lên cổng.")
        )
    if len(summary) < MIN_ANSWER_LENGTH:
        raise ValidationError(
            {
                "public_summary": _("Viết tóm tắt nội dung ý kiến (ít nhất %(n)s ký tự).")
                % {"n": MIN_ANSWER_LENGTH}
            }
        )
    if _personal_data_in(item, summary):
        raise ValidationError(
            {
                "public_summary": _(
                    "Tóm tắt có họ tên, số điện thoại hay thư điện tử của người gửi; xin bỏ "
                    "thông tin cá nhân trước khi công khai."
                )
            }
        )
    if public_attachment_ids is not None:
        evidence = Attachment.objects.filter(item=item, role=Attachment.Role.ANSWER_EVIDENCE)
        evidence.filter(pk__in=public_attachment_ids).update(is_public=True)
        evidence.exclude(pk__in=public_attachment_ids).update(is_public=False)
    first = not item.is_published
    item.public_summary = summary
    item.is_published = True
    item.published_at = item.published_at if not first else timezone.now()
    item.save(update_fields=["public_summary", "is_published", "published_at", "updated_at"])
    _event(
        item,
        Action.PUBLISH,
        actor=actor,
        from_status=item.status,
        at=timezone.now(),
        note="" if first else _("Sửa nội dung công khai"),
    )
    return item


@transaction.atomic
def feedback_unpublish(*, actor, item: FeedbackItem, reason: str = "") -> FeedbackItem:
    """Take the answer off the portal."""
    _require_handler(actor, item)
    item = _lock(item)
    if not item.is_published:
        raise ValidationError(_("Câu trả lời này chưa được công khai."))
    item.is_published = False
    item.save(update_fields=["is_published", "updated_at"])
    _event(
        item,
        Action.UNPUBLISH,
        actor=actor,
        from_status=item.status,
        at=timezone.now(),
        note=_text(reason),
    )
    return item


@transaction.atomic
def feedback_close(*, actor, item: FeedbackItem, note: str = "") -> FeedbackItem:
    """Close an answered item (the sender may still reopen it for REOPEN_DAYS)."""
    _require_handler(actor, item)
    item = _lock(item)
    _check_move(item, Action.CLOSE)
    item.closed_at = timezone.now()
    return _move(
        item, Action.CLOSE, actor=actor, at=item.closed_at, note=_text(note), fields=["closed_at"]
    )


def reopen_until(item: FeedbackItem):
    """The last moment the sender may reopen the item, or None before it is answered."""
    if item.answered_at is None:
        return None
    return item.answered_at + timedelta(days=settings.THANTHIEN_FEEDBACK_REOPEN_DAYS)


def can_sender_reopen(item: FeedbackItem, *, now: datetime | None = None) -> bool:
    until = reopen_until(item)
    return (
        item.status in (Status.ANSWERED, Status.CLOSED)
        and until is not None
        and (now or timezone.now()) <= until
    )


def _reopen(item: FeedbackItem, *, actor, reason: str, now: datetime) -> FeedbackItem:
    item.reopen_count += 1
    item.closed_at = None
    today = now.astimezone(LOCAL_TZ).date()
    fields = ["reopen_count", "closed_at"]
    fields += _reset_clock(item, add_working_days(today, response_working_days(item.category)))
    return _move(item, Action.REOPEN, actor=actor, at=now, note=reason, fields=fields)


@transaction.atomic
def feedback_reopen(*, actor, item: FeedbackItem, reason: str) -> FeedbackItem:
    """A leader reopens an answered or closed item (the sender asked by phone, at the desk);
    it gets a new due date from today."""
    _require_leader(actor, item)
    reason = _text(reason)
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationError({"reason": _("Ghi lý do mở lại.")})
    item = _lock(item)
    return _reopen(item, actor=actor, reason=reason, now=timezone.now())


def _main_item(item: FeedbackItem) -> FeedbackItem:
    seen = set()
    while item.duplicate_of_id and item.pk not in seen:
        seen.add(item.pk)
        item = item.duplicate_of
    return item


@transaction.atomic
def feedback_merge(*, actor, item: FeedbackItem, into_code: str, note: str = "") -> FeedbackItem:
    """Mark `item` a duplicate of the item with code `into_code` (same commune). Its own
    duplicates follow it; the main item's answer goes to every merged sender — at once when
    the main item is already answered. Returns the main item."""
    _require_triage(actor, item)
    code = (into_code or "").strip().upper()
    main = (
        FeedbackItem.objects.select_related("duplicate_of")
        .filter(commune_id=item.commune_id, code=code)
        .first()
    )
    if main is None:
        raise ValidationError(
            {"into_code": _("Không có ý kiến mã %(code)s ở xã này.") % {"code": code}}
        )
    main = _main_item(main)
    if main.pk == item.pk:
        raise ValidationError({"into_code": _("Không thể gộp một ý kiến vào chính nó.")})
    if main.status == Status.REDIRECTED:
        raise ValidationError(
            {
                "into_code": _("Ý kiến %(code)s đã chuyển hướng; chọn ý kiến khác.")
                % {"code": main.code}
            }
        )
    item = _lock(item)
    main = _lock(main)
    now = timezone.now()
    item.duplicate_of = main
    _move(
        item,
        Action.MERGE,
        actor=actor,
        at=now,
        note="\n".join(filter(None, [_("Trùng với %(code)s") % {"code": main.code}, _text(note)])),
        fields=["duplicate_of"],
    )
    followers = list(FeedbackItem.objects.filter(duplicate_of=item).select_related("commune"))
    FeedbackItem.objects.filter(duplicate_of=item).update(duplicate_of=main, updated_at=now)
    _event(
        main,
        Action.NOTE,
        actor=actor,
        from_status=main.status,
        at=now,
        note=_("Gộp ý kiến trùng %(codes)s")
        % {"codes": ", ".join([item.code, *(f.code for f in followers)])},
    )
    if main.answered_at and main.status in (Status.ANSWERED, Status.CLOSED):
        merged = [item, *followers]
        for duplicate in merged:
            duplicate.answer = main.answer
            duplicate.answered_at = main.answered_at
            duplicate.answered_by = main.answered_by
            duplicate.save(update_fields=["answer", "answered_at", "answered_by", "updated_at"])
        _send_answer(main, to=merged)
    return main


def _absolute(url: str) -> str:
    if url.startswith("/"):
        base = settings.THANTHIEN_PUBLIC_BASE_URL.rstrip("/")
        return f"{base}{url}" if base else url
    return url


@transaction.atomic
def feedback_redirect(*, actor, item: FeedbackItem, reason: str, redirect_url: str) -> FeedbackItem:
    """The item is not feedback (a land dispute is a complaint, a request is a procedure):
    close it with the explanation and a link to the right procedure, and tell the sender."""
    _require_triage(actor, item)
    reason = _text(reason)
    url = (redirect_url or "").strip()
    errors = {}
    if len(reason) < MIN_REASON_LENGTH * 2:
        errors["reason"] = _("Giải thích cho người gửi vì sao ý kiến cần làm theo thủ tục khác.")
    if not (url.startswith("/") or url.startswith("https://") or url.startswith("http://")):
        errors["redirect_url"] = _("Đường dẫn phải bắt đầu bằng / hoặc https://")
    if errors:
        raise ValidationError(errors)
    item = _lock(item)
    item.redirect_reason = reason
    item.redirect_url = url[:300]
    _move(
        item,
        Action.REDIRECT,
        actor=actor,
        at=timezone.now(),
        note=reason,
        fields=["redirect_reason", "redirect_url"],
    )
    item_notify(
        item,
        Event.FEEDBACK_REDIRECTED,
        dedupe="redirect",
        reason=reason,
        redirect_url=_absolute(item.redirect_url),
    )
    return item


@transaction.atomic
def feedback_note(*, actor, item: FeedbackItem, note: str) -> FeedbackEvent:
    """An internal note in the item's history (a call made, a site visit)."""
    _require_official(actor, item)
    note = _text(note)
    if not note:
        raise ValidationError({"note": _("Ghi nội dung ghi chú.")})
    return _event(
        item, Action.NOTE, actor=actor, from_status=item.status, at=timezone.now(), note=note
    )


# --- the sender's rating -----------------------------------------------------------------

RATEABLE = (Status.ANSWERED, Status.CLOSED)


def can_rate(item: FeedbackItem) -> bool:
    """One rating, which the sender may change until the item is closed; a closed item that
    was never rated takes one rating."""
    if item.status == Status.ANSWERED:
        return True
    return item.status == Status.CLOSED and item.rated_at is None


@transaction.atomic
def feedback_rate(
    *,
    item: FeedbackItem,
    satisfied: bool,
    reason: str = "",
    reopen: bool = False,
    channel: str = "link",
) -> FeedbackItem:
    """The sender says whether the answer satisfies them (a reason when it does not), by the
    signed link or by SMS; not satisfied, they may ask to reopen it within REOPEN_DAYS."""
    reason = _text(reason)[:2000]
    item = _lock(item)
    if item.status not in RATEABLE:
        raise FeedbackTransitionError(_("Ý kiến này chưa có câu trả lời để đánh giá."))
    if not can_rate(item):
        raise FeedbackTransitionError(
            _("Ý kiến đã đóng và ông/bà đã đánh giá; không sửa được đánh giá nữa.")
        )
    if not satisfied and len(reason) < MIN_REASON_LENGTH:
        raise ValidationError(
            {
                "reason": _("Xin cho biết vì sao ông/bà chưa hài lòng (ít nhất %(n)s ký tự).")
                % {"n": MIN_REASON_LENGTH}
            }
        )
    now = timezone.now()
    reopen = reopen and not satisfied
    if reopen and not can_sender_reopen(item, now=now):
        raise ValidationError(
            _("Đã quá %(days)s ngày kể từ khi trả lời; xin liên hệ trực tiếp với xã.")
            % {"days": settings.THANTHIEN_FEEDBACK_REOPEN_DAYS}
        )
    item.satisfied = satisfied
    item.rating_reason = "" if satisfied else reason
    item.rated_at = now
    item.save(update_fields=["satisfied", "rating_reason", "rated_at", "updated_at"])
    verdict = _("Hài lòng") if satisfied else _("Chưa hài lòng: %(reason)s") % {"reason": reason}
    _event(
        item,
        Action.RATE,
        actor=None,
        from_status=item.status,
        at=now,
        note=f"{verdict} ({channel})",
    )
    if reopen:
        _reopen(
            item,
            actor=None,
            reason=_("Người gửi đề nghị xem xét lại: %(reason)s") % {"reason": reason},
            now=now,
        )
    return item


# --- reply templates ---------------------------------------------------------------------


class _Blank(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def reply_templates_for(item: FeedbackItem) -> list[ReplyTemplate]:
    """The commune's active templates for the item's category, then those for every category."""
    rows = ReplyTemplate.objects.filter(commune_id=item.commune_id, is_active=True)
    rows = rows.filter(category__in=[item.category, ""]) if item.category else rows
    return sorted(rows, key=lambda t: (t.category == "", t.title))


def reply_template_fill(template: ReplyTemplate, item: FeedbackItem) -> str:
    """The template's text with {name}, {code}, {received_date}, {commune}, {office} filled;
    an unknown placeholder stays as written for the official to edit."""
    values = _Blank(
        name=item.sender_name or _("ông/bà"),
        code=item.code,
        received_date=f"{item.received_at.astimezone(LOCAL_TZ):%d/%m/%Y}",
        commune=item.commune.name,
        office=item.office.name if item.office_id else item.commune.name,
    )
    try:
        return template.body.format_map(values)
    except (ValueError, IndexError, AttributeError):
        # Stray braces in a template: give the text as written rather than fail the page.
        return template.body
