from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from thanthien.core import tenancy
from thanthien.core.admin import CommuneScopedAdmin
from thanthien.people.models import Office, Official, Position, User
from thanthien.people.roles import COMMUNE_ROLES, PROVINCE_ROLES, Role

# Roles (people.roles and each app's permissions.py) replace Django's groups.
admin.site.unregister(Group)


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ["name", "name_en", "is_leadership", "rank"]
    list_editable = ["rank"]
    search_fields = ["name", "name_en", "code"]


@admin.register(Office)
class OfficeAdmin(CommuneScopedAdmin):
    list_display = ["name", "phone", "location", "order", "commune"]
    search_fields = ["name"]
    list_select_related = ["commune"]


@admin.register(Official)
class OfficialAdmin(CommuneScopedAdmin):
    list_display = [
        "full_name",
        "position",
        "office",
        "phone",
        "phone_published",
        "badge_number",
        "is_active",
    ]
    list_filter = ["is_active", "phone_published", "position", "office"]
    search_fields = ["full_name", "phone", "email", "badge_number"]
    list_select_related = ["position", "office", "commune"]
    autocomplete_fields = []


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "full_name", "role", "commune", "province", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["username", "full_name", "email"]
    list_select_related = ["commune", "province"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Thông tin"), {"fields": ("full_name", "email", "official")}),
        (_("Vai trò và phạm vi"), {"fields": ("role", "commune", "province", "is_active")}),
        (_("Mốc thời gian"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "role",
                    "commune",
                    "province",
                    "password1",
                    "password2",
                ),
            },
        ),
    )
    readonly_fields = ["last_login", "date_joined"]

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        user = request.user
        if user.is_superuser:
            return qs
        visible = tenancy.visible_commune_ids(user)
        if user.role == Role.PROVINCE_ADMIN:
            return qs.filter(commune_id__in=visible) | qs.filter(province_id=user.province_id)
        return qs.filter(commune_id__in=visible, is_superuser=False)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            allowed = (
                COMMUNE_ROLES
                if request.user.role == Role.COMMUNE_ADMIN
                else (COMMUNE_ROLES | PROVINCE_ROLES)
            )
            kwargs["choices"] = [(v, label) for v, label in Role.choices if v in allowed]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if not user.is_superuser:
            if db_field.name == "commune":
                kwargs["queryset"] = tenancy.visible_communes(user)
            elif db_field.name == "province":
                from thanthien.places.models import Province

                kwargs["queryset"] = Province.objects.filter(
                    pk=user.province_id if user.role == Role.PROVINCE_ADMIN else None
                )
            elif db_field.name == "official":
                kwargs["queryset"] = tenancy.scope(Official.objects.all(), user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
