"""Staff inbox of feedback, under /staff/gop-y/: the list with filters, tabs, search, paging
and XLSX export; one item with its files, history and an action form per allowed move; the
print view (phiếu xử lý) and the files.

Every page checks the role's permission and loads rows through the user's communes (another
commune's item answers 404); every move is a POST to one service (workflow_services), which
checks who may make it. A refused move shows the form again with the reason and what was typed.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from thanthien.core.documents import (
    DOCX_CONTENT_TYPE,
    OfficialDocument,
    Paragraph,
    Run,
    Signature,
    Table,
    build_docx,
    place_and_date,
)
from thanthien.core.forms import errors_into
from thanthien.core.staff import (
    download_response,
    register_scoped_view,
    require_perm,
    scoped_or_404,
    staff_required,
)
from thanthien.core.tabular import XLSX_CONTENT_TYPE, append_text_row, workbook_bytes
from thanthien.core.workdays import LOCAL_TZ
from thanthien.feedback import selectors
from thanthien.feedback import workflow_services as services
from thanthien.feedback.inbox_forms import (
    AnswerForm,
    AssignForm,
    ClassifyForm,
    InboxFilterForm,
    MergeForm,
    NoteForm,
    NoteOnlyForm,
    PublishForm,
    ReasonForm,
    RedirectForm,
)
from thanthien.feedback.items import OPEN_STATES, FeedbackItem, Status
from thanthien.feedback.links import status_url
from thanthien.onestop.dossiers import mask_phone

PAGE_SIZE = 30
VIEW_PERM = "feedback.view_feedbackitem"
CHANGE_PERM = "feedback.change_feedbackitem"

ITEM_ACTIONS = (
    "classify",
    "assign",
    "start",
    "answer",
    "publish",
    "unpublish",
    "close",
    "reopen",
    "merge",
    "redirect",
    "note",
)
for _name in ("item", "item_print", "item_docx", *(f"item_{a}" for a in ITEM_ACTIONS)):
    register_scoped_view(f"staff:feedback:{_name}", "feedback.FeedbackItem")
register_scoped_view("staff:feedback:attachment", "feedback.Attachment")


def _local(moment) -> str:
    return f"{moment.astimezone(LOCAL_TZ):%H:%M %d/%m/%Y}" if moment else ""


def _day(day) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


# --- the inbox ---------------------------------------------------------------------------


def _filtered(request):
    params = request.GET.copy()
    params.pop("page", None)
    # Only a page number: still the default view (open items by due date).
    form = InboxFilterForm(params or None, user=request.user)
    return form, selectors.inbox(user=request.user, **form.filters())


@staff_required()
def inbox(request):
    require_perm(request.user, VIEW_PERM)
    form, items = _filtered(request)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": Paginator(items, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query.urlencode(),
        "counts": selectors.inbox_counts(user=request.user),
        "today": selectors.today_local(),
        "tab": _tab(request.GET),
    }
    return render(request, "feedback/inbox/list.html", context)


def _tab(params) -> str:
    for name in ("mine", "overdue", "due_soon"):
        if params.get(name):
            return name
    if params.get("status") == Status.NEW:
        return "new"
    return "open" if not params or params.get("status", "open") == "open" else ""


EXPORT_HEADERS = (
    gettext_lazy("Mã"),
    gettext_lazy("Nhận lúc"),
    gettext_lazy("Kênh"),
    gettext_lazy("Loại"),
    gettext_lazy("Lĩnh vực"),
    gettext_lazy("Thôn, tổ dân phố"),
    gettext_lazy("Nội dung"),
    gettext_lazy("Người gửi"),
    gettext_lazy("Trạng thái"),
    gettext_lazy("Hạn trả lời"),
    gettext_lazy("Bộ phận xử lý"),
    gettext_lazy("Cán bộ xử lý"),
    gettext_lazy("Trả lời lúc"),
    gettext_lazy("Đúng hạn"),
    gettext_lazy("Hài lòng"),
    gettext_lazy("Trùng với"),
)


def _on_time(item: FeedbackItem) -> str:
    if not item.due_date or not item.answered_at:
        return ""
    answered = item.answered_at.astimezone(LOCAL_TZ).date()
    return _("Đúng hạn") if answered <= item.due_date else _("Trễ hạn")


def _satisfied(item: FeedbackItem) -> str:
    if item.satisfied is None:
        return ""
    return _("Hài lòng") if item.satisfied else _("Chưa hài lòng")


@staff_required()
def inbox_export(request):
    """The filtered inbox as a spreadsheet (names, no phone numbers: it leaves the system)."""
    require_perm(request.user, VIEW_PERM)
    _form, items = _filtered(request)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Góp ý, phản ánh")[:31]
    append_text_row(sheet, [str(h) for h in EXPORT_HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for item in items:
        append_text_row(
            sheet,
            [
                item.code,
                _local(item.received_at),
                item.get_source_display(),
                item.get_kind_display(),
                item.category_label,
                item.hamlet.name if item.hamlet else "",
                item.content,
                _("Ẩn danh") if item.is_anonymous else item.sender_name,
                item.get_status_display(),
                _day(item.due_date),
                item.office.name if item.office else "",
                str(item.assignee) if item.assignee else "",
                _local(item.answered_at),
                _on_time(item),
                _satisfied(item),
                item.duplicate_of.code if item.duplicate_of else "",
            ],
        )
    widths = (20, 16, 18, 10, 20, 16, 60, 24, 16, 12, 20, 22, 16, 10, 12, 20)
    for column, width in zip("ABCDEFGHIJKLMNOP", widths, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    filename = f"gop-y-{timezone.localdate():%Y%m%d}.xlsx"
    return download_response(workbook_bytes(workbook), XLSX_CONTENT_TYPE, filename)


# --- one item ----------------------------------------------------------------------------


def _item(request, pk: int) -> FeedbackItem:
    return scoped_or_404(request.user, selectors.item_detail(user=request.user), pk, perm=VIEW_PERM)


def _complaint_url(item: FeedbackItem) -> str:
    try:
        return reverse("staff:feedback:complaint_new") + f"?from_item={item.pk}"
    except NoReverseMatch:  # the complaints register is another area's page
        return ""


def _forms(request, item: FeedbackItem, bound: dict) -> dict:
    """The action forms this user may use on this item now (a bound one keeps its errors)."""
    user = request.user
    can_act = services.can_act(user, item)
    handle = services.may_handle(user, item)
    triage = services.may_triage(user, item)
    leader = can_act and services.is_leader(user)
    status = item.status
    is_open = status in OPEN_STATES
    offered = {
        "classify": (ClassifyForm, can_act and is_open),
        "assign": (AssignForm, leader and is_open),
        "start": (NoteOnlyForm, handle and status == Status.ASSIGNED),
        "answer": (AnswerForm, handle and status in (Status.ASSIGNED, Status.IN_PROGRESS)),
        "publish": (
            PublishForm,
            handle and status in (Status.ANSWERED, Status.CLOSED) and item.consent_publish,
        ),
        "unpublish": (ReasonForm, handle and item.is_published),
        "close": (NoteOnlyForm, handle and status == Status.ANSWERED),
        "reopen": (ReasonForm, leader and status in (Status.ANSWERED, Status.CLOSED)),
        "merge": (MergeForm, triage and is_open),
        "redirect": (RedirectForm, triage and is_open),
        "note": (NoteForm, can_act),
    }
    forms = {}
    for name, (form_class, allowed) in offered.items():
        if not allowed:
            continue
        forms[name] = bound.get(name) or form_class(item=item, prefix=name)
    if "answer" in forms and "answer" not in bound:
        forms["answer"] = _answer_form(request, item)
    return forms


def _answer_form(request, item: FeedbackItem) -> AnswerForm:
    """The answer form; ?mau=<template> starts it from a reply template, filled in."""
    initial = {"answer": item.answer}
    chosen = request.GET.get("mau", "")
    if chosen.isdigit():
        template = next(
            (t for t in services.reply_templates_for(item) if t.pk == int(chosen)), None
        )
        if template is not None:
            initial["answer"] = services.reply_template_fill(template, item)
    return AnswerForm(item=item, prefix="answer", initial=initial)


def _render_item(request, item: FeedbackItem, *, bound: dict | None = None, status: int = 200):
    bound = bound or {}
    forms = _forms(request, item, bound)
    show_sender = services.may_handle(request.user, item)
    context = {
        "item": item,
        "forms": forms,
        "show_sender": show_sender,
        "masked_phone": mask_phone(item.sender_phone) if item.sender_phone else "",
        "overdue": selectors.is_overdue(item),
        "templates": services.reply_templates_for(item) if "answer" in forms else [],
        "complaint_url": _complaint_url(item) if services.can_act(request.user, item) else "",
        "status_url": status_url(item.code),
        "reopen_until": services.reopen_until(item),
        "sender_files": [a for a in item.attachments.all() if a.role != "answer"],
        "answer_files": [a for a in item.attachments.all() if a.role == "answer"],
    }
    return render(request, "feedback/inbox/item.html", context, status=status)


@staff_required()
def item(request, pk: int):
    return _render_item(request, _item(request, pk))


def _act(request, pk: int, name: str, form_class, call, done: str, repeated=None):
    """POST one action form: call the service with the cleaned data, or show the form again
    with the errors (nothing typed is lost). `repeated(item, data)` says whether a refused
    move was this very move already made (a double click): then it counts as done."""
    found = _item(request, pk)  # another commune's item: 404 whatever the method
    require_perm(request.user, CHANGE_PERM)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = form_class(request.POST, request.FILES, item=found, prefix=name)
    if form.is_valid():
        try:
            call(found, form.cleaned_data)
        except services.FeedbackTransitionError as error:
            found.refresh_from_db()
            if repeated is not None and repeated(found, form.cleaned_data):
                messages.success(request, done % {"code": found.code})
                return redirect("staff:feedback:item", pk=found.pk)
            errors_into(form, error)
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, done % {"code": found.code})
            return redirect("staff:feedback:item", pk=found.pk)
    messages.error(request, _("Chưa lưu được: xin xem lại các ô báo lỗi."))
    return _render_item(request, _item(request, pk), bound={name: form}, status=400)


@staff_required()
def item_classify(request, pk: int):
    return _act(
        request,
        pk,
        "classify",
        ClassifyForm,
        lambda item, data: services.feedback_classify(
            actor=request.user,
            item=item,
            category=data["category"],
            kind=data["kind"],
            note=data["note"],
        ),
        _("Đã phân loại ý kiến %(code)s."),
    )


@staff_required()
def item_assign(request, pk: int):
    return _act(
        request,
        pk,
        "assign",
        AssignForm,
        lambda item, data: services.feedback_assign(
            actor=request.user,
            item=item,
            office=data["office"],
            assignee=data["assignee"],
            category=data["category"],
            note=data["note"],
        ),
        _("Đã giao xử lý ý kiến %(code)s."),
    )


@staff_required()
def item_start(request, pk: int):
    return _act(
        request,
        pk,
        "start",
        NoteOnlyForm,
        lambda item, data: services.feedback_start(
            actor=request.user, item=item, note=data["note"]
        ),
        _("Đã bắt đầu xử lý ý kiến %(code)s."),
        repeated=lambda item, data: item.status == Status.IN_PROGRESS,
    )


@staff_required()
def item_answer(request, pk: int):
    return _act(
        request,
        pk,
        "answer",
        AnswerForm,
        lambda item, data: services.feedback_answer(
            actor=request.user,
            item=item,
            answer=data["answer"],
            files=request.FILES.getlist("answer-files"),
            evidence_public=data["evidence_public"],
            note=data["note"],
        ),
        _("Đã trả lời ý kiến %(code)s; câu trả lời được gửi tới người gửi."),
        repeated=lambda item, data: (
            item.status in (Status.ANSWERED, Status.CLOSED)
            and item.answer.strip() == data["answer"].replace("\r\n", "\n").strip()
        ),
    )


@staff_required()
def item_publish(request, pk: int):
    return _act(
        request,
        pk,
        "publish",
        PublishForm,
        lambda item, data: services.feedback_publish(
            actor=request.user,
            item=item,
            public_summary=data["public_summary"],
            public_attachment_ids=[a.pk for a in data["public_files"]],
        ),
        _("Đã công khai câu trả lời ý kiến %(code)s trên cổng thông tin."),
    )


@staff_required()
def item_unpublish(request, pk: int):
    return _act(
        request,
        pk,
        "unpublish",
        ReasonForm,
        lambda item, data: services.feedback_unpublish(
            actor=request.user, item=item, reason=data["reason"]
        ),
        _("Đã thôi công khai câu trả lời ý kiến %(code)s."),
    )


@staff_required()
def item_close(request, pk: int):
    return _act(
        request,
        pk,
        "close",
        NoteOnlyForm,
        lambda item, data: services.feedback_close(
            actor=request.user, item=item, note=data["note"]
        ),
        _("Đã đóng ý kiến %(code)s."),
        repeated=lambda item, data: item.status == Status.CLOSED,
    )


@staff_required()
def item_reopen(request, pk: int):
    return _act(
        request,
        pk,
        "reopen",
        ReasonForm,
        lambda item, data: services.feedback_reopen(
            actor=request.user, item=item, reason=data["reason"]
        ),
        _("Đã mở lại ý kiến %(code)s."),
    )


@staff_required()
def item_merge(request, pk: int):
    return _act(
        request,
        pk,
        "merge",
        MergeForm,
        lambda item, data: services.feedback_merge(
            actor=request.user, item=item, into_code=data["into_code"], note=data["note"]
        ),
        _("Đã gộp ý kiến %(code)s vào ý kiến chính."),
        repeated=lambda item, data: item.status == Status.MERGED,
    )


@staff_required()
def item_redirect(request, pk: int):
    return _act(
        request,
        pk,
        "redirect",
        RedirectForm,
        lambda item, data: services.feedback_redirect(
            actor=request.user, item=item, reason=data["reason"], redirect_url=data["url"]
        ),
        _("Đã chuyển hướng ý kiến %(code)s và báo cho người gửi."),
        repeated=lambda item, data: item.status == Status.REDIRECTED,
    )


@staff_required()
def item_note(request, pk: int):
    return _act(
        request,
        pk,
        "note",
        NoteForm,
        lambda item, data: services.feedback_note(actor=request.user, item=item, note=data["note"]),
        _("Đã ghi chú vào ý kiến %(code)s."),
    )


@staff_required()
def attachment(request, pk: int):
    """A file of an item, only to staff of its commune (media is not served publicly)."""
    found = scoped_or_404(
        request.user, selectors.attachments_for(user=request.user), pk, perm=VIEW_PERM
    )
    if not found.file:
        raise Http404
    return FileResponse(
        found.file.open("rb"),
        content_type=found.content_type,
        filename=found.original_name or found.file.name.rsplit("/", 1)[-1],
    )


# --- print -------------------------------------------------------------------------------


def item_document(item: FeedbackItem, *, show_sender: bool) -> OfficialDocument:
    """The handling slip (phiếu xử lý) of an item: what came in, the history and the answer."""
    commune = item.commune
    if item.is_anonymous:
        sender = _("Ẩn danh")
    elif show_sender:
        sender = " · ".join(
            filter(
                None, [item.sender_name, item.sender_phone, item.sender_email, item.sender_address]
            )
        )
    else:
        sender = " · ".join(
            filter(
                None, [item.sender_name, mask_phone(item.sender_phone) if item.sender_phone else ""]
            )
        )
    facts = (
        (_("Mã theo dõi"), item.code),
        (_("Nhận lúc"), _local(item.received_at)),
        (_("Kênh tiếp nhận"), item.get_source_display()),
        (
            _("Loại, lĩnh vực"),
            " · ".join(filter(None, [item.get_kind_display(), item.category_label])),
        ),
        (
            _("Thôn, địa điểm"),
            " · ".join(filter(None, [item.hamlet.name if item.hamlet else "", item.location_text])),
        ),
        (_("Người gửi"), sender or "—"),
        (_("Hạn trả lời"), _day(item.due_date)),
        (_("Trạng thái"), item.get_status_display()),
        (_("Xử lý"), ", ".join(str(x) for x in (item.assignee, item.office) if x) or "—"),
    )
    blocks = [
        Table(headers=(_("Mục"), _("Nội dung")), rows=tuple(facts), widths=(1, 3)),
        Paragraph.of(Run(_("Nội dung ý kiến"), bold=True), indent=False),
        *(Paragraph.of(line) for line in item.content.splitlines() if line.strip()),
    ]
    history = tuple(
        (_local(e.at), e.get_action_display(), str(e.actor or ""), e.note)
        for e in item.events.all()
    )
    if history:
        blocks.append(Paragraph.of(Run(_("Quá trình xử lý"), bold=True), indent=False))
        blocks.append(
            Table(
                headers=(_("Thời điểm"), _("Thao tác"), _("Người thực hiện"), _("Ghi chú")),
                rows=history,
                widths=(1.2, 1.4, 1.4, 3),
                compact=True,
            )
        )
    if item.answer:
        blocks.append(Paragraph.of(Run(_("Nội dung trả lời"), bold=True), indent=False))
        blocks.extend(Paragraph.of(line) for line in item.answer.splitlines() if line.strip())
    return OfficialDocument(
        title=_("Phiếu xử lý góp ý, phản ánh, kiến nghị"),
        agency_lines=(_("ỦY BAN NHÂN DÂN"), commune.name.upper()),
        number_line=_("Mã: %(code)s") % {"code": item.code},
        place_date=place_and_date(commune.name, timezone.localdate()),
        blocks=tuple(blocks),
        signatures=(
            Signature(
                title_lines=(_("CÁN BỘ XỬ LÝ"),), name=str(item.answered_by or item.assignee or "")
            ),
        ),
        filename=f"phieu-xu-ly-{item.code}",
    )


@staff_required()
def item_print(request, pk: int):
    found = _item(request, pk)
    doc = item_document(found, show_sender=services.may_handle(request.user, found))
    context = {
        "doc": doc,
        "docx_url": reverse("staff:feedback:item_docx", kwargs={"pk": found.pk}),
        "back_url": reverse("staff:feedback:item", kwargs={"pk": found.pk}),
        "back_label": _("Quay lại ý kiến"),
        "print_label": _("In phiếu"),
    }
    return render(request, "core/document_print.html", context)


@staff_required()
def item_docx(request, pk: int):
    found = _item(request, pk)
    doc = item_document(found, show_sender=services.may_handle(request.user, found))
    return download_response(build_docx(doc), DOCX_CONTENT_TYPE, f"{doc.filename}.docx")
