"""Synthetic dossiers for the demo and the benchmarks: realistic, consistent, reproducible.

`DossierGenerator` draws the dossiers a commune's desk received over the past `days` days —
on working days, in office hours — and plays each one's life forward to `now`: hand-overs
between the desk, the specialist of the procedure's field and a signing leader, supplement
requests (the clock restarts when complete), a reschedule with its apology slip, refusals,
withdrawals, the result and its return at the desk or by post; the daily overdue watch drafts
an apology slip for each dossier running late, which a leader issues or drops. A dossier
whose next move would come after `now` stays where it is, so the recent ones are still open,
a few due soon and a few already late.

Every draw comes from one seeded `random.Random`: the same seed, commune and `now` give the
same dossiers. Receipt days and due dates come from `thanthien.core.workdays` (memoised: a
year of dossiers asks about a few hundred distinct days). Each move changes the dossier, its
history and its notification exactly as its service in `dossier_services.py` would;
tests/test_generate.py replays generated dossiers through the real services and compares.

Two outputs: `generated_dossiers_save` writes model instances with `bulk_create` (the demo),
`CopyWriter` turns the same records into row tuples for PostgreSQL COPY (the benchmarks).
"""

from __future__ import annotations

import json
import random
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import models

from thanthien.core import workdays
from thanthien.core.demo import MOBILE_PREFIXES
from thanthien.core.text import fold
from thanthien.core.workdays import LOCAL_TZ
from thanthien.notify.rendering import default_template, render_text
from thanthien.notify.sms import is_gsm, sms_parts
from thanthien.onestop.lookup import status_url
from thanthien.surveys.rating_links import rating_url

__all__ = [
    "CommuneSpec",
    "CopyWriter",
    "DossierGenerator",
    "GeneratedDossier",
    "MessageTexts",
    "Person",
    "ProcedureSpec",
    "Step",
    "WorkCalendar",
    "generated_dossiers_save",
    "procedure_specs",
]

# Office hours of the desk: 07:30–11:30 and 13:30–17:00, as minutes of a working day.
MORNING_START = 7 * 60 + 30
MORNING_MINUTES = 240
AFTERNOON_START = 13 * 60 + 30
DAY_MINUTES = 450

# What share of dossiers ends how (the rest is ready early or on time).
REFUSED_SHARE = 0.015
WITHDRAWN_SHARE = 0.012
RESCHEDULED_SHARE = 0.03
LATE_SHARE = 0.07
# Of the dossiers with a limit of two working days or more.
SUPPLEMENT_SHARE = 0.12
SUPPLEMENT_ABANDONED_SHARE = 0.2
# Of the dossiers received in the last RECENT_DAYS working days: kept open, due today or on
# the next working day; of those of the last STUCK_DAYS: stuck, most of them late by now.
RECENT_DAYS, DUE_SOON_SHARE = 10, 0.1
STUCK_DAYS, STUCK_SHARE = 25, 0.05
# The first hand-over comes within this many office minutes of the move before it.
FIRST_HANDOVER_MINUTES = 300
# Of the dossiers whose procedure can be returned by post: set so ~10% of all go by post.
POSTAL_RETURN_TARGET = 0.10
NEVER_COLLECTED_SHARE = 0.04

CHANNEL_WEIGHTS = {"desk": 70, "online": 22, "post": 8}
NOTIFY_WEIGHTS = {"sms": 64, "zalo": 25, "email": 4, "none": 7}

# How often residents come for each procedure: certification and civil status dominate.
PROCEDURE_WEIGHTS = {
    "2.000815": 60,  # chứng thực bản sao từ bản chính
    "2.000884": 22,  # chứng thực chữ ký
    "1.001193": 14,  # khai sinh
    "1.004873": 10,  # xác nhận tình trạng hôn nhân
    "2.000635": 8,  # trích lục hộ tịch
    "1.000894": 6,  # kết hôn
    "1.000656": 5,  # khai tử
    "2.001035": 5,  # chứng thực hợp đồng, giao dịch
    "LT.KS-TT-BHYT": 5,
}
FIELD_WEIGHTS = {"chung-thuc": 3, "ho-tich": 2, "lao-dong-tbxh": 1.5, "dat-dai": 0.6}
DEFAULT_WEIGHT = 1

REFUSE_REASONS = [
    "Hồ sơ không thuộc thẩm quyền giải quyết của UBND xã",
    "Người yêu cầu không xuất trình được giấy tờ tùy thân còn giá trị",
    "Bản sao không có bản chính để đối chiếu",
    "Yêu cầu chứng thực giấy tờ có nội dung trái pháp luật",
    "Đã đăng ký khai sinh trước đây, đề nghị làm thủ tục cấp bản sao trích lục",
]
WITHDRAW_REASONS = [
    "Người nộp xin rút hồ sơ để nộp lại sau",
    "Người nộp không còn nhu cầu giải quyết",
    "Nộp nhầm thủ tục, người nộp xin rút để nộp lại đúng thủ tục",
]
ABANDON_REASON = "Quá thời hạn bổ sung, người nộp có đơn xin rút hồ sơ"
RESCHEDULE_REASONS = [
    "cần xác minh thêm thông tin tại nơi cư trú trước đây của người yêu cầu",
    "phải lấy ý kiến của cơ quan chuyên môn cấp trên",
    "công chức thụ lý nghỉ ốm đột xuất",
    "cơ sở dữ liệu hộ tịch điện tử gặp sự cố, chưa cập nhật được",
    "cần xác minh hiện trạng thửa đất với các hộ liền kề",
    "chờ kết quả xác minh của Công an xã",
]
# Papers a procedure does not list: asking for them is flagged to a leader (requirement A2).
UNLISTED_ITEMS = [
    "Giấy xác nhận của trưởng thôn",
    "Bản sao sổ hộ khẩu",
    "Giấy xác nhận thông tin về cư trú",
]
REVIEW_NOTE = "Đã nhắc công chức chỉ yêu cầu giấy tờ có trong thành phần hồ sơ."
# The leader's answer to a "late" slip the overdue watch drafted.
LATE_SLIP_ISSUED_SHARE = 0.65
LATE_SLIP_DROPPED_SHARE = 0.2
LATE_REASONS = [
    "hồ sơ phải xin ý kiến cơ quan chuyên môn cấp trên nên chưa kịp trả",
    "công chức thụ lý đi tập huấn, chưa bàn giao kịp",
    "cần xác minh thêm thông tin với nơi cư trú trước đây",
]
DROP_NOTES = [
    "Hồ sơ đã có kết quả ngay sau ngày hẹn; đã gọi điện xin lỗi người nộp",
    "Người nộp đã được thông báo trực tiếp tại bộ phận một cửa",
]
# The overdue watch runs at the dispatcher's first loop after local midnight.
WATCH_TIME = time(0, 5)
STEP_NOTES = {"specialist": "Chuyển thụ lý", "signer": "Trình ký", "desk": "Chuyển trả kết quả"}
RETURN_NOTES_DESK = ["", "", "", "Người nộp ủy quyền cho người thân nhận thay"]

# How the past year's messages fared with the commune's providers (eSMS, ZNS, SMTP).
SMS_FAILURES = [
    ("99", "Số điện thoại đã bị chặn nhận tin nhắn thương hiệu"),
    ("108", "Số điện thoại không đúng định dạng hoặc không tồn tại"),
]
ZALO_FAILURES = [
    (-118, "Zalo account does not exist or is inactive"),
    (-139, "User refused to receive ZNS messages"),
]


# --- What the generator needs to know about a commune -------------------------------------


@dataclass(frozen=True)
class ProcedureSpec:
    id: int
    code: str
    name: str
    field: str  # ProcedureField.code
    processing_days: int
    postal_return: bool
    online: bool  # can be submitted online (full or partial online level)
    documents: tuple[str, ...]


@dataclass(frozen=True)
class Person:
    """An official who holds dossiers, and the office they belong to."""

    official_id: int
    office_id: int | None


@dataclass(frozen=True)
class CommuneSpec:
    id: int
    code: int
    name: str
    procedures: tuple[ProcedureSpec, ...]
    desk: tuple[Person, ...]  # receive dossiers and return results
    specialists: Mapping[str, tuple[Person, ...]]  # by field code; "" for any other field
    signers: tuple[Person, ...]  # leaders who sign the results
    desk_user_ids: tuple[int, ...]  # the accounts that record each move
    leader_user_id: int  # issues apology slips, reviews supplement requests
    addresses: tuple[str, ...]  # "Thôn Đông, xã Kiến Minh, …": where applicants live
    id_prefix: str = "031"  # the province part of a CCCD number (Hải Phòng)


def procedure_specs(*, commune_ids: Iterable[int]) -> dict[int, tuple[ProcedureSpec, ...]]:
    """The active procedures of these communes with their documents, in two queries."""
    from thanthien.onestop.models import Procedure, RequiredDocument

    documents: dict[int, list[str]] = {}
    rows = RequiredDocument.objects.filter(
        procedure__commune_id__in=commune_ids, procedure__is_active=True
    ).order_by("procedure_id", "order", "pk")
    for procedure_id, name in rows.values_list("procedure_id", "name"):
        documents.setdefault(procedure_id, []).append(name)
    specs: dict[int, list[ProcedureSpec]] = {}
    procedures = Procedure.objects.filter(commune_id__in=commune_ids, is_active=True).order_by(
        "commune_id", "code"
    )
    for p in procedures.values(
        "id",
        "commune_id",
        "code",
        "name",
        "field__code",
        "processing_days",
        "postal_return",
        "online_level",
    ):
        specs.setdefault(p["commune_id"], []).append(
            ProcedureSpec(
                id=p["id"],
                code=p["code"],
                name=p["name"],
                field=p["field__code"],
                processing_days=p["processing_days"],
                postal_return=p["postal_return"],
                online=p["online_level"] != Procedure.OnlineLevel.IN_PERSON,
                documents=tuple(documents.get(p["id"], ())),
            )
        )
    return {commune_id: tuple(items) for commune_id, items in specs.items()}


# --- Working days -----------------------------------------------------------------------------


class WorkCalendar:
    """The working days around a period, and the platform's receipt and due dates, memoised.

    Days and dates come from `thanthien.core.workdays`; a dossier's due date depends on its
    receipt time only through its receipt day, so each (receipt day, limit) is asked once.
    """

    def __init__(self, first: date, last: date):
        off = workdays.non_working_days(first, last)
        span = (last - first).days + 1
        self.days: list[date] = [
            day for day in (first + timedelta(days=n) for n in range(span)) if day not in off
        ]
        self.index: dict[date, int] = {day: i for i, day in enumerate(self.days)}
        self._midnights = [datetime(d.year, d.month, d.day, tzinfo=LOCAL_TZ) for d in self.days]
        self._receipt: dict[tuple[date, bool], date] = {}
        self._due: dict[tuple[date, int], date] = {}
        self._add: dict[tuple[date, int], date] = {}

    def receipt_day(self, at: datetime) -> date:
        local = at.astimezone(LOCAL_TZ)
        key = (local.date(), local.time() < settings.THANTHIEN_RECEIPT_CUTOFF)
        day = self._receipt.get(key)
        if day is None:
            day = self._receipt[key] = workdays.receipt_day(at)
        return day

    def due_date(self, at: datetime, working_days: int) -> date:
        key = (self.receipt_day(at), working_days)
        day = self._due.get(key)
        if day is None:
            day = self._due[key] = workdays.due_date(at, working_days)
        return day

    def add(self, day: date, working_days: int) -> date:
        key = (day, working_days)
        result = self._add.get(key)
        if result is None:
            result = self._add[key] = workdays.add_working_days(day, working_days)
        return result

    def moment(self, position: int, second: int = 0) -> datetime:
        """The time of a position: working-day index × 450 + minute of the office day."""
        day, minute = divmod(position, DAY_MINUTES)
        clock = (
            MORNING_START + minute
            if minute < MORNING_MINUTES
            else AFTERNOON_START + minute - MORNING_MINUTES
        )
        return self._midnights[day] + timedelta(minutes=clock, seconds=second)

    def position(self, moment: datetime) -> int:
        """The last office minute at or before `moment` (on its day, or the working day before)."""
        local = moment.astimezone(LOCAL_TZ)
        day = local.date()
        clock = local.hour * 60 + local.minute
        if day in self.index:
            if clock >= AFTERNOON_START:
                minute = min(MORNING_MINUTES + clock - AFTERNOON_START, DAY_MINUTES - 1)
            elif clock >= MORNING_START:
                minute = min(clock - MORNING_START, MORNING_MINUTES - 1)
            else:
                minute = -1
            return self.index[day] * DAY_MINUTES + minute
        while day not in self.index:
            day -= timedelta(days=1)
        return self.index[day] * DAY_MINUTES + DAY_MINUTES - 1

    def day_of(self, position: int) -> date:
        return self.days[position // DAY_MINUTES]


# --- Message texts ----------------------------------------------------------------------------


class MessageTexts:
    """The commune's template for each event and channel, else the national one, else the
    shipped default — the choice `notify.services.template_render` makes — loaded once."""

    def __init__(self, commune_id: int):
        from thanthien.notify.models import MessageTemplate

        found: dict[tuple[str, str], tuple] = {}
        rows = MessageTemplate.objects.filter(is_active=True).filter(
            models.Q(commune_id=commune_id) | models.Q(commune__isnull=True)
        )
        # National rows first, so the commune's own copy overwrites them.
        for template in sorted(rows, key=lambda t: t.commune_id is not None):
            found[(template.event, template.channel)] = (
                template.subject,
                template.body,
                template.strip_diacritics,
                template.zalo_template_id,
            )
        self._found = found

    def render(self, event: str, channel: str, context: dict) -> tuple[str, str, str]:
        """(subject, body, zalo_template_id) filled with `context`."""
        template = self._found.get((event, channel))
        if template is None:
            item = default_template(event, channel)
            template = (
                item["subject"],
                item["body"],
                item["strip_diacritics"],
                item.get("zalo_template_id", ""),
            )
        subject, body, plain, zalo_template_id = template
        return (
            render_text(subject, context, plain=plain),
            render_text(body, context, plain=plain),
            zalo_template_id,
        )


# --- The records a generated dossier is made of ----------------------------------------------


@dataclass(slots=True)
class Step:
    """One move, in the words of its service (what tests replay through dossier_services)."""

    kind: str  # DossierAction value
    at: datetime
    actor_id: int
    to: Person | None = None
    step_due: date | None = None
    note: str = ""
    items: tuple[str, ...] = ()
    new_due: date | None = None
    reason: str = ""


@dataclass(slots=True)
class GeneratedDossier:
    values: dict  # Dossier field attnames → values (no id)
    steps: list[Step]  # the moves after receipt, in order
    events: list[dict]  # DossierEvent attnames (no id, no dossier_id)
    supplements: list[dict] = field(default_factory=list)
    apologies: list[dict] = field(default_factory=list)  # ApologySlip attnames
    messages: list[dict] = field(default_factory=list)  # Message attnames + "attempt"


# --- The generator ----------------------------------------------------------------------------


# Moves after which the dossier's clock no longer runs.
RUNNING_ENDS = frozenset({"request_supplement", "refuse", "withdraw", "result_ready", "return"})
SLIP_STEPS = frozenset({"late_slip", "slip_issue", "slip_drop"})


def _dossier_text(day: date | None) -> str:
    return f"{day:%d/%m/%Y}" if day else ""


def _result(finished: date, due: date) -> str:
    if finished < due:
        return "early"
    return "on_time" if finished == due else "late"


class DossierGenerator:
    """Dossiers of one commune, received over the `days` days up to `now` (see the module)."""

    def __init__(
        self,
        *,
        commune: CommuneSpec,
        seed: int,
        now: datetime,
        names: Sequence[str],
        days: int = 365,
        calendar: WorkCalendar | None = None,
        texts: MessageTexts | None = None,
        messages: bool = True,
    ):
        if not commune.procedures or not commune.desk or not commune.signers:
            raise ValueError("A commune needs procedures, desk officials and signers.")
        self.commune = commune
        self.rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
        self.now = now
        self.names = names
        self.today = now.astimezone(LOCAL_TZ).date()
        self.first_day = self.today - timedelta(days=days - 1)
        self.calendar = calendar or WorkCalendar(
            self.first_day - timedelta(days=10), self.today + timedelta(days=400)
        )
        # The last working day up to today, and the day "due soon" ends (the watch's horizon).
        self.today_index = self.calendar.position(now) // DAY_MINUTES
        self.horizon = self.calendar.add(self.today, 1)
        self.texts = texts if texts is not None or not messages else MessageTexts(commune.id)
        self.with_messages = messages
        self.counters: Counter[date] = Counter()
        self.apologies: list[dict] = []

        procedures = commune.procedures
        weights = [self._weight(p) for p in procedures]
        self._procedures = (procedures, weights)
        slow = [(p, w) for p, w in zip(procedures, weights, strict=True) if p.processing_days >= 2]
        self._slow = ([p for p, _ in slow], [w for _, w in slow]) if slow else self._procedures
        postal = sum(w for p, w in zip(procedures, weights, strict=True) if p.postal_return)
        self._postal_chance = (
            min(0.6, POSTAL_RETURN_TARGET * sum(weights) / postal) if postal else 0
        )

    @staticmethod
    def _weight(procedure: ProcedureSpec) -> float:
        if procedure.code in PROCEDURE_WEIGHTS:
            return PROCEDURE_WEIGHTS[procedure.code]
        return FIELD_WEIGHTS.get(procedure.field, DEFAULT_WEIGHT)

    # -- Receipt moments --

    def receipt_moments(self, count: int) -> list[tuple[int, int]]:
        """`count` (position, second) pairs on the period's working days, sorted; the ones after
        `now` are dropped, so today's intake stops at the present."""
        cal, rng = self.calendar, self.rng
        first = cal.index.get(self.first_day)
        if first is None:
            first = cal.index[cal.add(self.first_day, 0)]
        last = cal.position(self.now) // DAY_MINUTES
        day_indexes = list(range(first, last + 1))
        weights = [self._day_weight(cal.days[i]) for i in day_indexes]
        chosen = rng.choices(day_indexes, weights=weights, k=count)
        moments = sorted(
            (index * DAY_MINUTES + self._office_minute(), rng.randrange(60)) for index in chosen
        )
        return [m for m in moments if cal.moment(*m) <= self.now]

    def _office_minute(self) -> int:
        # Busier in the morning, quieter in the last hour.
        rng = self.rng
        if rng.random() < 0.6:
            return rng.randrange(MORNING_MINUTES)
        return MORNING_MINUTES + min(int(rng.triangular(0, 210, 60)), 209)

    @staticmethod
    def _day_weight(day: date) -> float:
        weight = 1.25 if day.weekday() == 0 else 1.0
        if day.month == 12 or day.month == 1:
            weight *= 1.2  # papers before Tết and the school year's records
        return weight

    # -- One dossier --

    def generate(self, count: int) -> Iterator[GeneratedDossier]:
        """About `count` dossiers (fewer today if the day is not over), oldest first."""
        for position, second in self.receipt_moments(count):
            yield self.dossier(position, second)

    def dossier(self, position: int, second: int = 0) -> GeneratedDossier:
        rng, cal, commune = self.rng, self.calendar, self.commune
        received_at = cal.moment(position, second)
        day = received_at.astimezone(LOCAL_TZ).date()
        self.counters[day] += 1
        code = f"{commune.code}-{day:%y%m%d}-{self.counters[day]:04d}"

        outcome = rng.random()
        if outcome < REFUSED_SHARE:
            kind = "refuse"
        elif outcome < REFUSED_SHARE + WITHDRAWN_SHARE:
            kind = "withdraw"
        elif outcome < REFUSED_SHARE + WITHDRAWN_SHARE + RESCHEDULED_SHARE:
            kind = "reschedule"
        elif outcome < REFUSED_SHARE + WITHDRAWN_SHARE + RESCHEDULED_SHARE + LATE_SHARE:
            kind = "late"
        else:
            kind = "in_time"
        pool, weights = self._slow if kind == "reschedule" else self._procedures
        procedure = rng.choices(pool, weights=weights)[0]
        # The desk's present: some recent dossiers are still open, due soon or late already.
        age = self.today_index - position // DAY_MINUTES
        if kind in ("in_time", "late") and age <= RECENT_DAYS and rng.random() < DUE_SOON_SHARE:
            due_soon = [
                (p, w)
                for p, w in zip(*self._procedures, strict=True)
                if self.today <= cal.due_date(received_at, p.processing_days) <= self.horizon
            ]
            if due_soon:
                kind = "open"
                procedure = rng.choices(*zip(*due_soon, strict=True))[0]
        elif kind in ("in_time", "late") and age <= STUCK_DAYS and rng.random() < STUCK_SHARE:
            kind = "open"
        n = procedure.processing_days
        supplement = n >= 2 and kind not in ("refuse", "open") and rng.random() < SUPPLEMENT_SHARE
        missing: tuple[str, ...] = ()
        if supplement and procedure.documents:
            wanted = 1 if len(procedure.documents) < 3 or rng.random() < 0.7 else 2
            missing = tuple(rng.sample(procedure.documents, min(wanted, len(procedure.documents))))
        values = self._applicant(procedure, code, received_at, missing)
        values["receipt_day"] = cal.receipt_day(received_at)
        values["due_date"] = cal.due_date(received_at, n)

        desk_user = rng.choice(commune.desk_user_ids)
        receiver = rng.choice(commune.desk)
        values["handling_official_id"] = receiver.official_id
        values["handling_office_id"] = receiver.office_id
        values["created_by_id"] = desk_user
        steps = self._plan(
            kind=kind,
            procedure=procedure,
            start=position,
            received_at=received_at,
            due=values["due_date"],
            receipt_day=values["receipt_day"],
            supplement=supplement,
            missing=missing,
            post=values["return_method"] == "post",
            actor=desk_user,
        )
        steps = self._with_watch(steps, received_at, values["due_date"], procedure)
        steps = [s for s in steps if s.at <= self.now]
        return self._materialize(values, steps, receiver, desk_user, procedure)

    def _applicant(
        self, procedure: ProcedureSpec, code: str, received_at: datetime, missing: tuple[str, ...]
    ) -> dict:
        rng, commune = self.rng, self.commune
        channels = ["desk", "online", "post"]
        channel = rng.choices(channels, weights=[CHANNEL_WEIGHTS[c] for c in channels])[0]
        if channel == "online" and not procedure.online:
            channel = "desk"
        post = procedure.postal_return and rng.random() < self._postal_chance
        notify = rng.choices(list(NOTIFY_WEIGHTS), weights=list(NOTIFY_WEIGHTS.values()))[0]
        name = rng.choice(self.names)
        phone = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10_000_000):07d}"
        address = ""
        if post or channel != "desk" or rng.random() < 0.5:
            house = f"Số {rng.randint(1, 180)}, " if rng.random() < 0.4 else ""
            address = f"{house}{rng.choice(commune.addresses)}"
        id_number = ""
        if rng.random() < 0.75:
            century = rng.choice("0123")  # gender and century digit
            id_number = (
                f"{commune.id_prefix}{century}{rng.randrange(100):02d}{rng.randrange(10**6):06d}"
            )
        email = ""
        if notify == "email" or rng.random() < 0.05:
            email = f"{_ascii_handle(name)}{rng.randrange(100)}@gmail.com"
        consent_sms = notify == "sms" or (notify == "zalo" and rng.random() < 0.7)
        consent_zalo = notify == "zalo"
        consent_email = notify == "email"
        consenting = consent_sms or consent_zalo or consent_email
        appointment = None
        if rng.random() < 0.05:
            quarter = received_at.replace(second=0, microsecond=0)
            appointment = quarter - timedelta(minutes=quarter.minute % 15)
        documents = [d for d in procedure.documents if d not in missing]
        return {
            "commune_id": commune.id,
            "code": code,
            "procedure_id": procedure.id,
            "applicant_name": name,
            "applicant_phone": phone,
            "applicant_address": address,
            "applicant_id_number": id_number,
            "channel": channel,
            "return_method": "post" if post else "desk",
            "appointment_at": appointment,
            "notify_channel": notify,
            "consent_sms": consent_sms,
            "consent_zalo": consent_zalo,
            "consent_email": consent_email,
            "consent_recorded_at": received_at if consenting else None,
            "email": email,
            "documents_received": documents,
            "note": "",
            "processing_days": procedure.processing_days,
            "received_at": received_at,
            "state": "received",
            "state_changed_at": received_at,
            "supplement_requested_at": None,
            "supplement_completed_at": None,
            "result_ready_at": None,
            "result_ready_day": None,
            "returned_at": None,
            "refused_at": None,
            "withdrawn_at": None,
            "rescheduled_at": None,
            "original_due_date": None,
            "reschedule_reason": "",
            "closing_reason": "",
            "origin": "here",
            "idempotency_token": None,
        }

    # -- Planning a life --

    def _between(self, low: int, high: int, count: int) -> list[int]:
        """`count` sorted distinct positions strictly between low and high (crowded: +1 each)."""
        if count <= 0:
            return []
        if high - low - 1 >= count:
            return sorted(self.rng.sample(range(low + 1, high), count))
        return [low + 1 + i for i in range(count)]

    def _plan(
        self,
        *,
        kind: str,
        procedure: ProcedureSpec,
        start: int,
        received_at: datetime,
        due: date,
        receipt_day: date,
        supplement: bool,
        missing: tuple[str, ...],
        post: bool,
        actor: int,
    ) -> list[Step]:
        rng, cal, commune = self.rng, self.calendar, self.commune
        moment = cal.moment
        n = procedure.processing_days
        specialists = commune.specialists.get(procedure.field) or commune.specialists.get("")
        specialist = rng.choice(specialists) if specialists else rng.choice(commune.desk)
        signer = rng.choice(commune.signers)
        back = rng.choice(commune.desk)
        chain: list[tuple[str, Person]] = [("signer", signer), ("desk", back)]
        if n >= 1:
            chain.insert(0, ("specialist", specialist))
        steps: list[Step] = []
        # Moves are recorded to the minute, after the receipt's own minute.
        cursor = start

        if kind == "refuse":
            at = min(cursor + rng.randint(3, 90), cursor // DAY_MINUTES * DAY_MINUTES + 449)
            at = max(at, cursor + 1)
            return [Step("refuse", moment(at), actor, reason=rng.choice(REFUSE_REASONS))]

        def handover(position: int, role: str, person: Person, step_due: date) -> Step:
            return Step(
                "handover",
                moment(position),
                actor,
                to=person,
                step_due=step_due,
                note=STEP_NOTES[role] if rng.random() < 0.5 else "",
            )

        def step_due_for(role: str, current_due: date) -> date:
            if role == "specialist" and n >= 2:
                earlier = cal.add(current_due, -1)
                return earlier if earlier >= receipt_day else current_due
            return current_due

        if supplement:
            request_due = cal.add(receipt_day, 3)
            first = max(cal.index[receipt_day], cursor // DAY_MINUTES)
            last = cal.index[request_due]
            if rng.random() < 0.1:
                last += rng.randint(1, 2)  # a late request, shown late on the control slip
                first = last
            request_at = rng.randint(first, last) * DAY_MINUTES + rng.randrange(DAY_MINUTES)
            request_at = max(request_at, cursor + 3)
            take = self._soon(cursor, request_at)
            role, person = chain.pop(0)
            steps.append(handover(take, role, person, step_due_for(role, due)))
            steps.append(
                Step(
                    "request_supplement",
                    moment(request_at),
                    actor,
                    items=self._supplement_items(missing),
                    note="Đề nghị bổ sung trong 5 ngày làm việc" if rng.random() < 0.3 else "",
                )
            )
            cursor = request_at
            if rng.random() < SUPPLEMENT_ABANDONED_SHARE:
                quit_at = cursor + rng.randint(10, 25) * DAY_MINUTES
                steps.append(Step("withdraw", moment(quit_at), actor, reason=ABANDON_REASON))
                return steps
            complete_at = (cursor // DAY_MINUTES + rng.randint(1, 8)) * DAY_MINUTES
            complete_at += rng.randrange(DAY_MINUTES)
            steps.append(Step("complete_supplement", moment(complete_at), actor))
            cursor = complete_at
            due = cal.due_date(moment(complete_at), n)

        if kind == "reschedule":
            # At least one working day before the due day, once the specialist has it.
            latest = cal.index[due] * DAY_MINUTES - 1
            lowest = max(cursor + 2, latest - 3 * DAY_MINUTES)
            if latest - cursor >= 3:
                at = rng.randint(lowest, latest)
                if chain[0][0] == "specialist":
                    take = self._soon(cursor, at)
                    role, person = chain.pop(0)
                    steps.append(handover(take, role, person, step_due_for(role, due)))
                new_due = cal.add(due, rng.randint(2, 8))
                reason = rng.choice(RESCHEDULE_REASONS)
                leader = commune.leader_user_id
                steps.append(Step("reschedule", moment(at), leader, new_due=new_due, reason=reason))
                cursor, due = at, new_due
                ready_day = cal.index[due] - rng.choice([0, 0, 0, 1, 2])
                if rng.random() < 0.12:
                    ready_day = cal.index[due] + rng.randint(1, 3)
            else:
                kind = "late"
        if kind != "reschedule":
            ready_day = self._ready_day(kind, cursor, due)
        # The result: the last hand-over brings it back to the desk shortly before.
        cursor_day = cursor // DAY_MINUTES
        ready_day = max(ready_day, cursor_day)
        low = ready_day * DAY_MINUTES
        if ready_day == cursor_day:
            low = cursor + len(chain) + 1
            if low >= (ready_day + 1) * DAY_MINUTES:  # no time left today: tomorrow
                ready_day += 1
                low = ready_day * DAY_MINUTES
        ready_at = rng.randint(low, ready_day * DAY_MINUTES + DAY_MINUTES - 1)
        desk_at = max(ready_at - rng.randint(5, 90), cursor + len(chain))
        if len(chain) == 1:
            positions = [desk_at]
        else:
            first = min(self._soon(cursor, desk_at), desk_at - len(chain) + 1)
            positions = [first, *self._between(first, desk_at, len(chain) - 2), desk_at]
        for position, (role, person) in zip(positions, chain, strict=True):
            steps.append(handover(position, role, person, step_due_for(role, due)))
        steps.append(Step("result_ready", moment(ready_at), actor))

        if kind == "withdraw":
            # Withdrawn somewhere along the way, before the result.
            cut = rng.randint(start + 1, max(start + 1, ready_at - 1))
            steps = [s for s in steps if cal.position(s.at) < cut]
            reason = rng.choice(WITHDRAW_REASONS)
            return [*steps, Step("withdraw", moment(cut), actor, reason=reason)]

        if post:
            sent = (ready_at // DAY_MINUTES + rng.randint(1, 2)) * DAY_MINUTES
            sent += rng.randrange(120)
            tracking = f"E{rng.choice('BLMN')}{rng.randrange(10**9):09d}VN"
            note = f"Gửi qua bưu chính công ích, số hiệu bưu gửi {tracking}"
            steps.append(Step("return", moment(sent), actor, note=note))
        elif rng.random() >= NEVER_COLLECTED_SHARE:
            if rng.random() < 0.45 and ready_at % DAY_MINUTES < DAY_MINUTES - 10:
                returned = ready_at + rng.randint(5, DAY_MINUTES - 1 - ready_at % DAY_MINUTES)
            else:
                days_later = rng.choice([1, 1, 1, 2, 2, 3, 5, 8])
                returned = (ready_at // DAY_MINUTES + days_later) * DAY_MINUTES
                returned += rng.randrange(DAY_MINUTES)
            note = rng.choice(RETURN_NOTES_DESK)
            steps.append(Step("return", moment(returned), actor, note=note))
        return steps

    def _with_watch(
        self, steps: list[Step], received_at: datetime, due: date, procedure: ProcedureSpec
    ) -> list[Step]:
        """Add the overdue watch's draft slip (the first nightly run that found the dossier
        running past its due date) and the leader's answer to it."""
        rng, cal = self.rng, self.calendar
        running, start = True, received_at
        drafted = None
        for step in [*steps, None]:
            end = step.at if step is not None else None
            if running:
                day = due + timedelta(days=1)
                local = start.astimezone(LOCAL_TZ)
                if local.date() >= day:
                    day = local.date() + timedelta(days=local.time() > WATCH_TIME)
                run = datetime.combine(day, WATCH_TIME, tzinfo=LOCAL_TZ)
                if end is None or run < end:
                    drafted = run
                    break
            if step is None:
                break
            if step.kind == "complete_supplement":
                due = cal.due_date(step.at, procedure.processing_days)
            elif step.kind == "reschedule":
                due = step.new_due
            running = step.kind in ("handover", "complete_supplement", "reschedule") or (
                running and step.kind not in RUNNING_ENDS
            )
            start = step.at
        if drafted is None:
            return steps
        leader = self.commune.leader_user_id
        watch = [Step("late_slip", drafted, leader)]
        roll = rng.random()
        if roll < LATE_SLIP_ISSUED_SHARE + LATE_SLIP_DROPPED_SHARE:
            day = cal.add(drafted.astimezone(LOCAL_TZ).date(), rng.randint(0, 2))
            at = cal.moment(cal.index[day] * DAY_MINUTES + rng.randrange(DAY_MINUTES))
            if roll < LATE_SLIP_ISSUED_SHARE:
                new_due = cal.add(day, rng.randint(2, 5))
                reason = rng.choice(LATE_REASONS)
                watch.append(Step("slip_issue", at, leader, new_due=new_due, reason=reason))
            else:
                watch.append(Step("slip_drop", at, leader, note=rng.choice(DROP_NOTES)))
        return sorted([*steps, *watch], key=lambda s: s.at)

    def _soon(self, cursor: int, limit: int) -> int:
        """A move within a few office hours after `cursor`, before `limit`."""
        return max(cursor + 1, min(cursor + self.rng.randint(5, FIRST_HANDOVER_MINUTES), limit - 1))

    def _ready_day(self, kind: str, cursor: int, due: date) -> int:
        rng = self.rng
        start_day = cursor // DAY_MINUTES
        due_day = self.calendar.index[due]
        if kind == "open":  # the result comes after now: still open today
            return max(due_day, self.today_index) + rng.randint(1, 5)
        if kind == "late":
            return due_day + rng.choice([1, 1, 1, 1, 2, 2, 3, 4, 6, 9])
        if due_day <= start_day or rng.random() < 0.3:
            return max(due_day, start_day)
        span = due_day - start_day
        return due_day - 1 - min(int(rng.random() ** 2 * span), span - 1)

    def _supplement_items(self, missing: tuple[str, ...]) -> tuple[str, ...]:
        items = list(missing) or [self.rng.choice(UNLISTED_ITEMS)]
        if missing and self.rng.random() < 0.06:
            items.append(self.rng.choice(UNLISTED_ITEMS))
        return tuple(items)

    # -- Applying the moves, as the services do --

    def _materialize(
        self,
        values: dict,
        steps: list[Step],
        receiver: Person,
        desk_user: int,
        procedure: ProcedureSpec,
    ) -> GeneratedDossier:
        cal = self.calendar
        received_at = values["received_at"]
        receive_at = received_at.replace(second=0, microsecond=0)
        events = [
            _event(
                "receive",
                receive_at,
                desk_user,
                "",
                "received",
                to_official_id=receiver.official_id,
                to_office_id=receiver.office_id,
            )
        ]
        generated = GeneratedDossier(values=values, steps=steps, events=events)
        self._notify(generated, procedure, "dossier_received", receive_at)
        documents = set(procedure.documents)
        late_slip: dict = {}
        open_step: dict | None = None
        supplements = 0

        def close_open_step(at: datetime) -> None:
            nonlocal open_step
            if open_step is not None:
                open_step["step_finished_at"] = at
                open_step["step_result"] = _result(
                    at.astimezone(LOCAL_TZ).date(), open_step["step_due_date"]
                )
                open_step = None

        for step in steps:
            at, source = step.at, values["state"]
            if step.kind == "handover":
                close_open_step(at)
                event = _event(
                    "handover",
                    at,
                    step.actor_id,
                    source,
                    "in_progress",
                    from_official_id=values["handling_official_id"],
                    from_office_id=values["handling_office_id"],
                    to_official_id=step.to.official_id,
                    to_office_id=step.to.office_id,
                    step_due_date=step.step_due,
                    note=step.note,
                )
                values["handling_official_id"] = step.to.official_id
                values["handling_office_id"] = step.to.office_id
                values["state"] = "in_progress"
                open_step = event
                events.append(event)
            elif step.kind == "request_supplement":
                items = list(step.items)
                unlisted = [item for item in items if item not in documents]
                supplements += 1
                generated.supplements.append(
                    {
                        "items": items,
                        "unlisted_items": unlisted,
                        "needs_leader_review": bool(unlisted),
                        "requested_at": at,
                        "requested_by_id": step.actor_id,
                        "note": step.note,
                        "completed_at": None,
                        "reviewed_at": None,
                        "reviewed_by_id": None,
                        "review_note": "",
                        "created_at": at,
                        "updated_at": at,
                    }
                )
                if unlisted:
                    self._review(generated.supplements[-1], at)
                request_due = cal.add(values["receipt_day"], 3)
                values["state"] = "supplement"
                values["supplement_requested_at"] = at
                events.append(
                    _event(
                        "request_supplement",
                        at,
                        step.actor_id,
                        source,
                        "supplement",
                        note="; ".join(items),
                        step_due_date=request_due,
                        step_result=_result(at.astimezone(LOCAL_TZ).date(), request_due),
                        step_finished_at=at,
                    )
                )
                self._notify(
                    generated,
                    procedure,
                    "dossier_supplement_requested",
                    at,
                    reason="; ".join(items),
                    n=str(supplements),
                )
            elif step.kind == "complete_supplement":
                new_due = cal.due_date(at, values["processing_days"])
                for row in generated.supplements:
                    if row["completed_at"] is None:
                        row["completed_at"] = at
                        row["updated_at"] = max(row["updated_at"], at)
                values["state"] = "in_progress"
                values["supplement_completed_at"] = at
                values["due_date"] = new_due
                events.append(
                    _event(
                        "complete_supplement",
                        at,
                        step.actor_id,
                        source,
                        "in_progress",
                        note=step.note,
                        step_due_date=new_due,
                    )
                )
            elif step.kind == "refuse":
                values.update(state="refused", refused_at=at, closing_reason=step.reason)
                events.append(
                    _event("refuse", at, step.actor_id, source, "refused", note=step.reason)
                )
                self._notify(generated, procedure, "dossier_refused", at, reason=step.reason)
            elif step.kind == "withdraw":
                close_open_step(at)
                values.update(state="withdrawn", withdrawn_at=at, closing_reason=step.reason)
                events.append(
                    _event("withdraw", at, step.actor_id, source, "withdrawn", note=step.reason)
                )
            elif step.kind == "result_ready":
                close_open_step(at)
                ready_day = at.astimezone(LOCAL_TZ).date()
                values.update(state="result_ready", result_ready_at=at, result_ready_day=ready_day)
                due = values["due_date"]
                events.append(
                    _event(
                        "result_ready",
                        at,
                        step.actor_id,
                        source,
                        "result_ready",
                        note=step.note,
                        step_due_date=due,
                        step_result=_result(ready_day, due),
                        step_finished_at=at,
                    )
                )
                self._notify(
                    generated,
                    procedure,
                    "dossier_result_ready",
                    at,
                    rating_url=rating_url(values["code"]),
                )
            elif step.kind == "return":
                values.update(state="returned", returned_at=at)
                events.append(
                    _event("return", at, step.actor_id, source, "returned", note=step.note)
                )
            elif step.kind == "reschedule":
                original = values["due_date"]
                values.update(
                    original_due_date=original,
                    due_date=step.new_due,
                    rescheduled_at=at,
                    reschedule_reason=step.reason,
                )
                events.append(
                    _event(
                        "reschedule",
                        at,
                        step.actor_id,
                        source,
                        source,
                        note=step.reason,
                        step_due_date=step.new_due,
                    )
                )
                self._notify(
                    generated,
                    procedure,
                    "dossier_rescheduled",
                    at,
                    new_due_date=_dossier_text(step.new_due),
                    due_date=_dossier_text(original),
                    reason=step.reason,
                )
                slip = {
                    "commune_id": self.commune.id,
                    "kind": "reschedule",
                    "state": "issued",
                    "year": None,
                    "number": None,
                    "reason": step.reason,
                    "original_due_date": original,
                    "new_due_date": step.new_due,
                    "drafted_at": at,
                    "issued_at": at,
                    "issued_by_id": step.actor_id,
                    "note": "",
                    "created_at": at,
                    "updated_at": at,
                }
                generated.apologies.append(slip)
                self.apologies.append(slip)
            elif step.kind == "late_slip":
                late_slip = {
                    "commune_id": self.commune.id,
                    "kind": "late",
                    "state": "draft",
                    "year": None,
                    "number": None,
                    "reason": "",
                    "original_due_date": values["due_date"],
                    "new_due_date": None,
                    "drafted_at": at,
                    "issued_at": None,
                    "issued_by_id": None,
                    "note": "",
                    "created_at": at,
                    "updated_at": at,
                }
                generated.apologies.append(late_slip)
            elif step.kind == "slip_issue":
                late_slip.update(
                    state="issued",
                    reason=step.reason,
                    new_due_date=step.new_due,
                    issued_at=at,
                    issued_by_id=step.actor_id,
                    updated_at=at,
                )
                self.apologies.append(late_slip)
                self._notify(
                    generated,
                    procedure,
                    "dossier_rescheduled",
                    at,
                    new_due_date=_dossier_text(step.new_due),
                    due_date=_dossier_text(late_slip["original_due_date"]),
                    reason=step.reason,
                    n="apology-late",
                )
            elif step.kind == "slip_drop":
                late_slip.update(state="dropped", note=step.note, updated_at=at)
            else:  # pragma: no cover - the planner makes no other kind
                raise ValueError(step.kind)
            if step.kind not in SLIP_STEPS:
                values["state_changed_at"] = at
        values["created_at"] = received_at
        values["updated_at"] = values["state_changed_at"]
        return generated

    def _review(self, supplement: dict, requested: datetime) -> None:
        """A leader looks at an unlisted request within a few working days (if by now)."""
        cal, rng = self.calendar, self.rng
        position = cal.position(requested) + rng.randint(1, 3) * DAY_MINUTES
        reviewed = cal.moment(position, rng.randrange(60))
        if reviewed <= self.now:
            supplement["reviewed_at"] = reviewed
            supplement["reviewed_by_id"] = self.commune.leader_user_id
            supplement["review_note"] = REVIEW_NOTE
            supplement["updated_at"] = max(supplement["updated_at"], reviewed)

    def _notify(
        self,
        generated: GeneratedDossier,
        procedure: ProcedureSpec,
        event: str,
        at: datetime,
        **extra,
    ) -> None:
        """The outbox row `dossier_services._notify` queues, as the dispatcher left it."""
        values = generated.values
        channel = values["notify_channel"]
        if not self.with_messages or channel == "none":
            return
        n = extra.pop("n", "1")
        context = {
            "name": values["applicant_name"],
            "code": values["code"],
            "procedure": procedure.name,
            "due_date": _dossier_text(values["due_date"]),
            "commune": self.commune.name,
            "lookup_url": status_url(values["code"]),
            **extra,
        }
        key = f"{values['code']}:{event}:{n}"
        message = self._message(values, event, channel, context, key, at)
        generated.messages.append(message)
        if message["status"] == "failed" and message["sms_fallback"]:
            # message_sms_fallback_enqueue: the same context, on SMS, no address.
            failed_at = message["attempt"]["finished_at"]
            fallback_key = f"{key}:sms"[:200]
            fallback = self._message(values, event, "sms", context, fallback_key, failed_at)
            fallback.update(fallback_of=message, email="")
            generated.messages.append(fallback)

    def _message(
        self, values: dict, event: str, channel: str, context: dict, key: str, at: datetime
    ) -> dict:
        rng = self.rng
        subject, body, zalo_template_id = self.texts.render(event, channel, context)
        request_id = uuid.UUID(int=rng.getrandbits(128), version=4)
        queued = at + timedelta(seconds=rng.randint(0, 50))
        started = queued + timedelta(seconds=rng.randint(1, 6))
        finished = started + timedelta(milliseconds=rng.randint(150, 2500))
        phone, email = values["applicant_phone"], values["email"]
        roll = rng.random()
        attempt = {
            "number": 1,
            "started_at": started,
            "finished_at": finished,
            "request_summary": "",
            "status_code": "",
            "response_summary": "",
            "outcome": "accepted",
            "error": "",
        }
        status, provider_id, delivered, error = "sent", "", None, ""
        if channel == "sms":
            attempt["gateway"] = "esms"
            attempt["request_summary"] = (
                f"POST {settings.THANTHIEN_NOTIFY_ESMS_URL} Phone={phone} RequestId={request_id} "
                f"IsUnicode={'0' if is_gsm(body) else '1'} parts={sms_parts(body)}"
            )
            if roll < 0.015:
                code, error = rng.choice(SMS_FAILURES)
                status = "failed"
                attempt.update(outcome="permanent", status_code=code, error=error)
                attempt["response_summary"] = json.dumps(
                    {"CodeResult": code, "ErrorMessage": error}, ensure_ascii=False
                )
            else:
                provider_id = str(uuid.UUID(int=rng.getrandbits(128), version=4))
                attempt["status_code"] = "100"
                attempt["response_summary"] = json.dumps(
                    {"CodeResult": "100", "SMSID": provider_id}
                )
                if roll < 0.93:
                    status = "delivered"
                    delivered = finished + timedelta(seconds=rng.randint(2, 90))
        elif channel == "zalo":
            attempt["gateway"] = "zns"
            attempt["request_summary"] = (
                f"POST {settings.THANTHIEN_NOTIFY_ZNS_URL} phone=84{phone[1:]} "
                f"template_id={zalo_template_id} tracking_id={request_id}"
            )
            if roll < 0.04:
                code, error = rng.choice(ZALO_FAILURES)
                status = "failed"
                attempt.update(outcome="permanent", status_code=str(code), error=error)
                attempt["response_summary"] = json.dumps({"error": code, "message": error})
            else:
                provider_id = f"{rng.getrandbits(96):024x}"
                attempt["status_code"] = "0"
                attempt["response_summary"] = json.dumps(
                    {"error": 0, "message": "Success", "data": {"msg_id": provider_id}}
                )
                if roll < 0.9:
                    status = "delivered"
                    delivered = finished + timedelta(seconds=rng.randint(1, 30))
        else:
            attempt["gateway"] = "email"
            attempt["request_summary"] = (
                f"{settings.EMAIL_BACKEND} to={email} Message-ID=<{request_id}@thanthien>"
            )
            attempt["status_code"] = "250"
        if status == "failed":
            error = attempt["error"]
        message = {
            "commune_id": self.commune.id,
            "event": event,
            "channel": channel,
            "status": status,
            "recipient_name": values["applicant_name"],
            "phone": phone,
            "email": email,
            "subject": subject,
            "body": body,
            "context": dict(context),
            "zalo_template_id": zalo_template_id,
            "sms_fallback": channel == "zalo" and values["consent_sms"],
            "fallback_of": None,
            "dedupe_key": key,
            "provider_request_id": request_id,
            "provider_message_id": provider_id,
            "attempt_count": 1,
            "next_attempt_at": queued,
            "lease_until": None,
            "lease_token": None,
            "sent_at": finished if status != "failed" else None,
            "delivered_at": delivered,
            "last_error": error,
            "body_purged_at": None,
            "created_at": queued,
            "updated_at": started,
            "attempt": attempt,
        }
        if started > self.now:  # queued in the last seconds: the dispatcher has not run yet
            message.update(
                status="queued",
                attempt_count=0,
                sent_at=None,
                delivered_at=None,
                provider_message_id="",
                last_error="",
                next_attempt_at=min(queued, self.now),
                created_at=min(queued, self.now),
                updated_at=min(queued, self.now),
                attempt=None,
            )
        elif delivered is not None and delivered > self.now:
            message.update(status="sent", delivered_at=None)
        self._purge_if_old(message)
        return message

    def _purge_if_old(self, message: dict) -> None:
        """The dispatcher blanks finished bodies past the retention period, about hourly."""
        if message["status"] not in ("sent", "delivered", "failed"):
            return
        days = settings.THANTHIEN_NOTIFY_BODY_RETENTION_DAYS
        purged = message["updated_at"] + timedelta(days=days, minutes=self.rng.randint(1, 59))
        if purged <= self.now:
            message.update(subject="", body="", context={}, body_purged_at=purged)

    # -- After the last dossier --

    def number_apologies(self) -> None:
        """Number the issued slips per year in the order they were issued ("Số: 12/PXL")."""
        by_year: Counter[int] = Counter()
        for slip in sorted(self.apologies, key=lambda s: s["issued_at"]):
            year = slip["issued_at"].astimezone(LOCAL_TZ).year
            by_year[year] += 1
            slip["year"], slip["number"] = year, by_year[year]

    def counter_rows(self) -> list[dict]:
        """One DossierCounter row per day with the last number given, so the desk goes on."""
        return [
            {"commune_id": self.commune.id, "day": day, "last": last}
            for day, last in sorted(self.counters.items())
        ]


def _event(kind, at, actor_id, from_state, to_state, **fields) -> dict:
    return {
        "kind": kind,
        "at": at,
        "actor_id": actor_id,
        "from_state": from_state,
        "to_state": to_state,
        "from_office_id": fields.get("from_office_id"),
        "from_official_id": fields.get("from_official_id"),
        "to_office_id": fields.get("to_office_id"),
        "to_official_id": fields.get("to_official_id"),
        "note": fields.get("note", ""),
        "step_due_date": fields.get("step_due_date"),
        "step_result": fields.get("step_result", ""),
        "step_finished_at": fields.get("step_finished_at"),
    }


def _ascii_handle(name: str) -> str:
    parts = fold(name).split()
    return (parts[-1] + "".join(p[0] for p in parts[:-1])) if parts else "nguoinop"


# --- Output 1: model instances, bulk_create ---------------------------------------------------


@contextmanager
def _historical_timestamps(*model_classes):
    """bulk_create stamps auto_now(_add) fields with the present; a history keeps its own."""
    stamped = [
        f
        for model in model_classes
        for f in model._meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    saved = [(f, f.auto_now, f.auto_now_add) for f in stamped]
    for f in stamped:
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def generated_dossiers_save(
    *, generator: DossierGenerator, dossiers: Iterable[GeneratedDossier], batch_size: int = 500
) -> dict[str, int]:
    """Write generated dossiers with their history, supplements, apology slips, messages and
    the day counters, in batches; returns how many rows of each kind. Call inside a
    transaction, for a commune that has no dossiers yet. A message whose dedupe key the
    commune's outbox already holds is left out (the outbox keeps one per key), and a day
    counter already there keeps the higher number."""
    from django.contrib.contenttypes.models import ContentType

    from thanthien.notify.models import Message, MessageAttempt
    from thanthien.onestop.models import (
        ApologySlip,
        Dossier,
        DossierCounter,
        DossierEvent,
        DossierSupplement,
    )

    dossier_type = ContentType.objects.get_for_model(Dossier)
    totals: Counter[str] = Counter()
    batch: list[GeneratedDossier] = []
    pending_slips: list[tuple[dict, Dossier]] = []

    def flush() -> None:
        keys = [m["dedupe_key"] for g in batch for m in g.messages]
        taken = set(
            Message.objects.filter(
                commune_id=generator.commune.id, dedupe_key__in=keys
            ).values_list("dedupe_key", flat=True)
        )
        rows = [Dossier(**g.values) for g in batch]
        Dossier.objects.bulk_create(rows, batch_size=batch_size)
        events, supplements, messages, fallbacks = [], [], [], []
        for generated, dossier in zip(batch, rows, strict=True):
            events += [DossierEvent(dossier=dossier, **e) for e in generated.events]
            supplements += [DossierSupplement(dossier=dossier, **s) for s in generated.supplements]
            pending_slips.extend((slip, dossier) for slip in generated.apologies)
            for values in generated.messages:
                parent = values["fallback_of"]
                if values["dedupe_key"] in taken or (parent and "_instance" not in parent):
                    continue
                fields = {k: v for k, v in values.items() if k not in ("attempt", "fallback_of")}
                message = Message(related_type=dossier_type, related_id=str(dossier.pk), **fields)
                values["_instance"] = message
                (fallbacks if values["fallback_of"] else messages).append(values)
        DossierEvent.objects.bulk_create(events, batch_size=batch_size)
        DossierSupplement.objects.bulk_create(supplements, batch_size=batch_size)
        Message.objects.bulk_create([v["_instance"] for v in messages], batch_size=batch_size)
        for values in fallbacks:
            values["_instance"].fallback_of = values["fallback_of"]["_instance"]
        Message.objects.bulk_create([v["_instance"] for v in fallbacks], batch_size=batch_size)
        attempts = [
            MessageAttempt(message=v["_instance"], **v["attempt"])
            for v in messages + fallbacks
            if v["attempt"] is not None
        ]
        MessageAttempt.objects.bulk_create(attempts, batch_size=batch_size)
        totals.update(
            dossiers=len(rows),
            events=len(events),
            supplements=len(supplements),
            messages=len(messages) + len(fallbacks),
        )
        batch.clear()

    with _historical_timestamps(Dossier, DossierSupplement, ApologySlip, Message, DossierCounter):
        for generated in dossiers:
            batch.append(generated)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
        generator.number_apologies()
        slips = [ApologySlip(dossier=dossier, **values) for values, dossier in pending_slips]
        ApologySlip.objects.bulk_create(slips, batch_size=batch_size)
        totals["apologies"] = len(slips)
        rows = generator.counter_rows()
        existing = {
            c.day: c
            for c in DossierCounter.objects.filter(
                commune_id=generator.commune.id, day__in=[r["day"] for r in rows]
            )
        }
        counters, raised = [], []
        for row in rows:
            counter = existing.get(row["day"])
            if counter is None:
                stamp = datetime.combine(row["day"], time(17, 0), tzinfo=LOCAL_TZ)
                counters.append(DossierCounter(created_at=stamp, updated_at=stamp, **row))
            elif counter.last < row["last"]:
                counter.last = row["last"]
                raised.append(counter)
        DossierCounter.objects.bulk_create(counters, batch_size=batch_size)
        DossierCounter.objects.bulk_update(raised, ["last"], batch_size=batch_size)
    return dict(totals)


# --- Output 2: row tuples for COPY ------------------------------------------------------------


def _columns(model) -> list[tuple[str, str, bool, object]]:
    """(column, attname, is_json, default) of a model's concrete fields, in table order; the
    default fills a field the generator does not know (one added after it was written)."""
    return [
        (
            f.column,
            f.attname,
            isinstance(f, models.JSONField),
            f.get_default() if f.has_default() or f.null else "",
        )
        for f in model._meta.concrete_fields
    ]


class CopyWriter:
    """Rows for `COPY <table> (<columns>) FROM STDIN`, with ids given here so the history can
    point at its dossier. `start_ids` are the next free id per table; advance the sequences
    past them after the copy (`sequence_sql`)."""

    def __init__(self, start_ids: Mapping[str, int]):
        from thanthien.onestop.models import (
            ApologySlip,
            Dossier,
            DossierCounter,
            DossierEvent,
            DossierSupplement,
        )

        self.models = {
            "dossier": Dossier,
            "event": DossierEvent,
            "supplement": DossierSupplement,
            "apology": ApologySlip,
            "counter": DossierCounter,
        }
        self.columns = {key: _columns(model) for key, model in self.models.items()}
        self.next_id = dict(start_ids)
        self._slips: list[dict] = []

    def table(self, key: str) -> str:
        return self.models[key]._meta.db_table

    def copy_sql(self, key: str) -> str:
        names = ", ".join(column for column, *_rest in self.columns[key])
        return f"COPY {self.table(key)} ({names}) FROM STDIN"

    def _take(self, key: str) -> int:
        value = self.next_id[key]
        self.next_id[key] = value + 1
        return value

    def _row(self, key: str, values: dict) -> tuple:
        return tuple(
            json.dumps(values.get(attname, default), ensure_ascii=False)
            if is_json
            else values.get(attname, default)
            for _column, attname, is_json, default in self.columns[key]
        )

    def rows(self, generated: Iterable[GeneratedDossier]) -> dict[str, list[tuple]]:
        """Rows per table for these dossiers (apology slips are kept for `apology_rows`)."""
        out: dict[str, list[tuple]] = {"dossier": [], "event": [], "supplement": []}
        for g in generated:
            dossier_id = self._take("dossier")
            out["dossier"].append(self._row("dossier", {"id": dossier_id, **g.values}))
            for event in g.events:
                values = {"id": self._take("event"), "dossier_id": dossier_id, **event}
                out["event"].append(self._row("event", values))
            for supplement in g.supplements:
                values = {"id": self._take("supplement"), "dossier_id": dossier_id, **supplement}
                out["supplement"].append(self._row("supplement", values))
            for slip in g.apologies:
                slip["dossier_id"] = dossier_id
                self._slips.append(slip)
        return out

    def apology_rows(self, generator: DossierGenerator) -> list[tuple]:
        """The apology slips of the dossiers given to `rows`, numbered; call once the
        generator's dossiers are all written."""
        generator.number_apologies()
        rows = [self._row("apology", {"id": self._take("apology"), **s}) for s in self._slips]
        self._slips.clear()
        return rows

    def counter_rows(self, generator: DossierGenerator) -> list[tuple]:
        """The day counters of the generator's commune (the desk numbers on from them)."""
        rows = []
        for row in generator.counter_rows():
            stamp = datetime.combine(row["day"], time(17, 0), tzinfo=LOCAL_TZ)
            values = {"id": self._take("counter"), "created_at": stamp, "updated_at": stamp}
            rows.append(self._row("counter", values | row))
        return rows

    def sequence_sql(self) -> list[str]:
        return [
            f"SELECT setval(pg_get_serial_sequence('{self.table(key)}', 'id'), "
            f"{self.next_id[key]}, false)"
            for key in self.models
        ]
