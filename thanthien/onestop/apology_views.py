"""The leader's queue of apology slips (under /staff/mot-cua/xin-loi/).

Officials see the drafts the overdue watch made and the latest decisions; leaders and
administrators of the commune issue a draft (reason, new return date) or drop it with a note.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from thanthien.core import workdays
from thanthien.core.staff import register_scoped_view, require_perm, staff_required
from thanthien.onestop import apology_selectors as selectors
from thanthien.onestop import apology_services as services
from thanthien.onestop.apology_forms import ApologyDropForm, ApologyIssueForm
from thanthien.onestop.dossier_selectors import today_local
from thanthien.onestop.dossier_services import LEADER_ROLES
from thanthien.onestop.models import ApologySlip


def _can_act(user) -> bool:
    return user.has_perm("onestop.change_apologyslip") and (
        user.is_superuser or user.role in LEADER_ROLES
    )


def _prefix(slip_pk: int) -> str:
    return f"slip{slip_pk}"


def _render_queue(request, *, bound: dict | None = None):
    """The queue page; `bound` carries the submitted form of one slip to show its errors."""
    drafts = list(selectors.apology_drafts(user=request.user))
    can_act = _can_act(request.user)
    rows = []
    earliest = workdays.add_working_days(today_local(), 1) if can_act and drafts else None
    for slip in drafts:
        row = {"slip": slip}
        if can_act:
            prefix = _prefix(slip.pk)
            row["issue"] = ApologyIssueForm(
                prefix=prefix, earliest=earliest, initial={"new_due_date": earliest}
            )
            row["drop"] = ApologyDropForm(prefix=prefix)
            if bound and bound.get("pk") == slip.pk:
                row[bound["which"]] = bound["form"]
        rows.append(row)
    context = {
        "rows": rows,
        "recent": selectors.apology_recent_decided(user=request.user),
        "can_act": can_act,
    }
    return render(request, "onestop/desk/apologies.html", context)


@staff_required()
def apology_list(request):
    require_perm(request.user, "onestop.view_apologyslip")
    return _render_queue(request)


def _error_into(form, error: ValidationError) -> None:
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _decide(request, pk: int, *, which: str, form_class, call, done: str):
    """POST only: load the user's slip (404 for another commune's), parse, call the service."""
    require_perm(request.user, "onestop.change_apologyslip")
    slip = get_object_or_404(
        ApologySlip.objects.visible_to(request.user).select_related("dossier"), pk=pk
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    kwargs = {"prefix": _prefix(slip.pk)}
    if which == "issue":
        kwargs["earliest"] = workdays.add_working_days(today_local(), 1)
    form = form_class(request.POST, **kwargs)
    if form.is_valid():
        try:
            call(slip, form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                # Already issued or dropped by someone else: the slip has left the queue.
                for message in error.messages:
                    messages.error(request, message)
                return redirect("staff:apology_list")
            _error_into(form, error)
        else:
            messages.success(request, done % {"code": slip.dossier.code})
            return redirect("staff:apology_list")
    bound = {"pk": slip.pk, "which": which, "form": form}
    return _render_queue(request, bound=bound)


@staff_required(LEADER_ROLES)
def apology_issue(request, pk: int):
    def call(slip, data):
        services.apology_issue(
            actor=request.user,
            slip=slip,
            reason=data["reason"],
            new_due_date=data["new_due_date"],
        )

    return _decide(
        request,
        pk,
        which="issue",
        form_class=ApologyIssueForm,
        call=call,
        done=_("Đã ban hành phiếu xin lỗi cho hồ sơ %(code)s và gửi tin nhắn xin lỗi người nộp."),
    )


@staff_required(LEADER_ROLES)
def apology_drop(request, pk: int):
    def call(slip, data):
        services.apology_drop(actor=request.user, slip=slip, note=data["note"])

    return _decide(
        request,
        pk,
        which="drop",
        form_class=ApologyDropForm,
        call=call,
        done=_("Đã ghi nhận không ban hành phiếu xin lỗi cho hồ sơ %(code)s."),
    )


register_scoped_view("staff:apology_issue", ApologySlip._meta.label)
register_scoped_view("staff:apology_drop", ApologySlip._meta.label)
