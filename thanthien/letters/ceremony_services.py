"""Every write to ceremonies and visits: plan, edit, record as done, cancel, draft from events.

Leaders and administrators of the commune plan, edit and cancel; any official of the commune
(the one who went) records what happened, with photos. A returned marriage, birth or death
registration plans its ceremony or visit in the dossier's own transaction, once per dossier
and kind (`ceremony_draft_for_returned_dossier`, called by the letters' draft from events).
"""

from collections.abc import Sequence
from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.core.staff import can_act_in_commune, require_commune_role
from thanthien.core.workdays import add_working_days
from thanthien.letters.ceremonies import Ceremony, CeremonyKind, CeremonyPhoto
from thanthien.letters.models import Letter, Occasion
from thanthien.onestop.dossier_selectors import LOCAL_TZ, local_day
from thanthien.people.roles import Role

MANAGER_ROLES = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN})
RECORDER_ROLES = frozenset({Role.COMMUNE_OFFICIAL, Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN})
MAX_PHOTOS = 10
# The hour a drafted ceremony or visit is planned for, on the next working day.
DRAFT_HOUR = time(9, 0)

OCCASION_KINDS = {
    Occasion.MARRIAGE: CeremonyKind.MARRIAGE,
    Occasion.BIRTH: CeremonyKind.HOME_DELIVERY,
    Occasion.DEATH: CeremonyKind.CONDOLENCE,
}


class CeremonyStateError(ValidationError):
    """A move the ceremony's state does not allow (recording a cancelled visit…)."""


def _require_manager(actor, commune_id: int) -> None:
    require_commune_role(
        actor,
        commune_id,
        roles=MANAGER_ROLES,
        perm="letters.change_ceremony",
        message=_("Chỉ lãnh đạo, quản trị viên của xã lên lịch, sửa hoặc hủy lễ trao, thăm hỏi."),
    )


def can_manage(user, commune_id: int | None = None) -> bool:
    commune_id = commune_id if commune_id is not None else getattr(user, "commune_id", None)
    return can_act_in_commune(user, commune_id, roles=MANAGER_ROLES, perm="letters.change_ceremony")


def can_record(user, commune_id: int | None = None) -> bool:
    commune_id = commune_id if commune_id is not None else getattr(user, "commune_id", None)
    return can_act_in_commune(
        user, commune_id, roles=RECORDER_ROLES, perm="letters.record_ceremony"
    )


def _check_same_commune(commune_id: int, *, hamlet, officials, letters) -> None:
    errors = {}
    if hamlet is not None and hamlet.commune_id != commune_id:
        errors["hamlet"] = _("Thôn, tổ dân phố không thuộc xã này.")
    if any(official.commune_id != commune_id for official in officials):
        errors["officials"] = _("Chỉ chọn cán bộ của xã này.")
    if any(letter.commune_id != commune_id for letter in letters):
        errors["letters"] = _("Chỉ gắn thư của xã này.")
    if errors:
        raise ValidationError(errors)


def _check_fields(*, kind: str, starts_at: datetime | None, place: str, recipient_name: str):
    errors = {}
    if kind not in CeremonyKind.values:
        errors["kind"] = _("Chọn loại lễ trao, thăm hỏi.")
    if starts_at is None:
        errors["starts_at"] = _("Ghi thời gian.")
    if not place.strip():
        errors["place"] = _("Ghi địa điểm.")
    if not recipient_name.strip():
        errors["recipient_name"] = _("Ghi gia đình hoặc người nhận.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def ceremony_plan(
    *,
    actor,
    commune,
    kind: str,
    starts_at: datetime,
    place: str,
    recipient_name: str,
    recipient_address: str = "",
    hamlet=None,
    officials: Sequence = (),
    letters: Sequence[Letter] = (),
) -> Ceremony:
    """A leader or administrator puts a ceremony or visit on the commune's calendar."""
    _require_manager(actor, commune.pk)
    _check_fields(kind=kind, starts_at=starts_at, place=place, recipient_name=recipient_name)
    _check_same_commune(commune.pk, hamlet=hamlet, officials=officials, letters=letters)
    ceremony = Ceremony.objects.create(
        commune=commune,
        kind=kind,
        starts_at=starts_at,
        place=place.strip(),
        recipient_name=recipient_name.strip(),
        recipient_address=recipient_address.strip(),
        hamlet=hamlet,
        created_by=actor,
    )
    ceremony.officials.set(officials)
    ceremony.letters.set(letters)
    return ceremony


def _lock(ceremony: Ceremony, *states: str) -> Ceremony:
    ceremony = Ceremony.objects.select_for_update().get(pk=ceremony.pk)
    if ceremony.state not in states:
        raise CeremonyStateError(
            _("Buổi lễ, thăm hỏi này đã ở trạng thái “%(state)s”.")
            % {"state": ceremony.get_state_display()}
        )
    return ceremony


@transaction.atomic
def ceremony_update(
    *,
    actor,
    ceremony: Ceremony,
    kind: str,
    starts_at: datetime,
    place: str,
    recipient_name: str,
    recipient_address: str = "",
    hamlet=None,
    officials: Sequence = (),
    letters: Sequence[Letter] = (),
) -> Ceremony:
    """A leader or administrator changes a planned ceremony (another day, other officials)."""
    _require_manager(actor, ceremony.commune_id)
    ceremony = _lock(ceremony, Ceremony.State.PLANNED)
    _check_fields(kind=kind, starts_at=starts_at, place=place, recipient_name=recipient_name)
    _check_same_commune(ceremony.commune_id, hamlet=hamlet, officials=officials, letters=letters)
    ceremony.kind = kind
    ceremony.starts_at = starts_at
    ceremony.place = place.strip()
    ceremony.recipient_name = recipient_name.strip()
    ceremony.recipient_address = recipient_address.strip()
    ceremony.hamlet = hamlet
    ceremony.save()
    ceremony.officials.set(officials)
    ceremony.letters.set(letters)
    return ceremony


@transaction.atomic
def ceremony_record_done(
    *,
    actor,
    ceremony: Ceremony,
    done_at: datetime,
    outcome: str,
    officials: Sequence,
    photos: Sequence = (),
) -> Ceremony:
    """An official of the commune records that the ceremony or visit took place: who went,
    what happened, photos. Recording again (a photo added later) amends the record."""
    require_commune_role(
        actor,
        ceremony.commune_id,
        roles=RECORDER_ROLES,
        perm="letters.record_ceremony",
        message=_("Chỉ cán bộ của xã ghi nhận lễ trao, thăm hỏi của xã mình."),
    )
    ceremony = _lock(ceremony, Ceremony.State.PLANNED, Ceremony.State.DONE)
    errors = {}
    if done_at is None or done_at > timezone.now():
        errors["done_at"] = _("Thời điểm thực hiện không được ở tương lai.")
    if not officials:
        errors["officials"] = _("Chọn ít nhất một cán bộ đã đi.")
    if not outcome.strip():
        errors["outcome"] = _("Ghi kết quả buổi lễ, thăm hỏi.")
    if ceremony.photos.count() + len(photos) > MAX_PHOTOS:
        errors["photos"] = _("Mỗi buổi lễ lưu tối đa %(count)s ảnh.") % {"count": MAX_PHOTOS}
    if errors:
        raise ValidationError(errors)
    _check_same_commune(ceremony.commune_id, hamlet=None, officials=officials, letters=())
    for upload in photos:
        photo = CeremonyPhoto(commune_id=ceremony.commune_id, ceremony=ceremony, image=upload)
        try:
            photo.full_clean(exclude=["commune", "ceremony"])
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from error
        photo.save()
    ceremony.state = Ceremony.State.DONE
    ceremony.done_at = done_at
    ceremony.outcome = outcome.strip()
    ceremony.save()
    ceremony.officials.set(officials)
    return ceremony


@transaction.atomic
def ceremony_cancel(*, actor, ceremony: Ceremony, reason: str) -> Ceremony:
    """A leader or administrator cancels a planned ceremony and says why."""
    _require_manager(actor, ceremony.commune_id)
    ceremony = _lock(ceremony, Ceremony.State.PLANNED)
    if not reason.strip():
        raise ValidationError({"reason": _("Ghi rõ vì sao hủy.")})
    ceremony.state = Ceremony.State.CANCELLED
    ceremony.cancel_reason = reason.strip()
    ceremony.save()
    return ceremony


def _planned_start(returned_at: datetime) -> datetime:
    day = add_working_days(local_day(returned_at), 1)
    return datetime.combine(day, DRAFT_HOUR, tzinfo=LOCAL_TZ)


def ceremony_draft_for_returned_dossier(*, dossier, occasion: str, actor) -> Ceremony | None:
    """Plan the ceremony or visit a returned registration calls for, linked to its letters.

    A marriage is handed over at the office; a birth certificate and health-insurance card
    are taken home; a death is followed by a condolence visit. Planned for the next working
    day at 9:00, to be moved by a leader. Replayed, it plans nothing more but links letters
    drafted since. Runs inside the caller's transaction; no permission check (the event's own
    service checked the actor).
    """
    kind = OCCASION_KINDS.get(occasion)
    if kind is None:
        return None
    letters = list(Letter.objects.filter(source_dossier=dossier))
    existing = Ceremony.objects.filter(source_dossier=dossier, kind=kind).first()
    if existing is not None:
        existing.letters.add(*letters)
        return None
    if kind == CeremonyKind.MARRIAGE:
        place = _("Trụ sở Ủy ban nhân dân %(commune)s") % {"commune": dossier.commune.name}
    else:
        place = dossier.applicant_address or _("Tại nhà gia đình")
    ceremony = Ceremony(
        commune_id=dossier.commune_id,
        kind=kind,
        starts_at=_planned_start(dossier.returned_at or timezone.now()),
        place=place,
        recipient_name=dossier.applicant_name,
        recipient_address=dossier.applicant_address,
        source_dossier=dossier,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    try:
        with transaction.atomic():  # a savepoint: a concurrent draft wins, ours is skipped
            ceremony.save()
    except IntegrityError:
        return None
    ceremony.letters.add(*letters)
    return ceremony
