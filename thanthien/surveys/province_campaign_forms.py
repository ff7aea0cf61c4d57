"""The form of a province campaign: the questionnaire, period, channels, target and communes."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from thanthien.core.forms import date_input
from thanthien.surveys.campaign_services import shipped_choices
from thanthien.surveys.models import ResponseChannel


class ProvinceCampaignForm(forms.Form):
    questionnaire = forms.ChoiceField(label=_("Bộ câu hỏi"), choices=())
    title = forms.CharField(label=_("Tên đợt khảo sát"), max_length=255)
    starts_on = forms.DateField(label=_("Từ ngày"), widget=date_input())
    ends_on = forms.DateField(label=_("Đến ngày"), widget=date_input())
    channels = forms.MultipleChoiceField(
        label=_("Hình thức khảo sát"),
        choices=ResponseChannel.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    satisfaction_target = forms.IntegerField(
        label=_("Mục tiêu hài lòng (%)"),
        min_value=1,
        max_value=100,
        initial=90,
        help_text=_("Tỷ lệ người dân hài lòng mà tỉnh đặt ra cho mọi xã, ví dụ 90."),
    )
    all_communes = forms.BooleanField(
        label=_("Tất cả các xã của tỉnh"), required=False, initial=True
    )
    communes = forms.ModelMultipleChoiceField(
        label=_("Hoặc chọn các xã"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    results_public = forms.BooleanField(
        label=_("Công khai kết quả của từng xã trên cổng thông tin của xã"),
        required=False,
        help_text=_("Mỗi xã vẫn có thể đổi lại trong đợt khảo sát của xã mình."),
    )

    def __init__(self, *args, communes, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["questionnaire"].choices = shipped_choices()
        self.fields["communes"].queryset = communes

    def clean(self):
        data = super().clean()
        if not data.get("all_communes") and not data.get("communes"):
            self.add_error("communes", _("Chọn ít nhất một xã, hoặc đánh dấu tất cả các xã."))
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "questionnaire": data["questionnaire"],
            "title": data["title"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "channels": data["channels"],
            "satisfaction_target": Decimal(data["satisfaction_target"]) / 100,
            "results_public": data["results_public"],
            "communes": None if data["all_communes"] else list(data["communes"]),
        }
