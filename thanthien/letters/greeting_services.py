"""Every write to the greetings (S7): drafting ahead of holidays, edits, approval, schedule.

The holidays come from the working-day calendar's source, the `holidays` package for
settings.THANTHIEN_HOLIDAY_COUNTRY (as thanthien.core.workdays uses it), plus the days a
commune adds (`GreetingOccasion`). `greetings_draft_upcoming` drafts one greeting per commune,
holiday and year (a DB constraint; running it again drafts nothing more) from the default
texts in data/default_greetings.json. The placeholders are checked as letters/texts.py checks
a letter's (same parser, same refusal of an unknown field).

Only a leader of the commune approves or drops a greeting. Approval fills the loudspeaker
schedule of every hamlet with the default times (the evening before and the morning of the
holiday), which officials can then change.
"""

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thanthien.core.staff import require_commune_role
from thanthien.letters import texts
from thanthien.letters.greetings import BroadcastSlot, Greeting, GreetingOccasion, HolidayKind
from thanthien.letters.services import APPROVER_ROLES, DRAFTER_ROLES, chairman_of
from thanthien.places.models import Commune, Hamlet

DEFAULTS_FILE = Path(__file__).resolve().parent / "data" / "default_greetings.json"
DAYS_AHEAD = 14
# Shown on the portal until this many days after the holiday (Tết is celebrated longer).
SHOW_DAYS_AFTER = {HolidayKind.TET: 10}
SHOW_DAYS_AFTER_DEFAULT = 5
# Default loudspeaker times: (days before the holiday, local time).
DEFAULT_BROADCASTS = ((1, time(17, 0)), (0, time(6, 30)))

PLACEHOLDERS = {
    "year": gettext_lazy("năm dương lịch"),
    "lunar_year": gettext_lazy("năm âm lịch (Bính Ngọ…)"),
    "holiday": gettext_lazy("tên ngày lễ"),
    "holiday_date": gettext_lazy("ngày lễ (dd/mm/yyyy)"),
    "commune": gettext_lazy("tên xã"),
    "signer_name": gettext_lazy("họ tên người ký"),
    "signer_title": gettext_lazy("chức vụ người ký"),
}

_STEMS = ("Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý")
_BRANCHES = ("Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi")

# Fixed-date national holidays; Tết moves with the lunar calendar.
_FIXED = {
    (1, 1): HolidayKind.NEW_YEAR,
    (4, 30): HolidayKind.REUNIFICATION,
    (5, 1): HolidayKind.LABOUR,
    (9, 2): HolidayKind.NATIONAL_DAY,
}
_TET_NAME = "Lunar New Year"  # the first day of Tết in the package's en_US names


class GreetingStateError(ValidationError):
    """A move the greeting's state does not allow (approving a dropped greeting…)."""


def lunar_year_name(year: int) -> str:
    """The sexagenary name of the lunar year that starts in `year` (2026: Bính Ngọ)."""
    return f"{_STEMS[(year + 6) % 10]} {_BRANCHES[(year + 8) % 12]}"


@dataclass(frozen=True)
class Holiday:
    key: str
    kind: str
    name: str
    day: date
    occasion: GreetingOccasion | None = None


@cache
def _national_calendar(country: str, year: int) -> dict[date, str]:
    return dict(holidays.country_holidays(country, years=year, language="en_US"))


def national_holidays(year: int) -> list[Holiday]:
    """The national holidays of `year` that get a greeting, from the holiday package."""
    found = []
    for day, name in sorted(_national_calendar(settings.THANTHIEN_HOLIDAY_COUNTRY, year).items()):
        kind = _FIXED.get((day.month, day.day))
        if kind is None and name == _TET_NAME:
            kind = HolidayKind.TET
        if kind is not None:
            found.append(Holiday(key=kind.value, kind=kind.value, name=str(kind.label), day=day))
    return found


def _occasion_day(occasion: GreetingOccasion, year: int) -> date | None:
    try:
        return date(year, occasion.month, occasion.day)
    except ValueError:  # 29/02 in a common year, 31/04…
        return None


def holidays_between(*, commune: Commune, first: date, last: date) -> list[Holiday]:
    """National holidays and the commune's own days from `first` to `last`, inclusive."""
    found = [
        holiday
        for year in range(first.year, last.year + 1)
        for holiday in national_holidays(year)
        if first <= holiday.day <= last
    ]
    occasions = GreetingOccasion.objects.filter(commune=commune, is_active=True)
    for occasion in occasions:
        for year in range(first.year, last.year + 1):
            day = _occasion_day(occasion, year)
            if day and first <= day <= last:
                found.append(
                    Holiday(
                        key=f"occasion-{occasion.pk}",
                        kind=HolidayKind.OTHER.value,
                        name=occasion.name,
                        day=day,
                        occasion=occasion,
                    )
                )
    return sorted(found, key=lambda h: (h.day, h.key))


# --- texts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class GreetingText:
    kind: str
    title: str
    body: str
    title_en: str
    body_en: str


@cache
def default_greetings() -> dict[str, GreetingText]:
    with DEFAULTS_FILE.open(encoding="utf-8") as fh:
        rows = json.load(fh)["greetings"]
    return {
        row["kind"]: GreetingText(
            kind=row["kind"],
            title=row["title"],
            body=row["body"],
            title_en=row.get("title_en", ""),
            body_en=row.get("body_en", ""),
        )
        for row in rows
    }


def allowed_text() -> str:
    return ", ".join(f"{{{name}}}" for name in PLACEHOLDERS)


def validate_greeting_text(*, title: str, body: str) -> None:
    """Refuse a title or body with an unknown or malformed placeholder, or an empty body."""
    errors: dict[str, list[str]] = {}
    for field, text in (("title", title), ("body", body)):
        try:
            unknown = [name for name in texts.placeholders_in(text) if name not in PLACEHOLDERS]
        except ValidationError as exc:
            errors[field] = exc.messages
            continue
        if unknown:
            errors[field] = [
                _(
                    "Không có trường {%(field)s} cho thư chúc mừng. "
                    "Các trường dùng được: %(allowed)s."
                )
                % {"field": unknown[0], "allowed": allowed_text()}
            ]
    if not title.strip():
        errors.setdefault("title", []).append(_("Tiêu đề không được để trống."))
    if not body.strip():
        errors.setdefault("body", []).append(_("Nội dung không được để trống."))
    if errors:
        raise ValidationError(errors)


def greeting_values(*, commune: Commune, holiday: Holiday, signer) -> dict:
    return {
        "year": holiday.day.year,
        "lunar_year": lunar_year_name(holiday.day.year),
        "holiday": holiday.name,
        "holiday_date": f"{holiday.day:%d/%m/%Y}",
        "commune": commune.name,
        "signer_name": signer.full_name if signer else "",
        "signer_title": signer.position.name if signer else "",
    }


# --- drafting ------------------------------------------------------------------------------


def greetings_draft_upcoming(
    *, commune: Commune, today: date, days_ahead: int = DAYS_AHEAD
) -> list[Greeting]:
    """Draft a greeting for each holiday from `today` to `today + days_ahead` not drafted yet."""
    upcoming = holidays_between(
        commune=commune, first=today, last=today + timedelta(days=days_ahead)
    )
    if not upcoming:
        return []
    existing = set(
        Greeting.objects.filter(
            commune=commune, year__in={h.day.year for h in upcoming}
        ).values_list("holiday_key", "year")
    )
    signer = chairman_of(commune.pk)
    drafted = []
    for holiday in upcoming:
        if (holiday.key, holiday.day.year) in existing:
            continue
        text = default_greetings()[holiday.kind]
        values = greeting_values(commune=commune, holiday=holiday, signer=signer)
        greeting = Greeting(
            commune=commune,
            holiday_key=holiday.key,
            kind=holiday.kind,
            occasion=holiday.occasion,
            holiday_name=holiday.name,
            holiday_date=holiday.day,
            year=holiday.day.year,
            title=texts.render(text.title, values),
            body=texts.render(text.body, values),
            signer=signer,
        )
        try:
            with transaction.atomic():
                greeting.save()
        except IntegrityError:  # drafted meanwhile by a concurrent run
            continue
        existing.add((holiday.key, holiday.day.year))
        drafted.append(greeting)
    return drafted


@dataclass
class DraftReport:
    today: date
    communes: int = 0
    drafted: int = 0

    def __str__(self) -> str:
        return f"{self.drafted} greeting(s) drafted for {self.communes} commune(s) ({self.today})"


def greetings_draft_all(*, today: date | None = None) -> DraftReport:
    """The daily job: draft the upcoming greetings of every commune that has active staff."""
    from thanthien.onestop.dossier_selectors import today_local
    from thanthien.people.models import User

    today = today or today_local()
    report = DraftReport(today=today)
    staffed = User.objects.filter(is_active=True, commune__isnull=False).values("commune_id")
    for commune in Commune.objects.filter(pk__in=staffed).order_by("pk"):
        report.communes += 1
        report.drafted += len(greetings_draft_upcoming(commune=commune, today=today))
    return report


# --- decisions -----------------------------------------------------------------------------


def _lock(greeting: Greeting, *states: str) -> Greeting:
    greeting = Greeting.objects.select_for_update().get(pk=greeting.pk)
    if greeting.state not in states:
        raise GreetingStateError(
            _("Thư chúc mừng đang ở trạng thái “%(state)s”, không làm được việc này.")
            % {"state": greeting.get_state_display()}
        )
    return greeting


def _require_leader(actor, commune_id: int) -> None:
    require_commune_role(
        actor,
        commune_id,
        roles=APPROVER_ROLES,
        perm="letters.change_greeting",
        message=_("Chỉ lãnh đạo UBND xã duyệt thư chúc mừng của xã mình."),
    )


def _require_drafter(actor, commune_id: int) -> None:
    require_commune_role(
        actor,
        commune_id,
        roles=DRAFTER_ROLES,
        perm="letters.change_greeting",
        message=_("Chỉ cán bộ của xã sửa thư chúc mừng, lịch phát thanh của xã mình."),
    )


@transaction.atomic
def greeting_update(*, actor, greeting: Greeting, title: str, body: str) -> Greeting:
    """An official or leader edits a draft; placeholders left in it are filled once more."""
    _require_drafter(actor, greeting.commune_id)
    greeting = _lock(greeting, Greeting.State.DRAFT)
    title, body = title.strip(), body.strip()
    validate_greeting_text(title=title, body=body)
    holiday = Holiday(
        key=greeting.holiday_key,
        kind=greeting.kind,
        name=greeting.holiday_name,
        day=greeting.holiday_date,
    )
    values = greeting_values(commune=greeting.commune, holiday=holiday, signer=greeting.signer)
    greeting.title = texts.render(title, values)
    greeting.body = texts.render(body, values)
    greeting.save()
    return greeting


@transaction.atomic
def greeting_approve(*, actor, greeting: Greeting, at: datetime | None = None) -> Greeting:
    """A leader approves: published on the portal, and the hamlets' broadcasts scheduled."""
    _require_leader(actor, greeting.commune_id)
    greeting = _lock(greeting, Greeting.State.DRAFT)
    signer = greeting.signer or chairman_of(greeting.commune_id)
    if signer is None:
        raise ValidationError(
            _(
                "Xã chưa có Chủ tịch UBND trong danh sách cán bộ: thêm người giữ chức vụ này "
                "trước khi duyệt thư chúc mừng."
            )
        )
    greeting.state = Greeting.State.APPROVED
    greeting.signer = signer
    greeting.approved_by = actor
    greeting.approved_at = at or timezone.now()
    after = SHOW_DAYS_AFTER.get(greeting.kind, SHOW_DAYS_AFTER_DEFAULT)
    greeting.show_until = greeting.holiday_date + timedelta(days=after)
    greeting.save()
    hamlets = Hamlet.objects.filter(commune_id=greeting.commune_id)
    BroadcastSlot.objects.bulk_create(
        [
            BroadcastSlot(
                commune_id=greeting.commune_id,
                greeting=greeting,
                hamlet=hamlet,
                date=greeting.holiday_date - timedelta(days=before),
                time=at_time,
            )
            for hamlet in hamlets
            for before, at_time in DEFAULT_BROADCASTS
        ],
        ignore_conflicts=True,
    )
    return greeting


@transaction.atomic
def greeting_drop(*, actor, greeting: Greeting) -> Greeting:
    """A leader decides not to send this greeting (a draft, or one already published)."""
    _require_leader(actor, greeting.commune_id)
    greeting = _lock(greeting, Greeting.State.DRAFT, Greeting.State.APPROVED)
    greeting.state = Greeting.State.DROPPED
    greeting.save()
    greeting.slots.all().delete()
    return greeting


@transaction.atomic
def broadcast_slot_add(
    *, actor, greeting: Greeting, hamlet: Hamlet, day: date, at: time
) -> BroadcastSlot:
    """Add a time when the greeting is read on one hamlet's loudspeakers."""
    _require_drafter(actor, greeting.commune_id)
    greeting = _lock(greeting, Greeting.State.APPROVED)
    if hamlet.commune_id != greeting.commune_id:
        raise ValidationError({"hamlet": _("Thôn phải thuộc xã của thư chúc mừng.")})
    slot, created = BroadcastSlot.objects.get_or_create(
        greeting=greeting,
        hamlet=hamlet,
        date=day,
        time=at,
        defaults={"commune_id": greeting.commune_id},
    )
    if not created:
        raise ValidationError(_("Thôn này đã có lượt phát vào giờ đó."))
    return slot


@transaction.atomic
def broadcast_slot_delete(*, actor, slot: BroadcastSlot) -> None:
    _require_drafter(actor, slot.commune_id)
    slot.delete()
