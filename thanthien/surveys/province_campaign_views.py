"""Staff pages of province campaigns, under /staff/khao-sat/tinh/: the list, create (province
admin), the detail with every commune's progress, open or close them all, and the results per
commune and overall with an XLSX export.

Only province users see these pages (the permission `surveys.view_provincecampaign`), and
only the campaigns of their own province (`ProvinceCampaign.objects.visible_to`). Commune
users work on their own commune's linked campaign through the ordinary campaign pages.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from thanthien.core import charts
from thanthien.core.forms import errors_into
from thanthien.core.staff import (
    download_response,
    post_decision,
    register_scoped_view,
    require_perm,
    scoped_or_404,
    staff_required,
)
from thanthien.places.models import Commune
from thanthien.surveys import campaign_selectors
from thanthien.surveys import province_campaign_selectors as selectors
from thanthien.surveys import province_campaign_services as services
from thanthien.surveys.models import Campaign, ProvinceCampaign, ResponseChannel
from thanthien.surveys.province_campaign_export import province_results_xlsx
from thanthien.surveys.province_campaign_forms import ProvinceCampaignForm
from thanthien.surveys.results import FACTOR_LABELS
from thanthien.surveys.results_export import XLSX_TYPE

for _name in (
    "province_campaign_detail",
    "province_campaign_open",
    "province_campaign_close",
    "province_campaign_results",
    "province_campaign_results_xlsx",
):
    register_scoped_view(f"staff:{_name}", "surveys.ProvinceCampaign")


def province_campaign_or_404(request, pk: int, *, perm: str) -> ProvinceCampaign:
    """The province campaign `pk` of the user's province, after `perm` (403, else 404)."""
    return scoped_or_404(
        request.user, selectors.province_campaigns_visible_to(request.user), pk, perm=perm
    )


@staff_required()
def province_campaign_list(request):
    require_perm(request.user, "surveys.view_provincecampaign")
    return render(
        request,
        "surveys/province/list.html",
        {
            "rows": selectors.province_campaign_rows(request.user),
            "can_manage": services.can_manage_province(request.user, request.user.province_id),
        },
    )


@staff_required(services.PROVINCE_MANAGER_ROLES)
def province_campaign_create(request):
    require_perm(request.user, "surveys.add_provincecampaign")
    province = request.user.province
    if province is None:
        raise PermissionDenied
    communes = Commune.objects.filter(province=province).order_by("name")
    form = ProvinceCampaignForm(request.POST or None, communes=communes)
    if request.method == "POST" and form.is_valid():
        try:
            parent = services.province_campaign_create(
                actor=request.user, province=province, **form.service_kwargs()
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(
                request,
                _(
                    "Đã tạo đợt khảo sát cho các xã. Mỗi xã đặt số phiếu cần đạt theo thôn; "
                    "bấm Mở khảo sát khi sẵn sàng."
                ),
            )
            return redirect("staff:province_campaign_detail", pk=parent.pk)
    return render(request, "surveys/province/form.html", {"form": form})


@staff_required()
def province_campaign_detail(request, pk: int):
    parent = province_campaign_or_404(request, pk, perm="surveys.view_provincecampaign")
    campaigns = list(
        Campaign.objects.filter(province_campaign=parent)
        .select_related("commune")
        .order_by("commune__name", "pk")
    )
    progress = campaign_selectors.campaign_progress(campaigns)
    states = {c.state for c in campaigns}
    context = {
        "parent": parent,
        "rows": [(campaign, progress[campaign.pk]) for campaign in campaigns],
        "can_manage": services.can_manage_province(request.user, parent.province_id),
        "can_open": Campaign.State.DRAFT in states,
        "can_close": Campaign.State.OPEN in states,
        "channel_labels": [
            label for value, label in ResponseChannel.choices if value in (parent.channels or [])
        ],
    }
    return render(request, "surveys/province/detail.html", context)


def _move(request, pk: int, service, done: str):
    parent = province_campaign_or_404(request, pk, perm="surveys.change_provincecampaign")
    return post_decision(
        request,
        call=lambda: service(actor=request.user, province_campaign=parent),
        done=done,
        to=reverse("staff:province_campaign_detail", args=[parent.pk]),
    )


@staff_required(services.PROVINCE_MANAGER_ROLES)
def province_campaign_open(request, pk: int):
    return _move(request, pk, services.province_campaign_open, _("Đã mở khảo sát ở các xã."))


@staff_required(services.PROVINCE_MANAGER_ROLES)
def province_campaign_close(request, pk: int):
    return _move(request, pk, services.province_campaign_close, _("Đã kết thúc khảo sát ở các xã."))


@staff_required()
def province_campaign_results(request, pk: int):
    parent = province_campaign_or_404(request, pk, perm="surveys.view_provincecampaign")
    results = selectors.province_results(parent)
    target = float(results.target)
    context = {
        "parent": parent,
        "results": results,
        "factor_labels": [str(label) for label in FACTOR_LABELS.values()],
        "target_text": charts.format_percent(target * 100),
        "commune_chart": charts.index_chart(
            title=_("Tỷ lệ hài lòng theo xã"),
            bars=[row.overall.bar() for row in results.communes],
            target=target,
        ),
        "factor_chart": charts.index_chart(
            title=_("Tỷ lệ hài lòng theo yếu tố (toàn tỉnh)"),
            bars=[row.bar() for row in results.factors],
            target=target,
        ),
    }
    return render(request, "surveys/province/results.html", context)


@staff_required()
def province_campaign_results_export(request, pk: int):
    parent = province_campaign_or_404(request, pk, perm="surveys.view_provincecampaign")
    content = province_results_xlsx(selectors.province_results(parent))
    return download_response(content, XLSX_TYPE, f"ket-qua-khao-sat-tinh-{parent.pk}.xlsx")
