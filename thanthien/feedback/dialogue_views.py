"""Pages of dialogue conferences (hội nghị đối thoại).

Staff, under /staff/gop-y/doi-thoai/: the year's conferences with the Art. 32 warning; plan
and edit (leaders, administrators); one conference with its questions by source, the fast
entry of paper slips, answers and commitments, holding and publishing; the minutes and the
paper question slip as print pages and DOCX; the commitments tracker with its XLSX export.
Portal, under /<commune>/doi-thoai/: the published plans and results, and the form residents
send a question with. Rows are loaded through the user's communes: another commune's
conference answers 404.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook
from openpyxl.styles import Font

from thanthien.core import ratelimit
from thanthien.core.documents import DOCX_CONTENT_TYPE, OfficialDocument, build_docx
from thanthien.core.forms import errors_into
from thanthien.core.staff import (
    download_response,
    post_decision,
    register_scoped_view,
    require_perm,
    scoped_or_404,
    staff_required,
)
from thanthien.core.tabular import XLSX_CONTENT_TYPE, append_text_row, workbook_bytes
from thanthien.feedback import dialogue_selectors as selectors
from thanthien.feedback import dialogue_services as services
from thanthien.feedback.dialogue_documents import (
    asker_label,
    commitment_line,
    minutes_document,
    question_form_document,
)
from thanthien.feedback.dialogue_forms import (
    AnswerForm,
    CancelForm,
    CommitmentForm,
    CompleteForm,
    DialogueForm,
    FromFeedbackForm,
    HoldForm,
    PublicQuestionForm,
    StaffQuestionForm,
    TrackerFilterForm,
)
from thanthien.feedback.dialogues import Dialogue, DialogueCommitment, DialogueQuestion
from thanthien.feedback.intake_limits import hit_key
from thanthien.feedback.intake_services import normalized_phone
from thanthien.onestop.dossiers import mask_phone
from thanthien.portal.selectors import commune_public_page

PRINT_TEMPLATE = "core/document_print.html"
TRACKER_PAGE_SIZE = 50
VIEW_PERM = "feedback.view_dialogue"
RATE_SCOPE = "dialogue-question"


def _dialogue(request, pk: int) -> Dialogue:
    return scoped_or_404(
        request.user, selectors.dialogue_detail(user=request.user), pk, perm=VIEW_PERM
    )


def _question(request, pk: int) -> DialogueQuestion:
    return scoped_or_404(
        request.user,
        selectors.questions_for(user=request.user),
        pk,
        perm="feedback.view_dialoguequestion",
    )


def _commitment(request, pk: int) -> DialogueCommitment:
    return scoped_or_404(
        request.user,
        selectors.commitments_all(user=request.user),
        pk,
        perm="feedback.view_dialoguecommitment",
    )


def _detail_url(dialogue_id: int, anchor: str = "") -> str:
    url = reverse("staff:feedback:dialogue", kwargs={"pk": dialogue_id})
    return f"{url}#{anchor}" if anchor else url


def _year(value: str) -> int:
    return int(value) if value.isdigit() and 2000 <= int(value) <= 2100 else 0


# --- the list and the plan -------------------------------------------------------------------


@staff_required()
def dialogue_list(request):
    require_perm(request.user, VIEW_PERM)
    year = _year(request.GET.get("nam", "")) or selectors.today_local().year
    commune = request.user.commune
    context = {
        "year": year,
        "years": selectors.dialogue_years(user=request.user),
        "dialogues": selectors.dialogue_list(user=request.user, year=year),
        "warning": selectors.dialogue_warning(commune=commune, year=year) if commune else None,
        "can_manage": services.can_manage(request.user),
        "counts": selectors.commitment_counts(user=request.user),
    }
    return render(request, "feedback/dialogues/list.html", context)


@staff_required(services.MANAGER_ROLES)
def dialogue_new(request):
    require_perm(request.user, "feedback.add_dialogue")
    commune = request.user.commune
    if commune is None:
        raise Http404(_("Chỉ cán bộ của một xã lập kế hoạch hội nghị đối thoại."))
    form = DialogueForm(request.POST or None, commune_id=commune.pk)
    if request.method == "POST" and form.is_valid():
        try:
            dialogue = services.dialogue_plan(
                actor=request.user, commune=commune, **form.service_data()
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("Đã lập kế hoạch hội nghị đối thoại."))
            return redirect("staff:feedback:dialogue", pk=dialogue.pk)
    return render(request, "feedback/dialogues/form.html", {"form": form, "dialogue": None})


@staff_required(services.MANAGER_ROLES)
def dialogue_edit(request, pk: int):
    dialogue = _dialogue(request, pk)
    require_perm(request.user, "feedback.change_dialogue")
    if dialogue.status != Dialogue.Status.PLANNED:
        messages.error(request, _("Chỉ sửa được hội nghị đang lên kế hoạch."))
        return redirect("staff:feedback:dialogue", pk=dialogue.pk)
    initial = {
        "title": dialogue.title,
        "date": dialogue.date,
        "start_time": dialogue.start_time,
        "place": dialogue.place,
        "topics": dialogue.topics,
        "chaired_by": dialogue.chaired_by_id,
        "front_representative": dialogue.front_representative,
        "questions_open_until": dialogue.questions_open_until,
        "hamlets": [hamlet.pk for hamlet in dialogue.hamlets.all()],
    }
    form = DialogueForm(request.POST or None, initial=initial, commune_id=dialogue.commune_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.dialogue_update(actor=request.user, dialogue=dialogue, **form.service_data())
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("Đã lưu kế hoạch hội nghị."))
            return redirect("staff:feedback:dialogue", pk=dialogue.pk)
    return render(request, "feedback/dialogues/form.html", {"form": form, "dialogue": dialogue})


def _questions_by_source(questions) -> list[tuple[str, list]]:
    groups: dict[str, list] = {}
    for question in questions:
        groups.setdefault(question.source, []).append(question)
    return [
        (label, groups[value])
        for value, label in DialogueQuestion.Source.choices
        if value in groups
    ]


@staff_required()
def dialogue_detail(request, pk: int, *, entry_form=None):
    dialogue = _dialogue(request, pk)
    commune_id = dialogue.commune_id
    questions = list(dialogue.questions.all())
    open_status = dialogue.status != Dialogue.Status.CANCELLED
    can_enter = (
        services.can_enter_questions(request.user, commune_id)
        and open_status
        and not dialogue.is_results_published
    )
    context = {
        "dialogue": dialogue,
        "groups": _questions_by_source(questions),
        "question_count": len(questions),
        "unanswered": [q.number for q in questions if not q.answer],
        "can_manage": services.can_manage(request.user, commune_id),
        "can_record": services.can_record(request.user, commune_id) and open_status,
        "can_enter": can_enter,
        "feedback_form": FromFeedbackForm()
        if can_enter
        and services.can_record(request.user, commune_id)
        and request.user.has_perm("feedback.view_feedbackitem")
        else None,
        "entry_form": entry_form
        or (StaffQuestionForm(commune_id=commune_id) if can_enter else None),
        "cancel_form": CancelForm(),
        "accepts_online": services.accepts_online_questions(dialogue),
        "online_deadline": services.online_deadline(dialogue),
        "today": selectors.today_local(),
    }
    return render(request, "feedback/dialogues/detail.html", context)


@staff_required(services.MANAGER_ROLES)
def dialogue_publish_plan(request, pk: int):
    dialogue = _dialogue(request, pk)
    require_perm(request.user, "feedback.change_dialogue")
    published = request.POST.get("published") != "0"
    return post_decision(
        request,
        call=lambda: services.dialogue_publish_plan(
            actor=request.user, dialogue=dialogue, published=published
        ),
        done=_("Đã công khai kế hoạch trên trang của xã.")
        if published
        else _("Đã thôi công khai kế hoạch."),
        to=_detail_url(dialogue.pk),
    )


@staff_required(services.MANAGER_ROLES)
def dialogue_cancel(request, pk: int):
    dialogue = _dialogue(request, pk)
    require_perm(request.user, "feedback.change_dialogue")
    return post_decision(
        request,
        call=lambda: services.dialogue_cancel(
            actor=request.user, dialogue=dialogue, reason=request.POST.get("reason", "")
        ),
        done=_("Đã huỷ hội nghị."),
        to=_detail_url(dialogue.pk),
    )


@staff_required(services.MANAGER_ROLES)
def dialogue_hold(request, pk: int):
    dialogue = _dialogue(request, pk)
    require_perm(request.user, "feedback.change_dialogue")
    if dialogue.status == Dialogue.Status.CANCELLED:
        messages.error(request, _("Hội nghị đã huỷ."))
        return redirect("staff:feedback:dialogue", pk=dialogue.pk)
    initial = {
        "held_on": dialogue.held_on or min(dialogue.date, selectors.today_local()),
        "attendance": dialogue.attendance,
        "secretary_name": dialogue.secretary_name,
        "minutes_summary": dialogue.minutes_summary,
    }
    form = HoldForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.dialogue_hold(actor=request.user, dialogue=dialogue, **form.cleaned_data)
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("Đã ghi biên bản hội nghị."))
            return redirect("staff:feedback:dialogue", pk=dialogue.pk)
    return render(request, "feedback/dialogues/hold.html", {"form": form, "dialogue": dialogue})


@staff_required(services.MANAGER_ROLES)
def dialogue_publish_results(request, pk: int):
    dialogue = _dialogue(request, pk)
    require_perm(request.user, "feedback.change_dialogue")
    published = request.POST.get("published") != "0"
    return post_decision(
        request,
        call=lambda: services.dialogue_publish_results(
            actor=request.user, dialogue=dialogue, published=published
        ),
        done=_("Đã công khai kết quả đối thoại trên trang của xã.")
        if published
        else _("Đã thôi công khai kết quả."),
        to=_detail_url(dialogue.pk),
    )


# --- questions, answers, commitments -----------------------------------------------------


@staff_required(services.ENTRY_ROLES)
def dialogue_question_add(request, pk: int):
    """The fast entry of a paper slip or a question from the floor: back to the same form,
    empty, with the number the question got."""
    dialogue = _dialogue(request, pk)
    require_perm(request.user, "feedback.add_dialoguequestion")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = StaffQuestionForm(request.POST, commune_id=dialogue.commune_id)
    if form.is_valid():
        data = form.cleaned_data
        try:
            submitted = services.question_submit(
                dialogue=dialogue,
                question=data["question"],
                source=data["source"],
                asker_name=data["asker_name"],
                asker_phone=data["asker_phone"],
                hamlet=data["hamlet"],
                show_name=data["show_name"],
                idempotency_key=data["key"],
                entered_by=request.user,
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            if submitted.created:
                messages.success(
                    request,
                    _("Đã ghi câu hỏi số %(number)s.") % {"number": submitted.question.number},
                )
            else:
                messages.info(
                    request,
                    _("Câu hỏi này đã được ghi (số %(number)s).")
                    % {"number": submitted.question.number},
                )
            return redirect(_detail_url(dialogue.pk, "nhap-cau-hoi"))
    return dialogue_detail(request, pk, entry_form=form)


@staff_required(services.RECORDER_ROLES)
def dialogue_question_from_feedback(request, pk: int):
    """Bring a feedback item to the conference by its tracking code."""
    dialogue = _dialogue(request, pk)
    require_perm(request.user, "feedback.view_feedbackitem")

    def call():
        submitted = services.question_from_feedback(
            actor=request.user, dialogue=dialogue, code=request.POST.get("feedback_code", "")
        )
        number = submitted.question.number
        if not submitted.created:
            raise ValidationError(
                _("Góp ý này đã có trong hội nghị (câu hỏi số %(number)s).") % {"number": number}
            )

    return post_decision(
        request,
        call=call,
        done=_("Đã đưa góp ý, phản ánh vào hội nghị."),
        to=_detail_url(dialogue.pk, "nhap-cau-hoi"),
    )


@staff_required()
def dialogue_question(request, pk: int):
    """One question: record its answer and the commitments made."""
    question = _question(request, pk)
    dialogue = question.dialogue
    commune_id = question.commune_id
    can_record = services.can_record(request.user, commune_id)
    can_track = services.can_track(request.user, commune_id)
    open_status = dialogue.status != Dialogue.Status.CANCELLED
    answer_form = AnswerForm(
        request.POST or None,
        initial={"answer": question.answer, "answered_by": question.answered_by_id},
        commune_id=commune_id,
    )
    if request.method == "POST":
        if not (can_record and open_status):
            messages.error(request, _("Ông/bà không ghi được câu trả lời cho câu hỏi này."))
            return redirect("staff:feedback:dialogue_question", pk=question.pk)
        if answer_form.is_valid():
            try:
                services.question_answer(
                    actor=request.user,
                    question=question,
                    answer=answer_form.cleaned_data["answer"],
                    answered_by=answer_form.cleaned_data["answered_by"],
                )
            except ValidationError as error:
                errors_into(answer_form, error)
            else:
                messages.success(
                    request,
                    _("Đã ghi câu trả lời cho câu hỏi số %(number)s.")
                    % {"number": question.number},
                )
                return redirect(_detail_url(dialogue.pk, f"cau-hoi-{question.number}"))
    commitments = list(question.commitments.select_related("owner__position"))
    context = {
        "question": question,
        "dialogue": dialogue,
        "commitments": commitments,
        "answer_form": answer_form,
        "commitment_form": CommitmentForm(commune_id=commune_id) if can_track else None,
        "can_record": can_record and open_status,
        "can_track": can_track and open_status,
        "asker": asker_label(question, public=False),
        "today": selectors.today_local(),
    }
    return render(request, "feedback/dialogues/question.html", context)


@staff_required(services.RECORDER_ROLES)
def dialogue_commitment_add(request, pk: int):
    question = _question(request, pk)
    require_perm(request.user, "feedback.add_dialoguecommitment")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = CommitmentForm(request.POST, commune_id=question.commune_id)
    if form.is_valid():
        try:
            services.commitment_add(actor=request.user, question=question, **form.cleaned_data)
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("Đã ghi cam kết."))
            return redirect("staff:feedback:dialogue_question", pk=question.pk)
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
    return redirect("staff:feedback:dialogue_question", pk=question.pk)


def _back(request, commitment: DialogueCommitment) -> str:
    """Back to where the official came from: the tracker or the question."""
    target = request.POST.get("next", "")
    if target.startswith(reverse("staff:feedback:commitments")):
        return target
    return reverse("staff:feedback:dialogue_question", kwargs={"pk": commitment.question_id})


@staff_required(services.RECORDER_ROLES)
def commitment_complete(request, pk: int):
    commitment = _commitment(request, pk)
    require_perm(request.user, "feedback.change_dialoguecommitment")

    def call():
        form = CompleteForm(request.POST)
        if not form.is_valid():
            raise ValidationError(
                [message for errors in form.errors.values() for message in errors]
            )
        services.commitment_complete(actor=request.user, commitment=commitment, **form.cleaned_data)

    return post_decision(
        request, call=call, done=_("Đã ghi nhận hoàn thành cam kết."), to=_back(request, commitment)
    )


@staff_required(services.RECORDER_ROLES)
def commitment_drop(request, pk: int):
    commitment = _commitment(request, pk)
    require_perm(request.user, "feedback.change_dialoguecommitment")
    return post_decision(
        request,
        call=lambda: services.commitment_drop(
            actor=request.user,
            commitment=commitment,
            explanation=request.POST.get("explanation", ""),
        ),
        done=_("Đã ghi giải trình, cam kết không thực hiện."),
        to=_back(request, commitment),
    )


# --- the commitments tracker --------------------------------------------------------------


def _tracker(request):
    owners = selectors.commitment_owners(user=request.user)
    form = TrackerFilterForm(request.GET or None, owners=owners)
    state, owner, query = "open", None, ""
    if form.is_valid():
        state = form.cleaned_data["state"] or "open"
        owner = form.cleaned_data["owner"]
        query = form.cleaned_data["q"].strip()
    rows = selectors.commitment_tracker(
        user=request.user, state=state, owner_id=owner.pk if owner else None, query=query
    )
    return form, state, rows


@staff_required()
def commitments(request):
    require_perm(request.user, "feedback.view_dialoguecommitment")
    form, state, rows = _tracker(request)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "state": state,
        "page": Paginator(rows, TRACKER_PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query.urlencode(),
        "counts": selectors.commitment_counts(user=request.user),
        "today": selectors.today_local(),
        "can_track": services.can_track(request.user),
        "complete_form": CompleteForm(initial={"done_on": selectors.today_local()}),
    }
    return render(request, "feedback/dialogues/commitments.html", context)


TRACKER_HEADERS = (
    gettext_lazy("Hội nghị"),
    gettext_lazy("Ngày hội nghị"),
    gettext_lazy("Câu hỏi số"),
    gettext_lazy("Câu hỏi"),
    gettext_lazy("Cam kết"),
    gettext_lazy("Người chịu trách nhiệm"),
    gettext_lazy("Hạn"),
    gettext_lazy("Tình trạng"),
    gettext_lazy("Ngày hoàn thành"),
    gettext_lazy("Kết quả, giải trình"),
)


@staff_required()
def commitments_export(request):
    require_perm(request.user, "feedback.view_dialoguecommitment")
    _form, _state, rows = _tracker(request)
    today = selectors.today_local()
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Cam kết sau đối thoại")[:31]
    append_text_row(sheet, [str(header) for header in TRACKER_HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for commitment in rows:
        question = commitment.question
        status = commitment.get_status_display()
        if selectors.is_overdue(commitment, today):
            status = _("Quá hạn")
        append_text_row(
            sheet,
            [
                question.dialogue.title,
                f"{question.dialogue.date:%d/%m/%Y}",
                question.number,
                question.question,
                commitment.text,
                commitment.owner.full_name,
                f"{commitment.deadline:%d/%m/%Y}",
                status,
                f"{commitment.done_on:%d/%m/%Y}" if commitment.done_on else "",
                commitment.result_note,
            ],
            wrap=True,
        )
    for column, width in zip("ABCDEFGHIJ", (30, 12, 8, 40, 40, 24, 12, 16, 14, 40), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    filename = f"cam-ket-doi-thoai-{timezone.localdate():%Y%m%d}.xlsx"
    return download_response(workbook_bytes(workbook), XLSX_CONTENT_TYPE, filename)


QUESTION_HEADERS = (
    gettext_lazy("Số"),
    gettext_lazy("Nguồn"),
    gettext_lazy("Người hỏi"),
    gettext_lazy("Thôn, tổ dân phố"),
    gettext_lazy("Số điện thoại"),
    gettext_lazy("Đồng ý công khai tên"),
    gettext_lazy("Câu hỏi"),
    gettext_lazy("Trả lời"),
    gettext_lazy("Người trả lời"),
    gettext_lazy("Cam kết"),
)


@staff_required()
def dialogue_questions_xlsx(request, pk: int):
    """The conference's questions, answers and commitments as a spreadsheet."""
    dialogue = _dialogue(request, pk)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Câu hỏi đối thoại")[:31]
    append_text_row(sheet, [str(header) for header in QUESTION_HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for question in dialogue.questions.all():
        append_text_row(
            sheet,
            [
                question.number,
                question.get_source_display(),
                question.asker_name,
                question.hamlet.name if question.hamlet_id else "",
                question.asker_phone,
                _("có") if question.show_name else "",
                question.question,
                question.answer,
                question.answered_by.full_name if question.answered_by_id else "",
                "\n".join(commitment_line(c) for c in question.commitments.all()),
            ],
            wrap=True,
        )
    for column, width in zip("ABCDEFGHIJ", (6, 16, 22, 18, 14, 10, 50, 50, 22, 50), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    filename = f"cau-hoi-doi-thoai-{dialogue.date:%Y%m%d}-{dialogue.pk}.xlsx"
    return download_response(workbook_bytes(workbook), XLSX_CONTENT_TYPE, filename)


# --- documents -----------------------------------------------------------------------------


def _print(request, document: OfficialDocument, *, docx_url: str, dialogue: Dialogue):
    context = {
        "doc": document,
        "docx_url": docx_url,
        "back_url": dialogue.get_absolute_url(),
        "back_label": _("Quay lại hội nghị"),
        "print_label": _("In %(title)s") % {"title": document.title.lower()},
    }
    return render(request, PRINT_TEMPLATE, context)


def _docx(document: OfficialDocument):
    return download_response(build_docx(document), DOCX_CONTENT_TYPE, f"{document.filename}.docx")


@staff_required()
def dialogue_minutes(request, pk: int):
    dialogue = _dialogue(request, pk)
    url = reverse("staff:feedback:dialogue_minutes_docx", kwargs={"pk": dialogue.pk})
    return _print(request, minutes_document(dialogue), docx_url=url, dialogue=dialogue)


@staff_required()
def dialogue_minutes_docx(request, pk: int):
    return _docx(minutes_document(_dialogue(request, pk)))


@staff_required()
def dialogue_paper_form(request, pk: int):
    dialogue = _dialogue(request, pk)
    url = reverse("staff:feedback:dialogue_paper_form_docx", kwargs={"pk": dialogue.pk})
    return _print(request, question_form_document(dialogue), docx_url=url, dialogue=dialogue)


@staff_required()
def dialogue_paper_form_docx(request, pk: int):
    return _docx(question_form_document(_dialogue(request, pk)))


for _name in (
    "dialogue",
    "dialogue_edit",
    "dialogue_publish_plan",
    "dialogue_cancel",
    "dialogue_hold",
    "dialogue_publish_results",
    "dialogue_question_add",
    "dialogue_question_from_feedback",
    "dialogue_questions_xlsx",
    "dialogue_minutes",
    "dialogue_minutes_docx",
    "dialogue_paper_form",
    "dialogue_paper_form_docx",
):
    register_scoped_view(f"staff:feedback:{_name}", "feedback.Dialogue")
for _name in ("dialogue_question", "dialogue_commitment_add"):
    register_scoped_view(f"staff:feedback:{_name}", "feedback.DialogueQuestion")
for _name in ("commitment_complete", "commitment_drop"):
    register_scoped_view(f"staff:feedback:{_name}", "feedback.DialogueCommitment")


# --- portal --------------------------------------------------------------------------------


def _page_or_404(slug: str):
    page = commune_public_page(slug)
    if page is None:
        raise Http404(_("Không có xã, phường nào ở địa chỉ này."))
    return page


def public_dialogues(request, slug: str):
    page = _page_or_404(slug)
    today = selectors.today_local()
    dialogues = list(selectors.public_dialogues(commune=page.commune))
    upcoming = [d for d in dialogues if d.status == Dialogue.Status.PLANNED and d.is_plan_published]
    past = [d for d in dialogues if d not in upcoming]
    context = {
        "commune": page.commune,
        "profile": page.profile,
        "section": "dialogues",
        "upcoming": sorted(upcoming, key=lambda d: (d.date, d.pk)),
        "past": past,
        "today": today,
    }
    return render(request, "feedback/dialogues/public_list.html", context)


def _limited(request, context: dict, verdict_seconds: int):
    context["retry_minutes"] = max(1, -(-verdict_seconds // 60))
    response = render(request, "feedback/dialogues/public_limited.html", context, status=429)
    response["Retry-After"] = str(verdict_seconds)
    return response


@never_cache
@require_http_methods(["GET", "POST"])
def public_dialogue(request, slug: str, pk: int):
    page = _page_or_404(slug)
    dialogue = selectors.public_dialogue(commune=page.commune, pk=pk)
    if dialogue is None:
        raise Http404(_("Không có hội nghị đối thoại nào được công khai ở địa chỉ này."))
    accepts = services.accepts_online_questions(dialogue)
    form = PublicQuestionForm(request.POST or None, commune_id=page.commune.pk) if accepts else None
    context = {
        "commune": page.commune,
        "profile": page.profile,
        "section": "dialogues",
        "dialogue": dialogue,
        "form": form,
        "accepts": accepts,
        "deadline": services.online_deadline(dialogue),
        "questions": list(dialogue.questions.all()) if dialogue.is_results_published else [],
        "today": selectors.today_local(),
    }
    if request.method == "POST":
        if form is None:
            messages.error(request, _("Hội nghị này không còn nhận câu hỏi trực tuyến."))
            return redirect("feedback:dialogue", slug=slug, pk=dialogue.pk)
        verdict = ratelimit.hit(request, scope=RATE_SCOPE, rate=settings.THANTHIEN_FEEDBACK_RATE)
        if not verdict.allowed:
            return _limited(request, context, verdict.retry_after)
        if form.is_valid():
            data = form.cleaned_data
            if data["website"]:
                # The honeypot: thank the bot, keep nothing.
                messages.success(request, _("Đã nhận câu hỏi. Cảm ơn ông/bà."))
                return redirect("feedback:dialogue", slug=slug, pk=dialogue.pk)
            phone = normalized_phone(data["asker_phone"])
            if phone:
                # Hashed in the cache key, as the feedback form's own per-phone limit.
                verdict = hit_key(
                    scope=f"{RATE_SCOPE}-phone",
                    key=phone,
                    rate=settings.THANTHIEN_FEEDBACK_PHONE_RATE,
                )
                if not verdict.allowed:
                    return _limited(request, context, verdict.retry_after)
            try:
                submitted = services.question_submit(
                    dialogue=dialogue,
                    question=data["question"],
                    asker_name=data["asker_name"],
                    asker_phone=data["asker_phone"],
                    hamlet=data["hamlet"],
                    show_name=data["show_name"],
                    idempotency_key=data["key"],
                )
            except ValidationError as error:
                errors_into(form, error)
            else:
                question = submitted.question
                text = _(
                    "Đã nhận câu hỏi số %(number)s. Câu hỏi sẽ được trả lời tại hội nghị ngày "
                    "%(day)s; câu trả lời được công khai trên trang này sau hội nghị."
                ) % {"number": question.number, "day": f"{dialogue.date:%d/%m/%Y}"}
                if question.asker_phone:
                    text += " " + _("Số điện thoại đã ghi: %(phone)s.") % {
                        "phone": mask_phone(question.asker_phone)
                    }
                messages.success(request, text)
                return redirect("feedback:dialogue", slug=slug, pk=dialogue.pk)
    response = render(request, "feedback/dialogues/public_detail.html", context)
    return response
