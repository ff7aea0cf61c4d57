"""The daily overdue watch: warn of dossiers due within one working day, flag late ones.

For every commune, dossiers whose clock runs (received, in progress) and that are due today or
on the next working day are "due soon": the handling official is warned through the outbox
(SMS to a mobile number, else e-mail), or, when no official holds the dossier, the commune's
leaders. Dossiers already past their due date are late (the rule of dossier_selectors): the
official is warned once per due date and a draft apology slip waits for the leader.

Warnings go out on working days only (nobody reads them on a day off; the next working day's
run covers the same dossiers); slips are drafted every day. Running it twice on one day
queues and drafts nothing new: each warning's outbox dedupe key names the day (due soon) or
the missed due date (late), and a dossier has at most one "late" slip (a DB constraint).
The number of queries does not grow with the number of dossiers.

Run by `manage.py watch_dossiers`, the Celery beat entry `onestop.watch_dossiers`, and once a
local day by `manage.py dispatch_notifications --loop` (setting THANTHIEN_DAILY_JOBS).
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db import transaction

from thanthien.core import workdays
from thanthien.notify.models import Channel, Event
from thanthien.notify.services import Contact, Notice, notifications_enqueue_bulk
from thanthien.onestop.apology_services import apology_draft_for_late
from thanthien.onestop.dossier_selectors import today_local
from thanthien.onestop.dossier_services import LEADER_ROLES
from thanthien.onestop.dossiers import RUNNING_STATES
from thanthien.onestop.models import Dossier
from thanthien.people.models import Official, User

# Vietnamese mobile numbers (03x, 05x, 07x, 08x, 09x): an SMS to a landline would be lost.
MOBILE_RE = re.compile(r"^0[35789]\d{8}$")


@dataclass
class CommuneWatch:
    """What the desk of one commune should look at today."""

    commune: object
    due_soon: list[Dossier] = field(default_factory=list)
    late: list[Dossier] = field(default_factory=list)


@dataclass
class WatchReport:
    today: date
    # Dossiers due from `today` up to this day (the next working day) are due soon.
    horizon: date
    warned_today: bool
    communes: list[CommuneWatch] = field(default_factory=list)
    warnings_queued: int = 0
    slips_drafted: int = 0
    # Codes of dossiers nobody could be warned about (no official, no leader with a contact).
    unwarned: list[str] = field(default_factory=list)

    @property
    def due_soon_count(self) -> int:
        return sum(len(c.due_soon) for c in self.communes)

    @property
    def late_count(self) -> int:
        return sum(len(c.late) for c in self.communes)

    def as_dict(self) -> dict:
        return {
            "today": self.today.isoformat(),
            "due_soon": self.due_soon_count,
            "late": self.late_count,
            "warnings_queued": self.warnings_queued,
            "slips_drafted": self.slips_drafted,
            "unwarned": len(self.unwarned),
        }

    def __str__(self) -> str:
        return (
            f"{self.today:%d/%m/%Y}: {self.due_soon_count} due soon, {self.late_count} late, "
            f"{self.warnings_queued} warnings queued, {self.slips_drafted} apology slips drafted"
            + ("" if self.warned_today else " (day off: no warnings)")
        )


@dataclass(frozen=True)
class _Recipient:
    key: str
    contact: Contact


def _staff_contact(name: str, phone: str, email: str) -> Contact | None:
    """Staff are told at work: SMS to a mobile number, else e-mail; None without either."""
    digits = "".join(ch for ch in phone or "" if ch.isdigit())
    if MOBILE_RE.match(digits):
        return Contact(name=name, phone=digits, channel=Channel.SMS, consent_sms=True)
    if email:
        return Contact(name=name, email=email, channel=Channel.EMAIL, consent_email=True)
    return None


def _official_recipient(official: Official | None) -> _Recipient | None:
    if official is None or not official.is_active:
        return None
    contact = _staff_contact(official.full_name, official.phone, official.email)
    return _Recipient(f"o{official.pk}", contact) if contact else None


def _leaders_by_commune(commune_ids: set[int]) -> dict[int, list[_Recipient]]:
    """The leaders and administrators of these communes who can be reached, in one query."""
    found: dict[int, list[_Recipient]] = {}
    if not commune_ids:
        return found
    users = (
        User.objects.filter(role__in=sorted(LEADER_ROLES), commune_id__in=commune_ids)
        .filter(is_active=True)
        .select_related("official")
        .order_by("commune_id", "pk")
    )
    for user in users:
        official = user.official
        contact = None
        if official is not None and official.is_active:
            contact = _staff_contact(str(user), official.phone, official.email or user.email)
        contact = contact or _staff_contact(str(user), "", user.email)
        if contact is not None:
            found.setdefault(user.commune_id, []).append(_Recipient(f"u{user.pk}", contact))
    return found


def _dossier_url(dossier: Dossier) -> str:
    return settings.THANTHIEN_PUBLIC_BASE_URL.rstrip("/") + dossier.get_absolute_url()


def _notices(
    dossier: Dossier, event: str, key_prefix: str, recipients: list[_Recipient]
) -> list[Notice]:
    context = {
        "commune": dossier.commune.name,
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "due_date": f"{dossier.due_date:%d/%m/%Y}",
        "dossier_url": _dossier_url(dossier),
    }
    return [
        Notice(
            commune_id=dossier.commune_id,
            event=event,
            contact=recipient.contact,
            context=context,
            dedupe_key=f"{key_prefix}:{recipient.key}"[:200],
            related=dossier,
        )
        for recipient in recipients
    ]


def dossiers_watch(*, today: date | None = None) -> WatchReport:
    """Run the day's watch over every commune (see the module docstring)."""
    today = today or today_local()
    report = WatchReport(
        today=today,
        horizon=workdays.add_working_days(today, 1),
        warned_today=workdays.is_working_day(today),
    )
    dossiers = list(
        Dossier.objects.filter(state__in=sorted(RUNNING_STATES), due_date__lte=report.horizon)
        .select_related("commune", "procedure", "handling_official")
        .order_by("commune__name", "commune_id", "due_date", "code")
    )
    by_commune: dict[int, CommuneWatch] = {}
    for dossier in dossiers:
        watch = by_commune.get(dossier.commune_id)
        if watch is None:
            watch = by_commune[dossier.commune_id] = CommuneWatch(commune=dossier.commune)
            report.communes.append(watch)
        (watch.late if dossier.due_date < today else watch.due_soon).append(dossier)
    late = [d for watch in report.communes for d in watch.late]

    with transaction.atomic():
        if report.warned_today:
            report.warnings_queued = len(notifications_enqueue_bulk(notices=_warnings(report)))
        report.slips_drafted = len(apology_draft_for_late(dossiers=late, today=today))
    return report


def _warnings(report: WatchReport) -> list[Notice]:
    """The day's staff warnings; records in `report.unwarned` who could not be reached."""
    watched = [
        (d, kind)
        for w in report.communes
        for kind in ("due_soon", "late")
        for d in getattr(w, kind)
    ]
    orphans = {
        d.commune_id for d, _kind in watched if _official_recipient(d.handling_official) is None
    }
    leaders = _leaders_by_commune(orphans)
    notices: list[Notice] = []
    for dossier, kind in watched:
        official = _official_recipient(dossier.handling_official)
        recipients = [official] if official else leaders.get(dossier.commune_id, [])
        if not recipients:
            report.unwarned.append(dossier.code)
            continue
        if kind == "due_soon":
            event = Event.STAFF_DOSSIER_DUE_SOON
            prefix = f"watch:{report.today:%Y%m%d}:due_soon:{dossier.code}"
        else:
            # Warned once for each missed due date; the leader's draft slip takes it from there.
            event = Event.STAFF_DOSSIER_LATE
            prefix = f"watch:late:{dossier.code}:{dossier.due_date:%Y%m%d}"
        notices.extend(_notices(dossier, event, prefix, recipients))
    return notices
