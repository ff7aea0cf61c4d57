"""Every write to contributors, contributions and the yearly meeting (S8).

Leaders and administrators of the commune keep the list; a recorded contribution drafts the
chairman's thank-you letter (Mẫu 01) for the leader's queue, once per contribution.
"""

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from thanthien.core.staff import can_act_in_commune, require_commune_role
from thanthien.letters import services as letter_services
from thanthien.letters.contributors import Contribution, Contributor, Invitation, YearlyMeeting
from thanthien.letters.models import Letter, Occasion
from thanthien.people.roles import Role

MANAGER_ROLES = frozenset({Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN})


def money(amount: int) -> str:
    """1000000 -> "1.000.000 đ"."""
    return _("%(amount)s đ") % {"amount": f"{amount:,}".replace(",", ".")}


def _require_manager(actor, commune_id: int, perm: str) -> None:
    require_commune_role(
        actor,
        commune_id,
        roles=MANAGER_ROLES,
        perm=perm,
        message=_("Chỉ lãnh đạo, quản trị viên của xã quản lý danh sách người có đóng góp."),
    )


def can_manage(user) -> bool:
    return can_act_in_commune(
        user,
        getattr(user, "commune_id", None),
        roles=MANAGER_ROLES,
        perm="letters.change_contributor",
    )


@transaction.atomic
def contributor_save(
    *,
    actor,
    commune,
    contributor: Contributor | None = None,
    name: str,
    is_organisation: bool = False,
    kind: str = Contributor.Kind.CONTRIBUTOR,
    phone: str = "",
    address: str = "",
    hamlet=None,
    note: str = "",
) -> Contributor:
    """Add a contributor or respected resident to the commune's list, or correct one."""
    commune_id = contributor.commune_id if contributor else commune.pk
    _require_manager(actor, commune_id, "letters.change_contributor")
    errors = {}
    if not name.strip():
        errors["name"] = _("Ghi họ tên hoặc tên tổ chức.")
    if kind not in Contributor.Kind.values:
        errors["kind"] = _("Chọn loại.")
    if hamlet is not None and hamlet.commune_id != commune_id:
        errors["hamlet"] = _("Thôn, tổ dân phố không thuộc xã này.")
    if errors:
        raise ValidationError(errors)
    if contributor is None:
        contributor = Contributor(commune_id=commune_id)
    else:
        contributor = Contributor.objects.select_for_update().get(pk=contributor.pk)
    contributor.name = name.strip()
    contributor.is_organisation = is_organisation
    contributor.kind = kind
    contributor.phone = phone.strip()
    contributor.address = address.strip()
    contributor.hamlet = hamlet
    contributor.note = note.strip()
    contributor.save()
    return contributor


def contribution_value_text(contribution: Contribution) -> str:
    """ "50.000.000 đ", "2 tấn xi măng", or both."""
    parts = []
    if contribution.value_dong:
        parts.append(money(contribution.value_dong))
    if contribution.in_kind:
        parts.append(contribution.in_kind)
    return " và ".join(parts)


@transaction.atomic
def contribution_record(
    *,
    actor,
    contributor: Contributor,
    description: str,
    date: date,
    value_dong: int | None = None,
    in_kind: str = "",
) -> Contribution:
    """Record a contribution; the thank-you letter (Mẫu 01) is drafted with it."""
    _require_manager(actor, contributor.commune_id, "letters.add_contribution")
    errors = {}
    if not description.strip():
        errors["description"] = _("Ghi nội dung đóng góp.")
    if date is None:
        errors["date"] = _("Ghi ngày đóng góp.")
    if value_dong is not None and value_dong <= 0:
        errors["value_dong"] = _("Giá trị phải lớn hơn 0 đồng.")
    if not value_dong and not in_kind.strip():
        errors["value_dong"] = _("Ghi giá trị bằng tiền hoặc hiện vật, ngày công.")
    if errors:
        raise ValidationError(errors)
    contribution = Contribution.objects.create(
        commune_id=contributor.commune_id,
        contributor=contributor,
        description=description.strip(),
        date=date,
        value_dong=value_dong or None,
        in_kind=in_kind.strip(),
        created_by=actor,
    )
    contribution.letter = contribution_draft_letter(actor=actor, contribution=contribution)
    return contribution


@transaction.atomic
def contribution_draft_letter(*, actor, contribution: Contribution) -> Letter | None:
    """The thank-you letter for a contribution; nothing more if it already has one."""
    contribution = (
        Contribution.objects.select_for_update()
        .select_related("contributor", "commune")
        .get(pk=contribution.pk)
    )
    if contribution.letter_id is not None:
        return None
    contributor = contribution.contributor
    what = _("đã đóng góp %(what)s (%(value)s)") % {
        "what": contribution.description,
        "value": contribution_value_text(contribution),
    }
    letter = letter_services.letter_draft(
        actor=actor,
        commune=contribution.commune,
        occasion=Occasion.THANKS,
        recipient_name=contributor.name,
        recipient_address=contributor.address,
        details={"contribution": what, "event_date": f"{contribution.date:%d/%m/%Y}"},
    )
    contribution.letter = letter
    contribution.save(update_fields=["letter", "updated_at"])
    return letter


# --- the yearly meeting ---------------------------------------------------------------------


@transaction.atomic
def meeting_save(
    *,
    actor,
    commune,
    meeting: YearlyMeeting | None = None,
    held_at: datetime,
    place: str,
    agenda: str = "",
) -> YearlyMeeting:
    """Plan the year's meeting (one per commune and year), or correct it."""
    commune_id = meeting.commune_id if meeting else commune.pk
    _require_manager(actor, commune_id, "letters.change_yearlymeeting")
    errors = {}
    if held_at is None:
        errors["held_at"] = _("Ghi thời gian hội nghị.")
    if not place.strip():
        errors["place"] = _("Ghi địa điểm.")
    if errors:
        raise ValidationError(errors)
    from thanthien.onestop.dossier_selectors import local_day

    year = local_day(held_at).year
    clash = YearlyMeeting.objects.filter(commune_id=commune_id, year=year)
    if meeting is not None:
        clash = clash.exclude(pk=meeting.pk)
    if clash.exists():
        raise ValidationError(
            {"held_at": _("Xã đã có hội nghị gặp mặt năm %(year)s.") % {"year": year}}
        )
    if meeting is None:
        meeting = YearlyMeeting(commune_id=commune_id)
    else:
        meeting = YearlyMeeting.objects.select_for_update().get(pk=meeting.pk)
    meeting.year = year
    meeting.held_at = held_at
    meeting.place = place.strip()
    meeting.agenda = agenda.strip()
    meeting.save()
    return meeting


@transaction.atomic
def meeting_set_invitees(
    *, actor, meeting: YearlyMeeting, contributors: Sequence[Contributor]
) -> list[Invitation]:
    """The invitation list: invitations added and removed to match `contributors`
    (attendance already recorded for those who stay is kept)."""
    _require_manager(actor, meeting.commune_id, "letters.change_yearlymeeting")
    if any(c.commune_id != meeting.commune_id for c in contributors):
        raise ValidationError({"contributors": _("Chỉ mời người, tổ chức của xã này.")})
    wanted = {c.pk for c in contributors}
    current = {i.contributor_id: i for i in Invitation.objects.filter(meeting=meeting)}
    for contributor_id, invitation in current.items():
        if contributor_id not in wanted:
            invitation.delete()  # one by one, for the audit log
    for pk in sorted(wanted - current.keys()):
        # Saved one by one (not bulk_create) so that the audit log records each invitation.
        Invitation.objects.create(meeting=meeting, contributor_id=pk)
    return list(Invitation.objects.filter(meeting=meeting).select_related("contributor"))


@transaction.atomic
def meeting_record_attendance(*, actor, meeting: YearlyMeeting, attended_ids: Iterable[int]) -> int:
    """Who came: the invitees in `attended_ids` attended, the others did not. Returns how
    many attended."""
    _require_manager(actor, meeting.commune_id, "letters.change_yearlymeeting")
    came = set(attended_ids)
    invitations = list(Invitation.objects.select_for_update().filter(meeting=meeting))
    for invitation in invitations:
        attended = invitation.contributor_id in came
        if invitation.attended is not attended:
            invitation.attended = attended
            invitation.save(update_fields=["attended"])  # each change in the audit log
    return sum(1 for invitation in invitations if invitation.attended)
