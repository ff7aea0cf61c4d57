"""Every write to the letters: templates, drafts (by hand or from events), approval, delivery.

Drafts from events are called inside the transaction of the event's own service:
`letter_draft_for_returned_dossier` at the end of onestop's `dossier_return`, and
`letter_draft_for_apology` after the apology slip a reschedule issues. Which procedure drafts
which letter is configuration (data/triggers.json, or settings.LETTER_TRIGGERS), not code.
A replayed event drafts nothing more: one letter per dossier and type.

Only a leader of the commune approves (and numbers) or drops a draft; the number is given
with the commune's row locked, per commune and year.
"""

import json
from datetime import datetime
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.core.staff import require_commune_role
from thanthien.letters import texts
from thanthien.letters.models import OCCASION_TYPES, Letter, LetterTemplate, Occasion
from thanthien.onestop.dossier_selectors import local_day
from thanthien.people.models import Official
from thanthien.people.roles import Role
from thanthien.places.models import Commune

TRIGGERS_FILE = Path(__file__).resolve().parent / "data" / "triggers.json"
CHAIRMAN_POSITION = "chu-tich-ubnd"
APPROVER_ROLES = frozenset({Role.COMMUNE_LEADER})
DRAFTER_ROLES = frozenset({Role.COMMUNE_OFFICIAL, Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN})
TEMPLATE_ROLES = frozenset({Role.COMMUNE_ADMIN})


class LetterStateError(ValidationError):
    """A move the letter's state does not allow (approving a dropped letter…)."""


def _day(value) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


@cache
def _file_triggers() -> dict[str, str]:
    with TRIGGERS_FILE.open(encoding="utf-8") as fh:
        return json.load(fh)["on_return"]


def return_triggers() -> dict[str, str]:
    """Procedure code -> occasion drafted when a dossier of that procedure is returned."""
    configured = getattr(settings, "LETTER_TRIGGERS", None)
    return dict(configured) if configured is not None else _file_triggers()


def chairman_of(commune_id: int) -> Official | None:
    """The commune's chairman (people.Official holding the "Chủ tịch UBND" position)."""
    return (
        Official.objects.filter(
            commune_id=commune_id, position__code=CHAIRMAN_POSITION, is_active=True
        )
        .select_related("position")
        .order_by("order", "pk")
        .first()
    )


def _values(letter: Letter, commune: Commune, signer: Official | None) -> dict:
    return {
        **letter.event_details,
        "recipient": letter.recipient_name,
        "recipient_address": letter.recipient_address,
        "commune": commune.name,
        "signer_name": signer.full_name if signer else "",
        "signer_title": signer.position.name if signer else "",
        "letter_date": _day(local_day(timezone.now())),
    }


# --- templates ---------------------------------------------------------------------------


@transaction.atomic
def template_save(
    *, actor, commune_id: int, occasion: str, title: str, body: str, annex: str = ""
) -> LetterTemplate:
    """The commune administrator saves the commune's own text for an occasion."""
    require_commune_role(
        actor,
        commune_id,
        roles=TEMPLATE_ROLES,
        perm="letters.change_lettertemplate",
        message=_("Chỉ quản trị viên của xã sửa mẫu thư của xã mình."),
    )
    title, body, annex = title.strip(), body.strip().replace("\r\n", "\n"), annex.strip()
    texts.validate_template(occasion=occasion, title=title, body=body)
    template, _created = LetterTemplate.objects.select_for_update().get_or_create(
        commune_id=commune_id,
        occasion=occasion,
        defaults={"title": title, "body": body, "annex": annex, "updated_by": actor},
    )
    if not _created:
        template.title, template.body, template.annex = title, body, annex
        template.updated_by = actor
        template.save()
    return template


@transaction.atomic
def template_reset(*, actor, commune_id: int, occasion: str) -> None:
    """Back to the national default: the commune's own copy is deleted."""
    require_commune_role(
        actor,
        commune_id,
        roles=TEMPLATE_ROLES,
        perm="letters.delete_lettertemplate",
        message=_("Chỉ quản trị viên của xã sửa mẫu thư của xã mình."),
    )
    for template in LetterTemplate.objects.filter(commune_id=commune_id, occasion=occasion):
        template.delete()  # one row at most; deleted one by one for the audit log


# --- drafts ------------------------------------------------------------------------------


def _build(
    *,
    commune: Commune,
    occasion: str,
    recipient_name: str,
    recipient_address: str,
    details: dict,
    actor,
    source_dossier=None,
) -> Letter:
    template = texts.template_for(commune_id=commune.pk, occasion=occasion)
    letter = Letter(
        commune=commune,
        type=OCCASION_TYPES[Occasion(occasion)],
        occasion=occasion,
        recipient_name=recipient_name.strip(),
        recipient_address=recipient_address.strip(),
        event_details={k: v for k, v in details.items() if v not in (None, "")},
        source_dossier=source_dossier,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    signer = chairman_of(commune.pk)
    values = _values(letter, commune, signer)
    letter.title = texts.render(template.title, values)
    letter.body = texts.render(template.body, values)
    letter.annex = template.annex
    letter.signer = signer
    return letter


@transaction.atomic
def letter_draft(
    *,
    actor,
    commune: Commune,
    occasion: str,
    recipient_name: str,
    recipient_address: str = "",
    details: dict | None = None,
) -> Letter:
    """An official drafts a letter by hand (a contribution to thank, a visit to make)."""
    require_commune_role(
        actor,
        commune.pk,
        roles=DRAFTER_ROLES,
        perm="letters.add_letter",
        message=_("Chỉ cán bộ của xã lập dự thảo thư của xã mình."),
    )
    if not recipient_name.strip():
        raise ValidationError({"recipient_name": _("Ghi tên người nhận thư.")})
    letter = _build(
        commune=commune,
        occasion=occasion,
        recipient_name=recipient_name,
        recipient_address=recipient_address,
        details=details or {},
        actor=actor,
    )
    letter.save()
    return letter


def _draft_once(*, dossier, occasion: str, actor, details: dict, recipient: str) -> Letter | None:
    """The draft of `occasion` for `dossier`, unless the dossier already has that type."""
    kind = OCCASION_TYPES[Occasion(occasion)]
    if Letter.objects.filter(source_dossier=dossier, type=kind).exists():
        return None
    letter = _build(
        commune=dossier.commune,
        occasion=occasion,
        recipient_name=recipient,
        recipient_address=dossier.applicant_address,
        details={
            "procedure": dossier.procedure.name,
            "dossier_code": dossier.code,
            **details,
        },
        actor=actor,
        source_dossier=dossier,
    )
    try:
        with transaction.atomic():  # a savepoint: a concurrent draft wins, ours is skipped
            letter.save()
    except IntegrityError:
        return None
    return letter


def letter_draft_for_returned_dossier(*, dossier, actor) -> Letter | None:
    """Called by `dossier_return`: the letter its procedure's configuration asks for, if any."""
    occasion = return_triggers().get(dossier.procedure.code)
    if not occasion:
        return None
    returned = dossier.returned_at or timezone.now()
    letter = _draft_once(
        dossier=dossier,
        occasion=occasion,
        actor=actor,
        details={"event_date": _day(local_day(returned))},
        recipient=dossier.applicant_name,
    )
    # The ceremony or visit that goes with the letter (thanthien/letters/ceremony_services.py).
    from thanthien.letters.ceremony_services import ceremony_draft_for_returned_dossier

    ceremony_draft_for_returned_dossier(dossier=dossier, occasion=occasion, actor=actor)
    return letter


def letter_draft_for_apology(*, slip, actor) -> Letter | None:
    """Called after a reschedule issues its apology slip: an apology letter (Mẫu 02)."""
    if slip.state != slip.State.ISSUED:
        return None
    dossier = slip.dossier
    return _draft_once(
        dossier=dossier,
        occasion=Occasion.APOLOGY,
        actor=actor,
        details={
            "original_due_date": _day(slip.original_due_date),
            "new_due_date": _day(slip.new_due_date),
            "reason": slip.reason,
        },
        recipient=dossier.applicant_name,
    )


# --- the leader's decisions ---------------------------------------------------------------


def _require_leader(actor, commune_id: int) -> None:
    require_commune_role(
        actor,
        commune_id,
        roles=APPROVER_ROLES,
        perm="letters.change_letter",
        message=_("Chỉ lãnh đạo xã duyệt, sửa hoặc bỏ dự thảo thư của xã mình."),
    )


def _lock(letter: Letter, *states: str) -> Letter:
    letter = Letter.objects.select_for_update().get(pk=letter.pk)
    if letter.state not in states:
        raise LetterStateError(
            _("Thư gửi %(name)s đã ở trạng thái “%(state)s”.")
            % {"name": letter.recipient_name, "state": letter.get_state_display()}
        )
    return letter


def _next_number(commune_id: int, year: int) -> int:
    """The next letter number of the commune's year; the commune row stays locked."""
    list(Commune.objects.select_for_update().filter(pk=commune_id).values_list("pk"))
    last = Letter.objects.filter(commune_id=commune_id, year=year).aggregate(last=Max("number"))
    return (last["last"] or 0) + 1


@transaction.atomic
def letter_update(
    *,
    actor,
    letter: Letter,
    recipient_name: str,
    recipient_address: str,
    salutation: str,
    title: str,
    body: str,
    annex: str = "",
) -> Letter:
    """A leader edits a draft before approving it."""
    _require_leader(actor, letter.commune_id)
    letter = _lock(letter, Letter.State.DRAFT)
    errors = {}
    if not recipient_name.strip():
        errors["recipient_name"] = _("Ghi tên người nhận thư.")
    if not body.strip():
        errors["body"] = _("Nội dung thư không được để trống.")
    if not title.strip():
        errors["title"] = _("Ghi tiêu đề thư.")
    if errors:
        raise ValidationError(errors)
    letter.recipient_name = recipient_name.strip()
    letter.recipient_address = recipient_address.strip()
    letter.salutation = salutation.strip() or "Kính gửi"
    letter.title = title.strip()
    letter.body = body.strip().replace("\r\n", "\n")
    letter.annex = annex.strip().replace("\r\n", "\n")
    letter.save()
    return letter


@transaction.atomic
def letter_fill_details(*, actor, letter: Letter, details: dict) -> Letter:
    """A leader gives the details a drafted letter lacks (the child's name, the deceased's);
    the title and body are written again from the commune's template with them."""
    _require_leader(actor, letter.commune_id)
    letter = _lock(letter, Letter.State.DRAFT)
    allowed = texts.allowed_placeholders(letter.occasion)
    given = {k: " ".join(str(v).split()) for k, v in details.items() if k in allowed}
    merged = {**letter.event_details, **{k: v for k, v in given.items() if v}}
    missing = texts.missing_details(letter.occasion, merged)
    if missing:
        raise ValidationError({key: _("Ghi %(what)s.") % {"what": allowed[key]} for key in missing})
    template = texts.template_for(commune_id=letter.commune_id, occasion=letter.occasion)
    letter.event_details = merged
    values = _values(letter, letter.commune, letter.signer or chairman_of(letter.commune_id))
    letter.title = texts.render(template.title, values)
    letter.body = texts.render(template.body, values)
    letter.save()
    return letter


@transaction.atomic
def letter_approve(*, actor, letter: Letter, at: datetime | None = None) -> Letter:
    """A leader approves a draft: the commune's next number of the year, the chairman signs.
    A birth or death letter still blank where the child's or the deceased's name goes is
    refused: it would go out unfinished (other blanks may be meant to be filled by hand)."""
    _require_leader(actor, letter.commune_id)
    letter = _lock(letter, Letter.State.DRAFT)
    missing = texts.missing_details(letter.occasion, letter.event_details)
    if missing and (texts.BLANK in letter.title or texts.BLANK in letter.body):
        names = [str(texts.allowed_placeholders(letter.occasion)[key]) for key in missing]
        raise ValidationError(
            _("Thư còn chỗ trống (%(blank)s) cho %(what)s. Điền vào rồi mới duyệt.")
            % {"blank": texts.BLANK, "what": ", ".join(names)}
        )
    at = at or timezone.now()
    signer = letter.signer or chairman_of(letter.commune_id)
    if signer is None:
        raise ValidationError(
            _(
                "Xã chưa có Chủ tịch UBND trong danh sách cán bộ: thêm người giữ chức vụ này "
                "trước khi duyệt thư."
            )
        )
    letter.year = local_day(at).year
    letter.number = _next_number(letter.commune_id, letter.year)
    letter.state = Letter.State.APPROVED
    letter.signer = signer
    letter.approved_by = actor
    letter.approved_at = at
    letter.save()
    return letter


@transaction.atomic
def letter_drop(*, actor, letter: Letter, note: str) -> Letter:
    """A leader decides a draft is not to be sent, and says why."""
    _require_leader(actor, letter.commune_id)
    letter = _lock(letter, Letter.State.DRAFT)
    note = note.strip()
    if not note:
        raise ValidationError({"note": _("Ghi rõ vì sao không gửi thư này.")})
    letter.state = Letter.State.DROPPED
    letter.note = note
    letter.save()
    return letter


@transaction.atomic
def letter_record_delivery(
    *, actor, letter: Letter, method: str, delivered_at: datetime, photo=None
) -> Letter:
    """An official records how and when an approved letter reached its recipient."""
    require_commune_role(
        actor,
        letter.commune_id,
        roles=DRAFTER_ROLES,
        perm="letters.change_letter",
        message=_("Chỉ cán bộ của xã ghi nhận việc gửi thư của xã mình."),
    )
    letter = _lock(letter, Letter.State.APPROVED, Letter.State.DELIVERED)
    if method not in Letter.Delivery.values:
        raise ValidationError({"delivery_method": _("Chọn hình thức gửi thư.")})
    if delivered_at is None or delivered_at > timezone.now():
        raise ValidationError({"delivered_at": _("Thời điểm gửi, trao không được ở tương lai.")})
    if letter.approved_at and delivered_at < letter.approved_at.replace(second=0, microsecond=0):
        raise ValidationError({"delivered_at": _("Thư chỉ được gửi sau khi đã duyệt.")})
    letter.delivery_method = method
    letter.delivered_at = delivered_at
    if photo:
        letter.photo = photo
    letter.full_clean(exclude=["commune", "source_dossier", "signer", "created_by"])
    letter.state = Letter.State.DELIVERED
    letter.save()
    return letter


def can_approve(user) -> bool:
    return bool(
        user.is_authenticated
        and user.has_perm("letters.change_letter")
        and (user.is_superuser or user.role in APPROVER_ROLES)
    )


def can_edit_templates(user) -> bool:
    return bool(
        user.is_authenticated
        and user.has_perm("letters.change_lettertemplate")
        and (user.is_superuser or user.role in TEMPLATE_ROLES)
    )
