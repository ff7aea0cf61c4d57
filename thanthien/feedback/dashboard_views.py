"""The feedback dashboard page and its XLSX export (same filters, same numbers)."""

from django.conf import settings
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from thanthien.core import charts, tenancy
from thanthien.core.staff import download_response, require_perm, staff_required
from thanthien.core.tabular import XLSX_CONTENT_TYPE
from thanthien.feedback.dashboard import (
    BreakdownRow,
    Dashboard,
    Satisfaction,
    feedback_dashboard,
    today_local,
)
from thanthien.feedback.dashboard_export import dashboard_xlsx
from thanthien.feedback.dashboard_forms import FeedbackDashboardFilterForm

VIEW_PERM = "feedback.view_feedbackitem"
# The bar charts show the busiest groups; the tables below them list every group.
CHART_ROWS = 12


def _load(request) -> tuple[FeedbackDashboardFilterForm, Dashboard]:
    require_perm(request.user, VIEW_PERM)
    today = today_local()
    form = FeedbackDashboardFilterForm(request.GET or None, user=request.user, today=today)
    start, end = form.period_range()
    dashboard = feedback_dashboard(
        user=request.user,
        start=start,
        end=end,
        commune_ids=form.commune_ids(),
        category=form.chosen_category(),
        source=form.chosen_source(),
        today=today,
    )
    return form, dashboard


def scope_label(request, dashboard: Dashboard) -> str:
    ids = dashboard.commune_ids
    if ids is not None and len(ids) == 1:
        commune = tenancy.visible_communes(request.user).filter(pk=ids[0]).first()
        if commune is not None:
            return commune.name
    return _("Tất cả các xã được giao")


def filter_labels(form: FeedbackDashboardFilterForm, dashboard: Dashboard) -> list[str]:
    """The category and channel chosen, as words (for the page's lead and the workbook)."""
    labels = []
    for name, value in (("category", dashboard.category), ("source", dashboard.source)):
        if value:
            labels.append(str(dict(form.fields[name].choices).get(value, value)))
    return labels


def _series() -> list[charts.Series]:
    # On time dark solid, late red hatched, pending pale grey, merged/redirected amber lines:
    # told apart in colour and in black and white (core.charts.STYLES).
    return [
        charts.Series(_("Trả lời đúng hạn"), style=0),
        charts.Series(_("Quá hạn"), style=2),
        charts.Series(_("Chưa đến hạn"), style=5),
        charts.Series(_("Trùng, chuyển hướng"), style=3),
    ]


def _bar_chart(title: str, rows: list[BreakdownRow], description: str) -> str:
    shown = sorted(rows, key=lambda r: (-r.counts.received, r.label))[:CHART_ROWS]
    shown = [row for row in rows if row in shown]
    if len(rows) > len(shown):
        description = _(
            "%(description)s Biểu đồ chỉ vẽ %(shown)s nhóm có nhiều ý kiến nhất; "
            "bảng bên dưới có đủ %(count)s nhóm."
        ) % {"description": description, "shown": len(shown), "count": len(rows)}
    return charts.stacked_bar_chart(
        title=title,
        description=description,
        series=_series(),
        rows=[charts.Row(row.label, row.counts.timeliness_values()) for row in shown],
    )


def _index_bar(label: str, satisfaction: Satisfaction) -> charts.IndexBar:
    low, high = satisfaction.interval
    return charts.IndexBar(
        label=label, n=satisfaction.rated, share=satisfaction.share, low=low, high=high
    )


def _charts(dashboard: Dashboard) -> dict[str, str]:
    period = _("Ý kiến nhận từ %(start)s đến %(end)s.") % {
        "start": f"{dashboard.start:%d/%m/%Y}",
        "end": f"{dashboard.end:%d/%m/%Y}",
    }
    rated_categories = [row for row in dashboard.by_category if row.counts.rated]
    return {
        "month": charts.column_chart(
            title=_("Ý kiến tiếp nhận theo tháng và kết quả trả lời"),
            description=period,
            series=_series(),
            columns=[
                charts.Column(
                    f"{row.month:%m/%y}",
                    row.counts.timeliness_values(),
                    long_label=_("Tháng %(month)s") % {"month": row.label},
                )
                for row in dashboard.by_month
            ],
        ),
        "source": _bar_chart(_("Ý kiến theo kênh tiếp nhận"), dashboard.by_source, period),
        "category": _bar_chart(_("Ý kiến theo lĩnh vực"), dashboard.by_category, period),
        "hamlet": _bar_chart(_("Ý kiến theo thôn, tổ dân phố"), dashboard.by_hamlet, period),
        "satisfaction": charts.index_chart(
            title=_("Mức độ hài lòng của người dân với câu trả lời"),
            description=period,
            bars=[
                _index_bar(_("Tất cả lĩnh vực"), dashboard.total.satisfaction),
                *(_index_bar(row.label, row.counts.satisfaction) for row in rated_categories),
            ],
        ),
    }


def _item_url(pk: int) -> str:
    """The item's page in the inbox, when the inbox is installed."""
    try:
        return reverse("staff:feedback:item", kwargs={"pk": pk})
    except NoReverseMatch:
        return ""


@staff_required()
def feedback_dashboard_page(request):
    form, dashboard = _load(request)
    chart_markup = _charts(dashboard)
    breakdowns = [
        ("source", _("Theo kênh tiếp nhận"), _("Kênh"), dashboard.by_source),
        ("category", _("Theo lĩnh vực"), _("Lĩnh vực"), dashboard.by_category),
        ("hamlet", _("Theo thôn, tổ dân phố"), _("Thôn, tổ dân phố"), dashboard.by_hamlet),
    ]
    context = {
        "remind_days": settings.THANTHIEN_FEEDBACK_REMIND_WORKING_DAYS,
        "form": form,
        "dashboard": dashboard,
        "total": dashboard.total,
        "open_counts": dashboard.open_counts,
        "scope_label": scope_label(request, dashboard),
        "filters": filter_labels(form, dashboard),
        "charts": chart_markup,
        "breakdowns": [
            {"key": key, "title": title, "first": first, "rows": rows, "chart": chart_markup[key]}
            for key, title, first, rows in breakdowns
        ],
        "oldest": [(item, _item_url(item.pk)) for item in dashboard.oldest_open],
        "several_communes": form.several_communes,
        "export_query": request.GET.urlencode(),
    }
    return render(request, "feedback/dashboard/dashboard.html", context)


@staff_required()
def feedback_dashboard_xlsx(request):
    form, dashboard = _load(request)
    content = dashboard_xlsx(
        dashboard,
        scope_label=scope_label(request, dashboard),
        filters=filter_labels(form, dashboard),
    )
    filename = f"bang-dieu-khien-gop-y-{dashboard.start:%Y%m%d}-{dashboard.end:%Y%m%d}.xlsx"
    return download_response(content, XLSX_CONTENT_TYPE, filename)
