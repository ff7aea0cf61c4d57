"""Admin of complaints, denunciations and the reception register: read-only lists for the
commune administrator. Every write goes through complaint_services / reception_services.

The admin reads complaints through complaint_selectors (the same visibility rule as the
staff pages) and never shows a denouncer's person fields unless the reader is assigned.
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from thanthien.core.admin import ReadOnlyCommuneScopedAdmin
from thanthien.feedback import complaint_selectors
from thanthien.feedback.complaints import Complaint, ComplaintExtension
from thanthien.feedback.reception import ReceptionBooking, ReceptionVisit

PERSON_FIELDS = (*complaint_selectors.IDENTITY_FIELDS, "hamlet")


@admin.register(Complaint)
class ComplaintAdmin(ReadOnlyCommuneScopedAdmin):
    list_display = ("code", "kind", "received_on", "person", "status", "resolve_due", "commune")
    list_filter = ("kind", "status", "round", "is_complex")
    search_fields = ("code", "subject")
    date_hierarchy = "received_on"
    exclude = (*PERSON_FIELDS, "assignees")
    readonly_fields = ("person", "person_contact")

    def get_queryset(self, request):
        return complaint_selectors.complaints_for(user=request.user)

    @staticmethod
    def _shown(obj) -> bool:
        # Rows come from complaints_for(), annotated with whether the reader is assigned.
        return obj.kind != Complaint.Kind.DENUNCIATION or bool(getattr(obj, "is_assigned", False))

    @admin.display(description=_("người khiếu nại, tố cáo"))
    def person(self, obj):
        return obj.person_name if self._shown(obj) else complaint_selectors.CONFIDENTIAL

    @admin.display(description=_("địa chỉ, liên hệ"))
    def person_contact(self, obj):
        if not self._shown(obj):
            return complaint_selectors.CONFIDENTIAL
        parts = (obj.person_address, obj.person_phone, obj.person_id_number)
        return " · ".join(part for part in parts if part)


@admin.register(ComplaintExtension)
class ComplaintExtensionAdmin(ReadOnlyCommuneScopedAdmin):
    list_display = ("complaint", "stage", "days", "previous_due", "new_due", "decided_on")
    list_select_related = ("complaint",)


@admin.register(ReceptionBooking)
class ReceptionBookingAdmin(ReadOnlyCommuneScopedAdmin):
    list_display = ("code", "date", "slot", "position", "name", "source", "status", "commune")
    list_filter = ("status", "source")
    search_fields = ("code", "name")
    date_hierarchy = "date"
    list_select_related = ("slot", "commune")


@admin.register(ReceptionVisit)
class ReceptionVisitAdmin(ReadOnlyCommuneScopedAdmin):
    list_display = ("number", "year", "visited_at", "citizen_name", "kind", "outcome", "commune")
    list_filter = ("year", "kind", "outcome")
    search_fields = ("citizen_name", "matter")
    list_select_related = ("commune",)
