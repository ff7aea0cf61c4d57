"""Reads of province campaigns: the list a province user may see, and the results of one
campaign per commune and overall, counted in SQL.

`province_results` runs a FIXED number of queries (3) whatever the number of communes and
responses (tests/test_province_campaigns.py pins it): the linked commune campaigns, one
GROUP BY of their score rows over (campaign, factor, key), and one count of responses per
campaign.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, QuerySet

from thanthien.surveys import indices
from thanthien.surveys.models import Campaign, ProvinceCampaign, Response, ResponseScore
from thanthien.surveys.results import FACTOR_LABELS, IndexRow, index_row


def province_campaigns_visible_to(user) -> QuerySet[ProvinceCampaign]:
    return ProvinceCampaign.objects.visible_to(user).select_related("province", "created_by")


@dataclass(frozen=True)
class ProvinceCampaignRow:
    campaign: ProvinceCampaign
    communes: int
    open: int
    responses: int


def province_campaign_rows(user) -> list[ProvinceCampaignRow]:
    """The province campaigns the user sees with their communes and responses: 3 queries."""
    parents = list(province_campaigns_visible_to(user))
    ids = [p.pk for p in parents]
    communes: dict[int, int] = defaultdict(int)
    opened: dict[int, int] = defaultdict(int)
    for parent_id, state, n in (
        Campaign.objects.filter(province_campaign__in=ids)
        .order_by()
        .values_list("province_campaign_id", "state")
        .annotate(n=Count("pk"))
    ):
        communes[parent_id] += n
        if state == Campaign.State.OPEN:
            opened[parent_id] += n
    responses = dict(
        Response.objects.filter(campaign__province_campaign__in=ids)
        .order_by()
        .values_list("campaign__province_campaign_id")
        .annotate(n=Count("pk"))
    )
    return [
        ProvinceCampaignRow(
            campaign=p,
            communes=communes[p.pk],
            open=opened[p.pk],
            responses=responses.get(p.pk, 0),
        )
        for p in parents
    ]


@dataclass(frozen=True)
class CommuneResult:
    """One commune's campaign in a province campaign: its responses and indices."""

    campaign: Campaign
    responses: int
    target_sample: int
    overall: IndexRow
    factors: list[IndexRow]

    @property
    def commune_name(self) -> str:
        return self.campaign.commune.name

    @property
    def sample_percent(self) -> int | None:
        return round(100 * self.responses / self.target_sample) if self.target_sample else None


@dataclass(frozen=True)
class ProvinceResults:
    province_campaign: ProvinceCampaign
    target: Decimal
    responses: int
    target_sample: int
    overall: IndexRow
    factors: list[IndexRow]
    communes: list[CommuneResult]

    def commune(self, commune_id: int) -> CommuneResult:
        return next(row for row in self.communes if row.campaign.commune_id == commune_id)


def _target_sample(campaign: Campaign) -> int:
    total = 0
    for value in (campaign.target_per_hamlet or {}).values():
        try:
            total += max(0, int(value))
        except (TypeError, ValueError):
            continue
    return total


def _factor_rows(by_factor: dict[str, dict[str, int]], target) -> list[IndexRow]:
    return [
        index_row(
            key=factor,
            label=label,
            index=indices.satisfaction_index(by_factor.get(factor, {})),
            target=target,
        )
        for factor, label in FACTOR_LABELS.items()
    ]


def province_results(province_campaign: ProvinceCampaign) -> ProvinceResults:
    """The index of every commune's campaign (overall and per SIPAS factor) against the
    province's target, and the same pooled over all of them, in 3 queries.

    Like a campaign's own index, an index counts satisfaction ANSWERS: the province's overall
    index pools every satisfaction answer of every commune (a commune with more answers
    weighs more), the way the province would count the paper forms put together.
    """
    target = province_campaign.satisfaction_target
    campaigns = list(  # 1
        Campaign.objects.filter(province_campaign=province_campaign)
        .select_related("commune")
        .order_by("commune__name", "pk")
    )
    ids = [c.pk for c in campaigns]
    cells = (  # 2
        ResponseScore.objects.filter(campaign_id__in=ids)
        .order_by()
        .values_list("campaign_id", "factor", "key")
        .annotate(n=Count("pk"))
    )
    per_campaign: dict[int, dict[str, int]] = {}
    per_campaign_factor: dict[int, dict[str, dict[str, int]]] = defaultdict(dict)
    province_factor: dict[str, dict[str, int]] = {}
    province_all: dict[str, int] = dict.fromkeys(indices.SCALE_KEYS, 0)
    for campaign_id, factor, key, n in cells:
        per_campaign.setdefault(campaign_id, dict.fromkeys(indices.SCALE_KEYS, 0))[key] += n
        if factor:
            per_campaign_factor[campaign_id].setdefault(
                factor, dict.fromkeys(indices.SCALE_KEYS, 0)
            )[key] += n
            province_factor.setdefault(factor, dict.fromkeys(indices.SCALE_KEYS, 0))[key] += n
        province_all[key] += n
    responses = dict(  # 3
        Response.objects.filter(campaign_id__in=ids)
        .order_by()
        .values_list("campaign_id")
        .annotate(n=Count("pk"))
    )
    rows = []
    for campaign in campaigns:
        rows.append(
            CommuneResult(
                campaign=campaign,
                responses=responses.get(campaign.pk, 0),
                target_sample=_target_sample(campaign),
                overall=index_row(
                    key=campaign.commune_id,
                    label=campaign.commune.name,
                    index=indices.satisfaction_index(per_campaign.get(campaign.pk, {})),
                    target=target,
                ),
                factors=_factor_rows(per_campaign_factor.get(campaign.pk, {}), target),
            )
        )
    return ProvinceResults(
        province_campaign=province_campaign,
        target=target,
        responses=sum(responses.values()),
        target_sample=sum(row.target_sample for row in rows),
        overall=index_row(
            key="overall",
            label=str(province_campaign.province),
            index=indices.satisfaction_index(province_all),
            target=target,
        ),
        factors=_factor_rows(province_factor, target),
        communes=rows,
    )
