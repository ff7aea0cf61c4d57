"""Admin of ceremonies, contributors and yearly meetings: read-only lists for the commune
administrator (every write goes through ceremony_services / contributor_services, which check
the commune, the role and the state)."""

from django.contrib import admin

from thanthien.core.admin import ReadOnlyCommuneScopedAdmin
from thanthien.letters.ceremonies import Ceremony
from thanthien.letters.contributors import Contribution, Contributor, YearlyMeeting


@admin.register(Ceremony)
class CeremonyAdmin(ReadOnlyCommuneScopedAdmin):
    list_display = ("starts_at", "kind", "recipient_name", "state", "commune")
    list_filter = ("kind", "state")
    search_fields = ("recipient_name",)


@admin.register(Contributor)
class ContributorAdmin(ReadOnlyCommuneScopedAdmin):
    list_display = ("name", "kind", "is_organisation", "commune")
    list_filter = ("kind",)
    search_fields = ("name",)


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyCommuneScopedAdmin):
    list_display = ("date", "contributor", "description", "value_dong", "commune")


@admin.register(YearlyMeeting)
class YearlyMeetingAdmin(ReadOnlyCommuneScopedAdmin):
    list_display = ("year", "held_at", "place", "commune")
