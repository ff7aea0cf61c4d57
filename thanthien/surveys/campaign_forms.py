"""Forms of the campaign pages: create and edit (with one target field per hamlet)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from thanthien.core.forms import date_input
from thanthien.surveys.campaign_services import shipped_choices
from thanthien.surveys.models import ResponseChannel

TARGET_PREFIX = "target_"


class CampaignForm(forms.Form):
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
        help_text=_("Tỷ lệ người dân hài lòng mà xã đặt ra, ví dụ 90."),
    )
    results_public = forms.BooleanField(
        label=_("Công khai kết quả trên cổng thông tin của xã"), required=False
    )

    def __init__(self, *args, hamlets, editing: bool = False, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.hamlets = list(hamlets)
        if locked:
            # A campaign the province launched: the province set these for every commune.
            for name in ("title", "starts_on", "ends_on", "channels"):
                self.fields[name].disabled = True
                self.fields[name].help_text = _("Do tỉnh đặt cho mọi xã của đợt khảo sát.")
        if editing:
            del self.fields["questionnaire"]
        else:
            self.fields["questionnaire"].choices = shipped_choices()
        for hamlet in self.hamlets:
            self.fields[f"{TARGET_PREFIX}{hamlet.pk}"] = forms.IntegerField(
                label=_("Số phiếu cần đạt — %(hamlet)s") % {"hamlet": hamlet.name},
                min_value=0,
                max_value=100000,
                required=False,
            )

    def target_fields(self):
        return [self[f"{TARGET_PREFIX}{hamlet.pk}"] for hamlet in self.hamlets]

    def main_fields(self):
        return [f for f in self if not f.name.startswith(TARGET_PREFIX)]

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "starts_on": data["starts_on"],
            "ends_on": data["ends_on"],
            "channels": data["channels"],
            "satisfaction_target": Decimal(data["satisfaction_target"]) / 100,
            "results_public": data["results_public"],
            "target_per_hamlet": {
                str(hamlet.pk): data.get(f"{TARGET_PREFIX}{hamlet.pk}") or 0
                for hamlet in self.hamlets
            },
        }

    @classmethod
    def initial_for(cls, campaign) -> dict:
        initial = {
            "title": campaign.title,
            "starts_on": campaign.starts_on,
            "ends_on": campaign.ends_on,
            "channels": list(campaign.channels or []),
            "satisfaction_target": round(Decimal(campaign.satisfaction_target) * 100),
            "results_public": campaign.results_public,
        }
        for hamlet_id, count in (campaign.target_per_hamlet or {}).items():
            initial[f"{TARGET_PREFIX}{hamlet_id}"] = count
        return initial
