"""The feedback dashboard's filter: a period (the last 12 months by default, this month, the
last 3 months, this year, from–to), a category, a channel and, for a user who sees several
communes, one commune."""

from datetime import date

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thanthien.feedback.categories import category_choices
from thanthien.feedback.dashboard import UNCLASSIFIED, default_period
from thanthien.feedback.items import Source
from thanthien.onestop.dashboard_forms import DashboardFilterForm


class FeedbackDashboardFilterForm(DashboardFilterForm):
    """The desk dashboard's period and commune, plus a category and a channel; the last 12
    months when no period is chosen."""

    YEAR_BACK = "12-thang"
    DEFAULT_PERIOD = YEAR_BACK
    PERIODS = [(YEAR_BACK, gettext_lazy("12 tháng gần đây")), *DashboardFilterForm.PERIODS]

    period = forms.ChoiceField(
        label=gettext_lazy("Khoảng thời gian"), choices=PERIODS, required=False
    )
    category = forms.ChoiceField(label=gettext_lazy("Lĩnh vực"), required=False)
    source = forms.ChoiceField(label=gettext_lazy("Kênh tiếp nhận"), required=False)

    field_order = ["period", "start", "end", "category", "source", "commune"]

    def __init__(self, data=None, *, user, today: date):
        super().__init__(data, user=user, today=today)
        self.fields["category"].choices = [
            ("", _("Tất cả lĩnh vực")),
            *category_choices(),
            (UNCLASSIFIED, _("Chưa phân loại")),
        ]
        self.fields["source"].choices = [("", _("Tất cả các kênh")), *Source.choices]

    def default_range(self, today: date) -> tuple[date, date]:
        return default_period(today)

    def chosen_category(self) -> str:
        return self._valid_data().get("category") or ""

    def chosen_source(self) -> str:
        return self._valid_data().get("source") or ""
