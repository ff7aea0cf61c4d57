"""Admin building blocks that keep every commune inside its own data."""

from django.contrib import admin
from django.http import Http404

from thanthien.core import tenancy
from thanthien.core.models import WorkdayOverride


class CommuneScopedAdmin(admin.ModelAdmin):
    """A ModelAdmin whose lists, forms and object pages stay within the user's communes.

    `commune_field` is the lookup path from the model to its commune.
    """

    commune_field = "commune"

    def get_queryset(self, request):
        return tenancy.scope(super().get_queryset(request), request.user, self.commune_field)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Another commune's object looks exactly like one that does not exist.
        raise Http404

    def _single_commune(self, request):
        ids = tenancy.visible_commune_ids(request.user)
        return ids[0] if ids is not None and len(ids) == 1 else None

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.related_model
        single = None
        if related._meta.label == "places.Commune":
            kwargs["queryset"] = tenancy.visible_communes(request.user)
            single = self._single_commune(request)
            if single is not None:
                kwargs["initial"] = single
        elif any(f.name == "commune" for f in related._meta.get_fields()):
            kwargs["queryset"] = tenancy.scope(related._default_manager.all(), request.user)
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if single is not None and field is not None:
            # One commune: the value is fixed, and a tampered POST cannot change it.
            field.disabled = True
        return field

    def save_model(self, request, obj, form, change):
        single = self._single_commune(request)
        if self.commune_field == "commune" and single is not None:
            obj.commune_id = single
        super().save_model(request, obj, form, change)


class ReadOnlyCommuneScopedAdmin(CommuneScopedAdmin):
    """A list to read: its rows are written by the app's services only."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working_day", "reason"]
    list_filter = ["is_working_day"]
    search_fields = ["reason"]
    date_hierarchy = "date"
