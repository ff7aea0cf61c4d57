"""Admin for the desk's volunteers and their roster (kept within the user's communes)."""

from django import forms
from django.contrib import admin

from thanthien.core.admin import CommuneScopedAdmin
from thanthien.onestop.models import Volunteer, VolunteerShift
from thanthien.onestop.volunteer_services import shift_check


@admin.register(Volunteer)
class VolunteerAdmin(CommuneScopedAdmin):
    list_display = ["name", "organisation", "phone", "active", "commune"]
    list_filter = ["organisation", "active"]
    search_fields = ["name", "phone"]
    list_select_related = ["commune"]


class VolunteerShiftAdminForm(forms.ModelForm):
    """The roster's rules (same commune, active, working day, no double turn) apply here too."""

    class Meta:
        model = VolunteerShift
        fields = ["commune", "volunteer", "day", "period", "task"]

    def clean(self):
        data = super().clean()
        commune, volunteer = data.get("commune"), data.get("volunteer")
        day, period = data.get("day"), data.get("period")
        if commune and volunteer and day and period:
            shift_check(
                commune=commune,
                volunteer=volunteer,
                day=day,
                period=period,
                exclude_pk=self.instance.pk,
            )
        return data


@admin.register(VolunteerShift)
class VolunteerShiftAdmin(CommuneScopedAdmin):
    form = VolunteerShiftAdminForm
    list_display = ["day", "period", "volunteer", "task", "commune"]
    list_filter = ["period"]
    search_fields = ["volunteer__name", "task"]
    list_select_related = ["volunteer", "commune"]
    date_hierarchy = "day"
