"""The form that adds a volunteer's turn to the desk's roster."""

from django import forms
from django.utils.translation import gettext_lazy as _

from thanthien.core.forms import date_input
from thanthien.onestop.models import VolunteerShift

DATE_INPUTS = ["%d/%m/%Y", "%Y-%m-%d"]


class ShiftAddForm(forms.Form):
    volunteer = forms.ModelChoiceField(label=_("Người trực"), queryset=None)
    day = forms.DateField(label=_("Ngày trực"), input_formats=DATE_INPUTS, widget=date_input())
    period = forms.ChoiceField(
        label=_("Buổi"),
        choices=VolunteerShift.Period.choices,
        initial=VolunteerShift.Period.MORNING,
    )
    task = forms.CharField(
        label=_("Nhiệm vụ"),
        max_length=200,
        required=False,
        help_text=_("Ví dụ: đón tiếp, hướng dẫn kê khai, hỗ trợ nộp trực tuyến."),
    )

    def __init__(self, *args, volunteers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["volunteer"].queryset = volunteers
