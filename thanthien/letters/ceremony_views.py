"""Staff pages of ceremonies and visits, under /staff/thu/le-tham-hoi/.

The month's calendar (a grid on a wide screen, a list on a phone; no JavaScript), one
ceremony with its letters and photos, planning and editing (leaders, administrators),
recording what happened (any official of the commune), cancelling. Rows are loaded through
the user's communes: another commune's ceremony answers 404.
"""

from datetime import date

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.core.forms import errors_into
from thanthien.core.staff import (
    post_decision,
    register_scoped_view,
    require_perm,
    scoped_or_404,
    staff_required,
)
from thanthien.letters import ceremony_selectors as selectors
from thanthien.letters import ceremony_services as services
from thanthien.letters.ceremonies import Ceremony, CeremonyPhoto
from thanthien.letters.ceremony_forms import CancelForm, CeremonyForm, RecordForm
from thanthien.onestop.dossier_selectors import local_day


def _ceremony(request, pk: int) -> Ceremony:
    queryset = selectors.ceremony_detail(user=request.user)
    return scoped_or_404(request.user, queryset, pk, perm="letters.view_ceremony")


def _month(value: str) -> date:
    """ "2025-03" -> 1 March 2025; anything else: this month."""
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except (ValueError, TypeError):
        return local_day(timezone.now()).replace(day=1)


def _shift(month: date, months: int) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


@staff_required()
def ceremony_calendar(request):
    require_perm(request.user, "letters.view_ceremony")
    month = _month(request.GET.get("thang", ""))
    ceremonies = list(selectors.ceremonies_in_month(user=request.user, month=month))
    context = {
        "month": month,
        "previous": _shift(month, -1),
        "next": _shift(month, 1),
        "weeks": selectors.calendar_weeks(month=month, ceremonies=ceremonies),
        "ceremonies": ceremonies,
        "can_manage": services.can_manage(request.user),
    }
    return render(request, "letters/ceremonies/calendar.html", context)


def _form_data(form) -> dict:
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "starts_at": data["starts_at"],
        "place": data["place"],
        "recipient_name": data["recipient_name"],
        "recipient_address": data["recipient_address"],
        "hamlet": data["hamlet"],
        "officials": list(data["officials"]),
        "letters": list(data["letters"]),
    }


@staff_required(services.MANAGER_ROLES)
def ceremony_new(request):
    require_perm(request.user, "letters.add_ceremony")
    commune = request.user.commune
    if commune is None:
        raise Http404(_("Chỉ cán bộ của một xã lên lịch lễ trao, thăm hỏi."))
    form = CeremonyForm(request.POST or None, commune_id=commune.pk)
    if request.method == "POST" and form.is_valid():
        try:
            ceremony = services.ceremony_plan(
                actor=request.user, commune=commune, **_form_data(form)
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("Đã đưa vào lịch lễ trao, thăm hỏi."))
            return redirect("staff:ceremony_detail", pk=ceremony.pk)
    return render(request, "letters/ceremonies/form.html", {"form": form, "ceremony": None})


@staff_required()
def ceremony_detail(request, pk: int):
    ceremony = _ceremony(request, pk)
    can_manage = services.can_manage(request.user, ceremony.commune_id)
    can_record = services.can_record(request.user, ceremony.commune_id)
    context = {
        "ceremony": ceremony,
        "can_manage": can_manage and ceremony.state == Ceremony.State.PLANNED,
        "can_record": can_record and ceremony.state != Ceremony.State.CANCELLED,
        "cancel": CancelForm() if can_manage and ceremony.state == Ceremony.State.PLANNED else None,
    }
    return render(request, "letters/ceremonies/detail.html", context)


@staff_required(services.MANAGER_ROLES)
def ceremony_edit(request, pk: int):
    ceremony = _ceremony(request, pk)
    require_perm(request.user, "letters.change_ceremony")
    if ceremony.state != Ceremony.State.PLANNED:
        messages.error(request, _("Chỉ sửa được lễ trao, thăm hỏi đang lên lịch."))
        return redirect("staff:ceremony_detail", pk=ceremony.pk)
    initial = {
        "kind": ceremony.kind,
        "starts_at": timezone.localtime(ceremony.starts_at),
        "place": ceremony.place,
        "recipient_name": ceremony.recipient_name,
        "recipient_address": ceremony.recipient_address,
        "hamlet": ceremony.hamlet_id,
        "officials": [o.pk for o in ceremony.officials.all()],
        "letters": [letter.pk for letter in ceremony.letters.all()],
    }
    form = CeremonyForm(
        request.POST or None,
        initial=initial,
        commune_id=ceremony.commune_id,
        ceremony_id=ceremony.pk,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.ceremony_update(actor=request.user, ceremony=ceremony, **_form_data(form))
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("Đã lưu lễ trao, thăm hỏi."))
            return redirect("staff:ceremony_detail", pk=ceremony.pk)
    return render(request, "letters/ceremonies/form.html", {"form": form, "ceremony": ceremony})


@staff_required(services.RECORDER_ROLES)
def ceremony_record(request, pk: int):
    ceremony = _ceremony(request, pk)
    require_perm(request.user, "letters.record_ceremony")
    initial = {
        "done_at": timezone.localtime(ceremony.done_at or min(ceremony.starts_at, timezone.now())),
        "officials": [o.pk for o in ceremony.officials.all()],
        "outcome": ceremony.outcome,
    }
    form = RecordForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        commune_id=ceremony.commune_id,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.ceremony_record_done(
                actor=request.user,
                ceremony=ceremony,
                done_at=data["done_at"],
                outcome=data["outcome"],
                officials=list(data["officials"]),
                photos=data["photos"],
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("Đã ghi nhận kết quả lễ trao, thăm hỏi."))
            return redirect("staff:ceremony_detail", pk=ceremony.pk)
    return render(request, "letters/ceremonies/record.html", {"form": form, "ceremony": ceremony})


@staff_required(services.MANAGER_ROLES)
def ceremony_cancel(request, pk: int):
    ceremony = _ceremony(request, pk)
    require_perm(request.user, "letters.change_ceremony")

    def call():
        form = CancelForm(request.POST)
        reason = form.data.get("reason", "")
        services.ceremony_cancel(actor=request.user, ceremony=ceremony, reason=reason)

    return post_decision(
        request,
        call=call,
        done=_("Đã hủy lễ trao, thăm hỏi."),
        to=reverse("staff:ceremony_detail", kwargs={"pk": ceremony.pk}),
    )


@staff_required()
def ceremony_photo(request, pk: int):
    """A ceremony's photo, only to staff of its commune (not a public media URL)."""
    queryset = CeremonyPhoto.objects.visible_to(request.user)
    photo = scoped_or_404(request.user, queryset, pk, perm="letters.view_ceremonyphoto")
    return FileResponse(photo.image.open("rb"))


for _name in (
    "ceremony_detail",
    "ceremony_edit",
    "ceremony_record",
    "ceremony_cancel",
):
    register_scoped_view(f"staff:{_name}", Ceremony._meta.label)
register_scoped_view("staff:ceremony_photo", CeremonyPhoto._meta.label)
