"""Every write to dialogue conferences (hội nghị đối thoại), their questions and commitments.

Leaders and administrators of the commune plan a conference with the Fatherland Front,
publish its plan, cancel it, record that it was held (attendance, minutes) and publish the
results. Residents send questions online before `questions_open_until`; officials (and the
Front, which collects them) enter the paper slips and the questions raised at the meeting,
numbered per conference. Officials record each answer and the commitments made, tracked
until done or dropped with an explanation (R3, R5; Law on Grassroots Democracy art. 32).
"""

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.core.staff import can_act_in_commune, require_commune_role
from thanthien.feedback.dialogues import Dialogue, DialogueCommitment, DialogueQuestion
from thanthien.feedback.intake_services import PHONE_RE, normalized_phone
from thanthien.feedback.items import FeedbackItem
from thanthien.people.roles import Role

MANAGER_ROLES = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN})
# Who records answers and commitments: the commune's officials, leaders and administrators.
RECORDER_ROLES = frozenset({Role.COMMUNE_OFFICIAL, Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN})
# Who types in questions from paper slips and from the floor: the recorders and the Front,
# which collects questions in the hamlets.
ENTRY_ROLES = RECORDER_ROLES | {Role.FRONT_MEMBER}

MIN_QUESTION_LENGTH = 10
MAX_QUESTION_LENGTH = 3000
STAFF_SOURCES = (
    DialogueQuestion.Source.PAPER,
    DialogueQuestion.Source.AT_MEETING,
    DialogueQuestion.Source.FEEDBACK,
)


class DialogueStateError(ValidationError):
    """A move the conference's or the commitment's state does not allow."""


@dataclass(frozen=True)
class QuestionSubmitted:
    question: DialogueQuestion
    created: bool  # False when this repeated an earlier submission


def _today() -> date:
    return timezone.localdate()


# --- permissions -------------------------------------------------------------------------


def can_manage(user, commune_id: int | None = None) -> bool:
    commune_id = commune_id if commune_id is not None else getattr(user, "commune_id", None)
    return can_act_in_commune(
        user, commune_id, roles=MANAGER_ROLES, perm="feedback.change_dialogue"
    )


def can_record(user, commune_id: int | None = None) -> bool:
    commune_id = commune_id if commune_id is not None else getattr(user, "commune_id", None)
    return can_act_in_commune(
        user, commune_id, roles=RECORDER_ROLES, perm="feedback.change_dialoguequestion"
    )


def can_enter_questions(user, commune_id: int | None = None) -> bool:
    commune_id = commune_id if commune_id is not None else getattr(user, "commune_id", None)
    return can_act_in_commune(
        user, commune_id, roles=ENTRY_ROLES, perm="feedback.add_dialoguequestion"
    )


def can_track(user, commune_id: int | None = None) -> bool:
    commune_id = commune_id if commune_id is not None else getattr(user, "commune_id", None)
    return can_act_in_commune(
        user, commune_id, roles=RECORDER_ROLES, perm="feedback.change_dialoguecommitment"
    )


def _require_manager(actor, commune_id: int) -> None:
    require_commune_role(
        actor,
        commune_id,
        roles=MANAGER_ROLES,
        perm="feedback.change_dialogue",
        message=_("Chỉ lãnh đạo, quản trị viên của xã lập và điều hành hội nghị đối thoại."),
    )


def _require_recorder(actor, commune_id: int) -> None:
    require_commune_role(
        actor,
        commune_id,
        roles=RECORDER_ROLES,
        perm="feedback.change_dialoguequestion",
        message=_("Chỉ cán bộ của xã ghi câu trả lời tại hội nghị đối thoại của xã mình."),
    )


def _require_tracker(actor, commune_id: int) -> None:
    require_commune_role(
        actor,
        commune_id,
        roles=RECORDER_ROLES,
        perm="feedback.change_dialoguecommitment",
        message=_("Chỉ cán bộ của xã ghi và theo dõi cam kết sau đối thoại."),
    )


# --- the conference ------------------------------------------------------------------------


def _lock(dialogue: Dialogue, *statuses: str) -> Dialogue:
    locked = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
    if statuses and locked.status not in statuses:
        raise DialogueStateError(
            _("Hội nghị này đang ở trạng thái “%(status)s”.")
            % {"status": locked.get_status_display()}
        )
    return locked


def _check_plan(
    commune_id: int,
    *,
    title: str,
    day: date | None,
    place: str,
    topics: str,
    chaired_by,
    front_representative: str,
    questions_open_until: date | None,
    hamlets: Sequence,
) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("Ghi tên hội nghị.")
    if day is None:
        errors["date"] = _("Chọn ngày tổ chức.")
    if not place.strip():
        errors["place"] = _("Ghi địa điểm tổ chức.")
    if not [line for line in topics.splitlines() if line.strip()]:
        errors["topics"] = _("Ghi ít nhất một nội dung đối thoại (mỗi dòng một chủ đề).")
    if chaired_by is None:
        errors["chaired_by"] = _("Chọn người chủ trì.")
    elif chaired_by.commune_id != commune_id:
        errors["chaired_by"] = _("Người chủ trì phải là cán bộ của xã này.")
    if not front_representative.strip():
        errors["front_representative"] = _("Ghi đại diện Ủy ban Mặt trận Tổ quốc phối hợp.")
    if questions_open_until is not None and day is not None and questions_open_until > day:
        errors["questions_open_until"] = _(
            "Hạn nhận câu hỏi phải trước hoặc đúng ngày tổ chức (%(day)s)."
        ) % {"day": f"{day:%d/%m/%Y}"}
    if any(hamlet.commune_id != commune_id for hamlet in hamlets):
        errors["hamlets"] = _("Chỉ chọn thôn, tổ dân phố của xã này.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def dialogue_plan(
    *,
    actor,
    commune,
    title: str,
    date: date,
    place: str,
    topics: str,
    chaired_by,
    front_representative: str,
    start_time: time | None = None,
    questions_open_until: date | None = None,
    hamlets: Sequence = (),
) -> Dialogue:
    """A leader or administrator plans a conference with the Fatherland Front."""
    _require_manager(actor, commune.pk)
    _check_plan(
        commune.pk,
        title=title,
        day=date,
        place=place,
        topics=topics,
        chaired_by=chaired_by,
        front_representative=front_representative,
        questions_open_until=questions_open_until,
        hamlets=hamlets,
    )
    dialogue = Dialogue.objects.create(
        commune=commune,
        title=title.strip(),
        date=date,
        start_time=start_time,
        place=place.strip(),
        topics=_clean_topics(topics),
        chaired_by=chaired_by,
        front_representative=front_representative.strip(),
        questions_open_until=questions_open_until,
        created_by=actor,
    )
    dialogue.hamlets.set(hamlets)
    return dialogue


def _clean_topics(topics: str) -> str:
    return "\n".join(line.strip() for line in topics.splitlines() if line.strip())


@transaction.atomic
def dialogue_update(
    *,
    actor,
    dialogue: Dialogue,
    title: str,
    date: date,
    place: str,
    topics: str,
    chaired_by,
    front_representative: str,
    start_time: time | None = None,
    questions_open_until: date | None = None,
    hamlets: Sequence = (),
) -> Dialogue:
    """Change a planned conference (another day, place, topics)."""
    _require_manager(actor, dialogue.commune_id)
    dialogue = _lock(dialogue, Dialogue.Status.PLANNED)
    _check_plan(
        dialogue.commune_id,
        title=title,
        day=date,
        place=place,
        topics=topics,
        chaired_by=chaired_by,
        front_representative=front_representative,
        questions_open_until=questions_open_until,
        hamlets=hamlets,
    )
    dialogue.title = title.strip()
    dialogue.date = date
    dialogue.start_time = start_time
    dialogue.place = place.strip()
    dialogue.topics = _clean_topics(topics)
    dialogue.chaired_by = chaired_by
    dialogue.front_representative = front_representative.strip()
    dialogue.questions_open_until = questions_open_until
    dialogue.save()
    dialogue.hamlets.set(hamlets)
    return dialogue


@transaction.atomic
def dialogue_publish_plan(*, actor, dialogue: Dialogue, published: bool = True) -> Dialogue:
    """Show (or withdraw) the plan on the commune's portal page."""
    _require_manager(actor, dialogue.commune_id)
    dialogue = _lock(dialogue, Dialogue.Status.PLANNED, Dialogue.Status.HELD)
    if dialogue.is_plan_published != published:
        dialogue.is_plan_published = published
        dialogue.save(update_fields=["is_plan_published", "updated_at"])
    return dialogue


@transaction.atomic
def dialogue_cancel(*, actor, dialogue: Dialogue, reason: str) -> Dialogue:
    """Cancel a planned conference and say why (the portal shows it if the plan was public)."""
    _require_manager(actor, dialogue.commune_id)
    dialogue = _lock(dialogue, Dialogue.Status.PLANNED)
    if not reason.strip():
        raise ValidationError({"reason": _("Ghi rõ lý do huỷ hội nghị.")})
    dialogue.status = Dialogue.Status.CANCELLED
    dialogue.cancel_reason = reason.strip()
    dialogue.save(update_fields=["status", "cancel_reason", "updated_at"])
    return dialogue


@transaction.atomic
def dialogue_hold(
    *,
    actor,
    dialogue: Dialogue,
    held_on: date,
    attendance: int,
    minutes_summary: str,
    secretary_name: str = "",
) -> Dialogue:
    """Record that the conference took place: the day, how many came, the minutes' summary.
    Recording again amends the minutes."""
    _require_manager(actor, dialogue.commune_id)
    dialogue = _lock(dialogue, Dialogue.Status.PLANNED, Dialogue.Status.HELD)
    errors: dict[str, str] = {}
    if held_on is None:
        errors["held_on"] = _("Chọn ngày đã tổ chức.")
    elif held_on > _today():
        errors["held_on"] = _("Ngày tổ chức không được ở tương lai.")
    if attendance is None or attendance < 1:
        errors["attendance"] = _("Ghi số người dự (ít nhất 1).")
    if not minutes_summary.strip():
        errors["minutes_summary"] = _("Ghi tóm tắt diễn biến, kết luận của hội nghị.")
    if errors:
        raise ValidationError(errors)
    dialogue.status = Dialogue.Status.HELD
    dialogue.held_on = held_on
    dialogue.attendance = attendance
    dialogue.minutes_summary = minutes_summary.strip()
    dialogue.secretary_name = secretary_name.strip()
    dialogue.save()
    return dialogue


@transaction.atomic
def dialogue_publish_results(*, actor, dialogue: Dialogue, published: bool = True) -> Dialogue:
    """Publish the answers and commitments on the portal (or withdraw them). Every question
    must have its answer first."""
    _require_manager(actor, dialogue.commune_id)
    dialogue = _lock(dialogue, Dialogue.Status.HELD)
    if published:
        unanswered = list(
            dialogue.questions.filter(answer="").order_by("number").values_list("number", flat=True)
        )
        if unanswered:
            raise DialogueStateError(
                _("Còn câu hỏi chưa ghi câu trả lời: số %(numbers)s.")
                % {"numbers": ", ".join(str(n) for n in unanswered)}
            )
    if dialogue.is_results_published != published:
        dialogue.is_results_published = published
        dialogue.save(update_fields=["is_results_published", "updated_at"])
    return dialogue


# --- questions -----------------------------------------------------------------------------


def online_deadline(dialogue: Dialogue) -> date:
    """The last day residents may send a question online: `questions_open_until`, or the day
    before the conference."""
    return dialogue.questions_open_until or dialogue.date - timedelta(days=1)


def accepts_online_questions(dialogue: Dialogue, *, today: date | None = None) -> bool:
    today = today or _today()
    return (
        dialogue.status == Dialogue.Status.PLANNED
        and dialogue.is_plan_published
        and today <= online_deadline(dialogue)
    )


def _normalized(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def _repeat_of(
    dialogue: Dialogue, *, idempotency_key: str, question: str, asker_phone: str, source: str
) -> DialogueQuestion | None:
    if idempotency_key:
        found = dialogue.questions.filter(idempotency_key=idempotency_key).first()
        if found is not None:
            return found
    if source != DialogueQuestion.Source.ONLINE:
        # Two slips with the same words are two residents asking: each one counts.
        return None
    # A resend without the key (the back button, a new form): the same words from the same
    # phone within the feedback dedupe window.
    since = timezone.now() - timedelta(minutes=settings.THANTHIEN_FEEDBACK_DEDUPE_MINUTES)
    words = _normalized(question)
    recent = dialogue.questions.filter(
        created_at__gte=since, source=source, asker_phone=asker_phone
    ).only("pk", "question")
    for candidate in recent:
        if _normalized(candidate.question) == words:
            return candidate
    return None


def _check_question(
    dialogue: Dialogue, *, question: str, asker_phone: str, hamlet, source: str
) -> None:
    errors: dict[str, str] = {}
    text = question.strip()
    if len(text) < MIN_QUESTION_LENGTH:
        errors["question"] = _("Xin viết câu hỏi rõ hơn (ít nhất %(n)s ký tự).") % {
            "n": MIN_QUESTION_LENGTH
        }
    elif len(text) > MAX_QUESTION_LENGTH:
        errors["question"] = _("Câu hỏi dài quá %(n)s ký tự.") % {"n": MAX_QUESTION_LENGTH}
    if asker_phone and not PHONE_RE.match(asker_phone):
        errors["asker_phone"] = _("Số điện thoại gồm đúng 10 chữ số, bắt đầu bằng 0.")
    if hamlet is not None and hamlet.commune_id != dialogue.commune_id:
        errors["hamlet"] = _("Thôn, tổ dân phố không thuộc xã này.")
    if source not in DialogueQuestion.Source.values:
        errors["source"] = _("Nguồn câu hỏi không hợp lệ.")
    if errors:
        raise ValidationError(errors)


def question_submit(
    *,
    dialogue: Dialogue,
    question: str,
    source: str = DialogueQuestion.Source.ONLINE,
    asker_name: str = "",
    asker_phone: str = "",
    hamlet=None,
    show_name: bool = False,
    idempotency_key: str = "",
    entered_by=None,
    feedback_item=None,
) -> QuestionSubmitted:
    """A question for the conference, numbered in order of arrival.

    Online (no `entered_by`): only while the published plan takes questions. From a paper
    slip, from the floor or from a feedback item: typed in by an official or the Front,
    until the results are published. A repeat (same key, or the same words from the same
    phone within minutes) returns the first question instead of a second.
    """
    asker_phone = normalized_phone(asker_phone)
    idempotency_key = idempotency_key.strip()[:100]
    if source == DialogueQuestion.Source.ONLINE:
        if entered_by is not None:
            raise ValidationError({"source": _("Câu hỏi trực tuyến do người dân tự gửi.")})
    else:
        if entered_by is None:
            raise PermissionDenied(_("Câu hỏi từ phiếu giấy, tại hội nghị do cán bộ nhập."))
        require_commune_role(
            entered_by,
            dialogue.commune_id,
            roles=ENTRY_ROLES,
            perm="feedback.add_dialoguequestion",
            message=_("Chỉ cán bộ của xã, Mặt trận Tổ quốc xã nhập câu hỏi đối thoại."),
        )
    _check_question(
        dialogue, question=question, asker_phone=asker_phone, hamlet=hamlet, source=source
    )
    if feedback_item is not None and feedback_item.commune_id != dialogue.commune_id:
        raise ValidationError({"feedback_item": _("Góp ý không thuộc xã này.")})
    try:
        with transaction.atomic():
            locked = Dialogue.objects.select_for_update().get(pk=dialogue.pk)
            earlier = _repeat_of(
                locked,
                idempotency_key=idempotency_key,
                question=question,
                asker_phone=asker_phone,
                source=source,
            )
            if earlier is not None:
                return QuestionSubmitted(question=earlier, created=False)
            if source == DialogueQuestion.Source.ONLINE:
                if not accepts_online_questions(locked):
                    raise DialogueStateError(_("Hội nghị này không còn nhận câu hỏi trực tuyến."))
            elif locked.status == Dialogue.Status.CANCELLED:
                raise DialogueStateError(_("Hội nghị đã huỷ, không nhận thêm câu hỏi."))
            elif locked.is_results_published:
                raise DialogueStateError(
                    _("Kết quả đã công khai; thôi công khai trước khi bổ sung câu hỏi.")
                )
            last = locked.questions.aggregate(last=Max("number"))["last"] or 0
            created = DialogueQuestion.objects.create(
                commune_id=locked.commune_id,
                dialogue=locked,
                number=last + 1,
                source=source,
                asker_name=asker_name.strip()[:150],
                asker_phone=asker_phone,
                hamlet=hamlet,
                show_name=bool(show_name and asker_name.strip()),
                question=question.strip(),
                feedback_item=feedback_item,
                idempotency_key=idempotency_key,
            )
    except IntegrityError:
        # Another request took the number between our read and our write (the row lock
        # prevents it on PostgreSQL; SQLite serialises writers): return what is there.
        earlier = _repeat_of(
            dialogue,
            idempotency_key=idempotency_key,
            question=question,
            asker_phone=asker_phone,
            source=source,
        )
        if earlier is None:
            raise
        return QuestionSubmitted(question=earlier, created=False)
    return QuestionSubmitted(question=created, created=True)


def question_from_feedback(
    *, actor, dialogue: Dialogue, code: str, idempotency_key: str = ""
) -> QuestionSubmitted:
    """Bring a resident's feedback item (by its tracking code) to the conference as a question,
    linked to the item; the asker's name is not published (no consent was asked for it)."""
    require_commune_role(
        actor,
        dialogue.commune_id,
        roles=RECORDER_ROLES,
        perm="feedback.view_feedbackitem",
        message=_("Chỉ cán bộ xử lý góp ý của xã đưa góp ý vào hội nghị đối thoại."),
    )
    code = code.strip().upper()
    item = FeedbackItem.objects.filter(commune_id=dialogue.commune_id, code=code).first()
    if item is None:
        raise ValidationError(
            {"feedback_code": _("Xã không có góp ý, phản ánh mã “%(code)s”.") % {"code": code}}
        )
    earlier = dialogue.questions.filter(feedback_item=item).first()
    if earlier is not None:
        return QuestionSubmitted(question=earlier, created=False)
    anonymous = item.is_anonymous
    return question_submit(
        dialogue=dialogue,
        question=item.content[:MAX_QUESTION_LENGTH],
        source=DialogueQuestion.Source.FEEDBACK,
        asker_name="" if anonymous else item.sender_name,
        asker_phone="" if anonymous else item.sender_phone,
        hamlet=item.hamlet,
        idempotency_key=idempotency_key or f"feedback:{item.pk}",
        entered_by=actor,
        feedback_item=item,
    )


@transaction.atomic
def question_answer(
    *, actor, question: DialogueQuestion, answer: str, answered_by=None
) -> DialogueQuestion:
    """Record (or correct) the answer given at the conference, and who gave it."""
    _require_recorder(actor, question.commune_id)
    dialogue = _lock(question.dialogue, Dialogue.Status.PLANNED, Dialogue.Status.HELD)
    question = DialogueQuestion.objects.select_for_update().get(pk=question.pk)
    errors: dict[str, str] = {}
    if not answer.strip():
        errors["answer"] = _("Ghi nội dung trả lời.")
    if answered_by is not None and answered_by.commune_id != dialogue.commune_id:
        errors["answered_by"] = _("Người trả lời phải là cán bộ của xã này.")
    if errors:
        raise ValidationError(errors)
    question.answer = answer.strip()
    question.answered_by = answered_by or dialogue.chaired_by
    question.save(update_fields=["answer", "answered_by", "updated_at"])
    return question


# --- commitments ---------------------------------------------------------------------------


@transaction.atomic
def commitment_add(
    *, actor, question: DialogueQuestion, text: str, owner, deadline: date
) -> DialogueCommitment:
    """A commitment made in answer to a question: who does what, by when."""
    _require_tracker(actor, question.commune_id)
    dialogue = _lock(question.dialogue, Dialogue.Status.PLANNED, Dialogue.Status.HELD)
    errors: dict[str, str] = {}
    if not text.strip():
        errors["text"] = _("Ghi nội dung cam kết.")
    if owner is None:
        errors["owner"] = _("Chọn người chịu trách nhiệm.")
    elif owner.commune_id != dialogue.commune_id:
        errors["owner"] = _("Người chịu trách nhiệm phải là cán bộ của xã này.")
    if deadline is None:
        errors["deadline"] = _("Chọn hạn hoàn thành.")
    elif deadline < dialogue.date:
        errors["deadline"] = _("Hạn hoàn thành không được trước ngày hội nghị (%(day)s).") % {
            "day": f"{dialogue.date:%d/%m/%Y}"
        }
    if errors:
        raise ValidationError(errors)
    return DialogueCommitment.objects.create(
        commune_id=dialogue.commune_id,
        question=question,
        text=text.strip(),
        owner=owner,
        deadline=deadline,
    )


def _lock_commitment(commitment: DialogueCommitment) -> DialogueCommitment:
    locked = DialogueCommitment.objects.select_for_update().get(pk=commitment.pk)
    if locked.status != DialogueCommitment.Status.OPEN:
        raise DialogueStateError(
            _("Cam kết này đã ở trạng thái “%(status)s”.") % {"status": locked.get_status_display()}
        )
    return locked


@transaction.atomic
def commitment_complete(
    *, actor, commitment: DialogueCommitment, done_on: date, result_note: str = ""
) -> DialogueCommitment:
    """Mark a commitment done, on the day it was done, with what was done."""
    _require_tracker(actor, commitment.commune_id)
    commitment = _lock_commitment(commitment)
    if done_on is None or done_on > _today():
        raise ValidationError({"done_on": _("Ngày hoàn thành không được ở tương lai.")})
    commitment.status = DialogueCommitment.Status.DONE
    commitment.done_on = done_on
    commitment.result_note = result_note.strip()
    commitment.save(update_fields=["status", "done_on", "result_note", "updated_at"])
    return commitment


@transaction.atomic
def commitment_drop(
    *, actor, commitment: DialogueCommitment, explanation: str
) -> DialogueCommitment:
    """Close a commitment that will not be carried out, explaining why (giải trình)."""
    _require_tracker(actor, commitment.commune_id)
    commitment = _lock_commitment(commitment)
    if len(explanation.strip()) < MIN_QUESTION_LENGTH:
        raise ValidationError(
            {"explanation": _("Giải trình rõ vì sao không thực hiện được cam kết.")}
        )
    commitment.status = DialogueCommitment.Status.DROPPED
    commitment.done_on = _today()
    commitment.result_note = explanation.strip()
    commitment.save(update_fields=["status", "done_on", "result_note", "updated_at"])
    return commitment
