"""Forms of the contributor and yearly-meeting pages. Writes go through contributor_services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from thanthien.letters.ceremony_forms import DATETIME_FORMATS
from thanthien.letters.contributors import Contributor
from thanthien.places.models import Hamlet


class ContributorFilterForm(forms.Form):
    q = forms.CharField(label=_("Tìm tên, điện thoại, địa chỉ"), required=False, max_length=100)
    kind = forms.ChoiceField(
        label=_("Loại"), required=False, choices=[("", _("Tất cả")), *Contributor.Kind.choices]
    )


class ContributorForm(forms.Form):
    name = forms.CharField(label=_("Họ tên / tên tổ chức"), max_length=200)
    is_organisation = forms.BooleanField(label=_("Là tổ chức, doanh nghiệp"), required=False)
    kind = forms.ChoiceField(label=_("Loại"), choices=Contributor.Kind.choices)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=300, required=False)
    hamlet = forms.ModelChoiceField(
        label=_("Thôn, tổ dân phố"), queryset=Hamlet.objects.none(), required=False
    )
    note = forms.CharField(
        label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, commune_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hamlet"].queryset = Hamlet.objects.filter(commune_id=commune_id)


class ContributionForm(forms.Form):
    description = forms.CharField(
        label=_("Nội dung đóng góp"),
        max_length=300,
        help_text=_("Ví dụ: ủng hộ làm đường liên thôn Đông – Tây."),
    )
    date = forms.DateField(
        label=_("Ngày đóng góp"),
        input_formats=["%d/%m/%Y", "%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    value_dong = forms.IntegerField(
        label=_("Giá trị (đồng)"), required=False, min_value=1, max_value=10**15
    )
    in_kind = forms.CharField(
        label=_("Hiện vật, ngày công"),
        max_length=300,
        required=False,
        help_text=_("Ví dụ: 200 m² đất, 30 ngày công, 5 tấn xi măng."),
    )


class MeetingForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("Thời gian"),
        input_formats=DATETIME_FORMATS,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=300)
    agenda = forms.CharField(
        label=_("Nội dung hội nghị"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
