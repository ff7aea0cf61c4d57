"""The desk dashboard's filter: a period (this month, last 3 months, this year, from–to) and,
for a user who sees several communes, one commune."""

from datetime import date, timedelta

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thanthien.core import tenancy
from thanthien.core.forms import date_input

# A custom period longer than this would make the month chart unreadable.
MAX_PERIOD_DAYS = 2 * 366


class DashboardFilterForm(forms.Form):
    MONTH, QUARTER, YEAR, CUSTOM = "thang-nay", "3-thang", "nam-nay", "tuy-chon"
    PERIODS = [
        (MONTH, gettext_lazy("Tháng này")),
        (QUARTER, gettext_lazy("3 tháng gần đây")),
        (YEAR, gettext_lazy("Năm nay")),
        (CUSTOM, gettext_lazy("Từ ngày … đến ngày …")),
    ]

    # The period when none is chosen (a subclass may start from another one).
    DEFAULT_PERIOD = MONTH

    period = forms.ChoiceField(
        label=gettext_lazy("Khoảng thời gian"), choices=PERIODS, required=False
    )
    start = forms.DateField(label=gettext_lazy("Từ ngày"), required=False, widget=date_input())
    end = forms.DateField(label=gettext_lazy("Đến ngày"), required=False, widget=date_input())
    commune = forms.TypedChoiceField(
        label=gettext_lazy("Xã"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, data=None, *, user, today: date):
        super().__init__(data)
        self.today = today
        communes = list(tenancy.visible_communes(user).order_by("name").values_list("pk", "name"))
        self.several_communes = len(communes) > 1
        if self.several_communes:
            self.fields["commune"].choices = [("", _("Tất cả các xã")), *communes]
        else:
            del self.fields["commune"]

    def clean(self):
        data = super().clean()
        period = data.get("period") or self.DEFAULT_PERIOD
        data["period"] = period
        if period == self.CUSTOM:
            start, end = data.get("start"), data.get("end")
            if start is None or end is None:
                raise forms.ValidationError(_("Chọn cả ngày bắt đầu và ngày kết thúc."))
            if end < start:
                raise forms.ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
            if (end - start).days > MAX_PERIOD_DAYS:
                raise forms.ValidationError(
                    _("Chọn khoảng thời gian không quá %(years)s năm.") % {"years": 2}
                )
        return data

    def period_range(self) -> tuple[date, date]:
        """(start, end) of the chosen period; the default one when the form is invalid or empty."""
        today = self.today
        data = self._valid_data()
        period = data.get("period") or self.DEFAULT_PERIOD
        if period == self.CUSTOM:
            return data["start"], data["end"]
        if period == self.YEAR:
            return today.replace(month=1, day=1), today
        if period == self.QUARTER:
            first = today.replace(day=1)
            for _step in range(2):
                first = (first - timedelta(days=1)).replace(day=1)
            return first, today
        if period == self.MONTH:
            return today.replace(day=1), today
        return self.default_range(today)

    def default_range(self, today: date) -> tuple[date, date]:
        return today.replace(day=1), today

    def _valid_data(self) -> dict:
        return self.cleaned_data if self.is_bound and self.is_valid() else {}

    def commune_ids(self) -> list[int] | None:
        """The one commune chosen, or None for all the user's communes."""
        if not self.several_communes:
            return None
        chosen = self._valid_data().get("commune")
        return None if chosen is None else [chosen]
