from django.contrib import admin, messages
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thanthien.core import tenancy
from thanthien.core.admin import CommuneScopedAdmin
from thanthien.notify.models import Channel, Message, MessageAttempt, MessageTemplate
from thanthien.notify.rendering import SAMPLE_CONTEXT, render_text
from thanthien.notify.services import message_template_copy_for_commune
from thanthien.notify.sms import sms_cost, sms_parts, sms_units


class ReadOnlyAdminMixin:
    """The outbox is written by services and the dispatcher only."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MessageAttemptInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = MessageAttempt
    extra = 0
    fields = [
        "number",
        "started_at",
        "gateway",
        "outcome",
        "status_code",
        "request_summary",
        "response_summary",
        "error",
    ]
    readonly_fields = fields


@admin.register(Message)
class MessageAdmin(ReadOnlyAdminMixin, CommuneScopedAdmin):
    list_display = [
        "created_at",
        "event",
        "channel",
        "recipient_name",
        "recipient",
        "status",
        "attempt_count",
        "sent_at",
    ]
    list_filter = ["status", "channel", "event"]
    search_fields = ["phone", "email", "recipient_name", "dedupe_key"]
    list_select_related = ["commune"]
    date_hierarchy = "created_at"
    inlines = [MessageAttemptInline]
    fields = [
        "commune",
        "event",
        "channel",
        "status",
        "recipient_name",
        "phone",
        "email",
        "subject",
        "body",
        "sms_parts",
        "attempt_count",
        "next_attempt_at",
        "sent_at",
        "delivered_at",
        "last_error",
        "provider_request_id",
        "provider_message_id",
        "fallback_of",
        "body_purged_at",
        "created_at",
    ]
    readonly_fields = fields

    @admin.display(description=gettext_lazy("người nhận (số/địa chỉ)"))
    def recipient(self, obj):
        return obj.recipient

    @admin.display(description=gettext_lazy("số tin SMS"))
    def sms_parts(self, obj):
        return sms_parts(obj.body) if obj.channel == Channel.SMS else "—"


@admin.register(MessageTemplate)
class MessageTemplateAdmin(CommuneScopedAdmin):
    list_display = ["event", "channel", "owner", "strip_diacritics", "is_active", "updated_at"]
    list_filter = ["event", "channel", "strip_diacritics", "is_active"]
    search_fields = ["body", "subject"]
    list_select_related = ["commune"]
    fields = [
        "commune",
        "event",
        "channel",
        "subject",
        "body",
        "strip_diacritics",
        "zalo_template_id",
        "is_active",
        "preview",
    ]
    readonly_fields = ["preview"]
    actions = ["copy_for_my_commune"]

    def get_queryset(self, request):
        # National defaults (no commune) are shown to everyone, read-only; see below.
        ids = tenancy.visible_commune_ids(request.user)
        queryset = MessageTemplate.objects.select_related("commune")
        if ids is None:
            return queryset
        return queryset.filter(Q(commune_id__in=ids) | Q(commune__isnull=True))

    def _is_national(self, obj) -> bool:
        return obj is not None and obj.commune_id is None

    def has_change_permission(self, request, obj=None):
        if self._is_national(obj) and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._is_national(obj) and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.is_superuser and "commune" in form.base_fields:
            # Only a superuser writes national defaults; everyone else writes a commune's copy.
            form.base_fields["commune"].required = True
        return form

    @admin.display(description=gettext_lazy("chủ sở hữu"))
    def owner(self, obj):
        return obj.commune.name if obj.commune_id else _("mặc định toàn quốc")

    @admin.display(description=gettext_lazy("xem trước"))
    def preview(self, obj):
        if obj is None or not obj.pk:
            return _("Lưu mẫu để xem trước.")
        text = render_text(obj.body, SAMPLE_CONTEXT, plain=obj.strip_diacritics)
        subject = render_text(obj.subject, SAMPLE_CONTEXT, plain=obj.strip_diacritics)
        return render_to_string(
            "notify/admin/preview.html",
            {
                "subject": subject,
                "text": text,
                "is_sms": obj.channel == Channel.SMS,
                "parts": sms_parts(text),
                "units": sms_units(text),
                "cost": f"{sms_cost(text):,}".replace(",", "."),  # 1.600 đ
            },
        )

    @admin.action(description=gettext_lazy("Tạo bản riêng của xã để sửa"))
    def copy_for_my_commune(self, request, queryset):
        commune_id = self._single_commune(request)
        if commune_id is None:
            self.message_user(
                request, _("Chỉ quản trị viên của một xã mới tạo được bản riêng."), messages.ERROR
            )
            return
        commune = tenancy.visible_communes(request.user).get(pk=commune_id)
        for template in queryset:
            message_template_copy_for_commune(template=template, commune=commune)
        self.message_user(request, _("Đã tạo bản riêng của xã."), messages.SUCCESS)
