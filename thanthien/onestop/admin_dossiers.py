"""Read-mostly admin for dossiers: states change only through the desk's services."""

from django.contrib import admin

from thanthien.core.admin import CommuneScopedAdmin
from thanthien.onestop.models import Dossier, DossierEvent, DossierSupplement


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DossierEventInline(_ReadOnlyInline):
    model = DossierEvent
    fields = readonly_fields = [
        "at",
        "kind",
        "actor",
        "from_state",
        "to_state",
        "from_official",
        "to_official",
        "step_due_date",
        "step_result",
        "note",
    ]


class DossierSupplementInline(_ReadOnlyInline):
    model = DossierSupplement
    fields = readonly_fields = [
        "requested_at",
        "items",
        "unlisted_items",
        "needs_leader_review",
        "completed_at",
        "reviewed_at",
        "review_note",
    ]


@admin.register(Dossier)
class DossierAdmin(CommuneScopedAdmin):
    list_display = [
        "code",
        "applicant_name",
        "procedure",
        "received_at",
        "due_date",
        "state",
        "commune",
    ]
    list_filter = ["state", "channel", "return_method"]
    search_fields = ["code", "applicant_name", "applicant_phone"]
    list_select_related = ["procedure", "commune"]
    date_hierarchy = "received_at"
    inlines = [DossierEventInline, DossierSupplementInline]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
