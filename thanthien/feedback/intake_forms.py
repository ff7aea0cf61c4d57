"""Forms of the intake pages: the resident's public form, the official's desk entry, the
status look-up and the QR posters' choices. They parse input; every rule of a new item is
checked by intake_services.feedback_submit, whose errors are shown on these forms."""

import re
import uuid

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thanthien.core import tenancy
from thanthien.feedback.categories import categories
from thanthien.feedback.intake_selectors import PHONE_SUFFIX_LENGTH, normalize_code
from thanthien.feedback.items import Kind, ReplyChannel, Source
from thanthien.onestop.models import Procedure
from thanthien.places.models import Hamlet
from thanthien.surveys.models import Counter

TOKEN_RE = re.compile(r"^[0-9a-f]{32}$")
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"]

# The reply channels a resident can pick on the form (Zalo OA and Facebook need a platform id,
# which only the webhooks know).
PUBLIC_REPLY_CHANNELS = [
    (ReplyChannel.SMS, _("Tin nhắn SMS")),
    (ReplyChannel.ZALO, _("Zalo, theo số điện thoại")),
    (ReplyChannel.EMAIL, _("Thư điện tử")),
    (ReplyChannel.NONE, _("Không cần, tôi tự xem bằng mã theo dõi")),
]
# What an official enters by hand.
DESK_SOURCES = [
    (Source.PHONE, Source.PHONE.label),
    (Source.HOTLINE, Source.HOTLINE.label),
    (Source.BOX, Source.BOX.label),
    (Source.RECEPTION, _("Trực tiếp tại trụ sở, tiếp công dân")),
    (Source.EMAIL, Source.EMAIL.label),
]
PAPER_SIZES = [("a4", _("A4 (mỗi trang một quầy)")), ("a5", _("A5 (hai mã trên một trang A4)"))]


def new_form_token() -> str:
    """A fresh idempotency token for one rendering of a form."""
    return uuid.uuid4().hex


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; the checks of their content are in uploads.clean_uploads."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={
                    "accept": "image/jpeg,image/png,image/webp,application/pdf,.docx,"
                    "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                }
            ),
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if self.required and not files:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [f for f in files if f]


class _SenderFields(forms.Form):
    """The item and its sender, shared by the public form and the official's entry."""

    kind = forms.ChoiceField(
        label=_("Loại ý kiến"),
        choices=Kind.choices,
        initial=Kind.REPORT,
        widget=forms.RadioSelect,
    )
    category = forms.ChoiceField(label=_("Lĩnh vực"), required=False)
    content = forms.CharField(
        label=_("Nội dung"),
        widget=forms.Textarea(attrs={"rows": 7}),
        error_messages={"required": _("Xin viết nội dung góp ý, phản ánh.")},
    )
    hamlet = forms.ModelChoiceField(
        label=_("Thôn, tổ dân phố nơi xảy ra sự việc"),
        queryset=Hamlet.objects.none(),
        required=False,
        empty_label=_("— Không rõ hoặc không liên quan —"),
    )
    location_text = forms.CharField(
        label=_("Địa điểm cụ thể"),
        max_length=255,
        required=False,
        help_text=_("Ví dụ: đầu cầu thôn Đông, trước nhà văn hoá."),
    )
    files = MultipleFileField(label=_("Ảnh, tệp đính kèm"))
    is_anonymous = forms.BooleanField(
        label=_("Gửi ẩn danh (không ghi tên, số điện thoại)"), required=False
    )
    sender_name = forms.CharField(label=_("Họ và tên"), max_length=150, required=False)
    sender_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    sender_email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        error_messages={"invalid": _("Địa chỉ thư điện tử chưa đúng, ví dụ: ten@gmail.com.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    reply_channel = forms.ChoiceField(
        label=_("Nhận tin báo đã nhận và câu trả lời qua"),
        choices=PUBLIC_REPLY_CHANNELS,
        initial=ReplyChannel.SMS,
        widget=forms.RadioSelect,
    )
    consent_contact = forms.BooleanField(
        label=_(
            "Tôi đồng ý để Ủy ban nhân dân xã dùng số điện thoại hoặc thư điện tử trên để báo đã "
            "nhận và trả lời ý kiến này, không dùng vào việc khác."
        ),
        required=False,
    )
    consent_publish = forms.BooleanField(
        label=_(
            "Tôi đồng ý để xã đăng câu trả lời lên trang thông tin của xã, không kèm họ tên, số "
            "điện thoại hay địa chỉ của tôi."
        ),
        required=False,
    )
    token = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, hamlets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [
            ("", _("— Chưa rõ, để xã phân loại —")),
            *((c.code, c.label) for c in categories()),
        ]
        if hamlets is not None:
            self.fields["hamlet"].queryset = hamlets
        if not self.is_bound:
            self.initial.setdefault("token", new_form_token())

    def clean_content(self) -> str:
        return self.cleaned_data["content"].strip()

    def clean_token(self) -> str:
        token = self.cleaned_data.get("token", "").strip().lower()
        return token if TOKEN_RE.match(token) else ""

    def submit_arguments(self) -> dict:
        """The cleaned values as keyword arguments of feedback_submit."""
        data = self.cleaned_data
        return {
            "kind": data["kind"],
            "category": data["category"],
            "content": data["content"],
            "hamlet": data["hamlet"],
            "location_text": data["location_text"],
            "is_anonymous": data["is_anonymous"],
            "sender_name": data["sender_name"],
            "sender_phone": data["sender_phone"],
            "sender_email": data["sender_email"],
            "reply_channel": data["reply_channel"],
            "consent_contact": data["consent_contact"],
            "consent_publish": data["consent_publish"],
            "files": data["files"],
        }


class PublicFeedbackForm(_SenderFields):
    """What a resident fills in on /<slug>/gop-y/gui/ (and through the desk QR)."""

    # The honeypot: hidden from people by CSS, filled in by robots that fill every input.
    website = forms.CharField(label=_("Để trống ô này"), required=False)
    quay = forms.CharField(widget=forms.HiddenInput, required=False, max_length=4)
    thu_tuc = forms.CharField(widget=forms.HiddenInput, required=False, max_length=30)

    def is_spam(self) -> bool:
        return bool((self.data.get("website") or "").strip())


class DeskEntryForm(_SenderFields):
    """What an official enters at /staff/gop-y/nhap/: a call, a hotline call, a letter from the
    box (with its scan), a visit, an email received elsewhere."""

    commune = forms.ModelChoiceField(label=_("Xã, phường"), queryset=None)
    source = forms.ChoiceField(label=_("Nhận qua"), choices=DESK_SOURCES)
    received_at = forms.DateTimeField(
        label=_("Nhận lúc"),
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Thư trong hòm thư: ngày giờ mở hòm. Hạn trả lời tính từ ngày này."),
    )
    title = forms.CharField(label=_("Tiêu đề ngắn"), max_length=200, required=False)
    sender_address = forms.CharField(label=_("Địa chỉ người gửi"), max_length=255, required=False)
    counter = forms.ModelChoiceField(
        label=_("Quầy liên quan"), queryset=Counter.objects.none(), required=False
    )
    procedure = forms.ModelChoiceField(
        label=_("Thủ tục liên quan"), queryset=Procedure.objects.none(), required=False
    )
    scans = MultipleFileField(
        label=_("Bản quét, ảnh chụp thư"),
        help_text=_("Bắt buộc với thư từ hòm thư góp ý: ảnh chụp hoặc bản quét PDF từng trang."),
    )

    field_order = [
        "commune",
        "source",
        "received_at",
        "kind",
        "category",
        "title",
        "content",
        "hamlet",
        "location_text",
        "counter",
        "procedure",
        "scans",
        "files",
        "is_anonymous",
        "sender_name",
        "sender_phone",
        "sender_email",
        "sender_address",
        "reply_channel",
        "consent_contact",
        "consent_publish",
        "token",
    ]

    def __init__(self, *args, user, **kwargs):
        communes = tenancy.visible_communes(user).order_by("province__name", "name")
        super().__init__(*args, hamlets=tenancy.scope(Hamlet.objects.all(), user), **kwargs)
        self.fields["commune"].queryset = communes
        ids = tenancy.visible_commune_ids(user)
        self.single_commune = communes.first() if ids is not None and len(ids) == 1 else None
        if self.single_commune is not None:
            del self.fields["commune"]
        self.fields["hamlet"].queryset = (
            tenancy.scope(Hamlet.objects.all(), user).select_related("commune").order_by("name")
        )
        self.fields["counter"].queryset = (
            tenancy.scope(Counter.objects.filter(is_active=True), user)
            .select_related("commune")
            .order_by("number")
        )
        self.fields["procedure"].queryset = tenancy.scope(
            Procedure.objects.filter(is_active=True), user
        ).order_by("name")
        self.fields["reply_channel"].label = _("Người gửi nhận tin báo đã nhận và câu trả lời qua")
        self.fields["reply_channel"].choices = [
            (ReplyChannel.SMS, _("Tin nhắn SMS")),
            (ReplyChannel.ZALO, _("Zalo, theo số điện thoại")),
            (ReplyChannel.EMAIL, _("Thư điện tử")),
            (ReplyChannel.NONE, _("Không nhận tin (đã cho biết mã theo dõi, hoặc ẩn danh)")),
        ]
        self.fields["reply_channel"].initial = ReplyChannel.NONE
        self.fields["files"].label = _("Tệp khác người gửi đưa kèm")
        self.fields["consent_contact"].label = _(
            "Người gửi đồng ý để xã liên hệ qua kênh đã chọn (đã hỏi và được đồng ý)."
        )
        self.fields["consent_publish"].label = _(
            "Người gửi đồng ý công khai câu trả lời, không kèm thông tin cá nhân."
        )
        if not self.is_bound:
            self.initial.setdefault(
                "received_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def chosen_commune(self):
        return self.single_commune or self.cleaned_data["commune"]

    def clean_received_at(self):
        value = self.cleaned_data["received_at"]
        if value > timezone.now() + timezone.timedelta(minutes=5):
            raise forms.ValidationError(_("Thời điểm nhận không thể ở tương lai."))
        return value

    def clean(self):
        data = super().clean()
        if data.get("source") == Source.BOX and not data.get("scans"):
            self.add_error(
                "scans", _("Thư từ hòm thư góp ý cần có bản quét hoặc ảnh chụp thư kèm theo.")
            )
        return data

    def submit_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            **super().submit_arguments(),
            "source": data["source"],
            "received_at": data["received_at"],
            "title": data["title"],
            "sender_address": data["sender_address"],
            "counter": data["counter"],
            "procedure": data["procedure"],
            "scans": data["scans"],
        }


class StatusLookupForm(forms.Form):
    """The tracking code and the last four digits of the sender's phone."""

    code = forms.CharField(
        label=_("Mã theo dõi"),
        max_length=60,
        error_messages={"required": _("Gõ mã theo dõi xã đã gửi cho ông/bà.")},
    )
    phone_last4 = forms.CharField(
        label=_("4 số cuối của số điện thoại"),
        max_length=12,
        error_messages={"required": _("Gõ 4 chữ số cuối của số điện thoại.")},
    )

    def clean_code(self) -> str:
        code = normalize_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError(_("Gõ mã theo dõi xã đã gửi cho ông/bà."))
        return code

    def clean_phone_last4(self) -> str:
        digits = "".join(self.cleaned_data["phone_last4"].split())
        if len(digits) != PHONE_SUFFIX_LENGTH or not digits.isascii() or not digits.isdigit():
            raise forms.ValidationError(_("Gõ đúng 4 chữ số cuối của số điện thoại, ví dụ 5678."))
        return digits


class PosterForm(forms.Form):
    """Which posters to print: the commune (for a user who sees several), the paper size, and
    the procedures that get a poster of their own."""

    commune = forms.ModelChoiceField(label=_("Xã, phường"), queryset=None, required=False)
    size = forms.ChoiceField(label=_("Khổ giấy"), choices=PAPER_SIZES, required=False)
    procedures = forms.ModelMultipleChoiceField(
        label=_("Thêm mã QR riêng cho thủ tục"),
        queryset=Procedure.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        communes = tenancy.visible_communes(user).order_by("province__name", "name")
        self.fields["commune"].queryset = communes
        ids = tenancy.visible_commune_ids(user)
        self.single_commune = communes.first() if ids is not None and len(ids) == 1 else None
        if self.single_commune is not None:
            del self.fields["commune"]
        self.fields["procedures"].queryset = tenancy.scope(
            Procedure.objects.filter(is_active=True), user
        ).order_by("name")

    def chosen_commune(self):
        if self.single_commune is not None:
            return self.single_commune
        return self.cleaned_data.get("commune") if hasattr(self, "cleaned_data") else None
