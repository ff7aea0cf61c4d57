"""Reads the portal pages and the staff dashboard share."""

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.core import tenancy, workdays
from thanthien.people.models import Office, Official
from thanthien.places import selectors as places_selectors
from thanthien.places.models import Commune
from thanthien.portal.models import CommuneProfile, ConductItem, ReceptionSlot


def reception_days_per_week(*, commune_id: int) -> int:
    """Distinct weekdays with an active reception slot."""
    return (
        ReceptionSlot.objects.filter(commune_id=commune_id, is_active=True)
        .values("weekday")
        .distinct()
        .count()
    )


def reception_warnings(*, user) -> list[str]:
    """A warning per visible commune scheduling fewer reception days a week than the law asks.

    A superuser spans the country and gets none: the warnings belong to each commune's staff.
    """
    if tenancy.visible_commune_ids(user) is None:
        return []
    minimum = settings.THANTHIEN_MIN_RECEPTION_DAYS_PER_WEEK
    days_by_commune = dict(
        tenancy.scope(ReceptionSlot.objects.filter(is_active=True), user)
        .values("commune_id")
        .annotate(days=Count("weekday", distinct=True))
        .values_list("commune_id", "days")
    )
    warnings = []
    for commune_id, name in tenancy.visible_communes(user).values_list("pk", "name"):
        days = days_by_commune.get(commune_id, 0)
        if days < minimum:
            warnings.append(
                _(
                    "%(commune)s mới có %(days)s ngày tiếp công dân mỗi tuần; Luật Tiếp công dân "
                    "yêu cầu Chủ tịch tiếp công dân ít nhất %(minimum)s ngày mỗi tuần."
                )
                % {"commune": name, "days": days, "minimum": minimum}
            )
    return warnings


# --- Public portal pages -------------------------------------------------------------------


@dataclass(frozen=True)
class CommunePage:
    """A commune and its public profile (None until the administrator fills one in)."""

    commune: Commune
    profile: CommuneProfile | None


@dataclass(frozen=True)
class OfficeGroup:
    """The officials of one office; office is None for those not attached to one."""

    office: Office | None
    officials: list[Official]


@dataclass(frozen=True)
class OfficialsDirectory:
    leadership: list[Official]
    offices: list[OfficeGroup]

    def __bool__(self) -> bool:
        return bool(self.leadership or self.offices)


@dataclass(frozen=True)
class NextReception:
    date: date
    slot: ReceptionSlot


@dataclass(frozen=True)
class ConductLine:
    text: str
    text_en: str = ""


@dataclass(frozen=True)
class ConductGroup:
    group: str
    label: str
    lines: list[ConductLine]


@dataclass(frozen=True)
class ConductCode:
    groups: list[ConductGroup]
    is_default: bool


@dataclass(frozen=True)
class Channel:
    """One way to send feedback: kind names the icon/style, href is None for a place."""

    kind: str
    label: str
    value: str
    href: str | None


@dataclass(frozen=True)
class CommuneSearch:
    results: list[Commune]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.results)


CONDUCT_GROUP_ORDER = [
    ConductItem.Group.XIN,
    ConductItem.Group.LUON,
    ConductItem.Group.KHONG,
]
CONDUCT_DEFAULTS_PATH = Path(__file__).resolve().parent / "data" / "conduct.json"


def commune_find(
    *, query: str = "", province_id: int | None = None, limit: int = 50
) -> CommuneSearch:
    """The first `limit` communes matching an accent-insensitive name and a province."""
    qs = places_selectors.commune_search(query=query, province_id=province_id)
    results = list(qs[:limit])
    total = len(results) if len(results) < limit else qs.count()
    return CommuneSearch(results=results, total=total)


def commune_public_page(slug: str) -> CommunePage | None:
    """The commune behind a portal URL with its province and profile, in one query."""
    commune = Commune.objects.select_related("province", "profile").filter(slug=slug).first()
    if commune is None:
        return None
    try:
        profile = commune.profile
    except CommuneProfile.DoesNotExist:
        profile = None
    return CommunePage(commune=commune, profile=profile)


def _public_officials(commune: Commune):
    return Official.objects.filter(commune=commune, is_active=True).select_related(
        "position", "office"
    )


def commune_leadership(commune: Commune) -> list[Official]:
    """The commune's active leaders, by position rank (one query)."""
    return list(
        _public_officials(commune)
        .filter(position__is_leadership=True)
        .order_by("position__rank", "order", "full_name")
    )


def officials_directory(commune: Commune) -> OfficialsDirectory:
    """Active officials: leadership by rank, then the others by office order (one query)."""
    officials = list(_public_officials(commune).order_by("position__rank", "order", "full_name"))
    leadership = [o for o in officials if o.position.is_leadership]
    by_office: dict[int | None, list[Official]] = {}
    for official in officials:
        if not official.position.is_leadership:
            by_office.setdefault(official.office_id, []).append(official)
    groups = [
        OfficeGroup(office=members[0].office, officials=members)
        for office_id, members in by_office.items()
        if office_id is not None
    ]
    groups.sort(key=lambda g: (g.office.order, g.office.name))
    if None in by_office:
        groups.append(OfficeGroup(office=None, officials=by_office[None]))
    return OfficialsDirectory(leadership=leadership, offices=groups)


def reception_schedule(commune: Commune) -> list[ReceptionSlot]:
    """The commune's active weekly reception slots with their hosts (one query)."""
    return list(
        ReceptionSlot.objects.filter(commune=commune, is_active=True)
        .select_related("host", "host__position")
        .order_by("weekday", "start_time")
    )


def next_reception(
    slots: list[ReceptionSlot], *, now: datetime | None = None
) -> NextReception | None:
    """The next slot still to come from `now` (local time), today's included if not over.

    A weekday slot that falls on a public holiday or a declared day off is skipped; weekend
    slots are a deliberate extra service and are kept.
    """
    now = timezone.localtime(now)
    by_weekday: dict[int, list[ReceptionSlot]] = {}
    for slot in sorted(slots, key=lambda s: s.start_time):
        by_weekday.setdefault(slot.weekday, []).append(slot)
    if not by_weekday:
        return None
    horizon = 7 * 8
    days_off = workdays.non_working_days(now.date(), now.date() + timedelta(days=horizon))
    for offset in range(horizon):
        day = now.date() + timedelta(days=offset)
        candidates = [
            slot
            for slot in by_weekday.get(day.weekday(), [])
            if offset > 0 or slot.end_time > now.time()
        ]
        if not candidates:
            continue
        if day.weekday() < 5 and day in days_off:
            continue
        return NextReception(date=day, slot=candidates[0])
    return None


def conduct_defaults() -> dict[str, list[ConductLine]]:
    """The usual "4 xin, 4 luôn, 5 không" wording, from portal/data/conduct.json."""
    return {group: list(lines) for group, lines in _conduct_defaults().items()}


@lru_cache(maxsize=1)
def _conduct_defaults() -> dict[str, tuple[ConductLine, ...]]:
    data = json.loads(CONDUCT_DEFAULTS_PATH.read_text(encoding="utf-8"))
    return {
        group: tuple(
            ConductLine(text=line["text"], text_en=line["text_en"]) for line in data[group]
        )
        for group in CONDUCT_GROUP_ORDER
    }


def conduct_code(commune: Commune) -> ConductCode:
    """The commune's own code of conduct, or the defaults when it has set none (one query)."""
    items = list(ConductItem.objects.filter(commune=commune).order_by("order", "pk"))
    if items:
        lines: dict[str, list[ConductLine]] = {group: [] for group in CONDUCT_GROUP_ORDER}
        for item in items:
            lines[item.group].append(ConductLine(text=item.text, text_en=item.text_en))
    else:
        lines = conduct_defaults()
    labels = dict(ConductItem.Group.choices)
    return ConductCode(
        groups=[
            ConductGroup(group=group, label=str(labels[group]), lines=lines[group])
            for group in CONDUCT_GROUP_ORDER
            if lines[group]
        ],
        is_default=not items,
    )


def feedback_channels(profile: CommuneProfile | None) -> list[Channel]:
    """The feedback channels the commune filled in, in the order people use them most."""
    if profile is None:
        return []
    channels = []
    if profile.hotline:
        tel = profile.hotline.replace(".", "")
        channels.append(Channel("hotline", _("Đường dây nóng"), profile.hotline, f"tel:{tel}"))
    if profile.zalo_url:
        channels.append(Channel("zalo", _("Zalo"), profile.zalo_url, profile.zalo_url))
    if profile.feedback_email:
        email = profile.feedback_email
        channels.append(Channel("email", _("Thư điện tử"), email, f"mailto:{email}"))
    if profile.facebook_url:
        url = profile.facebook_url
        channels.append(Channel("facebook", _("Trang Facebook"), url, url))
    if profile.suggestion_box_location:
        location = profile.suggestion_box_location
        channels.append(Channel("box", _("Hòm thư góp ý"), location, None))
    return channels


def commune_public_url(commune: Commune, *, request) -> str:
    """The absolute address of the commune's home page, as a QR code should open it."""
    path = commune.get_absolute_url()
    base = settings.THANTHIEN_PUBLIC_BASE_URL.rstrip("/")
    return f"{base}{path}" if base else request.build_absolute_uri(path)
