"""Staff pages of the one-stop desk: receive a dossier, find it, move it, print its receipt.

Views parse the request, call one service and render; the services check every move.
"""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from thanthien.core.staff import register_scoped_view, staff_required
from thanthien.onestop import dossier_selectors as selectors
from thanthien.onestop import dossier_services as services
from thanthien.onestop import slip_views
from thanthien.onestop.desk_forms import (
    DossierReceiveForm,
    HandoverForm,
    NoteForm,
    ReasonForm,
    RescheduleForm,
    SupplementForm,
)
from thanthien.onestop.models import Dossier, DossierAction, DossierSupplement
from thanthien.onestop.permissions import DESK_ROLES
from thanthien.onestop.volunteer_selectors import on_duty

PAGE_SIZE = 30
JUST_RECEIVED = "vua-tiep-nhan"


def _require(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied


def _error_messages(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [str(m) for messages_ in error.message_dict.values() for m in messages_]
    return [str(m) for m in error.messages]


@staff_required(DESK_ROLES)
def desk_receive(request):
    _require(request.user, "onestop.add_dossier")
    if request.method == "POST":
        form = DossierReceiveForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                dossier = services.dossier_receive(actor=request.user, **form.service_kwargs())
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    for field, errors in error.error_dict.items():
                        form.add_error(field if field in form.fields else None, errors)
                else:
                    form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _("Đã tiếp nhận hồ sơ số %(code)s, hẹn trả ngày %(due)s.")
                    % {"code": dossier.code, "due": f"{dossier.due_date:%d/%m/%Y}"},
                )
                return redirect(f"{dossier.get_absolute_url()}?{JUST_RECEIVED}=1")
    else:
        form = DossierReceiveForm(user=request.user)
    procedures = [
        selectors.procedure_choice_label(p)
        for p in selectors.procedures_for_desk(user=request.user)
    ]
    # The union members and volunteers who welcome residents today (S1).
    volunteers = on_duty(commune=request.user.commune_id, day=selectors.today_local())
    context = {"form": form, "procedures": procedures, "on_duty": volunteers}
    return render(request, "onestop/desk/receive.html", context)


@staff_required()
def dossier_list(request):
    _require(request.user, "onestop.view_dossier")
    query = request.GET.get("q", "").strip()
    state = request.GET.get("state", "")
    timeliness = request.GET.get("timeliness", "")
    dossiers = selectors.dossier_list(
        user=request.user, query=query, state=state, timeliness_value=timeliness
    )
    context = {
        "page": Paginator(dossiers, PAGE_SIZE).get_page(request.GET.get("page")),
        "query": query,
        "state": state,
        "timeliness": timeliness,
        "states": Dossier.State.choices,
        "timeliness_choices": list(selectors.TIMELINESS_LABELS.items()),
        "labels": selectors.TIMELINESS_LABELS,
        "can_receive": request.user.has_perm("onestop.add_dossier")
        and (request.user.is_superuser or request.user.role in DESK_ROLES),
    }
    return render(request, "onestop/desk/list.html", context)


def _move_forms(dossier: Dossier, allowed: list[str]) -> dict:
    forms = {}
    if DossierAction.HANDOVER in allowed:
        forms["handover"] = HandoverForm(dossier=dossier, prefix="handover")
    if DossierAction.REQUEST_SUPPLEMENT in allowed:
        forms["supplement"] = SupplementForm(dossier=dossier, prefix="supplement")
    if DossierAction.RESCHEDULE in allowed and dossier.rescheduled_at is None:
        forms["reschedule"] = RescheduleForm(prefix="reschedule")
    for action in (DossierAction.REFUSE, DossierAction.WITHDRAW):
        if action in allowed:
            forms[action] = ReasonForm(prefix=action)
    return forms


@staff_required()
def dossier_detail(request, pk: int):
    _require(request.user, "onestop.view_dossier")
    dossier = selectors.dossier_for_page(user=request.user, pk=pk)
    can_move = request.user.has_perm("onestop.change_dossier") and (
        request.user.is_superuser or request.user.role in DESK_ROLES
    )
    allowed = dossier.allowed_actions() if can_move else []
    context = {
        "dossier": dossier,
        "allowed": allowed,
        "forms": _move_forms(dossier, allowed),
        "timeliness": selectors.timeliness(dossier),
        "timeliness_original": selectors.timeliness(dossier, against="original"),
        "labels": selectors.TIMELINESS_LABELS,
        "just_received": request.GET.get(JUST_RECEIVED) == "1",
    }
    return render(request, "onestop/desk/detail.html", context)


@staff_required()
def dossier_receipt(request, pk: int):
    # Form 01 shares its content builder with its DOCX (slip_views, slips.receipt_slip).
    return slip_views.receipt_page(request, pk=pk)


def _handle_move(request, pk: int, form_class, call: Callable, *, form_kwargs=None) -> object:
    """POST only: load the user's dossier (404 for another commune's), parse, call, redirect."""
    _require(request.user, "onestop.change_dossier")
    dossier = get_object_or_404(
        Dossier.objects.visible_to(request.user).select_related("commune", "procedure"), pk=pk
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = form_class(request.POST, **(form_kwargs(dossier) if form_kwargs else {}))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(dossier.get_absolute_url())
    try:
        call(dossier, form)
    except ValidationError as error:
        for message in _error_messages(error):
            messages.error(request, message)
    else:
        messages.success(request, _("Đã cập nhật hồ sơ %(code)s.") % {"code": dossier.code})
    return redirect(reverse("staff:dossier_detail", kwargs={"pk": dossier.pk}))


@staff_required(DESK_ROLES)
def dossier_handover(request, pk: int):
    def call(dossier, form):
        services.dossier_handover(actor=request.user, dossier=dossier, **form.cleaned_data)

    return _handle_move(
        request,
        pk,
        HandoverForm,
        call,
        form_kwargs=lambda dossier: {"dossier": dossier, "prefix": "handover"},
    )


@staff_required(DESK_ROLES)
def dossier_request_supplement(request, pk: int):
    def call(dossier, form):
        services.dossier_request_supplement(
            actor=request.user, dossier=dossier, items=form.items(), note=form.cleaned_data["note"]
        )

    return _handle_move(
        request,
        pk,
        SupplementForm,
        call,
        form_kwargs=lambda dossier: {"dossier": dossier, "prefix": "supplement"},
    )


@staff_required(DESK_ROLES)
def dossier_complete_supplement(request, pk: int):
    def call(dossier, form):
        services.dossier_complete_supplement(
            actor=request.user, dossier=dossier, note=form.cleaned_data["note"]
        )

    return _handle_move(request, pk, NoteForm, call)


@staff_required(DESK_ROLES)
def dossier_refuse(request, pk: int):
    def call(dossier, form):
        services.dossier_refuse(
            actor=request.user, dossier=dossier, reason=form.cleaned_data["reason"]
        )

    return _handle_move(
        request, pk, ReasonForm, call, form_kwargs=lambda dossier: {"prefix": "refuse"}
    )


@staff_required(DESK_ROLES)
def dossier_withdraw(request, pk: int):
    def call(dossier, form):
        services.dossier_withdraw(
            actor=request.user, dossier=dossier, reason=form.cleaned_data["reason"]
        )

    return _handle_move(
        request, pk, ReasonForm, call, form_kwargs=lambda dossier: {"prefix": "withdraw"}
    )


@staff_required(DESK_ROLES)
def dossier_result_ready(request, pk: int):
    def call(dossier, form):
        services.dossier_result_ready(
            actor=request.user, dossier=dossier, note=form.cleaned_data["note"]
        )

    return _handle_move(request, pk, NoteForm, call)


@staff_required(DESK_ROLES)
def dossier_return(request, pk: int):
    def call(dossier, form):
        services.dossier_return(actor=request.user, dossier=dossier, note=form.cleaned_data["note"])

    return _handle_move(request, pk, NoteForm, call)


@staff_required(DESK_ROLES)
def dossier_reschedule(request, pk: int):
    def call(dossier, form):
        services.dossier_reschedule(actor=request.user, dossier=dossier, **form.cleaned_data)

    return _handle_move(
        request, pk, RescheduleForm, call, form_kwargs=lambda dossier: {"prefix": "reschedule"}
    )


@staff_required()
def supplement_review_list(request):
    _require(request.user, "onestop.view_dossiersupplement")
    supplements = selectors.supplements_for_leader(user=request.user)
    context = {
        "page": Paginator(supplements, PAGE_SIZE).get_page(request.GET.get("page")),
        "can_review": request.user.is_superuser or request.user.role in services.LEADER_ROLES,
    }
    return render(request, "onestop/desk/review_list.html", context)


@staff_required(services.LEADER_ROLES)
def supplement_review(request, pk: int):
    _require(request.user, "onestop.change_dossiersupplement")
    supplement = get_object_or_404(
        selectors.supplements_for_leader(user=request.user).select_related("dossier__commune"),
        pk=pk,
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = NoteForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.dossier_supplement_review(actor=request.user, supplement=supplement, note=note)
    except ValidationError as error:
        for message in _error_messages(error):
            messages.error(request, message)
    else:
        messages.success(
            request, _("Đã ghi nhận ý kiến về hồ sơ %(code)s.") % {"code": supplement.dossier.code}
        )
    return redirect("staff:supplement_review_list")


for _name in (
    "dossier_detail",
    "dossier_receipt",
    "dossier_handover",
    "dossier_request_supplement",
    "dossier_complete_supplement",
    "dossier_refuse",
    "dossier_withdraw",
    "dossier_result_ready",
    "dossier_return",
    "dossier_reschedule",
):
    register_scoped_view(f"staff:{_name}", "onestop.Dossier")
register_scoped_view("staff:supplement_review", DossierSupplement._meta.label)
