"""Demo data of the feedback app (issue 4): a year of feedback in Kiến Minh over every channel,
with answers, duplicates, redirects and ratings; complaints and denunciations with their stage
dates; the reception register and bookings; a dialogue conference held this year and one
planned; reply templates and the platform accounts.

Each part is laid once and in bulk (a commune that already has that part keeps it as it is),
with the same fields the services write: codes in the registers' formats with the `Sequence`
rows advanced past them, deadlines from the same functions, and a history row for each move.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from faker import Faker

from thanthien.core import workdays
from thanthien.core.demo import DemoContext, mobile_number, vietnamese_name
from thanthien.core.workdays import LOCAL_TZ
from thanthien.feedback import complaint_deadlines, demo_texts
from thanthien.feedback.categories import response_working_days
from thanthien.feedback.intake_services import WORKING_HOURS_PER_DAY, content_fingerprint
from thanthien.feedback.items import (
    Action,
    ChannelAccount,
    FeedbackEvent,
    FeedbackItem,
    Kind,
    ReplyChannel,
    ReplyTemplate,
    Sequence,
    Source,
    Status,
)
from thanthien.feedback.models import (
    Complaint,
    ComplaintExtension,
    Dialogue,
    DialogueCommitment,
    DialogueQuestion,
    ReceptionBooking,
    ReceptionVisit,
)
from thanthien.feedback.reception_services import CODE_ALPHABET, CODE_LENGTH
from thanthien.onestop.models import Procedure
from thanthien.people.models import Office, Official, User
from thanthien.places.models import Hamlet
from thanthien.portal.models import ReceptionSlot
from thanthien.surveys.models import Counter

DEMO_FEEDBACK_COUNT = 600
DEMO_DUPLICATES = 20
DEMO_VISITS = 40
LEADER_ACCOUNT = "lanhdao.kienminh"
CLERK_ACCOUNT = "canbo.kienminh"
ADMIN_ACCOUNT = "admin.kienminh"

# How often each channel is used in a rural commune of Hải Phòng (weights).
SOURCE_WEIGHTS = {
    Source.WEB: 16,
    Source.QR: 7,
    Source.ZALO: 18,
    Source.FACEBOOK: 10,
    Source.EMAIL: 4,
    Source.PHONE: 11,
    Source.HOTLINE: 9,
    Source.BOX: 7,
    Source.RECEPTION: 3,
    Source.DIALOGUE: 2,
    Source.OPEN311: 3,
}
CATEGORY_WEIGHTS = {
    "ha_tang_giao_thong": 24,
    "moi_truong": 22,
    "an_ninh_trat_tu": 10,
    "dat_dai": 9,
    "thu_tuc_hanh_chinh": 12,
    "thai_do_can_bo": 6,
    "chinh_sach_xa_hoi": 11,
    "khac": 6,
}
# Which office handles which category (people.demo office names).
CATEGORY_OFFICES = {
    "ha_tang_giao_thong": "Phòng Kinh tế",
    "moi_truong": "Phòng Kinh tế",
    "dat_dai": "Phòng Kinh tế",
    "an_ninh_trat_tu": "Công an xã",
    "thu_tuc_hanh_chinh": "Trung tâm Phục vụ hành chính công",
    "thai_do_can_bo": "Văn phòng HĐND và UBND",
    "chinh_sach_xa_hoi": "Phòng Văn hóa – Xã hội",
    "khac": "Văn phòng HĐND và UBND",
}
REPLY_CHANNELS = {
    Source.WEB: ReplyChannel.SMS,
    Source.QR: ReplyChannel.SMS,
    Source.ZALO: ReplyChannel.ZALO_OA,
    Source.FACEBOOK: ReplyChannel.FACEBOOK,
    Source.EMAIL: ReplyChannel.EMAIL,
    Source.PHONE: ReplyChannel.SMS,
    Source.HOTLINE: ReplyChannel.SMS,
    Source.BOX: ReplyChannel.NONE,
    Source.RECEPTION: ReplyChannel.SMS,
    Source.DIALOGUE: ReplyChannel.NONE,
    Source.OPEN311: ReplyChannel.EMAIL,
}
# Entered by an official (a call, a letter, a visit, a question at the conference).
ENTERED_SOURCES = {Source.PHONE, Source.HOTLINE, Source.BOX, Source.RECEPTION, Source.DIALOGUE}
# Sent by residents at any hour; the others arrive in office hours.
ANY_HOUR_SOURCES = {Source.WEB, Source.ZALO, Source.FACEBOOK, Source.EMAIL, Source.OPEN311}
EMAIL_DOMAINS = ["gmail.com", "yahoo.com", "outlook.com"]
# The category of each question of the held conference (demo_texts.DIALOGUE_QUESTIONS).
DIALOGUE_QUESTION_CATEGORIES = [
    "ha_tang_giao_thong",
    "thu_tuc_hanh_chinh",
    "moi_truong",
    "chinh_sach_xa_hoi",
    "khac",
    "dat_dai",
    "ha_tang_giao_thong",
    "thai_do_can_bo",
    "khac",
    "an_ninh_trat_tu",
    "chinh_sach_xa_hoi",
    "khac",
]


class WorkingDays:
    """The working days around the demo's year, read once (no query per item)."""

    def __init__(self, today: date):
        first, last = today - timedelta(days=420), today + timedelta(days=120)
        self.off = workdays.non_working_days(first, last)

    def is_working(self, day: date) -> bool:
        return day not in self.off

    def add(self, day: date, days: int) -> date:
        """As core.workdays.add_working_days: the `days`-th working day after `day`; with 0,
        `day` itself or the next working day."""
        if days == 0:
            while day in self.off:
                day += timedelta(days=1)
            return day
        for _step in range(days):
            day += timedelta(days=1)
            while day in self.off:
                day += timedelta(days=1)
        return day

    def receipt_day(self, moment: datetime) -> date:
        local = moment.astimezone(LOCAL_TZ)
        if local.time() < settings.THANTHIEN_RECEIPT_CUTOFF:
            return self.add(local.date(), 0)
        return self.add(local.date(), 1)

    def ack_due(self, moment: datetime) -> datetime:
        """As intake_services.ack_due."""
        hours = settings.THANTHIEN_FEEDBACK_ACK_WORKING_HOURS
        days = max(1, -(-hours // WORKING_HOURS_PER_DAY))
        local = moment.astimezone(LOCAL_TZ)
        day = self.add(local.date(), days)
        return local.replace(year=day.year, month=day.month, day=day.day)

    def answer_due(self, moment: datetime, category: str) -> date:
        """As intake_services.answer_due."""
        return self.add(self.receipt_day(moment), response_working_days(category))

    def at(self, day: date, hour: int, minute: int = 0) -> datetime:
        return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ)

    def office_time(self, fake: Faker, day: date) -> datetime:
        """A moment in office hours on `day` (moved to the next working day if off)."""
        day = self.add(day, 0)
        hour = fake.random_element([7, 8, 9, 10, 13, 14, 15, 16])
        return self.at(day, hour, fake.random_int(0, 59))


def _fill(text: str, values: dict) -> str:
    return text.format(**values)


def _accounts() -> dict[str, User]:
    return {
        user.username: user
        for user in User.objects.filter(username__in=[LEADER_ACCOUNT, CLERK_ACCOUNT, ADMIN_ACCOUNT])
    }


def _hamlets(ctx: DemoContext) -> list[Hamlet]:
    return list(Hamlet.objects.filter(commune=ctx.commune).order_by("order", "name"))


def _officials(ctx: DemoContext) -> dict[str, Official]:
    officials = ctx.records.get("officials")
    if officials:
        return officials
    # Run alone (after people.demo in another run): the seats by position.
    from thanthien.people.demo import DEMO_SEATS

    by_position: dict[str, list[Official]] = {}
    for official in Official.objects.filter(commune=ctx.commune).select_related("position"):
        by_position.setdefault(official.position.code, []).append(official)
    seats: dict[str, Official] = {}
    for key, code, *_rest in DEMO_SEATS:
        if by_position.get(code):
            seats[key] = by_position[code].pop(0)
    return seats


def _advance(commune, name: str, year: int, last: int) -> None:
    """Move a register's counter past the numbers the demo gave (never backwards)."""
    row, _created = Sequence.objects.get_or_create(commune=commune, name=name, year=year)
    if row.last < last:
        row.last = last
        row.save(update_fields=["last", "updated_at"])


# --- Reply templates and platform accounts -----------------------------------------------------


def config_load(ctx: DemoContext) -> None:
    """A reply template per category, and a Zalo OA and a Facebook Page with placeholder
    secrets (marked as demo: webhooks signed with them are accepted only on a demo site)."""
    for category, (title, body) in demo_texts.REPLY_TEMPLATES.items():
        _template, created = ReplyTemplate.objects.get_or_create(
            commune=ctx.commune, category=category, title=title, defaults={"body": body}
        )
        ctx.count("mẫu trả lời", created)
    for platform, account_id, app_id in (
        (ChannelAccount.Platform.ZALO, "demo-oa-kienminh", "demo-zalo-app"),
        (ChannelAccount.Platform.FACEBOOK, "demo-page-kienminh", "demo-facebook-app"),
    ):
        _account, created = ChannelAccount.objects.get_or_create(
            platform=platform,
            account_id=account_id,
            defaults={
                "commune": ctx.commune,
                "app_id": app_id,
                "app_secret": f"DEMO-KHONG-DUNG-THAT-{platform}-secret",
                "access_token": "DEMO-KHONG-DUNG-THAT-token",
                "verify_token": "DEMO-verify-kienminh" if platform == "facebook" else "",
            },
        )
        ctx.count("tài khoản kênh", created)


# --- Feedback items ------------------------------------------------------------------------------


@dataclass
class Plan:
    """An item being laid and the history rows that go with it."""

    item: FeedbackItem
    events: list[tuple[str, str, str, datetime, User | None, str]] = field(default_factory=list)
    main: Plan | None = None
    # Written on the item when it is answered and published.
    answer: str = ""
    summary: str = ""

    def event(self, action, from_status, to_status, at, actor=None, note="") -> None:
        self.events.append((action, from_status, to_status, at, actor, note))


class ItemMaker:
    def __init__(self, ctx: DemoContext, fake: Faker, now: datetime, days: WorkingDays):
        self.ctx, self.fake, self.now, self.days = ctx, fake, now, days
        self.today = now.astimezone(LOCAL_TZ).date()
        self.hamlets = _hamlets(ctx)
        self.accounts = _accounts()
        self.offices = {o.name: o for o in Office.objects.filter(commune=ctx.commune)}
        self.slots = list(ReceptionSlot.objects.filter(commune=ctx.commune).order_by("weekday"))
        # The desk's QR codes pre-fill the counter (and, for a procedure, the procedure).
        self.counters = list(Counter.objects.filter(commune=ctx.commune).order_by("number"))
        self.procedures = list(
            Procedure.objects.filter(commune=ctx.commune).order_by("code").only("pk", "name")[:12]
        )
        self.names = sorted(
            {
                vietnamese_name(fake, male=fake.boolean(chance_of_getting_true=50))
                for _ in range(500)
            }
        )
        self.external = 0

    # Who
    def _sender(self, item: FeedbackItem, source: str) -> None:
        fake = self.fake
        anonymous = fake.random_int(1, 100) <= (45 if source == Source.BOX else 5)
        if anonymous:
            item.is_anonymous = True
            return
        name = fake.random_element(self.names)
        item.sender_name = name
        channel = REPLY_CHANNELS[source]
        if source in (Source.ZALO, Source.FACEBOOK):
            item.sender_platform_id = fake.numerify("################")
        else:
            item.sender_phone = mobile_number(fake)
        if channel == ReplyChannel.EMAIL:
            item.sender_email = (
                f"{fake.user_name()}{fake.random_int(1, 99)}@{fake.random_element(EMAIL_DOMAINS)}"
            )
        if item.hamlet is not None:
            item.sender_address = f"{item.hamlet.name}, {self.ctx.commune.name}"
        item.reply_channel = channel
        item.consent_contact = channel != ReplyChannel.NONE
        item.consent_publish = fake.boolean(chance_of_getting_true=75)

    def _received_at(self, source: str, day: date) -> datetime:
        fake = self.fake
        if source == Source.RECEPTION and self.slots:
            # On the day of a reception session, during it.
            slot = fake.random_element(self.slots)
            while day.weekday() != slot.weekday or not self.days.is_working(day):
                day -= timedelta(days=1)
            start = datetime.combine(day, slot.start_time, tzinfo=LOCAL_TZ)
            return start + timedelta(minutes=fake.random_int(10, 170))
        if source in ANY_HOUR_SOURCES:
            hour = fake.random_element([6, 7, 9, 11, 12, 14, 17, 19, 20, 21, 22])
            return datetime.combine(day, time(hour, fake.random_int(0, 59)), tzinfo=LOCAL_TZ)
        return self.days.office_time(fake, day)

    def new(self, *, source: str, category: str, day: date, text: tuple, hamlet=None) -> Plan:
        fake = self.fake
        hamlet = hamlet or (
            fake.random_element(self.hamlets) if fake.random_int(1, 10) > 1 else None
        )
        values = {
            "hamlet": hamlet.name if hamlet else "thôn",
            "road": fake.random_element(demo_texts.ROADS),
            "n": fake.random_int(2, 5),
        }
        title, content, answer, summary = text
        received = min(self._received_at(source, day), self.now - timedelta(minutes=5))
        item = FeedbackItem(
            commune=self.ctx.commune,
            kind=Kind.SUGGESTION
            if category in ("thu_tuc_hanh_chinh", "thai_do_can_bo") and fake.boolean()
            else fake.random_element([Kind.REPORT, Kind.REPORT, Kind.REPORT, Kind.PETITION]),
            source=source,
            category=category,
            title=_fill(title, values),
            content=_fill(content, values),
            hamlet=hamlet,
            location_text=f"{values['road']}, {hamlet.name}" if hamlet else "",
            received_at=received,
            ack_due_at=self.days.ack_due(received),
            due_date=self.days.answer_due(received, category),
        )
        self._sender(item, source)
        if source in ENTERED_SOURCES:
            item.entered_by = self.accounts.get(CLERK_ACCOUNT)
        if source == Source.QR and self.counters:
            item.counter = fake.random_element(self.counters)
            if category == "thu_tuc_hanh_chinh" and self.procedures:
                item.procedure = fake.random_element(self.procedures)
                item.location_text = item.counter.name
        if source in (Source.ZALO, Source.FACEBOOK, Source.EMAIL):
            self.external += 1
            item.external_id = (
                f"<{fake.hexify('^^^^^^^^^^^^')}.{self.external}@{fake.random_element(EMAIL_DOMAINS)}>"
                if source == Source.EMAIL
                else f"demo-{source}-{fake.hexify('^^^^^^^^^^^^')}-{self.external}"
            )
        if source == Source.WEB and not item.is_anonymous:
            item.submitted_ip = fake.ipv4_public()
        sender_key = item.sender_phone or item.sender_email or item.sender_platform_id
        item.content_hash = content_fingerprint(
            commune_id=self.ctx.commune.pk, content=item.content, sender=f"{source}:{sender_key}"
        )
        plan = Plan(item=item, answer=_fill(answer, values), summary=_fill(summary, values))
        plan.event(
            Action.SUBMIT, "", Status.NEW, received, item.entered_by, str(Source(source).label)
        )
        if item.reply_channel != ReplyChannel.NONE and item.consent_contact:
            item.acknowledged_at = min(
                received + timedelta(seconds=fake.random_int(5, 90)), self.now
            )
            plan.event(
                Action.ACKNOWLEDGE,
                Status.NEW,
                Status.NEW,
                item.acknowledged_at,
                None,
                str(ReplyChannel(item.reply_channel).label),
            )
        return plan

    # Moves
    def _after(self, moment: datetime, working_days: int) -> datetime:
        local = moment.astimezone(LOCAL_TZ)
        day = self.days.add(local.date(), working_days)
        out = self.days.office_time(self.fake, day)
        return max(out, moment + timedelta(minutes=20))

    def handle(self, plan: Plan, *, outcome: str) -> None:
        """Play the item forward: classify, assign, start, then answer (on time or late),
        publish, rate and close, as far as `outcome` and today allow."""
        fake, item, now = self.fake, plan.item, self.now
        clerk, leader = self.accounts.get(CLERK_ACCOUNT), self.accounts.get(LEADER_ACCOUNT)
        classified = self._after(item.received_at, 0 if fake.boolean() else 1)
        if classified >= now:
            return  # still new
        office = self.offices.get(CATEGORY_OFFICES.get(item.category, ""))
        plan.event(
            Action.CLASSIFY, Status.NEW, Status.CLASSIFIED, classified, clerk, item.category_label
        )
        item.status = Status.CLASSIFIED
        assigned = classified + timedelta(minutes=fake.random_int(15, 240))
        if assigned >= now:
            return
        assignee = leader if item.category == "thai_do_can_bo" else clerk
        item.office, item.assignee = office, assignee
        plan.event(
            Action.ASSIGN,
            Status.CLASSIFIED,
            Status.ASSIGNED,
            assigned,
            leader,
            office.name if office else "",
        )
        item.status = Status.ASSIGNED
        started = self._after(assigned, fake.random_int(0, 2))
        if started >= now:
            return
        plan.event(Action.START, Status.ASSIGNED, Status.IN_PROGRESS, started, assignee)
        item.status = Status.IN_PROGRESS
        if outcome == "open":
            return
        due = item.due_date
        if outcome == "late":
            answer_day = self.days.add(due, fake.random_int(1, 8))
        else:
            span = max(1, workdays_between(self.days, started.astimezone(LOCAL_TZ).date(), due))
            answer_day = self.days.add(
                started.astimezone(LOCAL_TZ).date(), fake.random_int(0, span)
            )
            answer_day = min(answer_day, due)
        answered = max(self.days.office_time(fake, answer_day), started + timedelta(hours=1))
        if outcome != "late" and answered.astimezone(LOCAL_TZ).date() > due:
            answered = self.days.at(due, 16, 30)
        if answered >= now:
            return
        item.answered_at, item.answered_by, item.answer = answered, assignee, plan.answer
        plan.event(Action.ANSWER, Status.IN_PROGRESS, Status.ANSWERED, answered, assignee)
        item.status = Status.ANSWERED
        if item.consent_publish and fake.random_int(1, 100) <= 70:
            published = answered + timedelta(minutes=fake.random_int(10, 180))
            if published < now:
                item.is_published, item.published_at = True, published
                item.public_summary = plan.summary
                plan.event(Action.PUBLISH, Status.ANSWERED, Status.ANSWERED, published, leader)
        if item.reply_channel != ReplyChannel.NONE and fake.random_int(1, 100) <= 55:
            rated = answered + timedelta(hours=fake.random_int(2, 96))
            if rated < now:
                satisfied = fake.random_int(1, 100) <= (60 if outcome == "late" else 88)
                item.satisfied, item.rated_at = satisfied, rated
                if not satisfied:
                    item.rating_reason = fake.random_element(demo_texts.UNSATISFIED_REASONS)
                plan.event(
                    Action.RATE,
                    Status.ANSWERED,
                    Status.ANSWERED,
                    rated,
                    None,
                    item.rating_reason,
                )
        reopen_days = settings.THANTHIEN_FEEDBACK_REOPEN_DAYS
        closed = answered + timedelta(days=reopen_days, hours=fake.random_int(1, 48))
        last = max(e[3] for e in plan.events)
        if closed < now and closed > last:
            item.closed_at = closed
            plan.event(Action.CLOSE, Status.ANSWERED, Status.CLOSED, closed, clerk)
            item.status = Status.CLOSED

    def merge(self, plan: Plan, main: Plan) -> None:
        """Merged into its main item while both were open."""
        item, clerk = plan.item, self.accounts.get(CLERK_ACCOUNT)
        merged = item.received_at + timedelta(minutes=self.fake.random_int(30, 300))
        if main.item.answered_at and merged >= main.item.answered_at:
            merged = item.received_at + timedelta(minutes=5)
        merged = min(merged, self.now - timedelta(minutes=1))
        item.status = Status.MERGED
        plan.main = main
        plan.event(
            Action.MERGE,
            Status.NEW,
            Status.MERGED,
            merged,
            clerk,
            f"Trùng nội dung với {main.item.code}",
        )

    def redirect(self, plan: Plan, reason: str, url: str) -> None:
        item, clerk = plan.item, self.accounts.get(CLERK_ACCOUNT)
        at = self._after(item.received_at, 1)
        at = min(at, self.now - timedelta(minutes=1))
        item.status = Status.REDIRECTED
        item.redirect_reason, item.redirect_url = reason, url
        item.consent_publish = False
        plan.event(Action.REDIRECT, Status.NEW, Status.REDIRECTED, at, clerk, reason)


def workdays_between(days: WorkingDays, start: date, end: date) -> int:
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if days.is_working(day):
            count += 1
    return count


def _weighted(fake: Faker, weights: dict) -> str:
    return fake.random_element(
        elements=OrderedDict(
            (key, weight / sum(weights.values())) for key, weight in weights.items()
        )
    )


def items_load(ctx: DemoContext) -> None:
    """About 600 items received over the past year, each played forward to now; laid once."""
    if FeedbackItem.objects.filter(commune=ctx.commune).exists():
        ctx.count("góp ý, phản ánh", 0)
        return
    count = getattr(settings, "THANTHIEN_DEMO_FEEDBACK", DEMO_FEEDBACK_COUNT)
    fake = ctx.faker("feedback.items")
    now = timezone.now()
    today = now.astimezone(LOCAL_TZ).date()
    days = WorkingDays(today)
    maker = ItemMaker(ctx, fake, now, days)
    dialogue_day = held_dialogue_day(days, today)
    redirect_url = f"/{ctx.commune.slug}/thu-tuc/"

    meeting_questions = [
        (DIALOGUE_QUESTION_CATEGORIES[number], question, answer)
        for number, (source, question, answer, _c) in enumerate(demo_texts.DIALOGUE_QUESTIONS)
        if source == "meeting"
    ]
    plans: list[Plan] = []
    duplicates = min(DEMO_DUPLICATES, count // 30)
    redirects = max(2, count // 100)
    for n in range(count - duplicates):
        source = _weighted(fake, SOURCE_WEIGHTS)
        # More items lately (the channels became known), fewer a year ago.
        age = int(365 * fake.random.random() ** 1.25)
        day = today - timedelta(days=age)
        if source == Source.DIALOGUE and (n < redirects or not meeting_questions):
            source = Source.HOTLINE
        if source == Source.RECEPTION and n < redirects:
            source = Source.WEB
        if n < redirects:
            category, title, content, reason = demo_texts.REDIRECTED[n % len(demo_texts.REDIRECTED)]
            plan = maker.new(
                source=source,
                category=category,
                day=today - timedelta(days=30 + 90 * n % 300),
                text=(title, content, "", ""),
            )
            maker.redirect(plan, reason, redirect_url)
            plans.append(plan)
            continue
        if source == Source.DIALOGUE:
            # A question raised at this year's conference, entered as an item to follow up.
            category, question, answer = meeting_questions.pop(0)
            text = (question.rstrip("?.")[:80], question, answer, question)
            day = min(dialogue_day, today)
        else:
            category = _weighted(fake, CATEGORY_WEIGHTS)
            text = fake.random_element(demo_texts.ITEMS[category])
        plan = maker.new(source=source, category=category, day=day, text=text)
        # Most are answered on time; some late; a few of the last months' are still open
        # past their due date.
        draw = fake.random_int(1, 1000)
        outcome = "on_time" if draw <= 870 else "late"
        if age <= 75 and draw <= 40:
            outcome = "open"
        maker.handle(plan, outcome=outcome)
        plans.append(plan)

    # Duplicates: the same matter from another resident a few days later, merged while the
    # main item was still open.
    mains = [
        p
        for p in plans
        if p.item.status in (Status.ANSWERED, Status.CLOSED) and p.item.source != Source.DIALOGUE
    ]
    for main in fake.random_elements(mains, length=min(duplicates, len(mains)), unique=True):
        text = (main.item.title, main.item.content, "", "")
        source = _weighted(fake, SOURCE_WEIGHTS)
        if source in (Source.DIALOGUE, Source.RECEPTION):
            source = Source.HOTLINE
        moves = [e[3] for e in main.events if e[0] in (Action.START, Action.ASSIGN)]
        latest = min(moves) if moves else main.item.received_at + timedelta(hours=4)
        day = main.item.received_at.astimezone(LOCAL_TZ).date()
        plan = maker.new(
            source=source, category=main.item.category, day=day, text=text, hamlet=main.item.hamlet
        )
        # The same words from a different sender; received after the main, merged before its answer.
        plan.item.received_at = max(
            plan.item.received_at, main.item.received_at + timedelta(minutes=40)
        )
        if plan.item.received_at >= latest:
            plan.item.received_at = main.item.received_at + timedelta(minutes=40)
        item = plan.item
        item.ack_due_at = days.ack_due(item.received_at)
        item.due_date = days.answer_due(item.received_at, item.category)
        plan.events = [
            (
                a,
                f,
                t,
                item.received_at
                if a == Action.SUBMIT
                else min(item.received_at + timedelta(seconds=30), now),
                actor,
                note,
            )
            for a, f, t, _at, actor, note in plan.events
        ]
        if item.acknowledged_at:
            item.acknowledged_at = min(item.received_at + timedelta(seconds=30), now)
        maker.merge(plan, main)
        plans.append(plan)

    _save_items(ctx, plans)


def _save_items(ctx: DemoContext, plans: list[Plan]) -> None:
    """Number the items by receipt in each year, save them (mains first), then the history."""
    plans.sort(key=lambda p: p.item.received_at)
    last_by_year: dict[int, int] = {}
    for plan in plans:
        year = plan.item.received_at.astimezone(LOCAL_TZ).year
        last_by_year[year] = last_by_year.get(year, 0) + 1
        plan.item.code = f"PA-{ctx.commune.code}-{year % 100:02d}-{last_by_year[year]:05d}"
    mains = [p for p in plans if p.main is None]
    duplicates = [p for p in plans if p.main is not None]
    FeedbackItem.objects.bulk_create([p.item for p in mains], batch_size=200)
    for plan in duplicates:
        plan.item.duplicate_of = plan.main.item
    FeedbackItem.objects.bulk_create([p.item for p in duplicates], batch_size=200)
    events = [
        FeedbackEvent(
            commune=ctx.commune,
            item=plan.item,
            action=action,
            from_status=from_status,
            to_status=to_status,
            at=at,
            actor=actor,
            note=note,
        )
        for plan in plans
        for action, from_status, to_status, at, actor, note in sorted(
            plan.events, key=lambda e: e[3]
        )
    ]
    # The main item's history says which items were merged into it.
    for plan in duplicates:
        merge_at = next(e[3] for e in plan.events if e[0] == Action.MERGE)
        before = [e for e in plan.main.events if e[3] <= merge_at]
        status = max(before, key=lambda e: e[3])[2] if before else Status.NEW
        events.append(
            FeedbackEvent(
                commune=ctx.commune,
                item=plan.main.item,
                action=Action.NOTE,
                from_status=status,
                to_status=status,
                at=merge_at,
                actor=plan.events[-1][4],
                note=f"Đã gộp {plan.item.code} vào ý kiến này; câu trả lời gửi cả người gửi "
                "ý kiến trùng.",
            )
        )
    FeedbackEvent.objects.bulk_create(events, batch_size=500)
    for year, last in last_by_year.items():
        _advance(ctx.commune, "feedback", year, last)
    ctx.count("góp ý, phản ánh", len(plans))
    ctx.count("lịch sử xử lý góp ý", len(events))


# --- Complaints and denunciations ----------------------------------------------------------------


def complaints_load(ctx: DemoContext) -> None:
    """Eight complaints and three denunciations of the past year, with their stage dates
    computed as the laws say, one extension, some assigned to the leader; laid once."""
    if Complaint.objects.filter(commune=ctx.commune).exists():
        ctx.count("khiếu nại, tố cáo", 0)
        return
    fake = ctx.faker("feedback.complaints")
    now = timezone.now()
    today = now.astimezone(LOCAL_TZ).date()
    days = WorkingDays(today)
    accounts = _accounts()
    leader, clerk = accounts.get(LEADER_ACCOUNT), accounts.get(CLERK_ACCOUNT)
    hamlets = _hamlets(ctx)
    # Residents told that their disagreement with a land decision is a complaint, who then
    # lodged one a few days later.
    land_title = demo_texts.REDIRECTED[1][1]
    redirected = list(
        FeedbackItem.objects.filter(
            commune=ctx.commune, status=Status.REDIRECTED, title=land_title
        ).order_by("received_at")
    )
    # Days ago each of demo_texts.COMPLAINTS was received; the recent ones are still running.
    ages = [330, 290, 240, 200, 150, 95, 40, 6, 260, 120, 25]
    complex_cases, refused, extended, from_feedback = {1, 9}, {3}, {9}, (0, 4)
    planned = []
    for position, (age, row) in enumerate(zip(ages, demo_texts.COMPLAINTS, strict=True)):
        item = None
        received_on = days.add(today - timedelta(days=age), 0)
        if position in from_feedback and redirected:
            item = redirected.pop()
            received_on = days.add(item.received_at.astimezone(LOCAL_TZ).date(), 4)
        planned.append((min(received_on, today), position, row, item))
    planned.sort(key=lambda p: (p[0], p[1]))
    complaints, extensions, assignees = [], [], []
    sequence: dict[int, int] = {}
    for index, (received_on, position, row, item) in enumerate(planned):
        kind, subject, respondent, content = row
        year = received_on.year
        sequence[year] = sequence.get(year, 0) + 1
        prefix = "KN" if kind == Complaint.Kind.COMPLAINT else "TC"
        hamlet = fake.random_element(hamlets) if hamlets else None
        is_complex = position in complex_cases
        complaint = Complaint(
            commune=ctx.commune,
            code=f"{prefix}-{ctx.commune.code}-{year % 100:02d}-{sequence[year]:04d}",
            kind=kind,
            is_complex=is_complex,
            is_remote_area=False,
            person_name=vietnamese_name(fake, male=fake.boolean(chance_of_getting_true=65)),
            person_phone=mobile_number(fake),
            person_address=f"{hamlet.name}, {ctx.commune.name}" if hamlet else "",
            person_id_number=fake.numerify("031############")[:12],
            hamlet=hamlet,
            subject=subject.format(n=fake.random_int(10, 199)),
            respondent=respondent,
            content=content,
            learned_on=received_on - timedelta(days=fake.random_int(5, 60))
            if kind == Complaint.Kind.COMPLAINT
            else None,
            received_on=received_on,
            accept_due=complaint_deadlines.accept_due(kind=kind, received_on=received_on),
            recorded_by=clerk,
        )
        complaint.feedback_item = item
        accepted_on = days.add(received_on, fake.random_int(2, 6))
        if position in refused:  # the decision was not the commune's
            complaint.status = Complaint.Status.REFUSED
            complaint.refused_on = accepted_on
            complaint.refusal_reason = (
                "Quyết định bị khiếu nại do UBND cấp trên ban hành, không thuộc thẩm quyền giải "
                "quyết của Chủ tịch UBND xã; đã hướng dẫn công dân gửi đơn đến đúng cơ quan."
            )
        elif accepted_on < today - timedelta(days=2):
            complaint.accepted_on = accepted_on
            complaint.status = Complaint.Status.ACCEPTED
            complaint.resolve_due = complaint_deadlines.resolve_due(
                kind=kind, accepted_on=accepted_on, is_complex=is_complex, is_remote=False
            )
            resolve_in = (complaint.resolve_due - accepted_on).days
            resolved_on = days.add(accepted_on, 0) + timedelta(
                days=fake.random_int(resolve_in // 2, resolve_in - 2)
            )
            if position in extended:
                # Complex: the resolution deadline extended once by 30 days.
                previous = complaint.resolve_due
                new_due = previous + timedelta(days=30)
                extensions.append(
                    ComplaintExtension(
                        commune=ctx.commune,
                        complaint=complaint,
                        stage=ComplaintExtension.Stage.RESOLVE,
                        days=30,
                        working_days=False,
                        previous_due=previous,
                        new_due=new_due,
                        reason="Vụ việc phức tạp, cần xác minh thêm tại Văn phòng đăng ký đất "
                        "đai và lấy lời khai của các hộ liên quan.",
                        decided_on=previous - timedelta(days=3),
                        decided_by=leader,
                    )
                )
                complaint.resolve_due = new_due
                resolved_on = previous + timedelta(days=fake.random_int(10, 25))
            resolved_on = days.add(resolved_on, 0)
            if resolved_on < today and resolved_on <= complaint.resolve_due:
                complaint.status = Complaint.Status.RESOLVED
                complaint.resolved_on = resolved_on
                number = fake.random_int(20, 240)
                complaint.decision_number = (
                    f"{number}/QĐ-UBND" if kind == Complaint.Kind.COMPLAINT else f"{number}/KL-UBND"
                )
                complaint.resolution = (
                    "Khiếu nại đúng một phần; giao bộ phận chuyên môn điều chỉnh, báo cáo kết quả."
                    if kind == Complaint.Kind.COMPLAINT
                    else "Tố cáo đúng một phần; đã kiểm điểm, xử lý trách nhiệm người vi phạm."
                )
        complaints.append(complaint)
        assignees.append([leader] if index % 3 != 2 else [clerk, leader])
    Complaint.objects.bulk_create(complaints)
    ComplaintExtension.objects.bulk_create(extensions)
    through = Complaint.assignees.through
    through.objects.bulk_create(
        [
            through(complaint_id=complaint.pk, user_id=user.pk)
            for complaint, users in zip(complaints, assignees, strict=True)
            for user in users
            if user is not None
        ]
    )
    for year, last in sequence.items():
        _advance(ctx.commune, "complaint", year, last)
    ctx.count("khiếu nại, tố cáo", len(complaints))


# --- Citizen reception ---------------------------------------------------------------------------


def _booking_code(fake: Faker) -> str:
    return "TCD-" + "".join(fake.random_element(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def reception_load(ctx: DemoContext) -> None:
    """About 40 visits in the reception register over the year (the reception items and some
    complaints opened from them), and bookings of the coming weeks' sessions; laid once."""
    if ReceptionVisit.objects.filter(commune=ctx.commune).exists():
        ctx.count("lượt tiếp công dân", 0)
        return
    fake = ctx.faker("feedback.reception")
    now = timezone.now()
    today = now.astimezone(LOCAL_TZ).date()
    days = WorkingDays(today)
    officials = _officials(ctx)
    slots = list(
        ReceptionSlot.objects.filter(commune=ctx.commune, is_active=True).select_related("host")
    )
    if not slots or "chairman" not in officials:
        return
    hamlets = _hamlets(ctx)
    clerk = _accounts().get(CLERK_ACCOUNT)
    vice = officials.get("vice_chairman_2") or officials["chairman"]

    # Visits: one per reception item (it was opened from the visit), the rest other matters.
    items = list(
        FeedbackItem.objects.filter(commune=ctx.commune, source=Source.RECEPTION).order_by(
            "received_at"
        )
    )
    visits: list[ReceptionVisit] = []
    for item in items[:DEMO_VISITS]:
        local = item.received_at.astimezone(LOCAL_TZ)
        slot = next((s for s in slots if s.weekday == local.weekday()), None)
        visits.append(
            ReceptionVisit(
                commune=ctx.commune,
                visited_at=item.received_at,
                received_by=slot.host if slot else vice,
                is_scheduled_session=slot is not None,
                citizen_name=item.sender_name or vietnamese_name(fake, male=fake.boolean()),
                citizen_address=item.sender_address,
                citizen_phone=item.sender_phone,
                hamlet=item.hamlet,
                kind=ReceptionVisit.Kind.PETITION,
                matter=item.content,
                outcome=ReceptionVisit.Outcome.FEEDBACK,
                outcome_note=f"Vào sổ góp ý, phản ánh {item.code}.",
                feedback_item=item,
                recorded_by=clerk,
            )
        )
    for n in range(max(0, DEMO_VISITS - len(visits))):
        kind, outcome, matter = demo_texts.VISIT_MATTERS[n % len(demo_texts.VISIT_MATTERS)]
        if outcome == "feedback":
            kind, outcome = "procedure", "guided"
            matter = "Hỏi thủ tục đăng ký thường trú cho con dâu."
        scheduled = n % 4 != 3
        day = today - timedelta(days=8 + int(350 * fake.random.random()))
        if scheduled:
            slot = slots[n % len(slots)]
            while day.weekday() != slot.weekday or not days.is_working(day):
                day -= timedelta(days=1)
            visited = datetime.combine(day, slot.start_time, tzinfo=LOCAL_TZ) + timedelta(
                minutes=fake.random_int(5, 180)
            )
            host = slot.host
        else:
            visited = days.office_time(fake, day)
            host = vice
        hamlet = fake.random_element(hamlets) if hamlets else None
        visits.append(
            ReceptionVisit(
                commune=ctx.commune,
                visited_at=visited,
                received_by=host,
                is_scheduled_session=scheduled,
                citizen_name=vietnamese_name(fake, male=fake.boolean(chance_of_getting_true=60)),
                citizen_address=f"{hamlet.name}, {ctx.commune.name}" if hamlet else "",
                citizen_phone=mobile_number(fake),
                citizen_id_number=fake.numerify("031############")[:12],
                hamlet=hamlet,
                group_size=1 if n % 7 else fake.random_int(2, 6),
                kind=kind,
                matter=matter,
                outcome=outcome,
                outcome_note={
                    "guided": "Đã hướng dẫn, giải thích; công dân đồng ý.",
                    "dossier": "Tiếp nhận hồ sơ tại Trung tâm Phục vụ hành chính công.",
                    "complaint": "Nhận đơn, vào sổ khiếu nại, tố cáo.",
                    "transferred": "Đã có văn bản chuyển đơn vị có thẩm quyền.",
                }.get(outcome, ""),
                recorded_by=clerk,
            )
        )
    visits.sort(key=lambda v: v.visited_at)
    numbers: dict[int, int] = {}
    for visit in visits:
        year = visit.visited_at.astimezone(LOCAL_TZ).year
        numbers[year] = numbers.get(year, 0) + 1
        visit.year, visit.number = year, numbers[year]

    # Bookings: the past visits of scheduled sessions that were booked, and the coming weeks.
    bookings: list[ReceptionBooking] = []
    positions: dict[tuple[int, date], int] = {}

    def book(slot, day, *, name, phone, hamlet, matter, status, source):
        key = (slot.pk, day)
        positions[key] = positions.get(key, 0) + 1
        booking = ReceptionBooking(
            commune=ctx.commune,
            code=_booking_code(fake),
            slot=slot,
            date=day,
            position=positions[key],
            source=source,
            status=status,
            name=name,
            phone=phone,
            address=f"{hamlet.name}, {ctx.commune.name}" if hamlet else "",
            hamlet=hamlet,
            matter=matter,
            consent_sms=True,
            booked_by=clerk if source != ReceptionBooking.Source.ONLINE else None,
        )
        bookings.append(booking)
        return booking

    by_weekday = {slot.weekday: slot for slot in slots}
    for index, visit in enumerate(visits):
        local = visit.visited_at.astimezone(LOCAL_TZ)
        slot = by_weekday.get(local.weekday())
        if not visit.is_scheduled_session or slot is None or index % 3:
            continue
        visit.booking = book(
            slot,
            local.date(),
            name=visit.citizen_name,
            phone=visit.citizen_phone or mobile_number(fake),
            hamlet=visit.hamlet,
            matter=visit.matter,
            status=ReceptionBooking.Status.ATTENDED,
            source=ReceptionBooking.Source.ONLINE if index % 2 else ReceptionBooking.Source.PHONE,
        )
    for week in range(3):
        for slot in slots:
            day = today + timedelta(days=(slot.weekday - today.weekday()) % 7 + 7 * week)
            if day <= today or not days.is_working(day):
                continue
            for n in range(fake.random_int(1, 4)):
                hamlet = fake.random_element(hamlets) if hamlets else None
                kind, _outcome, matter = fake.random_element(demo_texts.VISIT_MATTERS)
                booking = book(
                    slot,
                    day,
                    name=vietnamese_name(fake, male=fake.boolean()),
                    phone=mobile_number(fake),
                    hamlet=hamlet,
                    matter=matter,
                    status=ReceptionBooking.Status.BOOKED,
                    source=ReceptionBooking.Source.ONLINE
                    if n % 2 == 0
                    else ReceptionBooking.Source.PHONE,
                )
                if week == 0 and n == 1:
                    booking.status = ReceptionBooking.Status.CANCELLED
                    booking.cancel_reason = "Công dân báo bận việc gia đình, xin hẹn lại."
    ReceptionBooking.objects.bulk_create(bookings)
    ReceptionVisit.objects.bulk_create(visits)
    for year, last in numbers.items():
        _advance(ctx.commune, "reception", year, last)
    # Complaints received at a reception session point to the visit.
    complaint_visits = [v for v in visits if v.outcome == ReceptionVisit.Outcome.COMPLAINT]
    complaints = list(
        Complaint.objects.filter(commune=ctx.commune, reception_visit__isnull=True).order_by(
            "received_on"
        )
    )
    linked = []
    for visit in complaint_visits:
        day = visit.visited_at.astimezone(LOCAL_TZ).date()
        match = next((c for c in complaints if c.received_on >= day and c not in linked), None)
        if match is not None and match.kind == visit.kind:
            match.reception_visit = visit
            linked.append(match)
    if linked:
        Complaint.objects.bulk_update(linked, ["reception_visit"])
    ctx.count("lượt tiếp công dân", len(visits))
    ctx.count("lịch hẹn tiếp công dân", len(bookings))


# --- Dialogue conferences ------------------------------------------------------------------------


def held_dialogue_day(days: WorkingDays, today: date) -> date:
    """This year's conference: four months ago, or mid-January early in the year."""
    day = max(today - timedelta(days=120), date(today.year, 1, 15))
    day = min(day, today - timedelta(days=1))
    while not days.is_working(day) and day > date(today.year, 1, 1):
        day -= timedelta(days=1)
    return day


def dialogues_load(ctx: DemoContext) -> None:
    """The conference held this year (questions, answers, commitments, results published),
    and the one planned for next month with its plan published; laid once."""
    if Dialogue.objects.filter(commune=ctx.commune).exists():
        ctx.count("hội nghị đối thoại", 0)
        return
    fake = ctx.faker("feedback.dialogues")
    now = timezone.now()
    today = now.astimezone(LOCAL_TZ).date()
    days = WorkingDays(today)
    officials = _officials(ctx)
    if "chairman" not in officials:
        return
    chairman = officials["chairman"]
    front = officials.get("front_chair")
    hamlets = _hamlets(ctx)
    leader = _accounts().get(LEADER_ACCOUNT)
    held_on = held_dialogue_day(days, today)
    place = "Hội trường UBND xã Kiến Minh"
    held = Dialogue.objects.create(
        commune=ctx.commune,
        title=f"Hội nghị đối thoại giữa Chủ tịch UBND xã với Nhân dân năm {held_on.year}",
        date=held_on,
        start_time=time(8, 0),
        place=place,
        topics="\n".join(demo_texts.DIALOGUE_TOPICS),
        chaired_by=chairman,
        front_representative=front.full_name if front else "Chủ tịch Ủy ban MTTQ xã",
        status=Dialogue.Status.HELD,
        questions_open_until=held_on - timedelta(days=5),
        is_plan_published=True,
        attendance=186,
        minutes_summary=(
            "Hội nghị có 186 đại biểu là đại diện các hộ gia đình của 12 thôn, các đoàn thể và "
            "cán bộ, công chức xã. Chủ tịch UBND xã trả lời trực tiếp 12 ý kiến; các ý kiến "
            "cần thời gian xử lý được giao người chịu trách nhiệm và thời hạn cụ thể."
        ),
        held_on=held_on,
        is_results_published=True,
        created_by=leader,
    )
    held.hamlets.set(hamlets)
    # The questions raised at the meeting that were entered as items (items_load).
    dialogue_items = {
        item.content: item
        for item in FeedbackItem.objects.filter(commune=ctx.commune, source=Source.DIALOGUE)
    }
    answerers = [
        o
        for o in (chairman, officials.get("vice_chairman_1"), officials.get("vice_chairman_2"))
        if o
    ]
    owners = {
        0: officials.get("economy_head") or chairman,
        1: officials.get("centre_director") or chairman,
        2: officials.get("economy_head") or chairman,
        4: officials.get("vice_chairman_1") or chairman,
        6: officials.get("economy_head") or chairman,
    }
    questions, commitments = [], []
    for number, (source, question, answer, _commitment) in enumerate(
        demo_texts.DIALOGUE_QUESTIONS, start=1
    ):
        hamlet = fake.random_element(hamlets) if hamlets else None
        show = fake.boolean(chance_of_getting_true=60)
        row = DialogueQuestion(
            commune=ctx.commune,
            dialogue=held,
            number=number,
            source=source,
            asker_name=vietnamese_name(fake, male=fake.boolean(chance_of_getting_true=60)),
            asker_phone=mobile_number(fake) if source == "online" else "",
            hamlet=hamlet,
            show_name=show,
            question=question,
            answer=answer,
            answered_by=answerers[number % len(answerers)],
            feedback_item=dialogue_items.get(question) if source == "meeting" else None,
        )
        questions.append(row)
    DialogueQuestion.objects.bulk_create(questions)
    for index, (row, (_s, _q, _a, commitment)) in enumerate(
        zip(questions, demo_texts.DIALOGUE_QUESTIONS, strict=True)
    ):
        if not commitment:
            continue
        deadline = held_on + timedelta(days=30 + 25 * len(commitments))
        item = DialogueCommitment(
            commune=ctx.commune,
            question=row,
            text=commitment,
            owner=owners.get(index, chairman),
            deadline=deadline,
        )
        if len(commitments) in (0, 2):
            item.status = DialogueCommitment.Status.DONE
            item.done_on = min(deadline - timedelta(days=5), today)
            item.result_note = "Đã hoàn thành, báo cáo tại cuộc họp giao ban và đăng trên cổng."
        elif len(commitments) == 1:
            # Overdue: the deadline has passed and the work is not finished.
            item.deadline = min(deadline, today - timedelta(days=10))
            item.result_note = "Đang hoàn thiện thủ tục bố trí nhân sự làm việc sáng thứ Bảy."
        else:
            item.deadline = max(deadline, today + timedelta(days=20 + 10 * len(commitments)))
        commitments.append(item)
    DialogueCommitment.objects.bulk_create(commitments)

    planned_day = days.add(today + timedelta(days=30), 0)
    planned = Dialogue.objects.create(
        commune=ctx.commune,
        title=f"Hội nghị đối thoại về đầu tư hạ tầng nông thôn {planned_day:%m/%Y}",
        date=planned_day,
        start_time=time(14, 0),
        place=place,
        topics="\n".join(
            [
                "Kế hoạch đầu tư đường giao thông nội đồng năm tới",
                "Nước sạch nông thôn",
                "Chuyển đổi cơ cấu cây trồng",
            ]
        ),
        chaired_by=chairman,
        front_representative=front.full_name if front else "Chủ tịch Ủy ban MTTQ xã",
        status=Dialogue.Status.PLANNED,
        questions_open_until=planned_day - timedelta(days=5),
        is_plan_published=True,
        created_by=leader,
    )
    planned.hamlets.set(hamlets)
    DialogueQuestion.objects.bulk_create(
        [
            DialogueQuestion(
                commune=ctx.commune,
                dialogue=planned,
                number=number,
                source=source,
                asker_name=vietnamese_name(fake, male=fake.boolean()),
                asker_phone=mobile_number(fake) if source == "online" else "",
                hamlet=fake.random_element(hamlets) if hamlets else None,
                question=question,
            )
            for number, (source, question) in enumerate(demo_texts.PLANNED_QUESTIONS, start=1)
        ]
    )
    ctx.count("hội nghị đối thoại", 2)
    ctx.count("câu hỏi đối thoại", len(questions) + len(demo_texts.PLANNED_QUESTIONS))
