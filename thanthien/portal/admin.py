from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from thanthien.core.admin import CommuneScopedAdmin
from thanthien.portal import selectors
from thanthien.portal.models import CommuneProfile, ConductItem, ReceptionSlot
from thanthien.portal.services import conduct_items_setup


@admin.register(CommuneProfile)
class CommuneProfileAdmin(CommuneScopedAdmin):
    list_display = ["commune", "hotline", "feedback_email", "suggestion_box_location"]
    list_select_related = ["commune"]
    actions = ["copy_default_conduct_code"]

    @admin.action(
        description=_("Tạo quy tắc ứng xử “4 xin, 4 luôn, 5 không” mặc định để chỉnh sửa"),
        permissions=["change"],
    )
    def copy_default_conduct_code(self, request, queryset):
        created = sum(conduct_items_setup(commune=p.commune) for p in queryset)
        self.message_user(
            request,
            _("Đã tạo %(count)s quy tắc; các nhóm xã đã tự soạn được giữ nguyên.")
            % {"count": created},
            messages.SUCCESS,
        )


@admin.register(ReceptionSlot)
class ReceptionSlotAdmin(CommuneScopedAdmin):
    list_display = ["weekday", "start_time", "end_time", "host", "place", "is_active", "commune"]
    list_filter = ["is_active", "weekday"]
    list_select_related = ["host", "host__position", "commune"]

    def changelist_view(self, request, extra_context=None):
        for warning in selectors.reception_warnings(user=request.user):
            messages.warning(request, warning)
        return super().changelist_view(request, extra_context)


@admin.register(ConductItem)
class ConductItemAdmin(CommuneScopedAdmin):
    list_display = ["group", "order", "text", "text_en", "commune"]
    list_filter = ["group"]
    list_editable = ["order"]
    list_select_related = ["commune"]


# --- news posts and the pledge (P1, P2) -----------------------------------------------------
from thanthien.portal.posts import Pledge, Post  # noqa: E402


@admin.register(Post)
class PostAdmin(CommuneScopedAdmin):
    list_display = ["title", "kind", "published_at", "is_published", "commune"]
    list_filter = ["kind", "is_published"]
    search_fields = ["title", "summary"]
    list_select_related = ["commune"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
    fields = [
        "commune",
        "title",
        "slug",
        "kind",
        "summary",
        "body",
        "image",
        "image_alt",
        "published_at",
        "is_published",
    ]


@admin.register(Pledge)
class PledgeAdmin(CommuneScopedAdmin):
    list_display = ["title", "commune", "updated_at"]
    list_select_related = ["commune"]

    def get_changeform_initial_data(self, request):
        from thanthien.portal.news_selectors import pledge_defaults

        data = pledge_defaults()
        return {
            **super().get_changeform_initial_data(request),
            "title": data["title"],
            "items": "\n".join(item["text"] for item in data["items"]),
        }
