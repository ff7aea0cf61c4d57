"""Results pages: a campaign's indices (staff, and public when the commune publishes them)
and the indices of transaction ratings (staff), each with SVG charts, tables and an XLSX.

Staff URLs: thanthien/surveys/results_urls.py; the public page /khao-sat/<code>/ket-qua/ is
in thanthien/surveys/urls.py.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thanthien.core import charts, ratelimit
from thanthien.core.staff import (
    download_response,
    register_scoped_view,
    require_perm,
    staff_required,
)
from thanthien.onestop.dossier_selectors import today_local
from thanthien.surveys import results as selectors
from thanthien.surveys.campaign_views import campaign_or_404
from thanthien.surveys.models import Campaign
from thanthien.surveys.results_cache import cached_campaign_results
from thanthien.surveys.results_export import (
    XLSX_TYPE,
    campaign_results_xlsx,
    rating_indices_xlsx,
)

register_scoped_view("staff:campaign_results", "surveys.Campaign")
register_scoped_view("staff:campaign_results_xlsx", "surveys.Campaign")

DATE_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
RESULTS_SCOPE = "survey-results"


def _index_chart(title: str, rows, target) -> str:
    return charts.index_chart(title=title, bars=[row.bar() for row in rows], target=float(target))


def _campaign_context(results: selectors.CampaignResults, *, public: bool) -> dict:
    campaign = results.campaign
    # The satisfaction-question breakdown repeats the factors question by question; the
    # public page keeps it, it holds no personal data.
    sections = [
        {
            "breakdown": breakdown,
            "chart": _index_chart(
                _("%(title)s — tỷ lệ hài lòng") % {"title": breakdown.title},
                breakdown.rows,
                results.target,
            ),
        }
        for breakdown in results.breakdowns
    ]
    return {
        "campaign": campaign,
        "commune": campaign.commune,
        "results": results,
        "sections": sections,
        "overall_chart": _index_chart(_("Tỷ lệ hài lòng chung"), [results.overall], results.target),
        "target_text": charts.format_percent(float(results.target) * 100),
        "public": public,
    }


@staff_required()
def campaign_results(request, pk: int):
    campaign = campaign_or_404(request, pk, perm="surveys.view_campaign")
    results = selectors.campaign_results(campaign)
    return render(
        request, "surveys/results/campaign.html", _campaign_context(results, public=False)
    )


@staff_required()
def campaign_results_export(request, pk: int):
    campaign = campaign_or_404(request, pk, perm="surveys.view_campaign")
    content = campaign_results_xlsx(selectors.campaign_results(campaign))
    return download_response(content, XLSX_TYPE, f"ket-qua-khao-sat-{campaign.pk}.xlsx")


def public_campaign_results(request, public_code: str):
    """The results of a campaign whose commune chose to publish them; 404 otherwise.

    Counts and indices only: no free-text answer, no phone, no name. Views are limited per
    client address (THANTHIEN_SURVEY_RESULTS_RATE) and the computed indices are cached for a
    few minutes (results_cache), dropped when a response arrives."""
    campaign = (
        Campaign.objects.select_related("commune__province")
        .filter(public_code=public_code, results_public=True)
        .exclude(state=Campaign.State.DRAFT)
        .first()
    )
    if campaign is None:
        raise Http404
    verdict = ratelimit.hit(
        request, scope=RESULTS_SCOPE, rate=settings.THANTHIEN_SURVEY_RESULTS_RATE
    )
    if not verdict.allowed:
        minutes = max(1, -(-verdict.retry_after // 60))
        response = render(
            request,
            "surveys/results/public_limited.html",
            {"campaign": campaign, "commune": campaign.commune, "retry_minutes": minutes},
            status=429,
        )
        response["Retry-After"] = str(verdict.retry_after)
        return response
    results = cached_campaign_results(campaign)
    context = _campaign_context(results, public=True)
    context["section"] = "survey_results"
    return render(request, "surveys/results/public.html", context)


class RatingPeriodForm(forms.Form):
    tu_ngay = forms.DateField(label=gettext_lazy("Từ ngày"), input_formats=DATE_FORMATS)
    den_ngay = forms.DateField(label=gettext_lazy("Đến ngày"), input_formats=DATE_FORMATS)
    muc_tieu = forms.IntegerField(
        label=gettext_lazy("Mục tiêu hài lòng (%)"), min_value=1, max_value=100
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("tu_ngay"), data.get("den_ngay")
        if start and end and end < start:
            raise forms.ValidationError(_("Ngày kết thúc phải sau ngày bắt đầu."))
        return data


def _period(request) -> tuple[RatingPeriodForm, dict]:
    today = today_local()
    default = {
        "tu_ngay": (today.replace(day=1) - timedelta(days=335)).replace(day=1),
        "den_ngay": today,
        "muc_tieu": _commune_target(request.user),
    }
    if any(key in request.GET for key in default):
        form = RatingPeriodForm(request.GET)
        if form.is_valid():
            return form, form.cleaned_data
        return form, default
    initial = {
        "tu_ngay": f"{default['tu_ngay']:%d/%m/%Y}",
        "den_ngay": f"{default['den_ngay']:%d/%m/%Y}",
        "muc_tieu": default["muc_tieu"],
    }
    return RatingPeriodForm(initial=initial), default


def _commune_target(user) -> int:
    """The target the user's commune set (portal.CommuneProfile), else the default 90%."""
    from thanthien.portal.models import CommuneProfile

    target = (
        CommuneProfile.objects.filter(commune_id=user.commune_id)
        .values_list("satisfaction_target", flat=True)
        .first()
        if getattr(user, "commune_id", None)
        else None
    )
    return target or int(selectors.DEFAULT_RATING_TARGET * 100)


def _rating_indices(request) -> tuple[RatingPeriodForm, selectors.RatingIndices]:
    form, period = _period(request)
    return form, selectors.rating_indices(
        request.user,
        start=period["tu_ngay"],
        end=period["den_ngay"],
        target=Decimal(period["muc_tieu"]) / 100,
    )


@staff_required()
def rating_indices(request):
    require_perm(request.user, "surveys.view_rating")
    form, result = _rating_indices(request)
    sections = []
    for breakdown in result.breakdowns:
        sections.append(
            {
                "breakdown": breakdown,
                "service_chart": _index_chart(
                    _("%(title)s — hài lòng với dịch vụ") % {"title": breakdown.title},
                    [row.service for row in breakdown.rows],
                    result.target,
                ),
                "official_chart": _index_chart(
                    _("%(title)s — hài lòng với cán bộ") % {"title": breakdown.title},
                    [row.official for row in breakdown.rows],
                    result.target,
                ),
            }
        )
    context = {
        "form": form,
        "result": result,
        "sections": sections,
        "overall_chart": _index_chart(
            _("Tỷ lệ hài lòng chung"),
            [
                selectors.index_row(
                    key="service",
                    label=_("Với dịch vụ"),
                    index=result.overall.service.index,
                    target=result.target,
                ),
                selectors.index_row(
                    key="official",
                    label=_("Với cán bộ phục vụ"),
                    index=result.overall.official.index,
                    target=result.target,
                ),
            ],
            result.target,
        ),
        "target_text": charts.format_percent(float(result.target) * 100),
        "query": request.GET.urlencode(),
    }
    return render(request, "surveys/results/ratings.html", context)


@staff_required()
def rating_indices_export(request):
    require_perm(request.user, "surveys.view_rating")
    _form, result = _rating_indices(request)
    content = rating_indices_xlsx(result)
    return download_response(
        content, XLSX_TYPE, f"chi-so-hai-long-{result.start:%Y%m%d}-{result.end:%Y%m%d}.xlsx"
    )
