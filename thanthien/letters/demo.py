"""Demo data of the letters (issue 6): a year of letters following from the demo dossiers,
the ceremonies and visits that went with them, the chairman's holiday greetings, the
commune's contributors with their thank-you letters, the yearly meeting, and a few news posts.

Each part is laid once and in bulk, with the same texts the services write (templates
rendered with the same values): a commune that already has that part keeps it as it is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import Max
from django.utils import timezone
from faker import Faker

from thanthien.core import workdays
from thanthien.core.demo import DemoContext, mobile_number, vietnamese_name
from thanthien.letters import texts
from thanthien.letters.ceremony_services import DRAFT_HOUR, OCCASION_KINDS
from thanthien.letters.contributor_services import contribution_value_text
from thanthien.letters.greeting_services import (
    default_greetings,
    greeting_values,
    national_holidays,
)
from thanthien.letters.models import (
    OCCASION_TYPES,
    BroadcastSlot,
    Ceremony,
    CeremonyKind,
    Contribution,
    Contributor,
    Greeting,
    Invitation,
    Letter,
    Occasion,
    YearlyMeeting,
)
from thanthien.letters.services import chairman_of, return_triggers
from thanthien.onestop.dossier_selectors import LOCAL_TZ, local_day
from thanthien.onestop.generate import _historical_timestamps
from thanthien.onestop.models import ApologySlip, Dossier
from thanthien.people.models import Official, User
from thanthien.places.models import Hamlet
from thanthien.portal.posts import Post

LEADER_ACCOUNT = "lanhdao.kienminh"
CLERK_ACCOUNT = "canbo.kienminh"
DROPPED_SHARE = 4  # per cent of drafts a leader decides not to send
DELIVERY = {
    Occasion.MARRIAGE: [Letter.Delivery.CEREMONY],
    Occasion.BIRTH: [Letter.Delivery.HOME, Letter.Delivery.HOME, Letter.Delivery.ZALO],
    Occasion.DEATH: [Letter.Delivery.HOME],
    Occasion.APOLOGY: [Letter.Delivery.POST, Letter.Delivery.ZALO, Letter.Delivery.HOME],
    Occasion.THANKS: [Letter.Delivery.CEREMONY, Letter.Delivery.HOME, Letter.Delivery.POST],
}
DROP_NOTES = [
    "Gia đình đã chuyển đi nơi khác, không gửi thư.",
    "Người nộp hồ sơ là người được ủy quyền, đã trao thư trực tiếp cho gia đình bằng lời.",
]
CEREMONY_OUTCOMES = {
    CeremonyKind.MARRIAGE: "Đã trao giấy chứng nhận kết hôn và thư chúc mừng tại trụ sở UBND xã.",
    CeremonyKind.HOME_DELIVERY: (
        "Đã trao giấy khai sinh, thẻ BHYT của cháu và thư chúc mừng tại nhà."
    ),
    CeremonyKind.CONDOLENCE: "Đã đến viếng, chia buồn và trao thư chia buồn của UBND xã.",
}


@dataclass
class Draft:
    """A letter being laid, and when it was drafted."""

    letter: Letter
    drafted_at: datetime


def _day(value) -> str:
    return f"{value:%d/%m/%Y}" if value else ""


class LetterWriter:
    """Renders letters as `letters.services._build` does: the commune's template for the
    occasion, filled with the event's details, the recipient and the signing chairman."""

    def __init__(self, ctx: DemoContext, *, author: User | None):
        self.commune = ctx.commune
        self.signer = chairman_of(ctx.commune.pk)
        self.author = author
        self.templates = {
            occasion: texts.template_for(commune_id=ctx.commune.pk, occasion=occasion)
            for occasion in Occasion.values
        }

    def letter(
        self,
        *,
        occasion: str,
        recipient_name: str,
        recipient_address: str,
        details: dict,
        drafted_at: datetime,
        source_dossier_id: int | None = None,
    ) -> Draft:
        template = self.templates[occasion]
        letter = Letter(
            commune=self.commune,
            type=OCCASION_TYPES[Occasion(occasion)],
            occasion=occasion,
            recipient_name=recipient_name.strip(),
            recipient_address=recipient_address.strip(),
            event_details={k: v for k, v in details.items() if v not in (None, "")},
            source_dossier_id=source_dossier_id,
            created_by=self.author,
            signer=self.signer,
            annex=template.annex,
            created_at=drafted_at,
            updated_at=drafted_at,
        )
        values = {
            **letter.event_details,
            "recipient": letter.recipient_name,
            "recipient_address": letter.recipient_address,
            "commune": self.commune.name,
            "signer_name": self.signer.full_name if self.signer else "",
            "signer_title": self.signer.position.name if self.signer else "",
            "letter_date": _day(local_day(drafted_at)),
        }
        letter.title = texts.render(template.title, values)
        letter.body = texts.render(template.body, values)
        return Draft(letter, drafted_at)


class WorkingDays:
    """The working days around the demo's year, read once (no query per letter)."""

    def __init__(self, today: date):
        first, last = today - timedelta(days=400), today + timedelta(days=60)
        self.off = workdays.non_working_days(first, last)

    def add(self, day: date, days: int) -> date:
        """The `days`-th working day after `day` (the next one for 0 when `day` is off)."""
        while day in self.off:
            day += timedelta(days=1)
        for _ in range(days):
            day += timedelta(days=1)
            while day in self.off:
                day += timedelta(days=1)
        return day

    def after(self, moment: datetime, days: int, hour: int, minute: int) -> datetime:
        day = self.add(local_day(moment), days)
        return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_TZ)


def _decide(
    fake: Faker, drafts: list[Draft], *, leader: User, now: datetime, days: WorkingDays
) -> None:
    """Approve most drafts a working day or two later, drop a few, leave this week's as drafts;
    record the delivery of the approved ones whose time has come."""
    for draft in drafts:
        letter = draft.letter
        approved = days.after(
            draft.drafted_at, fake.random_int(1, 2), fake.random_int(8, 16), fake.random_int(0, 59)
        )
        if approved > now:
            continue  # still waiting for the leader
        if fake.random_int(1, 100) <= DROPPED_SHARE:
            letter.state = Letter.State.DROPPED
            letter.note = fake.random_element(DROP_NOTES)
            letter.updated_at = approved
            continue
        letter.state = Letter.State.APPROVED
        letter.approved_by = leader
        letter.approved_at = approved
        letter.year = local_day(approved).year
        letter.updated_at = approved
        delivered = approved + timedelta(days=fake.random_int(1, 6), hours=fake.random_int(0, 5))
        if delivered < now - timedelta(days=1) and fake.boolean(chance_of_getting_true=92):
            letter.state = Letter.State.DELIVERED
            letter.delivery_method = fake.random_element(DELIVERY[letter.occasion])
            letter.delivered_at = delivered
            letter.updated_at = delivered


def _number(ctx: DemoContext, letters: list[Letter]) -> None:
    """Number the approved letters per year in the order they were approved, after the
    numbers the commune has already given."""
    last = dict(
        Letter.objects.filter(commune=ctx.commune, number__isnull=False)
        .values_list("year")
        .annotate(last=Max("number"))
    )
    numbered = sorted((le for le in letters if le.approved_at), key=lambda le: le.approved_at)
    for letter in numbered:
        last[letter.year] = last.get(letter.year, 0) + 1
        letter.number = last[letter.year]


def _event_person(fake: Faker, occasion: str, applicant: str) -> dict:
    """The child's or the deceased's name, which the official fills in before approval (the
    dossier names only the applicant): the applicant's family name, a seeded given name."""
    family = applicant.split()[0] if applicant.split() else ""
    if occasion == Occasion.BIRTH:
        given = fake.first_name_male() if fake.boolean() else fake.first_name_female()
        return {"child_name": f"{family} {fake.middle_name()} {given}".replace("  ", " ")}
    if occasion == Occasion.DEATH:
        return {"deceased_name": f"cụ {family} {fake.middle_name()} {fake.first_name_male()}"}
    return {}


def _dossier_drafts(ctx: DemoContext, writer: LetterWriter) -> list[Draft]:
    """The congratulation and condolence letters of the returned registrations, and the
    apology letters of the dossiers whose apology slips were issued (late or rescheduled)."""
    triggers = return_triggers()
    names = ctx.faker("letters.event_people")
    drafts = []
    returned = (
        Dossier.objects.filter(
            commune=ctx.commune,
            state=Dossier.State.RETURNED,
            procedure__code__in=list(triggers),
        )
        .order_by("returned_at", "pk")
        .values_list(
            "pk",
            "code",
            "procedure__code",
            "procedure__name",
            "applicant_name",
            "applicant_address",
            "returned_at",
        )
    )
    for pk, code, procedure_code, procedure, name, address, returned_at in returned:
        drafts.append(
            writer.letter(
                occasion=triggers[procedure_code],
                recipient_name=name,
                recipient_address=address,
                details={
                    "procedure": procedure,
                    "dossier_code": code,
                    "event_date": _day(local_day(returned_at)),
                    **_event_person(names, triggers[procedure_code], name),
                },
                drafted_at=returned_at,
                source_dossier_id=pk,
            )
        )
    slips = (
        ApologySlip.objects.filter(
            commune=ctx.commune,
            state=ApologySlip.State.ISSUED,
        )
        .select_related("dossier__procedure")
        .order_by("issued_at", "pk")
    )
    apologised = set()
    for slip in slips:
        dossier = slip.dossier
        if dossier.pk in apologised:  # one apology letter per dossier, as the service drafts
            continue
        apologised.add(dossier.pk)
        drafts.append(
            writer.letter(
                occasion=Occasion.APOLOGY,
                recipient_name=dossier.applicant_name,
                recipient_address=dossier.applicant_address,
                details={
                    "procedure": dossier.procedure.name,
                    "dossier_code": dossier.code,
                    "original_due_date": _day(slip.original_due_date),
                    "new_due_date": _day(slip.new_due_date),
                    "reason": slip.reason,
                },
                drafted_at=slip.issued_at,
                source_dossier_id=dossier.pk,
            )
        )
    return drafts


def _ceremonies(
    ctx: DemoContext,
    fake: Faker,
    drafts: list[Draft],
    *,
    author: User,
    now: datetime,
    days: WorkingDays,
) -> int:
    """The ceremony or visit of each congratulation and condolence letter from a dossier, as
    `ceremony_draft_for_returned_dossier` plans it; the past ones recorded as done."""
    officials: dict[str, Official] = ctx.records["officials"]
    teams = {
        CeremonyKind.MARRIAGE: [officials["chairman"], officials["civil_status_1"]],
        CeremonyKind.HOME_DELIVERY: [officials["vice_chairman_2"], officials["civil_status_2"]],
        CeremonyKind.CONDOLENCE: [officials["vice_chairman_1"], officials["front_chair"]],
    }
    hamlets = {h.name: h for h in Hamlet.objects.filter(commune=ctx.commune)}
    planned: list[tuple[Ceremony, Letter]] = []
    for draft in drafts:
        letter = draft.letter
        kind = OCCASION_KINDS.get(letter.occasion)
        if kind is None or letter.source_dossier_id is None:
            continue
        starts = datetime.combine(
            days.add(local_day(draft.drafted_at), 1), DRAFT_HOUR, tzinfo=LOCAL_TZ
        )
        if kind == CeremonyKind.MARRIAGE:
            place = f"Trụ sở Ủy ban nhân dân {ctx.commune.name}"
        else:
            place = letter.recipient_address or "Tại nhà gia đình"
        ceremony = Ceremony(
            commune=ctx.commune,
            kind=kind,
            starts_at=starts,
            place=place,
            recipient_name=letter.recipient_name,
            recipient_address=letter.recipient_address,
            hamlet=hamlets.get(letter.recipient_address.split(",")[0].strip()),
            source_dossier_id=letter.source_dossier_id,
            created_by=author,
            created_at=draft.drafted_at,
            updated_at=draft.drafted_at,
        )
        if starts + timedelta(hours=2) < now:
            if fake.boolean(chance_of_getting_true=95):
                ceremony.state = Ceremony.State.DONE
                ceremony.done_at = starts + timedelta(minutes=fake.random_int(40, 120))
                ceremony.outcome = CEREMONY_OUTCOMES[kind]
            else:
                ceremony.state = Ceremony.State.CANCELLED
                ceremony.cancel_reason = "Gia đình xin nhận tại Bộ phận một cửa."
            ceremony.updated_at = ceremony.done_at or starts
        planned.append((ceremony, letter))
    with _historical_timestamps(Ceremony):
        Ceremony.objects.bulk_create([c for c, _letter in planned], batch_size=500)
    went = Ceremony.officials.through
    carried = Ceremony.letters.through
    went.objects.bulk_create(
        [
            went(ceremony_id=c.pk, official_id=o.pk)
            for c, _letter in planned
            for o in teams[CeremonyKind(c.kind)]
        ],
        batch_size=1000,
    )
    carried.objects.bulk_create(
        [carried(ceremony_id=c.pk, letter_id=letter.pk) for c, letter in planned],
        batch_size=1000,
    )
    return len(planned)


# --- Contributors ---------------------------------------------------------------------------

# (name or None for a resident's name, organisation?, kind, what they gave, đồng, in kind)
DEMO_CONTRIBUTORS = [
    (
        "Công ty TNHH Cơ khí Kiến Thụy",
        True,
        Contributor.Kind.CONTRIBUTOR,
        [
            ("Ủng hộ làm đường giao thông nông thôn", 150_000_000, ""),
            ("Tặng quà Tết cho hộ nghèo", 30_000_000, ""),
        ],
    ),
    (
        "Hợp tác xã Nông nghiệp Kiến Minh",
        True,
        Contributor.Kind.CONTRIBUTOR,
        [("Ủng hộ Quỹ khuyến học của xã", 20_000_000, "")],
    ),
    (
        "Chi nhánh Ngân hàng Nông nghiệp huyện",
        True,
        Contributor.Kind.CONTRIBUTOR,
        [("Tặng ghế chờ cho Bộ phận một cửa", None, "30 ghế chờ inox")],
    ),
    (None, False, Contributor.Kind.BOTH, [("Hiến đất mở rộng ngõ xóm", None, "45 m² đất ở")]),
    (
        None,
        False,
        Contributor.Kind.CONTRIBUTOR,
        [("Ủng hộ xây nhà văn hóa thôn", 50_000_000, "10 ngày công")],
    ),
    (
        None,
        False,
        Contributor.Kind.CONTRIBUTOR,
        [("Ủng hộ Quỹ vì người nghèo", 10_000_000, "")],
    ),
    (None, False, Contributor.Kind.RESPECTED, []),
    (None, False, Contributor.Kind.RESPECTED, []),
    (
        None,
        False,
        Contributor.Kind.BOTH,
        [("Vận động bà con hiến đất làm đường", None, "20 ngày công")],
    ),
    (None, False, Contributor.Kind.RESPECTED, []),
]


def _contributors(
    ctx: DemoContext,
    fake: Faker,
    writer: LetterWriter,
    *,
    author: User,
    now: datetime,
    days: WorkingDays,
) -> list[Draft]:
    """Ten contributors and respected residents, their contributions over the year (each
    with its thank-you letter), and last quarter's yearly meeting with who attended."""
    if Contributor.objects.filter(commune=ctx.commune).exists():
        return []
    hamlets = list(Hamlet.objects.filter(commune=ctx.commune).order_by("order", "name"))
    where = f"{ctx.commune.name}, {ctx.commune.province.name}"
    today = local_day(now)
    contributors, contributions, drafts = [], [], []
    for name, is_organisation, kind, given in DEMO_CONTRIBUTORS:
        hamlet = fake.random_element(hamlets)
        person = name or vietnamese_name(fake, male=fake.boolean(chance_of_getting_true=70))
        contributor = Contributor(
            commune=ctx.commune,
            name=person,
            is_organisation=is_organisation,
            kind=kind,
            phone=mobile_number(fake),
            address=f"{hamlet.name}, {where}",
            hamlet=hamlet,
        )
        contributors.append(contributor)
        for description, value, in_kind in given:
            day = today - timedelta(days=fake.random_int(20, 340))
            contribution = Contribution(
                commune=ctx.commune,
                contributor=contributor,
                description=description,
                date=day,
                value_dong=value,
                in_kind=in_kind,
                created_by=author,
            )
            drafted = datetime.combine(day, time(10, 0), tzinfo=LOCAL_TZ)
            what = f"đã đóng góp {description} ({contribution_value_text(contribution)})"
            draft = writer.letter(
                occasion=Occasion.THANKS,
                recipient_name=person,
                recipient_address=contributor.address,
                details={"contribution": what, "event_date": _day(day)},
                drafted_at=drafted,
            )
            contributions.append((contribution, draft))
            drafts.append(draft)
    Contributor.objects.bulk_create(contributors)
    ctx.count("người, tổ chức có đóng góp", len(contributors))
    ctx.records["contribution_drafts"] = contributions
    # The meeting: held some months ago, every contributor invited, most came.
    held = datetime.combine(days.add(today - timedelta(days=75), 0), time(8, 0), tzinfo=LOCAL_TZ)
    meeting = YearlyMeeting.objects.create(
        commune=ctx.commune,
        year=held.year,
        held_at=held,
        place=f"Hội trường Ủy ban nhân dân {ctx.commune.name}",
        agenda=(
            "Báo cáo kết quả xây dựng chính quyền thân thiện; cảm ơn các tập thể, cá nhân "
            "đã đóng góp xây dựng quê hương; lắng nghe ý kiến của người có uy tín."
        ),
    )
    Invitation.objects.bulk_create(
        [
            Invitation(
                meeting=meeting,
                contributor=c,
                attended=fake.boolean(chance_of_getting_true=85),
            )
            for c in contributors
        ]
    )
    ctx.count("hội nghị gặp mặt", 1)
    return drafts


def _save_contributions(ctx: DemoContext) -> None:
    pairs = ctx.records.pop("contribution_drafts", [])
    for contribution, draft in pairs:
        contribution.contributor_id = contribution.contributor.pk
        contribution.letter = draft.letter
    Contribution.objects.bulk_create([c for c, _draft in pairs])
    ctx.count("đóng góp", len(pairs))


# --- Greetings ------------------------------------------------------------------------------


def _greetings(ctx: DemoContext, *, leader: User, now: datetime) -> None:
    """The chairman's greetings for the holidays of the past year, approved a few days ahead
    and read on every hamlet's loudspeakers the evening before."""
    today = local_day(now)
    first = today - timedelta(days=365)
    holidays = [
        h
        for year in (first.year, today.year)
        for h in national_holidays(year)
        if first <= h.day < today
    ]
    existing = set(Greeting.objects.filter(commune=ctx.commune).values_list("holiday_key", "year"))
    signer = chairman_of(ctx.commune.pk)
    hamlets = list(Hamlet.objects.filter(commune=ctx.commune))
    greetings = []
    for holiday in holidays:
        if (holiday.key, holiday.day.year) in existing:
            continue
        text = default_greetings()[holiday.kind]
        values = greeting_values(commune=ctx.commune, holiday=holiday, signer=signer)
        drafted = datetime.combine(holiday.day - timedelta(days=14), time(7, 0), tzinfo=LOCAL_TZ)
        approved = datetime.combine(holiday.day - timedelta(days=5), time(15, 0), tzinfo=LOCAL_TZ)
        greetings.append(
            Greeting(
                commune=ctx.commune,
                holiday_key=holiday.key,
                kind=holiday.kind,
                holiday_name=holiday.name,
                holiday_date=holiday.day,
                year=holiday.day.year,
                state=Greeting.State.APPROVED,
                title=texts.render(text.title, values),
                body=texts.render(text.body, values),
                signer=signer,
                approved_by=leader,
                approved_at=approved,
                show_until=holiday.day + timedelta(days=3),
                created_at=drafted,
                updated_at=approved,
            )
        )
    with _historical_timestamps(Greeting):
        Greeting.objects.bulk_create(greetings)
    BroadcastSlot.objects.bulk_create(
        [
            BroadcastSlot(
                commune=ctx.commune,
                greeting=g,
                hamlet=h,
                date=g.holiday_date - timedelta(days=1),
                time=time(17, 30),
            )
            for g in greetings
            for h in hamlets
        ]
    )
    ctx.count("thư chúc mừng ngày lễ", len(greetings))


# --- News posts -----------------------------------------------------------------------------

DEMO_POSTS = [
    (
        "ket-qua-khao-sat-hai-long",
        Post.Kind.PROGRESS,
        "Xã công bố kết quả khảo sát sự hài lòng của người dân",
        "Phần lớn người dân hài lòng với việc giải quyết thủ tục hành chính tại xã.",
        "Ủy ban nhân dân xã đã hoàn thành đợt khảo sát ý kiến người dân về việc giải quyết "
        "thủ tục hành chính, với phiếu trả lời trực tuyến và phiếu giấy ở tất cả các thôn.\n\n"
        "Kết quả chi tiết theo từng yếu tố và từng thôn được công khai trên trang của xã. "
        "Xã sẽ tiếp thu các ý kiến, nhất là về chỗ ngồi chờ và việc nộp hồ sơ qua mạng.",
        30,
    ),
    (
        "mot-nam-xay-dung-chinh-quyen-than-thien",
        Post.Kind.PROGRESS,
        "Một năm xây dựng mô hình chính quyền thân thiện",
        "Bộ phận một cửa trả kết quả đúng và sớm hẹn cho phần lớn hồ sơ.",
        "Sau một năm thực hiện mô hình, Bộ phận một cửa của xã đã tiếp nhận khoảng hai nghìn "
        "hồ sơ; hồ sơ trễ hạn đều có phiếu xin lỗi và thư xin lỗi của Chủ tịch UBND xã.\n\n"
        "Các gia đình đăng ký kết hôn, khai sinh được trao giấy tờ và thư chúc mừng; các gia "
        "đình có người mất được xã đến thăm viếng, chia buồn.",
        10,
    ),
    (
        "tinh-nguyen-vien-tai-bo-phan-mot-cua",
        Post.Kind.GOOD_PRACTICE,
        "Đoàn viên thanh niên hỗ trợ người dân tại Bộ phận một cửa",
        "Mỗi buổi làm việc đều có tình nguyện viên hướng dẫn nộp hồ sơ trực tuyến.",
        "Đoàn Thanh niên, Hội Phụ nữ, Hội Cựu chiến binh và Hội Nông dân xã cử người trực tại "
        "Bộ phận một cửa, hướng dẫn bà con kê khai tờ khai, cài đặt VNeID và nộp hồ sơ qua "
        "mạng.\n\nCách làm này giúp người cao tuổi đỡ phải đi lại nhiều lần.",
        120,
    ),
]


def _posts(ctx: DemoContext, *, now: datetime) -> None:
    for slug, kind, title, summary, body, days_ago in DEMO_POSTS:
        _post, created = Post.objects.get_or_create(
            commune=ctx.commune,
            slug=slug,
            defaults={
                "kind": kind,
                "title": title,
                "summary": summary,
                "body": body,
                "is_published": True,
                "published_at": datetime.combine(
                    local_day(now) - timedelta(days=days_ago), time(9, 0), tzinfo=LOCAL_TZ
                ),
            },
        )
        ctx.count("tin bài", created)


# --- The step -------------------------------------------------------------------------------


def letters_load(ctx: DemoContext) -> None:
    """A year of the commune's letters and what goes with them (see the module's docstring).
    The dossiers' letters are laid once: a commune that already has letters from its dossiers
    keeps them; contributors, greetings and posts are each added when missing."""
    fake = ctx.faker("letters.letters")
    now = timezone.now()
    accounts = {
        u.username: u for u in User.objects.filter(username__in=[LEADER_ACCOUNT, CLERK_ACCOUNT])
    }
    leader, clerk = accounts[LEADER_ACCOUNT], accounts[CLERK_ACCOUNT]
    writer = LetterWriter(ctx, author=clerk)
    drafts: list[Draft] = []
    from_dossiers = not Letter.objects.filter(
        commune=ctx.commune, source_dossier__isnull=False
    ).exists()
    if from_dossiers:
        drafts += _dossier_drafts(ctx, writer)
    days = WorkingDays(local_day(now))
    drafts += _contributors(ctx, fake, writer, author=clerk, now=now, days=days)
    _decide(fake, drafts, leader=leader, now=now, days=days)
    letters = [d.letter for d in drafts]
    _number(ctx, letters)
    with _historical_timestamps(Letter):
        Letter.objects.bulk_create(letters, batch_size=500)
    ctx.count("thư công", len(letters))
    _save_contributions(ctx)
    if from_dossiers:
        ctx.count(
            "lễ trao, thăm hỏi", _ceremonies(ctx, fake, drafts, author=clerk, now=now, days=days)
        )
    _greetings(ctx, leader=leader, now=now)
    _posts(ctx, now=now)
