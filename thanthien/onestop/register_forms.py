"""The filters of the dossier register (Sổ theo dõi hồ sơ): period, procedure, state, commune."""

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext_lazy as _

from thanthien.core.forms import date_input
from thanthien.core.tenancy import visible_communes
from thanthien.onestop.dossier_selectors import today_local
from thanthien.onestop.models import Dossier, Procedure
from thanthien.onestop.slip_selectors import RegisterFilter, month_of

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
# One year at most: the register is printed by month; a longer list belongs to the reports.
MAX_DAYS = 366


class RegisterFilterForm(forms.Form):
    """GET filters; an empty form means the current month."""

    tu = forms.DateField(
        label=_("Từ ngày"), required=False, input_formats=DATE_FORMATS, widget=date_input()
    )
    den = forms.DateField(
        label=_("Đến ngày"), required=False, input_formats=DATE_FORMATS, widget=date_input()
    )
    thu_tuc = forms.ChoiceField(label=_("Thủ tục"), required=False)
    trang_thai = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả")), *list(Dossier.State.choices)],
    )
    xa = forms.ModelChoiceField(
        label=_("Xã, phường"), required=False, queryset=None, empty_label=_("Tất cả")
    )

    def __init__(self, *args, user, today: date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today or today_local()
        codes = (
            Procedure.objects.visible_to(user)
            .order_by("code")
            .values_list("code", "name")
            .distinct()
        )
        seen: dict[str, str] = {}
        for code, name in codes:
            seen.setdefault(code, f"{code} — {name}")
        self.fields["thu_tuc"].choices = [("", _("Tất cả")), *list(seen.items())]
        communes = visible_communes(user).order_by("name")
        listed = list(communes)
        self.only_commune = listed[0] if len(listed) == 1 else None
        if len(listed) > 1:
            self.fields["xa"].queryset = communes
        else:
            del self.fields["xa"]

    def clean(self):
        data = super().clean()
        start, end = data.get("tu"), data.get("den")
        if start is None and end is None:
            start, end = month_of(self.today)
        elif start is None:
            start = end.replace(day=1)
        elif end is None:
            end = month_of(start)[1]
        if end < start:
            raise forms.ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
        if (end - start) > timedelta(days=MAX_DAYS):
            raise forms.ValidationError(_("Chọn khoảng thời gian không quá một năm."))
        data["tu"], data["den"] = start, end
        return data

    def register(self) -> RegisterFilter:
        """The filter to list: the form's, or the current month when it is invalid."""
        if not self.is_valid():
            first, last = month_of(self.today)
            return RegisterFilter(date_from=first, date_to=last)
        data = self.cleaned_data
        commune = data.get("xa")
        return RegisterFilter(
            date_from=data["tu"],
            date_to=data["den"],
            procedure_code=data.get("thu_tuc") or "",
            state=data.get("trang_thai") or "",
            commune_id=commune.pk if commune else None,
        )
