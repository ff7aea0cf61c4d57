"""Writes for paper surveys: printing numbered copies and typing in a returned copy.

A returned copy is recorded through `response_services.response_submit` (the one write path
for responses); a number can be entered once (Response.paper_form is one-to-one).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.core.staff import require_commune_role
from thanthien.people.roles import Role
from thanthien.places.models import Hamlet
from thanthien.surveys.models import Campaign, PaperForm, Response, ResponseChannel
from thanthien.surveys.paper_selectors import form_number, last_sequence
from thanthien.surveys.response_services import response_submit

#: Commune officials, leaders and admins print and type in paper forms of their commune.
PAPER_ROLES = (Role.COMMUNE_OFFICIAL, Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN)
MAX_COPIES = 500
_ATTEMPTS = 5


def _check_campaign(user, campaign: Campaign, perm: str) -> None:
    require_commune_role(
        user,
        campaign.commune_id,
        roles=PAPER_ROLES,
        perm=perm,
        message=_("Ông/bà không có quyền làm phiếu giấy của đợt khảo sát này."),
    )
    if ResponseChannel.PAPER not in (campaign.channels or []):
        raise ValidationError(_("Đợt khảo sát này không dùng phiếu giấy."))
    if campaign.state == Campaign.State.CLOSED:
        raise ValidationError(_("Đợt khảo sát đã kết thúc."))


def paper_forms_print(
    *, user, campaign: Campaign, copies: int, hamlet: Hamlet | None = None
) -> list[PaperForm]:
    """Create `copies` numbered copies of the campaign's form (optionally for one hamlet).

    Numbers follow on from the campaign's last one. The campaign row is locked while numbering
    (PostgreSQL); where locks are not available (SQLite) the unique number makes a concurrent
    run fail and it is retried with fresh numbers.
    """
    _check_campaign(user, campaign, "surveys.add_paperform")
    if not 1 <= copies <= MAX_COPIES:
        raise ValidationError(_("Số bản in từ 1 đến %(max)s mỗi lần.") % {"max": MAX_COPIES})
    if hamlet is not None and hamlet.commune_id != campaign.commune_id:
        raise ValidationError(_("Thôn này không thuộc xã của đợt khảo sát."))
    for attempt in range(_ATTEMPTS):
        try:
            with transaction.atomic():
                Campaign.objects.select_for_update().filter(pk=campaign.pk).first()
                start = last_sequence(campaign) + 1
                now = timezone.now()
                forms = [
                    PaperForm(
                        commune_id=campaign.commune_id,
                        campaign=campaign,
                        number=form_number(campaign, sequence),
                        hamlet=hamlet,
                        printed_at=now,
                    )
                    for sequence in range(start, start + copies)
                ]
                if len(forms[-1].number) > PaperForm._meta.get_field("number").max_length:
                    raise ValidationError(_("Mã công khai của đợt quá dài để đánh số phiếu."))
                PaperForm.objects.bulk_create(forms)
        except IntegrityError:
            if attempt == _ATTEMPTS - 1:
                raise
            continue
        numbers = [form.number for form in forms]
        return list(PaperForm.objects.filter(number__in=numbers).order_by("pk"))
    raise AssertionError("unreachable")


def paper_form_enter(*, user, paper_form: PaperForm, answers: dict) -> Response:
    """Record the answers of a returned paper copy, typed in by `user`."""
    campaign = paper_form.campaign
    require_commune_role(
        user,
        campaign.commune_id,
        roles=PAPER_ROLES,
        perm="surveys.add_response",
        message=_("Ông/bà không có quyền nhập phiếu của đợt khảo sát này."),
    )
    return response_submit(
        campaign=campaign,
        answers=answers,
        channel=ResponseChannel.PAPER,
        paper_form=paper_form,
        entered_by=user,
        hamlet=paper_form.hamlet,
    )
