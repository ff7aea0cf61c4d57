"""Staff pages of contributors and respected residents (S8), under /staff/thu/nguoi-dong-gop/
and /staff/thu/hoi-nghi/: the list with search, pagination and XLSX export; one contributor
with their contributions (recording one drafts the thank-you letter); the yearly meeting with
its invitation list, the invitations as one DOCX, and attendance.

Officials of the commune see the list; leaders and administrators keep it. Rows are loaded
through the user's communes: another commune's row answers 404.
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
from openpyxl.styles import Font

from thanthien.core.documents import DOCX_CONTENT_TYPE
from thanthien.core.forms import errors_into
from thanthien.core.staff import (
    download_response,
    register_scoped_view,
    require_perm,
    scoped_or_404,
    staff_required,
)
from thanthien.core.tabular import XLSX_CONTENT_TYPE, append_text_row, workbook_bytes
from thanthien.letters import contributor_selectors as selectors
from thanthien.letters import contributor_services as services
from thanthien.letters.contributor_forms import (
    ContributionForm,
    ContributorFilterForm,
    ContributorForm,
    MeetingForm,
)
from thanthien.letters.contributors import Contributor, YearlyMeeting
from thanthien.letters.meeting_documents import invitations_docx
from thanthien.letters.services import chairman_of

PAGE_SIZE = 50


def _filtered(request):
    form = ContributorFilterForm(request.GET or None)
    query, kind = "", ""
    if form.is_valid():
        query, kind = form.cleaned_data["q"], form.cleaned_data["kind"]
    return form, selectors.contributor_list(user=request.user, query=query, kind=kind)


@staff_required()
def contributor_list(request):
    require_perm(request.user, "letters.view_contributor")
    form, contributors = _filtered(request)
    query = request.GET.copy()
    query.pop("page", None)
    page = Paginator(contributors, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    for contributor in page.object_list:
        contributor.total_text = services.money(contributor.contribution_total or 0)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "can_manage": services.can_manage(request.user),
    }
    return render(request, "letters/contributors/list.html", context)


EXPORT_HEADERS = (
    gettext_lazy("Họ tên / tên tổ chức"),
    gettext_lazy("Tổ chức"),
    gettext_lazy("Loại"),
    gettext_lazy("Điện thoại"),
    gettext_lazy("Địa chỉ"),
    gettext_lazy("Thôn, tổ dân phố"),
    gettext_lazy("Số lần đóng góp"),
    gettext_lazy("Tổng giá trị (đồng)"),
    gettext_lazy("Ghi chú"),
)


@staff_required()
def contributor_export(request):
    """The filtered list as a spreadsheet (values in đồng as numbers, to add up in Excel)."""
    require_perm(request.user, "letters.view_contributor")
    _form, contributors = _filtered(request)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Người có đóng góp")[:31]
    append_text_row(sheet, [str(header) for header in EXPORT_HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row, contributor in enumerate(contributors, start=2):
        append_text_row(
            sheet,
            [
                contributor.name,
                _("có") if contributor.is_organisation else "",
                contributor.get_kind_display(),
                contributor.phone,
                contributor.address,
                contributor.hamlet.name if contributor.hamlet else "",
                contributor.contribution_count,
                contributor.contribution_total or 0,
                contributor.note,
            ],
        )
        sheet.cell(row=row, column=8).number_format = "#,##0"
    for column, width in zip("ABCDEFGHI", (30, 8, 26, 14, 30, 18, 10, 16, 30), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    filename = f"nguoi-co-dong-gop-{timezone.localdate():%Y%m%d}.xlsx"
    return download_response(workbook_bytes(workbook), XLSX_CONTENT_TYPE, filename)


def _contributor_data(form) -> dict:
    return {key: form.cleaned_data[key] for key in ContributorForm.base_fields}


@staff_required(services.MANAGER_ROLES)
def contributor_new(request):
    require_perm(request.user, "letters.add_contributor")
    commune = request.user.commune
    if commune is None:
        raise Http404
    form = ContributorForm(request.POST or None, commune_id=commune.pk)
    if request.method == "POST" and form.is_valid():
        try:
            contributor = services.contributor_save(
                actor=request.user, commune=commune, **_contributor_data(form)
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("Đã thêm vào danh sách."))
            return redirect("staff:contributor_detail", pk=contributor.pk)
    return render(request, "letters/contributors/form.html", {"form": form, "contributor": None})


def _contributor(request, pk: int) -> Contributor:
    queryset = selectors.contributors_for(user=request.user)
    return scoped_or_404(request.user, queryset, pk, perm="letters.view_contributor")


def _render_detail(request, contributor: Contributor, *, contribution_form=None):
    can_manage = services.can_manage(request.user)
    contributions = list(selectors.contributions_of(contributor=contributor))
    for item in contributions:
        item.value_text = services.contribution_value_text(item)
    context = {
        "contributor": contributor,
        "contributions": contributions,
        "can_manage": can_manage,
        "contribution_form": contribution_form or (ContributionForm() if can_manage else None),
    }
    return render(request, "letters/contributors/detail.html", context)


@staff_required()
def contributor_detail(request, pk: int):
    return _render_detail(request, _contributor(request, pk))


@staff_required(services.MANAGER_ROLES)
def contributor_edit(request, pk: int):
    contributor = _contributor(request, pk)
    require_perm(request.user, "letters.change_contributor")
    initial = {key: getattr(contributor, key) for key in ContributorForm.base_fields}
    form = ContributorForm(request.POST or None, initial=initial, commune_id=contributor.commune_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.contributor_save(
                actor=request.user,
                commune=contributor.commune,
                contributor=contributor,
                **_contributor_data(form),
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("Đã lưu."))
            return redirect("staff:contributor_detail", pk=contributor.pk)
    context = {"form": form, "contributor": contributor}
    return render(request, "letters/contributors/form.html", context)


@staff_required(services.MANAGER_ROLES)
def contributor_contribute(request, pk: int):
    contributor = _contributor(request, pk)
    require_perm(request.user, "letters.add_contribution")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = ContributionForm(request.POST)
    if form.is_valid():
        try:
            services.contribution_record(
                actor=request.user, contributor=contributor, **form.cleaned_data
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(
                request, _("Đã ghi nhận đóng góp; thư cảm ơn đã lập, chờ lãnh đạo duyệt.")
            )
            return redirect("staff:contributor_detail", pk=contributor.pk)
    return _render_detail(request, contributor, contribution_form=form)


# --- the yearly meeting ---------------------------------------------------------------------


@staff_required()
def meeting_list(request):
    require_perm(request.user, "letters.view_yearlymeeting")
    can_manage = services.can_manage(request.user)
    form = None
    if can_manage and request.user.commune is not None:
        form = MeetingForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                meeting = services.meeting_save(
                    actor=request.user, commune=request.user.commune, **form.cleaned_data
                )
            except ValidationError as error:
                errors_into(form, error)
            else:
                messages.success(request, _("Đã lên lịch hội nghị; chọn người được mời."))
                return redirect("staff:meeting_detail", pk=meeting.pk)
    elif request.method == "POST":
        return HttpResponseNotAllowed(["GET"])
    context = {"meetings": selectors.meetings_for(user=request.user), "form": form}
    return render(request, "letters/contributors/meetings.html", context)


def _meeting(request, pk: int) -> YearlyMeeting:
    queryset = selectors.meetings_for(user=request.user)
    return scoped_or_404(request.user, queryset, pk, perm="letters.view_yearlymeeting")


@staff_required()
def meeting_detail(request, pk: int):
    meeting = _meeting(request, pk)
    invitations = list(selectors.invitations_of(meeting=meeting))
    invited = {invitation.contributor_id for invitation in invitations}
    can_manage = services.can_manage(request.user)
    context = {
        "meeting": meeting,
        "invitations": invitations,
        "candidates": list(selectors.invitable(meeting=meeting)) if can_manage else [],
        "invited": invited,
        "can_manage": can_manage,
    }
    return render(request, "letters/contributors/meeting_detail.html", context)


def _ids(request, name: str) -> list[int]:
    return [int(value) for value in request.POST.getlist(name) if value.isdigit()]


@staff_required(services.MANAGER_ROLES)
def meeting_invitees(request, pk: int):
    meeting = _meeting(request, pk)
    require_perm(request.user, "letters.change_yearlymeeting")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    chosen = list(
        selectors.contributors_for(user=request.user).filter(
            commune_id=meeting.commune_id, pk__in=_ids(request, "contributor")
        )
    )
    services.meeting_set_invitees(actor=request.user, meeting=meeting, contributors=chosen)
    messages.success(
        request, _("Đã lưu danh sách mời: %(count)s người, tổ chức.") % {"count": len(chosen)}
    )
    return redirect("staff:meeting_detail", pk=meeting.pk)


@staff_required(services.MANAGER_ROLES)
def meeting_attendance(request, pk: int):
    meeting = _meeting(request, pk)
    require_perm(request.user, "letters.change_yearlymeeting")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    count = services.meeting_record_attendance(
        actor=request.user, meeting=meeting, attended_ids=_ids(request, "attended")
    )
    messages.success(request, _("Đã ghi nhận %(count)s người có mặt.") % {"count": count})
    return redirect("staff:meeting_detail", pk=meeting.pk)


@staff_required()
def meeting_invitations_docx(request, pk: int):
    meeting = _meeting(request, pk)
    contributors = [i.contributor for i in selectors.invitations_of(meeting=meeting)]
    if not contributors:
        messages.info(request, _("Chưa chọn người được mời."))
        return redirect("staff:meeting_detail", pk=meeting.pk)
    chairman = chairman_of(meeting.commune_id)
    content = invitations_docx(
        meeting=meeting,
        contributors=contributors,
        signer_name=chairman.full_name if chairman else "",
    )
    return download_response(content, DOCX_CONTENT_TYPE, f"giay-moi-hoi-nghi-{meeting.year}.docx")


for _name in (
    "contributor_detail",
    "contributor_edit",
    "contributor_contribute",
):
    register_scoped_view(f"staff:{_name}", Contributor._meta.label)
for _name in (
    "meeting_detail",
    "meeting_invitees",
    "meeting_attendance",
    "meeting_invitations_docx",
):
    register_scoped_view(f"staff:{_name}", YearlyMeeting._meta.label)
