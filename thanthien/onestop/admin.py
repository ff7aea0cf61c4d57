from django.contrib import admin

from thanthien.core.admin import CommuneScopedAdmin
from thanthien.onestop.models import Procedure, ProcedureField, RequiredDocument


@admin.register(ProcedureField)
class ProcedureFieldAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "order"]
    list_editable = ["order"]
    search_fields = ["name", "name_en", "code"]


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    extra = 1
    fields = ["order", "name", "copies", "original_required", "note"]


@admin.register(Procedure)
class ProcedureAdmin(CommuneScopedAdmin):
    list_display = [
        "code",
        "name",
        "field",
        "processing_days",
        "fee_amount",
        "online_level",
        "is_active",
    ]
    list_filter = ["field", "online_level", "is_active", "postal_return"]
    search_fields = ["code", "name", "search_name"]
    list_select_related = ["field", "commune"]
    inlines = [RequiredDocumentInline]


import thanthien.onestop.admin_volunteers  # noqa: E402,F401
from thanthien.onestop import admin_dossiers  # noqa: E402,F401
