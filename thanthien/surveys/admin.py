from django.contrib import admin

from thanthien.core.admin import CommuneScopedAdmin
from thanthien.surveys.models import Counter


@admin.register(Counter)
class CounterAdmin(CommuneScopedAdmin):
    list_display = ("number", "name", "office", "is_active", "commune")
    list_filter = ("is_active",)
    search_fields = ("name",)
