"""Admin of ceremonies, contributors and yearly meetings: read-only lists for the commune
administrator (every write goes through ceremony_services / contributor_services, which check
the commune, the role and the state)."""

from django.contrib import admin

from thanthien.core.admin import CommuneScopedAdmin
from thanthien.letters.ceremonies import Ceremony
from thanthien.letters.contributors import Contribution, Contributor, YearlyMeeting


class ReadOnlyAdmin(CommuneScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Ceremony)
class CeremonyAdmin(ReadOnlyAdmin):
    list_display = ("starts_at", "kind", "recipient_name", "state", "commune")
    list_filter = ("kind", "state")
    search_fields = ("recipient_name",)


@admin.register(Contributor)
class ContributorAdmin(ReadOnlyAdmin):
    list_display = ("name", "kind", "is_organisation", "commune")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ("date", "contributor", "description", "value_dong", "commune")


@admin.register(YearlyMeeting)
class YearlyMeetingAdmin(ReadOnlyAdmin):
    list_display = ("year", "held_at", "place", "commune")
