"""Forms of the leader's apology queue: they parse what the leader typed; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from thanthien.core.forms import date_input


class ApologyIssueForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do chậm trả kết quả"),
        help_text=_("Ghi trong phiếu và trong tin nhắn xin lỗi gửi người nộp."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    new_due_date = forms.DateField(label=_("Ngày hẹn trả mới"), widget=date_input())

    def __init__(self, *args, earliest=None, **kwargs):
        super().__init__(*args, **kwargs)
        if earliest is not None:
            self.fields["new_due_date"].widget.attrs["min"] = earliest.isoformat()


class ApologyDropForm(forms.Form):
    note = forms.CharField(
        label=_("Vì sao không ban hành"),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
