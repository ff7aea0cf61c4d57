"""Staff pages of the volunteers' duty roster at the desk: the week, adding, removing, printing.

Under /staff/mot-cua/lich-truc/. Everyone at the desk reads the roster; the commune
administrator and leaders change it (the services check again).
"""

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from thanthien.core import tenancy
from thanthien.core.staff import register_scoped_view, require_perm, staff_required
from thanthien.onestop import volunteer_selectors as selectors
from thanthien.onestop import volunteer_services as services
from thanthien.onestop.dossier_selectors import today_local
from thanthien.onestop.models import VolunteerShift
from thanthien.onestop.selectors import shows_several_communes
from thanthien.onestop.volunteer_forms import ShiftAddForm
from thanthien.places.models import Commune

WEEK = timedelta(days=7)
COMMUNE_PARAM = "xa"
WEEK_PARAM = "tuan"

register_scoped_view("staff:volunteer_shift_remove", "onestop.VolunteerShift")


def _commune(request, data) -> Commune:
    """The user's own commune, or the one a province user picked among those they see."""
    communes = tenancy.visible_communes(request.user).order_by("name", "pk")
    user = request.user
    if user.commune_id and tenancy.can_see_commune(user, user.commune_id):
        commune = communes.filter(pk=user.commune_id).first()
    else:
        chosen = data.get(COMMUNE_PARAM, "")
        commune = (communes.filter(pk=chosen) if chosen.isdigit() else communes).first()
    if commune is None:
        raise Http404
    return commune


def _week(data) -> date:
    try:
        day = date.fromisoformat(data.get(WEEK_PARAM, ""))
    except ValueError:
        day = today_local()
    return selectors.week_start_of(day)


def _roster_url(commune: Commune, week_start: date, name: str = "staff:volunteer_roster") -> str:
    query = {WEEK_PARAM: week_start.isoformat(), COMMUNE_PARAM: commune.pk}
    return f"{reverse(name)}?{urlencode(query)}"


def _context(request, commune: Commune, week_start: date, form=None) -> dict:
    can_manage = services.can_manage_roster(request.user, commune.pk)
    today = today_local()
    days = selectors.week_roster(commune=commune, week_start=week_start)
    if can_manage and form is None:
        # The first working day of the week shown that is not past yet, if any.
        first_open = next((d.day for d in days if d.is_working and d.day >= today), None)
        form = ShiftAddForm(
            volunteers=selectors.active_volunteers(commune=commune), initial={"day": first_open}
        )
    several = shows_several_communes(request.user)
    return {
        "commune": commune,
        "communes": tenancy.visible_communes(request.user).order_by("name") if several else [],
        "week_start": week_start,
        "week_end": week_start + timedelta(days=6),
        "days": days,
        "today": today,
        "prev_url": _roster_url(commune, week_start - WEEK),
        "next_url": _roster_url(commune, week_start + WEEK),
        "this_week_url": _roster_url(commune, selectors.week_start_of(today_local())),
        "print_url": _roster_url(commune, week_start, "staff:volunteer_roster_print"),
        "can_manage": can_manage,
        "can_remove": can_manage and request.user.has_perm("onestop.delete_volunteershift"),
        "form": form if can_manage else None,
    }


def _roster_week(request, template: str):
    require_perm(request.user, "onestop.view_volunteershift")
    commune = _commune(request, request.GET)
    return render(request, template, _context(request, commune, _week(request.GET)))


@staff_required()
def volunteer_roster(request):
    return _roster_week(request, "onestop/volunteers/roster.html")


@staff_required()
def volunteer_roster_print(request):
    return _roster_week(request, "onestop/volunteers/roster_print.html")


@staff_required(services.MANAGER_ROLES)
def volunteer_shift_add(request):
    require_perm(request.user, "onestop.add_volunteershift")
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    commune = _commune(request, request.POST)
    form = ShiftAddForm(request.POST, volunteers=selectors.active_volunteers(commune=commune))
    if form.is_valid():
        data = form.cleaned_data
        try:
            shift = services.shift_add(
                actor=request.user,
                commune=commune,
                volunteer=data["volunteer"],
                day=data["day"],
                period=data["period"],
                task=data["task"],
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("Đã xếp %(name)s trực ngày %(day)s (%(period)s).")
                % {
                    "name": shift.volunteer.name,
                    "day": f"{shift.day:%d/%m/%Y}",
                    "period": shift.get_period_display().lower(),
                },
            )
            return redirect(_roster_url(commune, selectors.week_start_of(shift.day)))
    day = form.cleaned_data.get("day")
    week_start = selectors.week_start_of(day) if day else _week(request.POST)
    context = _context(request, commune, week_start, form=form)
    return render(request, "onestop/volunteers/roster.html", context, status=400)


@staff_required(services.MANAGER_ROLES)
def volunteer_shift_remove(request, pk: int):
    require_perm(request.user, "onestop.delete_volunteershift")
    shift = get_object_or_404(
        VolunteerShift.objects.visible_to(request.user).select_related("volunteer", "commune"),
        pk=pk,
    )
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    services.shift_remove(actor=request.user, shift=shift)
    messages.success(
        request,
        _("Đã bỏ lịch trực của %(name)s ngày %(day)s.")
        % {"name": shift.volunteer.name, "day": f"{shift.day:%d/%m/%Y}"},
    )
    return redirect(_roster_url(shift.commune, selectors.week_start_of(shift.day)))
