"""The desk dashboard page and its XLSX export (same filters, same numbers)."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from thanthien.core import charts, tenancy
from thanthien.core.staff import download_response, require_perm, staff_required
from thanthien.core.tabular import XLSX_CONTENT_TYPE
from thanthien.onestop.dashboard import BreakdownRow, Dashboard, desk_dashboard
from thanthien.onestop.dashboard_export import dashboard_xlsx
from thanthien.onestop.dashboard_forms import DashboardFilterForm
from thanthien.onestop.dossier_selectors import TIMELINESS_LABELS, today_local
from thanthien.onestop.models import Dossier
from thanthien.onestop.volunteer_selectors import on_duty

# The charts show the busiest groups; the tables beside them list every group.
CHART_ROWS = 12


def _load(request) -> tuple[DashboardFilterForm, Dashboard]:
    require_perm(request.user, "onestop.view_dossier")
    today = today_local()
    form = DashboardFilterForm(request.GET or None, user=request.user, today=today)
    start, end = form.period_range()
    dashboard = desk_dashboard(
        user=request.user, start=start, end=end, commune_ids=form.commune_ids(), today=today
    )
    return form, dashboard


def _scope_label(request, dashboard: Dashboard) -> str:
    ids = dashboard.commune_ids
    if ids is not None and len(ids) == 1:
        commune = tenancy.visible_communes(request.user).filter(pk=ids[0]).first()
        if commune is not None:
            return commune.name
    return _("Tất cả các xã được giao")


def _series() -> list[charts.Series]:
    return [charts.Series(str(label)) for label in TIMELINESS_LABELS.values()]


def _bar_chart(title: str, rows: list[BreakdownRow], description: str) -> str:
    shown = rows[:CHART_ROWS]
    if len(rows) > len(shown):
        description = _(
            "%(description)s Biểu đồ chỉ vẽ %(shown)s nhóm có nhiều hồ sơ nhất; "
            "bảng bên cạnh có đủ %(count)s nhóm."
        ) % {"description": description, "shown": len(shown), "count": len(rows)}
    return charts.stacked_bar_chart(
        title=title,
        description=description,
        series=_series(),
        rows=[charts.Row(row.label, row.current.values()) for row in shown],
    )


def _charts(dashboard: Dashboard) -> dict[str, str]:
    period = _("Hồ sơ tiếp nhận từ %(start)s đến %(end)s, đánh giá theo hạn hiện hành.") % {
        "start": f"{dashboard.start:%d/%m/%Y}",
        "end": f"{dashboard.end:%d/%m/%Y}",
    }
    total = dashboard.total
    return {
        "total": charts.stacked_bar_chart(
            title=_("Tỷ lệ trước hạn, đúng hạn, quá hạn trong kỳ"),
            description=_("Hồ sơ tiếp nhận từ %(start)s đến %(end)s.")
            % {"start": f"{dashboard.start:%d/%m/%Y}", "end": f"{dashboard.end:%d/%m/%Y}"},
            series=_series(),
            rows=[
                charts.Row(_("Theo hạn trả hiện hành"), total.current.values()),
                charts.Row(_("Theo hạn trả ban đầu"), total.original.values()),
            ],
        ),
        "month": charts.column_chart(
            title=_("Hồ sơ trước hạn, đúng hạn, quá hạn theo tháng tiếp nhận"),
            description=period,
            series=_series(),
            columns=[
                charts.Column(
                    f"{row.month:%m/%y}",
                    row.current.values(),
                    long_label=_("Tháng %(month)s") % {"month": row.label},
                )
                for row in dashboard.by_month
            ],
        ),
        "procedure": _bar_chart(_("Tỷ lệ đúng hạn theo thủ tục"), dashboard.by_procedure, period),
        "field": _bar_chart(_("Tỷ lệ đúng hạn theo lĩnh vực"), dashboard.by_field, period),
        "official": _bar_chart(
            _("Tỷ lệ đúng hạn theo cán bộ xử lý"), dashboard.by_official, period
        ),
    }


def _volunteers_today(dashboard: Dashboard):
    """Today's volunteers at the desk of the one commune shown (None for several communes)."""
    ids = dashboard.commune_ids
    if ids is None or len(ids) != 1:
        return None
    # dashboard.commune_ids is already narrowed to the user's visible communes.
    return on_duty(commune=ids[0], day=dashboard.today)


@staff_required()
def desk_dashboard_page(request):
    form, dashboard = _load(request)
    breakdowns = [
        ("procedure", _("Theo thủ tục"), _("Thủ tục"), dashboard.by_procedure),
        ("field", _("Theo lĩnh vực"), _("Lĩnh vực"), dashboard.by_field),
        ("official", _("Theo cán bộ xử lý"), _("Cán bộ xử lý"), dashboard.by_official),
    ]
    chart_markup = _charts(dashboard)
    context = {
        "form": form,
        "dashboard": dashboard,
        "counts": dashboard.counts,
        "scope_label": _scope_label(request, dashboard),
        "charts": chart_markup,
        "period_rows": [dashboard.total],
        "breakdowns": [
            {"key": key, "title": title, "first": first, "rows": rows, "chart": chart_markup[key]}
            for key, title, first, rows in breakdowns
        ],
        "open_states": [
            (state, Dossier.State(state).label, count)
            for state, count in dashboard.counts.open_by_state.items()
        ],
        "volunteers": _volunteers_today(dashboard),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "onestop/desk/dashboard.html", context)


@staff_required()
def desk_dashboard_xlsx(request):
    _form, dashboard = _load(request)
    content = dashboard_xlsx(dashboard, scope_label=_scope_label(request, dashboard))
    filename = f"bang-dieu-khien-mot-cua-{dashboard.start:%Y%m%d}-{dashboard.end:%Y%m%d}.xlsx"
    return download_response(content, XLSX_CONTENT_TYPE, filename)
