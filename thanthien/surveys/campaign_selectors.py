"""Reads of campaigns: the list a user may see and the progress of each, in fixed queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, QuerySet
from django.urls import reverse

from thanthien.places.models import Hamlet
from thanthien.surveys.models import Campaign, Response, ResponseChannel


def campaigns_visible_to(user) -> QuerySet[Campaign]:
    return Campaign.objects.visible_to(user).select_related("commune", "province_campaign")


def campaign_public_url(campaign: Campaign, *, request) -> str:
    """The campaign's public link /khao-sat/<code>/, where residents answer online."""
    return request.build_absolute_uri(reverse("surveys:survey_answer", args=[campaign.public_code]))


@dataclass
class HamletProgress:
    hamlet_id: int | None
    name: str
    count: int
    target: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.count / self.target) if self.target else None


@dataclass
class Progress:
    total: int = 0
    target: int = 0
    by_channel: dict[str, int] = field(default_factory=dict)
    hamlets: list[HamletProgress] = field(default_factory=list)

    @property
    def percent(self) -> int | None:
        return round(100 * self.total / self.target) if self.target else None

    def channel_rows(self) -> list[tuple[str, int]]:
        return [
            (channel.label, self.by_channel.get(channel.value, 0)) for channel in ResponseChannel
        ]


def campaign_progress(campaigns) -> dict[int, Progress]:
    """Responses per hamlet against its target and per channel, for each campaign: two
    queries whatever the number of campaigns and responses."""
    campaigns = list(campaigns)
    if not campaigns:
        return {}
    counts = (
        Response.objects.filter(campaign__in=[c.pk for c in campaigns])
        .values_list("campaign_id", "hamlet_id", "channel")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_hamlet: dict[int, dict[int | None, int]] = defaultdict(lambda: defaultdict(int))
    by_channel: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for campaign_id, hamlet_id, channel, n in counts:
        by_hamlet[campaign_id][hamlet_id] += n
        by_channel[campaign_id][channel] += n
    hamlets = defaultdict(list)
    for hamlet in Hamlet.objects.filter(commune_id__in={c.commune_id for c in campaigns}).only(
        "pk", "name", "commune_id"
    ):
        hamlets[hamlet.commune_id].append(hamlet)
    result = {}
    for campaign in campaigns:
        counted = by_hamlet[campaign.pk]
        targets = campaign.target_per_hamlet or {}
        rows = [
            HamletProgress(
                hamlet_id=hamlet.pk,
                name=hamlet.name,
                count=counted.get(hamlet.pk, 0),
                target=int(targets.get(str(hamlet.pk), 0)),
            )
            for hamlet in hamlets[campaign.commune_id]
        ]
        known = {row.hamlet_id for row in rows}
        unknown = sum(n for hamlet_id, n in counted.items() if hamlet_id not in known)
        if unknown:
            rows.append(HamletProgress(hamlet_id=None, name="", count=unknown, target=0))
        result[campaign.pk] = Progress(
            total=sum(counted.values()),
            target=sum(row.target for row in rows),
            by_channel=dict(by_channel[campaign.pk]),
            hamlets=rows,
        )
    return result
