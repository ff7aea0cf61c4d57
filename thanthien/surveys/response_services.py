"""The one write path for survey responses, whatever the channel (online, phone, paper).

`response_submit` checks the answers against the campaign's snapshot of its questionnaire,
refuses what the campaign does not accept, and writes the Response with one ResponseScore row
per satisfaction answer in a single transaction. Errors are `ValidationError`s with
Vietnamese messages; answer errors are keyed by question id.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.onestop.models import Procedure
from thanthien.places.models import Hamlet
from thanthien.surveys.definitions import Questionnaire, clean_answers, parse_definition
from thanthien.surveys.models import Campaign, PaperForm, Response, ResponseChannel, ResponseScore

PHONE_RE = re.compile(r"^0\d{9}$")
IDEMPOTENCY_KEY_LENGTH = 64


def campaign_questionnaire(campaign: Campaign) -> Questionnaire:
    """The campaign's snapshot of its questionnaire, parsed (cached on the instance)."""
    cached = getattr(campaign, "_questionnaire_cache", None)
    if cached is None or cached[0] is not campaign.definition:
        cached = (campaign.definition, parse_definition(campaign.definition))
        campaign._questionnaire_cache = cached
    return cached[1]


def campaign_option_sources(campaign: Campaign) -> dict[str, list[tuple[str, str]]]:
    """The options a campaign supplies to `options_from` questions, as (value, label) pairs:
    the hamlets of its commune and the commune's procedures in use. Two queries."""
    hamlets = Hamlet.objects.filter(commune_id=campaign.commune_id).order_by("order", "name")
    procedures = Procedure.objects.filter(commune_id=campaign.commune_id, is_active=True).order_by(
        "name"
    )
    return {
        "hamlets": [(str(pk), name) for pk, name in hamlets.values_list("pk", "name")],
        "procedures": [(str(pk), name) for pk, name in procedures.values_list("pk", "name")],
    }


def option_values(sources: Mapping[str, Iterable[tuple[str, str]]]) -> dict[str, list[str]]:
    return {name: [value for value, _label in pairs] for name, pairs in sources.items()}


def _contact_phone(consent: bool, phone: str) -> str:
    phone = "".join((phone or "").split()).replace(".", "")
    if phone and not consent:
        raise ValidationError(
            {"contact_phone": _("Chỉ ghi số điện thoại khi ông/bà đồng ý để xã liên hệ lại.")}
        )
    if consent and not phone:
        raise ValidationError({"contact_phone": _("Xin ghi số điện thoại để xã liên hệ lại.")})
    if phone and not PHONE_RE.match(phone):
        raise ValidationError(
            {"contact_phone": _("Số điện thoại gồm 10 chữ số bắt đầu bằng 0 (ví dụ 0912345678).")}
        )
    return phone


def _check_paper_form(campaign: Campaign, channel: str, paper_form: PaperForm | None) -> None:
    if channel == ResponseChannel.PAPER and paper_form is None:
        raise ValidationError({"paper_form": _("Phiếu giấy cần có số phiếu.")})
    if paper_form is None:
        return
    if channel != ResponseChannel.PAPER:
        raise ValidationError({"paper_form": _("Chỉ phiếu giấy mới có số phiếu.")})
    if paper_form.campaign_id != campaign.pk:
        raise ValidationError(
            {
                "paper_form": _("Phiếu số %(number)s thuộc một đợt khảo sát khác.")
                % {"number": paper_form.number}
            }
        )
    if Response.objects.filter(paper_form=paper_form).exists():
        raise ValidationError(
            {
                "paper_form": _("Phiếu số %(number)s đã được nhập rồi.")
                % {"number": paper_form.number}
            }
        )


def _hamlet_from_answers(
    questionnaire: Questionnaire, values: Mapping[str, Any], hamlet_ids: Iterable[str]
) -> int | None:
    known = set(hamlet_ids)
    for question in questionnaire.questions:
        if question.options_from == "hamlets" and values.get(question.id) in known:
            return int(values[question.id])
    return None


def response_submit(
    *,
    campaign: Campaign,
    answers: dict,
    channel: str,
    hamlet: Hamlet | None = None,
    entered_by=None,
    paper_form: PaperForm | None = None,
    idempotency_key: str | None = None,
    consent_contact: bool = False,
    contact_phone: str = "",
    submitted_at: datetime | None = None,
) -> Response:
    """Record one respondent's answers to an open campaign.

    The same idempotency key returns the response already recorded under it. Answers to
    questions hidden by skip logic are dropped; the hamlet, when not given, is taken from the
    answer to the questionnaire's hamlet question (`options_from: hamlets`).
    """
    key = (idempotency_key or "").strip()[:IDEMPOTENCY_KEY_LENGTH] or None
    if key is not None:
        existing = Response.objects.filter(idempotency_key=key, campaign=campaign).first()
        if existing is not None:
            return existing
    if campaign.state != Campaign.State.OPEN:
        raise ValidationError(
            _("Đợt khảo sát “%(title)s” không nhận phiếu: %(state)s.")
            % {"title": campaign.title, "state": campaign.get_state_display()}
        )
    if channel not in ResponseChannel.values:
        raise ValidationError({"channel": _("Hình thức khảo sát không hợp lệ.")})
    if channel not in (campaign.channels or []):
        raise ValidationError(
            {
                "channel": _("Đợt khảo sát này không nhận phiếu theo hình thức “%(channel)s”.")
                % {"channel": ResponseChannel(channel).label}
            }
        )
    if channel in (ResponseChannel.PHONE, ResponseChannel.PAPER) and entered_by is None:
        raise ValidationError({"entered_by": _("Cần ghi người nhập phiếu.")})
    _check_paper_form(campaign, channel, paper_form)
    if hamlet is not None and hamlet.commune_id != campaign.commune_id:
        raise ValidationError({"hamlet": _("Thôn này không thuộc xã của đợt khảo sát.")})
    phone = _contact_phone(bool(consent_contact), contact_phone)

    questionnaire = campaign_questionnaire(campaign)
    sources = option_values(campaign_option_sources(campaign))
    check = clean_answers(questionnaire, answers or {}, choices=sources)
    if check.errors:
        raise ValidationError({qid: [message] for qid, message in check.errors.items()})
    hamlet_id = hamlet.pk if hamlet is not None else None
    if hamlet_id is None:
        hamlet_id = _hamlet_from_answers(questionnaire, check.values, sources["hamlets"])
    if hamlet_id is None and paper_form is not None:
        hamlet_id = paper_form.hamlet_id

    when = submitted_at or timezone.now()
    response = Response(
        commune_id=campaign.commune_id,
        campaign=campaign,
        channel=channel,
        hamlet_id=hamlet_id,
        answers=check.values,
        submitted_at=when,
        entered_by=entered_by,
        paper_form=paper_form,
        idempotency_key=key,
        consent_contact=bool(consent_contact),
        contact_phone=phone,
    )
    try:
        with transaction.atomic():
            response.save()
            scores = []
            for question in check.visible:
                if question.aspect != "satisfaction" or question.id not in check.values:
                    continue
                index_key = question.index_key(check.values[question.id])
                if index_key is None:
                    continue
                scores.append(
                    ResponseScore(
                        response=response,
                        campaign=campaign,
                        hamlet_id=hamlet_id,
                        channel=channel,
                        submitted_at=when,
                        question_id=question.id,
                        factor=question.factor or "",
                        key=index_key,
                    )
                )
            ResponseScore.objects.bulk_create(scores)
    except IntegrityError:
        # A concurrent submit under the same key, or the same paper form entered twice.
        if key is not None:
            existing = Response.objects.filter(idempotency_key=key, campaign=campaign).first()
            if existing is not None:
                return existing
        if paper_form is not None:
            raise ValidationError(
                {
                    "paper_form": _("Phiếu số %(number)s đã được nhập rồi.")
                    % {"number": paper_form.number}
                }
            ) from None
        raise
    return response
