"""Writes to the volunteers' duty roster at the desk (requirement S1)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from thanthien.core import workdays
from thanthien.core.staff import can_act_in_commune
from thanthien.onestop.models import Volunteer, VolunteerShift
from thanthien.people.roles import Role
from thanthien.places.models import Commune

# Leaders and the commune administrator draw up the roster.
MANAGER_ROLES = frozenset({Role.COMMUNE_ADMIN, Role.COMMUNE_LEADER})
Period = VolunteerShift.Period


def can_manage_roster(user, commune_id: int | None) -> bool:
    return can_act_in_commune(
        user, commune_id, roles=MANAGER_ROLES, perm="onestop.add_volunteershift"
    )


def _require_manager(actor, commune_id: int, perm: str) -> None:
    if not (can_manage_roster(actor, commune_id) and actor.has_perm(perm)):
        raise PermissionDenied(_("Bạn không có quyền sắp xếp lịch trực của xã này."))


def _day_text(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def shift_check(
    *,
    commune: Commune,
    volunteer: Volunteer,
    day: date,
    period: str,
    exclude_pk: int | None = None,
) -> None:
    """Raise a ValidationError (by field) unless the turn can be added to the roster."""
    errors: dict[str, str] = {}
    if volunteer.commune_id != commune.pk:
        errors["volunteer"] = _("%(name)s không phải tình nguyện viên của %(commune)s.") % {
            "name": volunteer.name,
            "commune": commune.name,
        }
    elif not volunteer.active:
        errors["volunteer"] = _("%(name)s đã thôi tham gia, không xếp lịch trực được.") % {
            "name": volunteer.name
        }
    if period not in Period.values:
        errors["period"] = _("Chọn buổi sáng, buổi chiều hoặc cả ngày.")
    if not workdays.is_working_day(day):
        errors["day"] = _(
            "Ngày %(day)s là ngày nghỉ (cuối tuần hoặc ngày lễ); chỉ xếp lịch trực vào ngày "
            "làm việc."
        ) % {"day": _day_text(day)}
    if not errors:
        taken = VolunteerShift.objects.filter(volunteer=volunteer, day=day).exclude(pk=exclude_pk)
        if period != Period.FULL_DAY:
            taken = taken.filter(period__in=[period, Period.FULL_DAY])
        clash = taken.first()
        if clash is not None:
            errors["period"] = _("%(name)s đã có lịch trực ngày %(day)s (%(period)s).") % {
                "name": volunteer.name,
                "day": _day_text(day),
                "period": clash.get_period_display().lower(),
            }
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def shift_add(
    *,
    actor,
    commune: Commune,
    volunteer: Volunteer,
    day: date,
    period: str = Period.MORNING,
    task: str = "",
) -> VolunteerShift:
    """Put a volunteer on the desk's roster for a working day, morning, afternoon or all day."""
    _require_manager(actor, commune.pk, "onestop.add_volunteershift")
    shift_check(commune=commune, volunteer=volunteer, day=day, period=period)
    shift = VolunteerShift(
        commune=commune, volunteer=volunteer, day=day, period=period, task=" ".join(task.split())
    )
    shift.full_clean(validate_unique=False, validate_constraints=False)
    try:
        with transaction.atomic():
            shift.save()
    except IntegrityError as exc:
        # The same turn added twice at the same moment: the first one won.
        raise ValidationError(
            {
                "period": _("%(name)s đã có lịch trực ngày %(day)s.")
                % {"name": volunteer.name, "day": _day_text(day)}
            }
        ) from exc
    return shift


@transaction.atomic
def shift_remove(*, actor, shift: VolunteerShift) -> None:
    """Take a turn off the roster."""
    _require_manager(actor, shift.commune_id, "onestop.delete_volunteershift")
    shift.delete()
