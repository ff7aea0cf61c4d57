"""Deadlines of complaints and denunciations, as pure functions of dates and the settings.

The numbers and their units ("days" or "working_days") are THANTHIEN_COMPLAINT_DEADLINES
(Law on Complaints 2011, Law on Denunciations 2018; DOMAIN.md). Calendar days are counted as
the Civil Code counts a period in days: the period starts the day after the event, so the
last day is the event's date plus the number. Working days come from core.workdays (weekends,
public holidays and the admin's overrides).
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils.translation import gettext as _

from thanthien.core.workdays import add_working_days

COMPLAINT = "complaint"
DENUNCIATION = "denunciation"
STAGE_ACCEPT = "accept"
STAGE_RESOLVE = "resolve"


@dataclass(frozen=True)
class Period:
    number: int
    unit: str  # "days" | "working_days" | "count"

    @property
    def working_days(self) -> bool:
        return self.unit == "working_days"


@dataclass(frozen=True)
class ExtensionRule:
    """What an extension of one stage may be: the most days, how many times, in which unit;
    `fixed_due` when the law sets the extended deadline itself (denunciation, initial
    handling: 10 working days from receipt)."""

    max_days: int
    max_count: int
    working_days: bool
    fixed_due: date | None = None


def period(name: str) -> Period:
    """One row of THANTHIEN_COMPLAINT_DEADLINES."""
    number, unit = settings.THANTHIEN_COMPLAINT_DEADLINES[name]
    return Period(number=int(number), unit=unit)


def add_period(start: date, name: str) -> date:
    """`start` plus the named period, in days or working days as the setting says."""
    rule = period(name)
    if rule.working_days:
        return add_working_days(start, rule.number)
    return start + timedelta(days=rule.number)


def limitation_ends(learned_on: date) -> date:
    """The last day to lodge a complaint: 90 days from the day the person learned of the
    decision or act (Law on Complaints art. 9)."""
    return add_period(learned_on, "complaint_limitation")


def is_time_barred(*, learned_on: date | None, received_on: date) -> bool:
    """Whether a complaint arrived after its limitation period (unknown: not barred)."""
    return learned_on is not None and received_on > limitation_ends(learned_on)


def accept_due(*, kind: str, received_on: date) -> date:
    """Complaint: accept or refuse within 10 days of receipt (art. 27). Denunciation: the
    initial handling within 7 working days of receipt (art. 24)."""
    name = "complaint_accept" if kind == COMPLAINT else "denunciation_accept"
    return add_period(received_on, name)


def transfer_due(*, received_on: date) -> date:
    """A denunciation outside the commune's competence is transferred within 5 working days."""
    return add_period(received_on, "denunciation_transfer")


def resolve_period_name(*, kind: str, round: int, is_complex: bool, is_remote: bool) -> str:
    if kind == DENUNCIATION:
        return "denunciation_resolve"
    name = "complaint_first" if round == 1 else "complaint_second"
    if is_remote:
        name += "_remote"
    if is_complex:
        name += "_complex"
    return name


def resolve_due(
    *, kind: str, accepted_on: date, round: int = 1, is_complex: bool = False, is_remote=False
) -> date:
    """The resolution deadline counted from acceptance (thụ lý): complaints 30/45 days at the
    first round, 45/60 at the second, each longer in remote areas (arts. 28, 37);
    denunciations 30 days (art. 30), lengthened only by extensions."""
    name = resolve_period_name(kind=kind, round=round, is_complex=is_complex, is_remote=is_remote)
    return add_period(accepted_on, name)


def extension_rule(
    *, kind: str, stage: str, is_complex: bool, received_on: date
) -> ExtensionRule | None:
    """How a stage may be extended; None when the law gives no extension (complaints: a
    complex case has the longer period from the start instead)."""
    if kind != DENUNCIATION:
        return None
    if stage == STAGE_ACCEPT:
        extended = period("denunciation_accept_extended")
        base = period("denunciation_accept")
        return ExtensionRule(
            max_days=extended.number - base.number,
            max_count=1,
            working_days=extended.working_days,
            fixed_due=add_period(received_on, "denunciation_accept_extended"),
        )
    extension = period("denunciation_extension")
    count = period(
        "denunciation_max_extensions_complex" if is_complex else "denunciation_max_extensions"
    )
    return ExtensionRule(
        max_days=extension.number, max_count=count.number, working_days=extension.working_days
    )


def extension_refusal(
    *,
    kind: str,
    stage: str,
    is_complex: bool,
    received_on: date,
    days: int,
    done: int,
) -> str | None:
    """Why this extension is not allowed (a message for the official), or None if it is.
    `done` is how many extensions of the stage were already decided."""
    rule = extension_rule(kind=kind, stage=stage, is_complex=is_complex, received_on=received_on)
    if rule is None:
        return _(
            "Luật Khiếu nại không cho gia hạn thời hạn giải quyết khiếu nại. Nếu vụ việc phức "
            'tạp, đánh dấu "vụ việc phức tạp" khi thụ lý để áp dụng thời hạn dài hơn.'
        )
    if done >= rule.max_count:
        if stage == STAGE_ACCEPT:
            return _("Thời hạn xử lý ban đầu đơn tố cáo chỉ được gia hạn một lần.")
        if is_complex:
            return _(
                "Đã gia hạn %(count)s lần: vụ việc đặc biệt phức tạp chỉ được gia hạn tối đa "
                "%(max)s lần (Luật Tố cáo, Điều 30)."
            ) % {"count": done, "max": rule.max_count}
        return _(
            "Đã gia hạn %(count)s lần: tố cáo chỉ được gia hạn %(max)s lần; hai lần chỉ khi "
            "vụ việc đặc biệt phức tạp (Luật Tố cáo, Điều 30)."
        ) % {"count": done, "max": rule.max_count}
    if days < 1:
        return _("Số ngày gia hạn phải lớn hơn 0.")
    if days > rule.max_days:
        unit = _("ngày làm việc") if rule.working_days else _("ngày")
        return _("Mỗi lần gia hạn không quá %(max)s %(unit)s.") % {
            "max": rule.max_days,
            "unit": unit,
        }
    return None


def extended_due(*, previous_due: date, days: int, rule: ExtensionRule) -> date:
    """The new deadline after an allowed extension."""
    if rule.fixed_due is not None:
        return max(rule.fixed_due, previous_due)
    if rule.working_days:
        return add_working_days(previous_due, days)
    return previous_due + timedelta(days=days)
