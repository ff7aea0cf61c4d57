"""Forms of the desk: they parse what the official typed; the services decide."""

import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from thanthien.onestop.dossier_selectors import procedure_resolve
from thanthien.onestop.dossiers import id_number_validator, phone_validator
from thanthien.onestop.models import Dossier
from thanthien.people.models import Office, Official

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def new_token() -> str:
    return uuid.uuid4().hex


class DossierReceiveForm(forms.Form):
    """The receive screen, in the order the official asks the applicant."""

    procedure = forms.CharField(
        label=_("Thủ tục"),
        help_text=_("Gõ mã hoặc tên thủ tục (không cần dấu) rồi chọn trong danh sách."),
        widget=forms.TextInput(
            attrs={"list": "procedure-options", "autofocus": True, "autocomplete": "off"}
        ),
    )
    applicant_name = forms.CharField(
        label=_("Họ và tên người nộp"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    applicant_phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=10,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_id_number = forms.CharField(
        label=_("Số căn cước công dân"),
        required=False,
        max_length=12,
        validators=[id_number_validator],
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    applicant_address = forms.CharField(
        label=_("Địa chỉ"), required=False, max_length=300, widget=forms.TextInput()
    )
    channel = forms.ChoiceField(
        label=_("Hình thức nộp"), choices=Dossier.Channel.choices, initial=Dossier.Channel.DESK
    )
    return_method = forms.ChoiceField(
        label=_("Nhận kết quả"),
        choices=Dossier.ReturnMethod.choices,
        initial=Dossier.ReturnMethod.DESK,
    )
    appointment_at = forms.DateTimeField(
        label=_("Lịch hẹn đã đặt (nếu có)"),
        required=False,
        input_formats=[DATETIME_LOCAL],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    notify_channel = forms.ChoiceField(
        label=_("Nhận thông báo qua"),
        choices=Dossier.NotifyChannel.choices,
        initial=Dossier.NotifyChannel.SMS,
    )
    consent_sms = forms.BooleanField(label=_("Người nộp đồng ý nhận SMS"), required=False)
    consent_zalo = forms.BooleanField(label=_("Người nộp đồng ý nhận tin Zalo"), required=False)
    consent_email = forms.BooleanField(label=_("Người nộp đồng ý nhận thư điện tử"), required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    documents_received = forms.CharField(
        label=_("Giấy tờ đã nhận"),
        required=False,
        help_text=_("Mỗi dòng một giấy tờ. Để trống: đủ thành phần hồ sơ của thủ tục."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    idempotency_token = forms.CharField(widget=forms.HiddenInput(), max_length=64)

    def __init__(self, *args, user, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("idempotency_token", new_token())
        super().__init__(*args, **kwargs)
        self.user = user
        self.resolved_procedure = None

    def clean_procedure(self) -> str:
        text = self.cleaned_data["procedure"]
        procedure, error = procedure_resolve(user=self.user, text=text)
        if procedure is None:
            raise forms.ValidationError(error)
        self.resolved_procedure = procedure
        return text

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("procedure")
        documents = data.pop("documents_received")
        lines = [line.strip() for line in documents.splitlines() if line.strip()]
        return {
            **data,
            "procedure": self.resolved_procedure,
            "documents_received": lines or None,
        }


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class HandoverForm(forms.Form):
    to_official = forms.ModelChoiceField(
        label=_("Chuyển cho cán bộ"), queryset=Official.objects.none(), required=False
    )
    to_office = forms.ModelChoiceField(
        label=_("hoặc bộ phận"), queryset=Office.objects.none(), required=False
    )
    step_due_date = forms.DateField(
        label=_("Hạn của bước (để trống: ngày hẹn trả)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False)

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, **kwargs)
        officials = Official.objects.filter(commune_id=dossier.commune_id, is_active=True)
        self.fields["to_official"].queryset = officials.select_related("position")
        self.fields["to_office"].queryset = Office.objects.filter(commune_id=dossier.commune_id)


class SupplementForm(forms.Form):
    documents = forms.MultipleChoiceField(
        label=_("Giấy tờ còn thiếu (theo thành phần hồ sơ)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    other_items = forms.CharField(
        label=_("Giấy tờ khác (mỗi dòng một giấy tờ — sẽ được báo lãnh đạo xem)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False)

    def __init__(self, *args, dossier: Dossier, **kwargs):
        super().__init__(*args, **kwargs)
        names = [doc.name for doc in dossier.procedure.documents.all()]
        self.fields["documents"].choices = [(name, name) for name in names]

    def items(self) -> list[str]:
        return [*self.cleaned_data["documents"], *_lines(self.cleaned_data["other_items"])]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú"), required=False)


class RescheduleForm(forms.Form):
    new_due_date = forms.DateField(
        label=_("Ngày hẹn trả mới"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(
        label=_("Lý do (ghi trong phiếu xin lỗi)"), widget=forms.Textarea(attrs={"rows": 2})
    )
