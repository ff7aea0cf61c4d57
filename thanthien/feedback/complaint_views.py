"""Staff pages of complaints and denunciations, under /staff/gop-y/khieu-nai/: the register
with filters, search, pagination and its XLSX export ("Sổ theo dõi đơn khiếu nại, tố cáo"),
registering a letter (also from a feedback item or a reception visit), one case with its stage
actions, extensions and assignment, and its print view.

Officials of the commune see complaints; leaders and administrators see denunciations too and
do every write. A denouncer's identity shows only to the assigned officials (selectors).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook

from thanthien.core.forms import errors_into
from thanthien.core.staff import (
    download_response,
    register_scoped_view,
    require_perm,
    scoped_or_404,
    staff_required,
)
from thanthien.core.tabular import (
    XLSX_CONTENT_TYPE,
    append_text_row,
    start_sheet,
    workbook_bytes,
)
from thanthien.core.tenancy import scope
from thanthien.core.workdays import LOCAL_TZ
from thanthien.feedback import complaint_selectors as selectors
from thanthien.feedback import complaint_services as services
from thanthien.feedback.complaint_forms import (
    AcceptForm,
    AssignForm,
    ComplaintFilterForm,
    ComplaintForm,
    ExtendForm,
    RefuseForm,
    ResolveForm,
    TransferForm,
    WithdrawForm,
)
from thanthien.feedback.complaints import Complaint
from thanthien.feedback.items import FeedbackItem
from thanthien.feedback.reception import ReceptionVisit

PAGE_SIZE = 50
VIEW_PERM = "feedback.view_complaint"


def _today():
    return timezone.localdate()


def _filtered(request):
    form = ComplaintFilterForm(request.GET or None)
    values = {"kind": "", "status": "", "overdue": False, "query": ""}
    if form.is_valid():
        values = {
            "kind": form.cleaned_data["kind"],
            "status": form.cleaned_data["status"],
            "overdue": form.cleaned_data["overdue"],
            "query": form.cleaned_data["q"],
        }
    complaints = selectors.complaint_list(user=request.user, today=_today(), **values)
    return form, complaints


@staff_required()
def complaint_list(request):
    require_perm(request.user, VIEW_PERM)
    form, complaints = _filtered(request)
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(complaints, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.mask_identity(list(page.object_list), request.user)
    page.object_list = selectors.annotate_due(rows, _today())
    commune_id = getattr(request.user, "commune_id", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "counts": selectors.complaint_counts(user=request.user, today=_today()),
        "can_register": services.can_handle(request.user, commune_id),
    }
    return render(request, "feedback/complaints/list.html", context)


EXPORT_HEADERS = (
    gettext_lazy("STT"),
    gettext_lazy("Số đơn"),
    gettext_lazy("Loại"),
    gettext_lazy("Lần"),
    gettext_lazy("Ngày nhận"),
    gettext_lazy("Họ tên"),
    gettext_lazy("Địa chỉ"),
    gettext_lazy("Quyết định, hành vi bị khiếu nại / tố cáo"),
    gettext_lazy("Người, cơ quan bị khiếu nại / tố cáo"),
    gettext_lazy("Tóm tắt nội dung"),
    gettext_lazy("Hạn thụ lý / xử lý ban đầu"),
    gettext_lazy("Ngày thụ lý"),
    gettext_lazy("Ngày không thụ lý"),
    gettext_lazy("Ngày chuyển đơn"),
    gettext_lazy("Chuyển đến"),
    gettext_lazy("Hạn giải quyết"),
    gettext_lazy("Số lần gia hạn"),
    gettext_lazy("Ngày giải quyết"),
    gettext_lazy("Số quyết định / kết luận"),
    gettext_lazy("Kết quả"),
    gettext_lazy("Trạng thái"),
)
EXPORT_WIDTHS = (6, 18, 10, 6, 12, 24, 28, 32, 24, 40, 14, 12, 12, 12, 24, 14, 8, 12, 18, 32, 22)


def _day(value) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


@staff_required()
def complaint_export(request):
    """The filtered register as a spreadsheet, one row per letter with every stage's date."""
    require_perm(request.user, VIEW_PERM)
    _form, complaints = _filtered(request)
    rows = selectors.mask_identity(list(complaints.prefetch_related("extensions")), request.user)
    workbook = Workbook()
    sheet = start_sheet(
        workbook,
        _("Sổ theo dõi đơn KN, TC"),
        [str(header) for header in EXPORT_HEADERS],
        EXPORT_WIDTHS,
    )
    for number, complaint in enumerate(rows, start=1):
        address = complaint.person_address
        if complaint.hamlet is not None:
            address = ", ".join(part for part in (address, complaint.hamlet.name) if part)
        append_text_row(
            sheet,
            [
                number,
                complaint.code,
                complaint.get_kind_display(),
                complaint.round,
                _day(complaint.received_on),
                complaint.person_name,
                address,
                complaint.subject,
                complaint.respondent,
                complaint.content,
                _day(complaint.accept_due),
                _day(complaint.accepted_on),
                _day(complaint.refused_on),
                _day(complaint.transferred_on),
                complaint.transferred_to,
                _day(complaint.resolve_due),
                len(complaint.extensions.all()),
                _day(complaint.resolved_on),
                complaint.decision_number,
                complaint.resolution or complaint.refusal_reason,
                complaint.get_status_display(),
            ],
        )
    filename = f"so-theo-doi-don-khieu-nai-to-cao-{_today():%Y%m%d}.xlsx"
    return download_response(workbook_bytes(workbook), XLSX_CONTENT_TYPE, filename)


def _prefill_from_item(request, item_pk: str) -> tuple[dict, FeedbackItem | None]:
    if not item_pk.isdigit():
        return {}, None
    items = scope(FeedbackItem.objects.select_related("hamlet"), request.user)
    item = items.filter(pk=int(item_pk)).first()
    if item is None:
        raise Http404
    initial = {
        "kind": Complaint.Kind.COMPLAINT,
        "received_on": item.received_at.astimezone(LOCAL_TZ).date(),
        "person_name": item.sender_name,
        "person_phone": item.sender_phone,
        "person_address": item.sender_address,
        "hamlet": item.hamlet_id,
        "subject": item.title,
        "content": item.content,
        "feedback_item": item.pk,
    }
    return initial, item


def _prefill_from_visit(request, visit_pk: str) -> tuple[dict, ReceptionVisit | None]:
    if not visit_pk.isdigit():
        return {}, None
    visits = scope(ReceptionVisit.objects.all(), request.user)
    visit = visits.filter(pk=int(visit_pk)).first()
    if visit is None:
        raise Http404
    kind = (
        Complaint.Kind.DENUNCIATION
        if visit.kind == ReceptionVisit.Kind.DENUNCIATION
        else Complaint.Kind.COMPLAINT
    )
    initial = {
        "kind": kind,
        "received_on": visit.visited_at.astimezone(LOCAL_TZ).date(),
        "person_name": visit.citizen_name,
        "person_phone": visit.citizen_phone,
        "person_address": visit.citizen_address,
        "person_id_number": visit.citizen_id_number,
        "hamlet": visit.hamlet_id,
        "content": visit.matter,
        "reception_visit": visit.pk,
    }
    return initial, visit


@staff_required(services.HANDLER_ROLES)
def complaint_new(request):
    require_perm(request.user, "feedback.add_complaint")
    commune = request.user.commune
    if commune is None:
        raise Http404
    initial, item = _prefill_from_item(request, request.GET.get("from_item", ""))
    visit = None
    if item is None:
        initial, visit = _prefill_from_visit(request, request.GET.get("from_visit", ""))
    initial.setdefault("received_on", _today())
    form = ComplaintForm(request.POST or None, initial=initial, commune_id=commune.pk)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        item_pk, visit_pk = data.pop("feedback_item"), data.pop("reception_visit")
        if item_pk:
            item = scope(FeedbackItem.objects.all(), request.user).filter(pk=item_pk).first()
        if visit_pk:
            visit = scope(ReceptionVisit.objects.all(), request.user).filter(pk=visit_pk).first()
        try:
            complaint = services.complaint_register(
                actor=request.user,
                commune=commune,
                feedback_item=item,
                reception_visit=visit,
                **data,
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(
                request,
                _("Đã vào sổ đơn số %(code)s; hạn thụ lý %(due)s.")
                % {"code": complaint.code, "due": _day(complaint.accept_due)},
            )
            return redirect("staff:feedback:complaint", pk=complaint.pk)
    context = {"form": form, "item": item, "visit": visit}
    return render(request, "feedback/complaints/new.html", context)


def _complaint(request, pk: int) -> Complaint:
    complaint = scoped_or_404(
        request.user, selectors.complaints_for(user=request.user), pk, perm=VIEW_PERM
    )
    selectors.mask_identity([complaint], request.user)
    selectors.annotate_due([complaint], _today())
    return complaint


def _render_detail(request, complaint: Complaint, **forms):
    can_handle = services.can_handle(request.user, complaint.commune_id)
    status = Complaint.Status
    day = _today()
    if can_handle and complaint.status == status.RECEIVED:
        forms.setdefault("accept_form", AcceptForm(initial={"accepted_on": day}))
        forms.setdefault("refuse_form", RefuseForm(initial={"refused_on": day}))
        forms.setdefault("transfer_form", TransferForm(initial={"transferred_on": day}))
    if can_handle and complaint.status == status.ACCEPTED:
        forms.setdefault("resolve_form", ResolveForm(initial={"resolved_on": day}))
    if can_handle and complaint.status in (status.RECEIVED, status.ACCEPTED):
        forms.setdefault("withdraw_form", WithdrawForm(initial={"withdrawn_on": day}))
        if complaint.kind == Complaint.Kind.DENUNCIATION:
            stage = "accept" if complaint.status == status.RECEIVED else "resolve"
            forms.setdefault("extend_form", ExtendForm(initial={"decided_on": day, "stage": stage}))
    if can_handle:
        users = selectors.assignable_users(complaint.commune_id)
        forms.setdefault(
            "assign_form",
            AssignForm(users=users, initial={"assignees": selectors.assignees_of(complaint)}),
        )
    context = {
        "complaint": complaint,
        "extensions": list(selectors.extensions_of(complaint)),
        "assignees": selectors.assignees_of(complaint),
        "can_handle": can_handle,
        "transfer_due": services.deadlines.transfer_due(received_on=complaint.received_on)
        if complaint.kind == Complaint.Kind.DENUNCIATION
        else None,
        **forms,
    }
    return render(request, "feedback/complaints/detail.html", context)


@staff_required()
def complaint_detail(request, pk: int):
    return _render_detail(request, _complaint(request, pk))


@staff_required()
def complaint_print(request, pk: int):
    complaint = _complaint(request, pk)
    context = {
        "complaint": complaint,
        "extensions": list(selectors.extensions_of(complaint)),
        "assignees": selectors.assignees_of(complaint),
        "today": _today(),
    }
    return render(request, "feedback/complaints/print.html", context)


def _stage_action(request, pk: int, *, form_class, form_name: str, call, done: str):
    """POST a stage's form: the service moves the case, or the form shows why not."""
    complaint = _complaint(request, pk)
    require_perm(request.user, "feedback.change_complaint")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(complaint, form.cleaned_data)
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, done)
            return redirect("staff:feedback:complaint", pk=complaint.pk)
    messages.error(request, _("Chưa lưu: xem lỗi ở biểu mẫu bên dưới."))
    return _render_detail(request, complaint, **{form_name: form})


@staff_required(services.HANDLER_ROLES)
def complaint_accept(request, pk: int):
    return _stage_action(
        request,
        pk,
        form_class=AcceptForm,
        form_name="accept_form",
        call=lambda complaint, data: services.complaint_accept(
            actor=request.user, complaint=complaint, **data
        ),
        done=_("Đã thụ lý; hạn giải quyết đã được tính."),
    )


@staff_required(services.HANDLER_ROLES)
def complaint_refuse(request, pk: int):
    return _stage_action(
        request,
        pk,
        form_class=RefuseForm,
        form_name="refuse_form",
        call=lambda complaint, data: services.complaint_refuse(
            actor=request.user,
            complaint=complaint,
            refused_on=data["refused_on"],
            reason=data["refusal_reason"],
        ),
        done=_("Đã ghi không thụ lý."),
    )


@staff_required(services.HANDLER_ROLES)
def complaint_transfer(request, pk: int):
    return _stage_action(
        request,
        pk,
        form_class=TransferForm,
        form_name="transfer_form",
        call=lambda complaint, data: services.complaint_transfer(
            actor=request.user, complaint=complaint, **data
        ),
        done=_("Đã ghi chuyển đơn."),
    )


@staff_required(services.HANDLER_ROLES)
def complaint_extend(request, pk: int):
    return _stage_action(
        request,
        pk,
        form_class=ExtendForm,
        form_name="extend_form",
        call=lambda complaint, data: services.complaint_extend(
            actor=request.user,
            complaint=complaint,
            stage=data["stage"],
            days=data["days"] or 0,
            reason=data["reason"],
            decided_on=data["decided_on"],
        ),
        done=_("Đã gia hạn; hạn mới đã được tính."),
    )


@staff_required(services.HANDLER_ROLES)
def complaint_resolve(request, pk: int):
    return _stage_action(
        request,
        pk,
        form_class=ResolveForm,
        form_name="resolve_form",
        call=lambda complaint, data: services.complaint_resolve(
            actor=request.user, complaint=complaint, **data
        ),
        done=_("Đã ghi kết quả giải quyết."),
    )


@staff_required(services.HANDLER_ROLES)
def complaint_withdraw(request, pk: int):
    return _stage_action(
        request,
        pk,
        form_class=WithdrawForm,
        form_name="withdraw_form",
        call=lambda complaint, data: services.complaint_withdraw(
            actor=request.user, complaint=complaint, **data
        ),
        done=_("Đã ghi rút đơn."),
    )


@staff_required(services.HANDLER_ROLES)
def complaint_assign(request, pk: int):
    complaint = _complaint(request, pk)
    require_perm(request.user, "feedback.change_complaint")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = AssignForm(request.POST, users=selectors.assignable_users(complaint.commune_id))
    if form.is_valid():
        try:
            services.complaint_assign(
                actor=request.user, complaint=complaint, assignees=form.cleaned_data["assignees"]
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("Đã giao xử lý."))
            return redirect("staff:feedback:complaint", pk=complaint.pk)
    return _render_detail(request, complaint, assign_form=form)


for _name in (
    "complaint",
    "complaint_print",
    "complaint_accept",
    "complaint_refuse",
    "complaint_transfer",
    "complaint_extend",
    "complaint_resolve",
    "complaint_withdraw",
    "complaint_assign",
):
    register_scoped_view(f"staff:feedback:{_name}", "feedback.Complaint")
