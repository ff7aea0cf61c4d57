"""Forms of the complaint pages; every write goes through complaint_services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from thanthien.core.forms import date_input
from thanthien.feedback.complaints import Complaint, ComplaintExtension
from thanthien.places.models import Hamlet

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


def date_field(label, *, required: bool = True, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        input_formats=DATE_FORMATS,
        widget=date_input(),
        help_text=help_text,
    )


def text_area(label, *, rows: int = 3, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows})
    )


class ComplaintFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm số đơn, nội dung, người bị khiếu nại"), required=False, max_length=100
    )
    kind = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[("", _("Tất cả")), *Complaint.Kind.choices]
    )
    status = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), *Complaint.Status.choices],
    )
    overdue = forms.BooleanField(label=_("Chỉ đơn quá hạn"), required=False)


class ComplaintForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại đơn"), choices=Complaint.Kind.choices)
    round = forms.TypedChoiceField(
        label=_("Lần giải quyết"),
        choices=Complaint.Round.choices,
        coerce=int,
        initial=Complaint.Round.FIRST,
        help_text=_("Chỉ khiếu nại mới có giải quyết lần hai."),
    )
    is_complex = forms.BooleanField(label=_("Vụ việc phức tạp"), required=False)
    received_on = date_field(_("Ngày nhận đơn"))
    person_name = forms.CharField(label=_("Họ và tên người khiếu nại, tố cáo"), max_length=150)
    person_phone = forms.CharField(label=_("Số điện thoại"), max_length=15, required=False)
    person_id_number = forms.CharField(label=_("Số căn cước"), max_length=12, required=False)
    person_address = forms.CharField(label=_("Địa chỉ"), max_length=255, required=False)
    hamlet = forms.ModelChoiceField(
        label=_("Thôn, tổ dân phố"), queryset=Hamlet.objects.none(), required=False
    )
    subject = forms.CharField(label=_("Quyết định, hành vi bị khiếu nại / tố cáo"), max_length=255)
    respondent = forms.CharField(
        label=_("Người, cơ quan bị khiếu nại / tố cáo"), max_length=255, required=False
    )
    content = text_area(_("Tóm tắt nội dung đơn"), rows=5)
    learned_on = date_field(
        _("Ngày biết quyết định, hành vi"),
        required=False,
        help_text=_("Để tính thời hiệu khiếu nại 90 ngày."),
    )
    obstacle_reason = forms.CharField(
        label=_("Trở ngại khách quan (nếu quá thời hiệu)"),
        max_length=500,
        required=False,
        help_text=_("Ốm đau, thiên tai, đi công tác, học tập ở nơi xa…"),
    )
    feedback_item = forms.IntegerField(required=False, widget=forms.HiddenInput)
    reception_visit = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, commune_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = Hamlet.objects.filter(commune_id=commune_id)


class AcceptForm(forms.Form):
    accepted_on = date_field(_("Ngày thụ lý"))
    is_complex = forms.BooleanField(label=_("Vụ việc phức tạp"), required=False)


class RefuseForm(forms.Form):
    refused_on = date_field(_("Ngày ra thông báo không thụ lý"))
    refusal_reason = text_area(_("Lý do không thụ lý"), rows=2)


class TransferForm(forms.Form):
    transferred_on = date_field(_("Ngày chuyển đơn"))
    transferred_to = forms.CharField(label=_("Chuyển đến"), max_length=255)


class ExtendForm(forms.Form):
    stage = forms.ChoiceField(label=_("Giai đoạn"), choices=ComplaintExtension.Stage.choices)
    days = forms.IntegerField(
        label=_("Số ngày gia hạn"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("Xử lý ban đầu: luật ấn định tối đa 10 ngày làm việc, không cần nhập."),
    )
    decided_on = date_field(_("Ngày quyết định gia hạn"))
    reason = text_area(_("Lý do gia hạn"), rows=2)


class ResolveForm(forms.Form):
    resolved_on = date_field(_("Ngày ban hành quyết định / kết luận"))
    decision_number = forms.CharField(label=_("Số quyết định / kết luận"), max_length=60)
    resolution = text_area(_("Kết quả giải quyết"), rows=3)


class WithdrawForm(forms.Form):
    withdrawn_on = date_field(_("Ngày rút đơn"))
    note = text_area(_("Ghi chú"), rows=2, required=False)


class AssignForm(forms.Form):
    assignees = forms.ModelMultipleChoiceField(
        label=_("Cán bộ được giao"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignees"].queryset = users
        self.fields["assignees"].label_from_instance = lambda u: u.full_name or u.username
