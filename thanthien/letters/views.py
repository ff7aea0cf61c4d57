"""Staff pages of the letters (thư công), under /staff/thu/.

The register (sổ theo dõi thư) with search, filters and XLSX export; the leader's queue of
drafts; one letter (edit, approve, drop, record its delivery, print, DOCX); batch printing;
the commune's templates with a preview; counts. Every page checks the role and permission,
and loads rows through the user's communes (another commune's letter answers 404).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from thanthien.core.documents import DOCX_CONTENT_TYPE, build_docx
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
from thanthien.letters import selectors, services, texts
from thanthien.letters.documents import letter_document, letters_docx
from thanthien.letters.forms import (
    DeliveryForm,
    DraftForm,
    DropForm,
    LetterDetailsForm,
    LetterEditForm,
    RegisterFilterForm,
    TemplateForm,
)
from thanthien.letters.models import Letter, Occasion
from thanthien.onestop.dossier_selectors import local_day
from thanthien.places.models import Commune

PAGE_SIZE = 50
PRINT_TEMPLATE = "core/document_print.html"


def _view(user) -> None:
    require_perm(user, "letters.view_letter")


def _letter(request, pk: int) -> Letter:
    queryset = selectors.letters_for(user=request.user)
    return scoped_or_404(request.user, queryset, pk, perm="letters.view_letter")


# --- the register -------------------------------------------------------------------------


def _filtered(request):
    form = RegisterFilterForm(request.GET or None)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "query": data["q"],
            "type": data["type"],
            "state": data["state"],
            "month": data["month"],
        }
    return form, selectors.letter_register(user=request.user, **filters)


@staff_required()
def letter_register(request):
    _view(request.user)
    form, letters = _filtered(request)
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": Paginator(letters, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query.urlencode(),
        "can_approve": services.can_approve(request.user),
        "queue_count": selectors.letter_queue(user=request.user).count(),
    }
    return render(request, "letters/register.html", context)


REGISTER_HEADERS = (
    gettext_lazy("Số"),
    gettext_lazy("Năm"),
    gettext_lazy("Loại thư"),
    gettext_lazy("Người nhận"),
    gettext_lazy("Địa chỉ"),
    gettext_lazy("Trạng thái"),
    gettext_lazy("Ngày duyệt"),
    gettext_lazy("Người ký"),
    gettext_lazy("Hình thức gửi"),
    gettext_lazy("Gửi, trao lúc"),
    gettext_lazy("Ảnh minh chứng"),
    gettext_lazy("Hồ sơ gốc"),
)


@staff_required()
def letter_export(request):
    """The filtered register as a spreadsheet."""
    _view(request.user)
    _form, letters = _filtered(request)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("Sổ theo dõi thư")[:31]
    append_text_row(sheet, [str(header) for header in REGISTER_HEADERS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for letter in letters:
        append_text_row(
            sheet,
            [
                letter.number,
                letter.year,
                letter.get_type_display(),
                letter.recipient_name,
                letter.recipient_address,
                letter.get_state_display(),
                f"{local_day(letter.approved_at):%d/%m/%Y}" if letter.approved_at else "",
                letter.signer.full_name if letter.signer else "",
                letter.get_delivery_method_display(),
                f"{timezone.localtime(letter.delivered_at):%H:%M %d/%m/%Y}"
                if letter.delivered_at
                else "",
                _("có") if letter.photo else "",
                letter.source_dossier.code if letter.source_dossier else "",
            ],
        )
    widths = (6, 6, 24, 28, 30, 22, 12, 22, 22, 16, 10, 22)
    for column, width in zip("ABCDEFGHIJKL", widths, strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    filename = f"so-theo-doi-thu-{timezone.localdate():%Y%m%d}.xlsx"
    return download_response(workbook_bytes(workbook), XLSX_CONTENT_TYPE, filename)


# --- the leader's queue ------------------------------------------------------------------


@staff_required()
def letter_queue(request):
    _view(request.user)
    can_approve = services.can_approve(request.user)
    rows = [
        {
            "letter": letter,
            "drop": DropForm(prefix=f"l{letter.pk}") if can_approve else None,
            "needs_details": texts.missing_details(letter.occasion, letter.event_details)
            and texts.BLANK in letter.body,
        }
        for letter in selectors.letter_queue(user=request.user)
    ]
    return render(request, "letters/queue.html", {"rows": rows, "can_approve": can_approve})


def _decide(request, pk: int, call, done: str):
    letter = _letter(request, pk)
    require_perm(request.user, "letters.change_letter")
    return post_decision(
        request,
        call=lambda: call(letter),
        done=done % {"name": letter.recipient_name},
        to=request.POST.get("next") or reverse("staff:letter_queue"),
    )


@staff_required(services.APPROVER_ROLES)
def letter_approve(request, pk: int):
    return _decide(
        request,
        pk,
        lambda letter: services.letter_approve(actor=request.user, letter=letter),
        _("Đã duyệt và cấp số thư gửi %(name)s."),
    )


@staff_required(services.APPROVER_ROLES)
def letter_drop(request, pk: int):
    def call(letter):
        form = DropForm(request.POST, prefix=f"l{letter.pk}")
        note = form.data.get(form.add_prefix("note"), "")
        services.letter_drop(actor=request.user, letter=letter, note=note)

    return _decide(request, pk, call, _("Đã ghi nhận không gửi thư cho %(name)s."))


# --- one letter --------------------------------------------------------------------------


def _edit_initial(letter: Letter) -> dict:
    return {
        "recipient_name": letter.recipient_name,
        "recipient_address": letter.recipient_address,
        "salutation": letter.salutation,
        "title": letter.title,
        "body": letter.body,
        "annex": letter.annex,
    }


def _details_form(letter: Letter, editable: bool, data=None):
    missing = texts.missing_details(letter.occasion, letter.event_details)
    if not (editable and missing):
        return None
    return LetterDetailsForm(data, keys=missing, prefix="d")


def _render_detail(request, letter: Letter, *, edit=None, delivery=None, details=None):
    can_approve = services.can_approve(request.user)
    editable = can_approve and letter.state == Letter.State.DRAFT
    deliverable = letter.state in (Letter.State.APPROVED, Letter.State.DELIVERED) and (
        request.user.has_perm("letters.change_letter")
    )
    context = {
        "letter": letter,
        "doc": letter_document(letter),
        "can_approve": can_approve,
        "edit": edit or (LetterEditForm(initial=_edit_initial(letter)) if editable else None),
        "drop": DropForm(prefix=f"l{letter.pk}") if editable else None,
        "details": details or _details_form(letter, editable),
        "delivery": delivery
        or (
            DeliveryForm(
                initial={
                    "delivery_method": letter.delivery_method,
                    "delivered_at": timezone.localtime(letter.delivered_at or timezone.now()),
                }
            )
            if deliverable
            else None
        ),
    }
    return render(request, "letters/detail.html", context)


@staff_required()
def letter_detail(request, pk: int):
    return _render_detail(request, _letter(request, pk))


@staff_required(services.APPROVER_ROLES)
def letter_edit(request, pk: int):
    letter = _letter(request, pk)
    require_perm(request.user, "letters.change_letter")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = LetterEditForm(request.POST)
    if form.is_valid():
        try:
            services.letter_update(actor=request.user, letter=letter, **form.cleaned_data)
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("Đã lưu dự thảo thư."))
            return redirect("staff:letter_detail", pk=letter.pk)
    return _render_detail(request, letter, edit=form)


@staff_required(services.APPROVER_ROLES)
def letter_details(request, pk: int):
    """The leader fills in what the draft lacks (the child's or the deceased's name)."""
    letter = _letter(request, pk)
    require_perm(request.user, "letters.change_letter")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = _details_form(letter, letter.state == Letter.State.DRAFT, request.POST)
    if form is None:
        return redirect("staff:letter_detail", pk=letter.pk)
    if form.is_valid():
        try:
            services.letter_fill_details(
                actor=request.user, letter=letter, details=form.cleaned_data
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("Đã điền thông tin vào thư."))
            return redirect("staff:letter_detail", pk=letter.pk)
    return _render_detail(request, letter, details=form)


@staff_required(services.DRAFTER_ROLES)
def letter_deliver(request, pk: int):
    letter = _letter(request, pk)
    require_perm(request.user, "letters.change_letter")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = DeliveryForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.letter_record_delivery(
                actor=request.user,
                letter=letter,
                method=form.cleaned_data["delivery_method"],
                delivered_at=form.cleaned_data["delivered_at"],
                photo=form.cleaned_data.get("photo"),
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("Đã ghi nhận việc gửi thư."))
            return redirect("staff:letter_detail", pk=letter.pk)
    return _render_detail(request, letter, delivery=form)


@staff_required()
def letter_photo(request, pk: int):
    """The evidence photo, only to staff of the letter's commune (not a public media URL)."""
    letter = _letter(request, pk)
    if not letter.photo:
        raise Http404
    return FileResponse(letter.photo.open("rb"))


@staff_required()
def letter_print(request, pk: int):
    letter = _letter(request, pk)
    if letter.state == Letter.State.DROPPED:
        raise Http404
    context = {
        "doc": letter_document(letter),
        "docx_url": reverse("staff:letter_docx", kwargs={"pk": letter.pk}),
        "back_url": reverse("staff:letter_detail", kwargs={"pk": letter.pk}),
        "back_label": _("Quay lại thư"),
        "print_label": _("In thư"),
    }
    return render(request, PRINT_TEMPLATE, context)


@staff_required()
def letter_docx(request, pk: int):
    letter = _letter(request, pk)
    if letter.state == Letter.State.DROPPED:
        raise Http404
    document = letter_document(letter)
    return download_response(build_docx(document), DOCX_CONTENT_TYPE, f"{document.filename}.docx")


@staff_required()
def letter_new(request):
    require_perm(request.user, "letters.add_letter")
    commune = request.user.commune
    if commune is None:
        raise Http404(_("Chỉ cán bộ của một xã lập thư."))
    form = DraftForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            letter = services.letter_draft(
                actor=request.user,
                commune=commune,
                occasion=form.cleaned_data["occasion"],
                recipient_name=form.cleaned_data["recipient_name"],
                recipient_address=form.cleaned_data["recipient_address"],
                details=form.details(),
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("Đã lập dự thảo thư; thư chờ lãnh đạo duyệt."))
            return redirect("staff:letter_detail", pk=letter.pk)
    return render(request, "letters/new.html", {"form": form})


# --- batch printing ------------------------------------------------------------------------


def _batch(request) -> list[Letter]:
    _view(request.user)
    ids = [int(value) for value in request.GET.getlist("id") if value.isdigit()]
    return list(selectors.letters_to_print(user=request.user, ids=ids))


@staff_required()
def batch_print(request):
    letters = _batch(request)
    if not letters:
        return render(request, "letters/batch_empty.html")
    docs = [letter_document(letter) for letter in letters]
    context = {
        "docs": docs,
        "doc": docs[-1],
        "earlier": docs[:-1],
        "query": request.GET.urlencode(),
    }
    return render(request, "letters/batch_print.html", context)


@staff_required()
def batch_docx(request):
    letters = _batch(request)
    if not letters:
        messages.info(request, _("Không có thư đã duyệt nào chờ in."))
        return redirect("staff:letter_batch_print")
    content = letters_docx([letter_document(letter) for letter in letters])
    filename = f"thu-da-duyet-{timezone.localdate():%Y%m%d}.docx"
    return download_response(content, DOCX_CONTENT_TYPE, filename)


# --- templates -----------------------------------------------------------------------------


@staff_required()
def template_list(request):
    require_perm(request.user, "letters.view_lettertemplate")
    commune = request.user.commune
    rows = []
    if commune is not None:
        for occasion in Occasion:
            text = texts.template_for(commune_id=commune.pk, occasion=occasion)
            rows.append({"occasion": occasion, "text": text})
    context = {"rows": rows, "can_edit": services.can_edit_templates(request.user)}
    return render(request, "letters/templates.html", context)


@staff_required(services.TEMPLATE_ROLES)
def template_edit(request):
    """Edit the commune's text of one occasion (?dip=…), with a preview on sample values."""
    require_perm(request.user, "letters.change_lettertemplate")
    commune: Commune | None = request.user.commune
    if commune is None:
        raise Http404
    occasion = request.GET.get("dip", "")
    if occasion not in Occasion.values:
        raise Http404
    current = texts.template_for(commune_id=commune.pk, occasion=occasion)
    initial = {"title": current.title, "body": current.body, "annex": current.annex}
    form = TemplateForm(request.POST or None, initial=initial, occasion=occasion)
    preview = None
    if request.method == "POST":
        action = request.POST.get("action", "preview")
        if action == "reset":
            services.template_reset(actor=request.user, commune_id=commune.pk, occasion=occasion)
            messages.success(request, _("Đã dùng lại mẫu mặc định."))
            return redirect(f"{reverse('staff:letter_template_edit')}?dip={occasion}")
        if form.is_valid():
            data = form.cleaned_data
            if action == "save":
                try:
                    services.template_save(
                        actor=request.user, commune_id=commune.pk, occasion=occasion, **data
                    )
                except ValidationError as error:
                    errors_into(form, error)
                else:
                    messages.success(request, _("Đã lưu mẫu thư của xã."))
                    return redirect(f"{reverse('staff:letter_template_edit')}?dip={occasion}")
            values = {**texts.SAMPLE_VALUES, "commune": commune.name}
            preview = {
                "title": texts.render(data["title"], values),
                "body": texts.render(data["body"], values),
                "annex": data["annex"],
            }
    context = {
        "form": form,
        "occasion": Occasion(occasion),
        "current": current,
        "english": current.body_for_language() if current.is_default else "",
        "preview": preview,
        "placeholders": texts.allowed_placeholders(occasion),
    }
    return render(request, "letters/template_edit.html", context)


# --- counts ---------------------------------------------------------------------------------


@staff_required()
def letter_counts(request):
    require_perm(request.user, "letters.view_letter_counts")
    year = request.GET.get("nam", "")
    year = int(year) if year.isdigit() else timezone.localdate().year
    rows = selectors.letter_counts(user=request.user, year=year)
    labels = dict(Letter._meta.get_field("type").choices)
    for row in rows:
        row["type_label"] = labels.get(row["type"], row["type"])
    return render(request, "letters/counts.html", {"rows": rows, "year": year})


for _name in (
    "letter_detail",
    "letter_edit",
    "letter_approve",
    "letter_drop",
    "letter_deliver",
    "letter_photo",
    "letter_print",
    "letter_docx",
    "letter_details",
):
    register_scoped_view(f"staff:{_name}", Letter._meta.label)
