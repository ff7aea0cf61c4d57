"""Forms of the letter pages. Writes go through thanthien/letters/services.py."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thanthien.letters import texts
from thanthien.letters.models import Letter, LetterType, Occasion, validate_photo


class RegisterFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm người nhận hoặc số thư"), required=False, max_length=100)
    type = forms.ChoiceField(
        label=_("Loại thư"), required=False, choices=[("", _("Tất cả")), *LetterType.choices]
    )
    state = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), *Letter.State.choices],
    )
    month = forms.DateField(
        label=_("Tháng"),
        required=False,
        input_formats=["%Y-%m", "%m/%Y"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        help_text=_("Tháng duyệt thư (thư chưa duyệt: tháng lập)."),
    )


class TemplateForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề thư"), max_length=120)
    body = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 14}))
    annex = forms.CharField(
        label=_("Phụ lục kèm theo"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args, occasion: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.occasion = occasion
        self.fields["body"].help_text = _("Các trường dùng được: %(allowed)s.") % {
            "allowed": texts.allowed_text(occasion)
        }

    def clean(self):
        data = super().clean()
        if "title" in data and "body" in data:
            try:
                texts.validate_template(
                    occasion=self.occasion, title=data["title"], body=data["body"]
                )
            except ValidationError as error:
                for field, messages in error.message_dict.items():
                    self.add_error(field if field in self.fields else None, messages)
        return data


class DraftForm(forms.Form):
    occasion = forms.ChoiceField(label=_("Dịp viết thư"), choices=Occasion.choices)
    recipient_name = forms.CharField(label=_("Người nhận"), max_length=200)
    recipient_address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    event_date = forms.DateField(
        label=_("Ngày diễn ra sự việc"),
        required=False,
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    contribution = forms.CharField(
        label=_("Việc đóng góp (thư cảm ơn)"), max_length=300, required=False
    )
    child_name = forms.CharField(label=_("Tên của cháu (thư chúc mừng)"), required=False)
    deceased_name = forms.CharField(label=_("Tên người mất (thư chia buồn)"), required=False)
    reason = forms.CharField(label=_("Lý do (thư xin lỗi)"), max_length=300, required=False)

    def details(self) -> dict:
        data = self.cleaned_data
        allowed = texts.allowed_placeholders(data["occasion"])
        values = {
            "event_date": f"{data['event_date']:%d/%m/%Y}" if data.get("event_date") else "",
            "contribution": data.get("contribution", ""),
            "child_name": data.get("child_name", ""),
            "deceased_name": data.get("deceased_name", ""),
            "reason": data.get("reason", ""),
        }
        return {k: v for k, v in values.items() if v and k in allowed}


class LetterEditForm(forms.Form):
    recipient_name = forms.CharField(label=_("Người nhận"), max_length=200)
    recipient_address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    salutation = forms.CharField(label=_("Lời kính gửi"), max_length=60)
    title = forms.CharField(label=_("Tiêu đề thư"), max_length=120)
    body = forms.CharField(label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 14}))
    annex = forms.CharField(
        label=_("Phụ lục kèm theo"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class LetterDetailsForm(forms.Form):
    """The details a drafted letter lacks (texts.REQUIRED_DETAILS), one field each."""

    LABELS = {
        "child_name": _("Họ và tên của cháu"),
        "deceased_name": _("Người đã mất (ví dụ: cụ Nguyễn Văn Hòa)"),
    }

    def __init__(self, *args, keys: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        for key in keys:
            self.fields[key] = forms.CharField(label=self.LABELS[key], max_length=150)


class DropForm(forms.Form):
    note = forms.CharField(
        label=_("Vì sao không gửi thư này"), widget=forms.Textarea(attrs={"rows": 2})
    )


class DeliveryForm(forms.Form):
    delivery_method = forms.ChoiceField(label=_("Hình thức gửi"), choices=Letter.Delivery.choices)
    delivered_at = forms.DateTimeField(
        label=_("Gửi, trao lúc"),
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    photo = forms.ImageField(
        label=_("Ảnh minh chứng"),
        required=False,
        help_text=_("JPEG, PNG hoặc WebP, tối đa 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def clean_photo(self):
        photo = self.cleaned_data.get("photo")
        if photo:
            validate_photo(photo)
        return photo

    def clean_delivered_at(self):
        value = self.cleaned_data["delivered_at"]
        if value > timezone.now():
            raise ValidationError(_("Thời điểm gửi, trao không được ở tương lai."))
        return value
