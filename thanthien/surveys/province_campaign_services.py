"""Writes of province campaigns: the province admin puts one questionnaire to a chosen set of
its communes (or all) for one period, which creates one ordinary commune `Campaign` per
commune; then opens or closes them all at once.

Each commune's campaign is a normal campaign: the commune sets its own target sample per
hamlet (and its satisfaction target, and whether to publish its results) on it, prints its
paper forms and enters its responses. The title, period, channels and questionnaire stay as
the province set them.

Campaigns are written with bulk inserts and updates (one query whatever the number of
communes), so their audit entries are written explicitly.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.encoding import smart_str
from django.utils.translation import gettext as _

from thanthien.people.roles import Role
from thanthien.places.models import Commune, Province
from thanthien.surveys.campaign_services import (
    PUBLIC_CODE_BYTES,
    _clean_fields,
    _shipped_definition,
)
from thanthien.surveys.models import Campaign, ProvinceCampaign
from thanthien.surveys.results_cache import invalidate_campaign_results

PROVINCE_MANAGER_ROLES = frozenset({Role.PROVINCE_ADMIN})
DUPLICATE_WINDOW = timedelta(minutes=10)
#: Fields the province sets for every commune; a commune cannot change them.
PROVINCE_FIELDS = ("title", "starts_on", "ends_on", "channels")


def can_manage_province(user, province_id: int | None) -> bool:
    """A province admin of this province (or a superuser) with the permission."""
    if not user.is_authenticated or not user.is_active:
        return False
    if not user.has_perm("surveys.change_provincecampaign"):
        return False
    return user.is_superuser or (
        user.role in PROVINCE_MANAGER_ROLES and user.province_id == province_id
    )


def _require_province_manager(actor, province_id: int | None) -> None:
    if not can_manage_province(actor, province_id):
        raise PermissionDenied(
            _("Chỉ quản trị viên của tỉnh được quản lý đợt khảo sát của tỉnh mình.")
        )


def _audit(campaigns: list[Campaign], *, action: str, changes) -> None:
    """Bulk writes skip django-auditlog's signals: one entry per campaign, in one query."""
    from auditlog.models import LogEntry

    action = {"create": LogEntry.Action.CREATE, "update": LogEntry.Action.UPDATE}[action]
    if not campaigns:
        return
    content_type = ContentType.objects.get_for_model(Campaign)
    LogEntry.objects.bulk_create(
        [
            LogEntry(
                content_type=content_type,
                object_pk=str(campaign.pk),
                object_id=campaign.pk,
                object_repr=smart_str(campaign),
                action=action,
                changes=changes(campaign),
                additional_data=campaign.get_additional_data(),
            )
            for campaign in campaigns
        ]
    )


def _chosen_communes(province: Province, communes: Iterable[Commune] | None) -> list[Commune]:
    ids = {c.pk if isinstance(c, Commune) else int(c) for c in communes or ()}
    found = Commune.objects.filter(province=province).order_by("name")
    if not ids:
        chosen = list(found)
        if not chosen:
            raise ValidationError({"communes": _("Tỉnh chưa có xã nào.")})
        return chosen
    chosen = list(found.filter(pk__in=ids))
    if len(chosen) != len(ids):
        raise ValidationError({"communes": _("Có xã không thuộc tỉnh.")})
    return chosen


@transaction.atomic
def province_campaign_create(
    *,
    actor,
    province: Province,
    questionnaire: str,
    title: str,
    starts_on: date,
    ends_on: date,
    channels: Iterable[str],
    communes: Iterable[Commune] | None = None,
    satisfaction_target=Decimal("0.9"),
    results_public: bool = False,
) -> ProvinceCampaign:
    """A province campaign and one draft commune campaign for each of `communes` (all the
    province's communes when none are given), with a snapshot of the shipped questionnaire
    `questionnaire` ("<id>:<version>")."""
    _require_province_manager(actor, province.pk)
    fields = _clean_fields(
        commune_id=0,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        channels=channels,
        target_per_hamlet={},
        satisfaction_target=satisfaction_target,
    )
    fields.pop("target_per_hamlet")
    chosen = _chosen_communes(province, communes)
    qid, version, definition = _shipped_definition(questionnaire)
    # A double submit makes one campaign: the province row serialises concurrent creations,
    # and the same campaign created by the same person moments ago is returned as it is.
    Province.objects.select_for_update().filter(pk=province.pk).first()
    duplicate = ProvinceCampaign.objects.filter(
        province=province,
        created_by=actor,
        questionnaire_id=qid,
        questionnaire_version=version,
        title=fields["title"],
        starts_on=fields["starts_on"],
        ends_on=fields["ends_on"],
        created_at__gte=timezone.now() - DUPLICATE_WINDOW,
    ).first()
    if duplicate is not None:
        return duplicate
    parent = ProvinceCampaign.objects.create(
        province=province,
        questionnaire_id=qid,
        questionnaire_version=version,
        definition=definition,
        created_by=actor,
        **fields,
    )
    campaigns = Campaign.objects.bulk_create(
        [
            Campaign(
                commune=commune,
                province_campaign=parent,
                questionnaire_id=qid,
                questionnaire_version=version,
                definition=definition,
                # 2^48 codes: a clash among a province's few hundred is not a real risk, and
                # the unique constraint would roll the whole creation back rather than mix.
                public_code=secrets.token_urlsafe(PUBLIC_CODE_BYTES),
                results_public=bool(results_public),
                created_by=actor,
                target_per_hamlet={},
                **fields,
            )
            for commune in chosen
        ]
    )
    _audit(
        campaigns,
        action="create",
        changes=lambda c: {
            "commune": ["None", str(c.commune_id)],
            "province_campaign": ["None", str(parent.pk)],
            "title": ["None", c.title],
            "state": ["None", c.state],
        },
    )
    return parent


def _move_all(
    *, actor, province_campaign: ProvinceCampaign, source: str, target: str, none: str
) -> int:
    _require_province_manager(actor, province_campaign.province_id)
    campaigns = list(
        Campaign.objects.select_for_update()
        .filter(province_campaign=province_campaign, state=source)
        .order_by("pk")
    )
    if not campaigns:
        raise ValidationError(none)
    Campaign.objects.filter(pk__in=[c.pk for c in campaigns]).update(
        state=target, updated_at=timezone.now()
    )
    _audit(campaigns, action="update", changes=lambda c: {"state": [source, target]})
    for campaign in campaigns:
        invalidate_campaign_results(campaign.pk)
    return len(campaigns)


@transaction.atomic
def province_campaign_open(*, actor, province_campaign: ProvinceCampaign) -> int:
    """Open every commune campaign of it that is still being prepared; how many."""
    return _move_all(
        actor=actor,
        province_campaign=province_campaign,
        source=Campaign.State.DRAFT,
        target=Campaign.State.OPEN,
        none=_("Không còn xã nào đang chuẩn bị để mở khảo sát."),
    )


@transaction.atomic
def province_campaign_close(*, actor, province_campaign: ProvinceCampaign) -> int:
    """Close every commune campaign of it that is open; how many."""
    return _move_all(
        actor=actor,
        province_campaign=province_campaign,
        source=Campaign.State.OPEN,
        target=Campaign.State.CLOSED,
        none=_("Không có xã nào đang khảo sát để kết thúc."),
    )
