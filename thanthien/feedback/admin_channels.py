"""Admin of the feedback channels: a commune's Zalo OA / Facebook Page accounts (secrets are
write-only) and the read-only log of every webhook call."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thanthien.core.admin import CommuneScopedAdmin, ReadOnlyCommuneScopedAdmin
from thanthien.feedback.items import ChannelAccount, InboundLog

SECRET_FIELDS = ("app_secret", "access_token")


class ChannelAccountForm(forms.ModelForm):
    """Secrets are never shown again; left empty when editing, the stored value stays."""

    app_secret = forms.CharField(
        label=_("khoá bí mật của ứng dụng"),
        required=False,
        max_length=200,
        widget=forms.PasswordInput(render_value=False),
        help_text=_(
            "Zalo: OA Secret Key; Facebook: App Secret. Dùng để kiểm tra chữ ký webhook. "
            "Để trống khi sửa nếu không đổi."
        ),
    )
    access_token = forms.CharField(
        label=_("access token gửi tin trả lời"),
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text=_("Để trống khi sửa nếu không đổi."),
    )

    class Meta:
        model = ChannelAccount
        fields = (
            "commune",
            "platform",
            "account_id",
            "app_id",
            "app_secret",
            "access_token",
            "verify_token",
            "is_active",
        )

    def clean(self):
        cleaned = super().clean()
        for name in SECRET_FIELDS:
            value = (cleaned.get(name) or "").strip()
            if not value and self.instance.pk:
                value = getattr(self.instance, name)
            cleaned[name] = value
        if not cleaned.get("app_secret"):
            self.add_error("app_secret", _("Cần khoá bí mật để kiểm tra chữ ký webhook."))
        platform = cleaned.get("platform")
        if platform == ChannelAccount.Platform.ZALO and not cleaned.get("app_id"):
            self.add_error("app_id", _("Zalo ký webhook bằng App ID: xin nhập App ID."))
        if platform == ChannelAccount.Platform.FACEBOOK and not cleaned.get("verify_token"):
            self.add_error("verify_token", _("Facebook cần verify token khi đăng ký webhook."))
        return cleaned


@admin.register(ChannelAccount)
class ChannelAccountAdmin(CommuneScopedAdmin):
    form = ChannelAccountForm
    list_display = ("platform", "account_id", "commune", "is_active", "has_token", "updated_at")
    list_filter = ("platform", "is_active")
    search_fields = ("account_id", "app_id")
    readonly_fields = ("webhook_path",)

    @admin.display(description=_("đã có access token"), boolean=True)
    def has_token(self, obj) -> bool:
        return bool(obj.access_token)

    @admin.display(description=_("địa chỉ webhook (thêm tên miền của hệ thống)"))
    def webhook_path(self, obj) -> str:
        name = (
            "zalo_webhook" if obj.platform == ChannelAccount.Platform.ZALO else "facebook_webhook"
        )
        return reverse(f"feedback:{name}")


@admin.register(InboundLog)
class InboundLogAdmin(ReadOnlyCommuneScopedAdmin):
    list_display = ("created_at", "source", "outcome", "reason", "remote_addr", "item", "commune")
    list_filter = ("source", "outcome")
    search_fields = ("external_id", "reason", "item__code")
    list_select_related = ("item", "commune")
    date_hierarchy = "created_at"
