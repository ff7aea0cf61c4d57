"""Writes of survey campaigns: create from a shipped questionnaire, edit, open, close.

Every write checks the actor's role, permission and commune (`require_commune_role`);
django-auditlog records each change with its actor.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thanthien.core.staff import require_commune_role
from thanthien.places.models import Commune, Hamlet
from thanthien.surveys.definitions import SHIPPED_DIR, shipped_questionnaires
from thanthien.surveys.models import Campaign, ResponseChannel

MANAGER_ROLES = frozenset({"commune_admin", "commune_leader"})
PUBLIC_CODE_BYTES = 6  # token_urlsafe(6): 8 characters, 2^48 codes


def new_public_code() -> str:
    """A short, unguessable code for the public link /khao-sat/<code>/."""
    while True:
        code = secrets.token_urlsafe(PUBLIC_CODE_BYTES)
        if not Campaign.objects.filter(public_code=code).exists():
            return code


def shipped_choices() -> list[tuple[str, str]]:
    """("<id>:<version>", title) of every shipped questionnaire, for a select."""
    return [
        (f"{qid}:{version}", f"{questionnaire.title.vi} ({qid}, v{version})")
        for (qid, version), questionnaire in sorted(shipped_questionnaires().items())
    ]


def _shipped_definition(key: str) -> tuple[str, int, dict]:
    found = shipped_questionnaires()
    qid, _sep, version = key.partition(":")
    try:
        questionnaire = found[(qid, int(version))]
    except (KeyError, ValueError):
        raise ValidationError(
            {"questionnaire": _("Không có bộ câu hỏi “%(key)s”.") % {"key": key}}
        ) from None
    raw = json.loads((SHIPPED_DIR / questionnaire.source).read_text(encoding="utf-8"))
    return questionnaire.id, questionnaire.version, raw


def _require_manager(actor, commune_id: int) -> None:
    require_commune_role(
        actor,
        commune_id,
        roles=MANAGER_ROLES,
        perm="surveys.change_campaign",
        message=_("Chỉ quản trị viên và lãnh đạo xã được quản lý đợt khảo sát của xã."),
    )


def _clean_fields(
    *,
    commune_id: int,
    title: str,
    starts_on: date,
    ends_on: date,
    channels: Iterable[str],
    target_per_hamlet: Mapping,
    satisfaction_target,
) -> dict:
    errors: dict[str, str] = {}
    title = (title or "").strip()
    if not title:
        errors["title"] = _("Xin ghi tên đợt khảo sát.")
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = _("Ngày kết thúc phải từ ngày bắt đầu trở đi.")
    chosen = [c for c in ResponseChannel.values if c in set(channels or ())]
    if not chosen or len(chosen) != len(set(channels or ())):
        errors["channels"] = _("Chọn ít nhất một hình thức khảo sát.")
    target = Decimal(str(satisfaction_target))
    if not Decimal(0) < target <= Decimal(1):
        errors["satisfaction_target"] = _("Mục tiêu hài lòng phải từ trên 0% đến 100%.")
    hamlet_ids = set(Hamlet.objects.filter(commune_id=commune_id).values_list("pk", flat=True))
    targets: dict[str, int] = {}
    for hamlet_id, count in (target_per_hamlet or {}).items():
        if int(hamlet_id) not in hamlet_ids:
            errors["target_per_hamlet"] = _("Có thôn không thuộc xã.")
            continue
        if count is None or count == "":
            continue
        if int(count) < 0:
            errors["target_per_hamlet"] = _("Số phiếu cần đạt không được âm.")
            continue
        if int(count):
            targets[str(int(hamlet_id))] = int(count)
    if errors:
        raise ValidationError(errors)
    return {
        "title": title,
        "starts_on": starts_on,
        "ends_on": ends_on,
        "channels": chosen,
        "target_per_hamlet": targets,
        "satisfaction_target": target,
    }


def campaign_create(
    *,
    actor,
    commune: Commune,
    questionnaire: str,
    title: str,
    starts_on: date,
    ends_on: date,
    channels: Iterable[str],
    target_per_hamlet: Mapping | None = None,
    satisfaction_target=Decimal("0.9"),
    results_public: bool = False,
) -> Campaign:
    """A draft campaign of `commune` with a snapshot of the shipped questionnaire
    `questionnaire` ("<id>:<version>")."""
    _require_manager(actor, commune.pk)
    fields = _clean_fields(
        commune_id=commune.pk,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        channels=channels,
        target_per_hamlet=target_per_hamlet or {},
        satisfaction_target=satisfaction_target,
    )
    qid, version, definition = _shipped_definition(questionnaire)
    return Campaign.objects.create(
        commune=commune,
        questionnaire_id=qid,
        questionnaire_version=version,
        definition=definition,
        public_code=new_public_code(),
        results_public=bool(results_public),
        created_by=actor,
        **fields,
    )


def campaign_update(
    *,
    actor,
    campaign: Campaign,
    title: str,
    starts_on: date,
    ends_on: date,
    channels: Iterable[str],
    target_per_hamlet: Mapping | None = None,
    satisfaction_target=Decimal("0.9"),
    results_public: bool = False,
) -> Campaign:
    """Change a campaign that has not ended; its questionnaire stays as launched. In a
    campaign the province launched, the title, period and channels stay as the province set
    them: the commune sets its targets and whether to publish its results."""
    _require_manager(actor, campaign.commune_id)
    if campaign.state == Campaign.State.CLOSED:
        raise ValidationError(_("Đợt khảo sát đã kết thúc, không sửa được nữa."))
    if campaign.province_campaign_id:
        title, starts_on, ends_on = campaign.title, campaign.starts_on, campaign.ends_on
        channels = list(campaign.channels or [])
    fields = _clean_fields(
        commune_id=campaign.commune_id,
        title=title,
        starts_on=starts_on,
        ends_on=ends_on,
        channels=channels,
        target_per_hamlet=target_per_hamlet or {},
        satisfaction_target=satisfaction_target,
    )
    for name, value in fields.items():
        setattr(campaign, name, value)
    campaign.results_public = bool(results_public)
    campaign.save()
    return campaign


def _move(*, actor, campaign: Campaign, source: str, target: str, refusal: str) -> Campaign:
    """Move a campaign from state `source` to `target`, under a row lock; `refusal` otherwise."""
    _require_manager(actor, campaign.commune_id)
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.state != source:
        raise ValidationError(refusal)
    campaign.state = target
    campaign.save(update_fields=["state"])
    return campaign


@transaction.atomic
def campaign_open(*, actor, campaign: Campaign) -> Campaign:
    """Start taking responses (a draft campaign only)."""
    return _move(
        actor=actor,
        campaign=campaign,
        source=Campaign.State.DRAFT,
        target=Campaign.State.OPEN,
        refusal=_("Chỉ mở được đợt khảo sát đang chuẩn bị."),
    )


@transaction.atomic
def campaign_close(*, actor, campaign: Campaign) -> Campaign:
    """Stop taking responses; a closed campaign is not reopened."""
    return _move(
        actor=actor,
        campaign=campaign,
        source=Campaign.State.OPEN,
        target=Campaign.State.CLOSED,
        refusal=_("Chỉ kết thúc được đợt khảo sát đang diễn ra."),
    )
