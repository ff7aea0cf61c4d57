from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from thanthien.core import tenancy
from thanthien.core.admin import CommuneScopedAdmin
from thanthien.places.models import Commune, CommuneGroup, Hamlet, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type"]
    search_fields = ["name", "codename"]
    readonly_fields = ["code", "name", "division_type", "codename", "slug"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Commune)
class CommuneAdmin(CommuneScopedAdmin):
    commune_field = "pk"
    list_display = ["code", "name", "division_type", "province", "is_remote_area"]
    list_filter = ["division_type", "is_remote_area", "province"]
    search_fields = ["name", "search_name", "code"]
    readonly_fields = ["code", "name", "division_type", "province", "codename", "slug"]
    list_select_related = ["province"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(CommuneGroup)
class CommuneGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "commune_count"]
    search_fields = ["name"]
    filter_horizontal = ["communes"]
    list_select_related = ["province"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        user = request.user
        if user.is_superuser:
            return qs
        return qs.filter(province_id=user.province_id) if user.province_id else qs.none()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "province" and not request.user.is_superuser:
            kwargs["queryset"] = Province.objects.filter(pk=request.user.province_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "communes":
            kwargs["queryset"] = tenancy.visible_communes(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        from django.http import Http404

        raise Http404

    @admin.display(description=_("số xã"))
    def commune_count(self, obj):
        return obj.communes.count()


@admin.register(Hamlet)
class HamletAdmin(CommuneScopedAdmin):
    list_display = ["name", "kind", "head_name", "household_count", "commune"]
    list_filter = ["kind"]
    search_fields = ["name", "head_name"]
    list_select_related = ["commune"]
