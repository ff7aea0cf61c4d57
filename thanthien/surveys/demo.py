"""Demo data of the surveys: a year of ratings on the demo dossiers, the one-stop office's
counters and kiosk, and one finished SIPAS campaign of Kiến Minh with its responses.

Both steps are laid once and in bulk (like the dossiers): a commune that already has ratings,
or already has the demo campaign, keeps them as they are. Every value comes from the step's
seeded Faker, so a fresh load of the same dossiers gives the same ratings.
"""

from __future__ import annotations

import base64
import json
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from faker import Faker

from thanthien.core import workdays
from thanthien.core.demo import DemoContext, mobile_number
from thanthien.onestop.dossier_selectors import LOCAL_TZ
from thanthien.onestop.generate import _historical_timestamps
from thanthien.onestop.models import Dossier
from thanthien.people.demo import HCC
from thanthien.people.models import Office, Official, User
from thanthien.places.models import Hamlet
from thanthien.surveys.definitions import (
    SHIPPED_DIR,
    Questionnaire,
    clean_answers,
    parse_definition,
    shipped_questionnaire,
)
from thanthien.surveys.models import (
    Campaign,
    Counter,
    KioskSession,
    PaperForm,
    Rating,
    Response,
    ResponseChannel,
    ResponseScore,
    Score,
)
from thanthien.surveys.paper_selectors import form_number
from thanthien.surveys.rating_services import hash_token
from thanthien.surveys.response_services import campaign_option_sources, option_values

# --- Ratings ----------------------------------------------------------------------------------

DEMO_COUNTERS = [
    (1, "Quầy 1 – Tư pháp, hộ tịch, chứng thực"),
    (2, "Quầy 2 – Đất đai, xây dựng, môi trường"),
    (3, "Quầy 3 – Lao động, thương binh, xã hội và các lĩnh vực khác"),
]
COUNTER_OFFICE = HCC  # the counters stand in the public-service centre
# Which counter receives a procedure's field (the rest go to counter 3).
FIELD_COUNTERS = {"ho-tich": 1, "chung-thuc": 1, "tu-phap-khac": 1, "dat-dai": 2}
RATED_SHARE = 0.8  # most residents rate a result they received
# Service scores (4 very satisfied … 1 dissatisfied): on time, and late.
ON_TIME_WEIGHTS = (40, 36, 17, 7)
LATE_WEIGHTS = (12, 30, 33, 25)
SCORES = (Score.VERY_SATISFIED, Score.SATISFIED, Score.NEUTRAL, Score.DISSATISFIED)
OTHER_REASONS = [
    "Phải chờ lâu vì đông người",
    "Không có chỗ để xe",
    "Chưa được báo trước lịch trả kết quả",
]
COMMENTS = [
    "Cán bộ hướng dẫn tận tình, cảm ơn xã.",
    "Nên có thêm ghế ngồi chờ ở Bộ phận một cửa.",
    "Thủ tục nhanh gọn, tôi rất hài lòng.",
    "Mong xã gửi tin nhắn báo trước khi có kết quả.",
    "Nên niêm yết rõ hơn phí, lệ phí.",
]
KIOSK_ONLY_PER_MONTH = 12  # residents who ask at a counter and rate it without a dossier


def _counters(ctx: DemoContext) -> dict[int, Counter]:
    office = Office.objects.filter(commune=ctx.commune, name=COUNTER_OFFICE).first()
    counters = {}
    for number, name in DEMO_COUNTERS:
        counter, created = Counter.objects.get_or_create(
            commune=ctx.commune, number=number, defaults={"name": name, "office": office}
        )
        ctx.count("quầy tiếp nhận", created)
        counters[number] = counter
    return counters


def _pick(fake: Faker, weights) -> Score:
    return fake.random.choices(SCORES, weights=weights)[0]


def _near(fake: Faker, score: int) -> int:
    """The official's score, close to the service's."""
    return max(1, min(4, score + fake.random.choice((0, 0, 0, 1, -1))))


def _low_details(fake: Faker, *, late: bool, worst: int) -> dict:
    """Reasons and the C1 conduct answers a resident gives at neutral or below."""
    pool = ["unclear_guidance", "came_back_several_times", "manner", "extra_papers", "other"]
    reasons = ["too_slow"] if late else []
    for code in fake.random.sample(pool, k=fake.random.choice((1, 1, 2))):
        if code not in reasons and len(reasons) < 2:
            reasons.append(code)
    no_chance = 45 if worst == Score.DISSATISFIED else 12
    conduct = {
        group: "no" if fake.boolean(chance_of_getting_true=no_chance) else "yes"
        for group in ("xin", "luon", "khong")
    }
    return {
        "reasons": reasons,
        "reason_other": fake.random_element(OTHER_REASONS) if "other" in reasons else "",
        "conduct": conduct,
    }


def _rating_values(fake: Faker, *, late: bool) -> dict:
    service = _pick(fake, LATE_WEIGHTS if late else ON_TIME_WEIGHTS)
    official = _near(fake, service) if fake.boolean(chance_of_getting_true=85) else None
    values = {"service_score": service, "official_score": official}
    worst = min(s for s in (service, official) if s is not None)
    if worst <= Score.NEUTRAL:
        values.update(_low_details(fake, late=late, worst=worst))
    if fake.boolean(chance_of_getting_true=12):
        values["comment"] = fake.random_element(COMMENTS)
    return values


def _month_sessions(
    fake: Faker, *, ctx: DemoContext, counters, first: datetime, now: datetime, desk, signer
) -> dict[tuple[int, int, int], KioskSession]:
    """One kiosk session per counter and month, ended at the month's end (all in the past)."""
    sessions = {}
    month = first.astimezone(LOCAL_TZ).date().replace(day=1)
    while month <= now.astimezone(LOCAL_TZ).date():
        following = (month + timedelta(days=32)).replace(day=1)
        start = datetime.combine(month, time(7, 25), tzinfo=LOCAL_TZ)
        end = min(datetime.combine(following, time(7, 0), tzinfo=LOCAL_TZ), now)
        for number, counter in counters.items():
            sessions[(month.year, month.month, number)] = KioskSession(
                commune=ctx.commune,
                counter=counter,
                official_id=fake.random_element(desk[number]),
                signed_in_by=signer,
                signed_in_at=start,
                ended_at=end,
                created_at=start,
                updated_at=end,
                # The device token was a random secret; only its hash was ever kept.
                token_hash=hash_token(f"{fake.uuid4()}{fake.uuid4()}"),
            )
        month = following
    with _historical_timestamps(KioskSession):
        KioskSession.objects.bulk_create(sessions.values())
    return sessions


def ratings_load(ctx: DemoContext) -> None:
    """Three counters, a kiosk session per counter and month, and a rating on most dossiers
    that reached a result (QR on the receipt, the link in the message, or the kiosk), plus
    kiosk ratings without a dossier. The official rated is the dossier's handling official."""
    counters = _counters(ctx)
    if Rating.objects.filter(commune=ctx.commune).exists():
        ctx.count("đánh giá hài lòng", 0)
        return
    fake = ctx.faker("surveys.ratings")
    now = timezone.now()
    dossiers = list(
        Dossier.objects.filter(
            commune=ctx.commune, state__in=[Dossier.State.RESULT_READY, Dossier.State.RETURNED]
        )
        .order_by("received_at", "pk")
        .values(
            "pk",
            "procedure_id",
            "procedure__field__code",
            "handling_official_id",
            "created_by_id",
            "result_ready_at",
            "result_ready_day",
            "returned_at",
            "due_date",
            "applicant_phone",
            "notify_channel",
            "received_at",
        )
    )
    if not dossiers:
        ctx.count("đánh giá hài lòng", 0)
        return
    official_of_user = dict(
        User.objects.filter(commune=ctx.commune, official__isnull=False).values_list(
            "pk", "official_id"
        )
    )
    officials: dict[str, Official] = ctx.records["officials"]
    desk = {
        1: [officials["civil_status_1"].pk, officials["civil_status_2"].pk],
        2: [officials["land_officer_1"].pk, officials["land_officer_2"].pk],
        3: [officials["centre_specialist"].pk, officials["culture_officer_1"].pk],
    }
    signer = User.objects.get(username="canbo.kienminh")
    first = min(d["received_at"] for d in dossiers)
    sessions = _month_sessions(
        fake, ctx=ctx, counters=counters, first=first, now=now, desk=desk, signer=signer
    )

    def session_at(moment: datetime, number: int) -> KioskSession:
        local = moment.astimezone(LOCAL_TZ)
        return sessions[(local.year, local.month, number)]

    off = workdays.non_working_days(first.astimezone(LOCAL_TZ).date(), now.date())
    ratings = []
    for dossier in dossiers:
        if not fake.boolean(chance_of_getting_true=int(RATED_SHARE * 100)):
            continue
        ready = dossier["result_ready_at"] or dossier["returned_at"]
        late = bool(
            dossier["result_ready_day"] and dossier["result_ready_day"] > dossier["due_date"]
        )
        values = _rating_values(fake, late=late)
        number = FIELD_COUNTERS.get(dossier["procedure__field__code"], 3)
        channels = ["qr", "qr", "link"] if dossier["notify_channel"] != "none" else ["qr"]
        if dossier["returned_at"] is not None:
            channels += ["kiosk", "kiosk"]
        channel = fake.random_element(channels)
        session = None
        if channel == Rating.Channel.KIOSK:
            at = dossier["returned_at"] + timedelta(seconds=fake.random_int(40, 300))
            session = session_at(at, number)
        else:
            at = ready + timedelta(minutes=fake.random_int(20, 72 * 60))
        if at > now:
            at = now - timedelta(minutes=fake.random_int(1, 30))
        served = dossier["handling_official_id"] or official_of_user.get(dossier["created_by_id"])
        phone = ""
        if values["service_score"] <= Score.NEUTRAL and fake.boolean(chance_of_getting_true=30):
            phone = dossier["applicant_phone"] or mobile_number(fake)
        ratings.append(
            Rating(
                commune=ctx.commune,
                dossier_id=dossier["pk"],
                procedure_id=dossier["procedure_id"],
                official_id=served,
                counter=session.counter if session else None,
                kiosk_session=session,
                channel=channel,
                submitted_at=at,
                contact_consent=bool(phone),
                contact_phone=phone,
                created_at=at,
                updated_at=at,
                **values,
            )
        )
    # Kiosk ratings without a dossier: a question answered, a form filled in at the counter.
    for (year, month, _number), session in sessions.items():
        for _ in range(KIOSK_ONLY_PER_MONTH // len(counters)):
            day = datetime(year, month, fake.random_int(1, 28), tzinfo=LOCAL_TZ).date()
            if day in off:
                continue
            at = datetime.combine(
                day, time(fake.random_int(8, 16), fake.random_int(0, 59)), tzinfo=LOCAL_TZ
            )
            if at >= now or at < session.signed_in_at:
                continue
            values = _rating_values(fake, late=False)
            ratings.append(
                Rating(
                    commune=ctx.commune,
                    official_id=session.official_id,
                    counter=session.counter,
                    kiosk_session=session,
                    channel=Rating.Channel.KIOSK,
                    submitted_at=at,
                    created_at=at,
                    updated_at=at,
                    **values,
                )
            )
    with _historical_timestamps(Rating, KioskSession):
        Rating.objects.bulk_create(ratings, batch_size=500)
    ctx.count("phiên máy đánh giá", len(sessions))
    ctx.count("đánh giá hài lòng", len(ratings))


# --- The SIPAS campaign -----------------------------------------------------------------------

CAMPAIGN_QUESTIONNAIRE = ("sipas-xa", 1)
CAMPAIGN_DAYS = 30
CAMPAIGN_ENDED_DAYS_AGO = 60
CAMPAIGN_TARGET = Decimal("0.85")
LEADER_ACCOUNT = "lanhdao.kienminh"
CLERK_ACCOUNT = "canbo.kienminh"
PAPER_SHARE = 55  # per cent of the responses collected on paper, typed in by the clerk
# A respondent's mood moves every satisfaction answer (likert 4 very satisfied … 1).
MOOD_WEIGHTS = {"pleased": 45, "content": 35, "mixed": 14, "unhappy": 6}
# Weights of the points 1 (dissatisfied), 2, 3 and 4 (very satisfied), by mood.
MOOD_POINTS = {
    "pleased": (2, 8, 45, 45),
    "content": (3, 12, 60, 25),
    "mixed": (10, 35, 40, 15),
    "unhappy": (35, 40, 20, 5),
}
GOOD_PERCEPTION = {"yes", "as_listed", "on_time", "early", "correct", "easy", "no_fee", "no"}
DEMO_CAMPAIGN_COMMENTS = [
    "Cán bộ một cửa nhiệt tình, hướng dẫn dễ hiểu.",
    "Đề nghị xã nhận hồ sơ cả sáng thứ Bảy.",
    "Nộp qua mạng còn khó với người lớn tuổi, mong có người hướng dẫn.",
    "Kết quả trả đúng hẹn, tôi hài lòng.",
    "Phòng chờ hơi chật vào những ngày đông người.",
]


def campaign_title(year: int, quarter: int) -> str:
    return f"Khảo sát sự hài lòng về giải quyết thủ tục hành chính, quý {quarter}/{year}"


def _likert(fake: Faker, mood: str) -> int:
    return fake.random.choices((1, 2, 3, 4), weights=MOOD_POINTS[mood])[0]


def demo_answers(
    fake: Faker, questionnaire: Questionnaire, *, choices: dict[str, list[str]], hamlet: str
) -> dict:
    """One respondent's answers, walking the questionnaire so skip logic holds: a question
    is answered only when its section and its `show_if` are shown by the answers so far."""
    mood = fake.random.choices(list(MOOD_WEIGHTS), weights=list(MOOD_WEIGHTS.values()))[0]
    good = {"pleased": 90, "content": 75, "mixed": 45, "unhappy": 20}[mood]
    answers: dict = {}
    for section in questionnaire.sections:
        if section.show_if is not None and not section.show_if.holds(answers):
            continue
        for question in section.questions:
            if question.show_if is not None and not question.show_if.holds(answers):
                continue
            if not question.required and fake.boolean(chance_of_getting_true=6):
                continue  # left blank
            if question.options_from == "hamlets":
                answers[question.id] = hamlet
            elif question.options_from:
                answers[question.id] = fake.random_element(choices[question.options_from])
            elif question.type == "likert":
                answers[question.id] = _likert(fake, mood)
            elif question.type == "single":
                values = list(question.option_values)
                if question.id == "feedback_given":
                    answers[question.id] = (
                        "yes" if fake.boolean(chance_of_getting_true=30) else "no"
                    )
                    continue
                favoured = [v for v in values if v in GOOD_PERCEPTION]
                if favoured and fake.boolean(chance_of_getting_true=good):
                    answers[question.id] = favoured[0]
                else:
                    answers[question.id] = fake.random_element(values)
            elif question.type == "multiple":
                values = list(question.option_values)
                limit = min(question.max_choices or 2, len(values))
                answers[question.id] = fake.random.sample(values, k=fake.random_int(1, limit))
            elif question.type == "number":
                low, high = int(question.min or 0), int(question.max or 10)
                answers[question.id] = min(high, max(low, fake.random.choice((1, 1, 1, 2, 2, 3))))
            elif question.type == "text" and fake.boolean(chance_of_getting_true=15):
                answers[question.id] = fake.random_element(DEMO_CAMPAIGN_COMMENTS)
    return answers


def score_rows(
    *, response: Response, questionnaire: Questionnaire, visible, values: dict
) -> list[ResponseScore]:
    """The ResponseScore rows of a response, as `response_submit` writes them."""
    rows = []
    for question in visible:
        if question.aspect != "satisfaction" or question.id not in values:
            continue
        key = question.index_key(values[question.id])
        if key is None:
            continue
        rows.append(
            ResponseScore(
                response=response,
                campaign_id=response.campaign_id,
                hamlet_id=response.hamlet_id,
                channel=response.channel,
                submitted_at=response.submitted_at,
                question_id=question.id,
                factor=question.factor or "",
                key=key,
            )
        )
    return rows


def _public_code(fake: Faker) -> str:
    code = base64.urlsafe_b64encode(fake.random.getrandbits(48).to_bytes(6, "big")).decode()
    while Campaign.objects.filter(public_code=code).exists():
        code = base64.urlsafe_b64encode(fake.random.getrandbits(48).to_bytes(6, "big")).decode()
    return code


def campaign_load(ctx: DemoContext) -> None:
    """One finished SIPAS campaign of Kiến Minh (the shipped questionnaire `sipas-xa`), with
    targets per hamlet and a few hundred responses from every hamlet, online and on numbered
    paper forms typed in by the clerk. Results are public. Laid once."""
    fake = ctx.faker("surveys.campaign")
    today = timezone.localdate()
    ends_on = today - timedelta(days=CAMPAIGN_ENDED_DAYS_AGO)
    starts_on = ends_on - timedelta(days=CAMPAIGN_DAYS - 1)
    quarter = (starts_on.month - 1) // 3 + 1
    qid, version = CAMPAIGN_QUESTIONNAIRE
    if Campaign.objects.filter(commune=ctx.commune, questionnaire_id=qid).exists():
        ctx.count("đợt khảo sát", 0)
        return
    shipped = shipped_questionnaire(qid, version)
    definition = json.loads((SHIPPED_DIR / shipped.source).read_text(encoding="utf-8"))
    questionnaire = parse_definition(definition)
    hamlets = list(Hamlet.objects.filter(commune=ctx.commune).order_by("order", "name"))
    accounts = {
        u.username: u for u in User.objects.filter(username__in=[LEADER_ACCOUNT, CLERK_ACCOUNT])
    }
    targets = {str(h.pk): 30 + 5 * fake.random_int(0, 4) for h in hamlets}
    campaign = Campaign.objects.create(
        commune=ctx.commune,
        title=campaign_title(starts_on.year, quarter),
        questionnaire_id=qid,
        questionnaire_version=version,
        definition=definition,
        starts_on=starts_on,
        ends_on=ends_on,
        channels=[ResponseChannel.ONLINE, ResponseChannel.PAPER],
        target_per_hamlet=targets,
        satisfaction_target=CAMPAIGN_TARGET,
        state=Campaign.State.CLOSED,
        public_code=_public_code(fake),
        results_public=True,
        created_by=accounts[LEADER_ACCOUNT],
    )
    choices = option_values(campaign_option_sources(campaign))
    printed_at = datetime.combine(starts_on - timedelta(days=2), time(9), tzinfo=LOCAL_TZ)
    responses: list[Response] = []
    checks = []
    forms: list[PaperForm] = []
    for hamlet in hamlets:
        # Most hamlets reach their target, a few fall a little short.
        count = targets[str(hamlet.pk)] + fake.random_int(-8, 6)
        for _ in range(count):
            answers = demo_answers(fake, questionnaire, choices=choices, hamlet=str(hamlet.pk))
            check = clean_answers(questionnaire, answers, choices=choices)
            if check.errors:  # never with these answers; a guard against a changed questionnaire
                raise ValueError(f"demo answers refused: {check.errors}")
            day = starts_on + timedelta(days=fake.random_int(0, CAMPAIGN_DAYS - 1))
            at = datetime.combine(
                day, time(fake.random_int(7, 20), fake.random_int(0, 59)), tzinfo=LOCAL_TZ
            )
            paper = fake.boolean(chance_of_getting_true=PAPER_SHARE)
            form = None
            if paper:
                form = PaperForm(
                    commune=ctx.commune,
                    campaign=campaign,
                    number=form_number(campaign, len(forms) + 1),
                    hamlet=hamlet,
                    printed_at=printed_at,
                    created_at=printed_at,
                    updated_at=printed_at,
                )
                forms.append(form)
                # Typed in during office hours, a few days after it was filled in.
                at = datetime.combine(
                    min(day + timedelta(days=fake.random_int(1, 4)), ends_on),
                    time(fake.random_int(8, 16), fake.random_int(0, 59)),
                    tzinfo=LOCAL_TZ,
                )
            responses.append(
                Response(
                    commune=ctx.commune,
                    campaign=campaign,
                    channel=ResponseChannel.PAPER if paper else ResponseChannel.ONLINE,
                    hamlet=hamlet,
                    answers=check.values,
                    submitted_at=at,
                    entered_by=accounts[CLERK_ACCOUNT] if paper else None,
                    paper_form=form,
                    created_at=at,
                    updated_at=at,
                )
            )
            checks.append(check)
    # Some printed copies never came back.
    spare = [
        PaperForm(
            commune=ctx.commune,
            campaign=campaign,
            number=form_number(campaign, len(forms) + n),
            printed_at=printed_at,
            created_at=printed_at,
            updated_at=printed_at,
        )
        for n in range(1, 21)
    ]
    with _historical_timestamps(PaperForm, Response):
        PaperForm.objects.bulk_create(forms + spare, batch_size=500)
        Response.objects.bulk_create(responses, batch_size=500)
    scores = [
        row
        for response, check in zip(responses, checks, strict=True)
        for row in score_rows(
            response=response,
            questionnaire=questionnaire,
            visible=check.visible,
            values=check.values,
        )
    ]
    ResponseScore.objects.bulk_create(scores, batch_size=1000)
    ctx.records["campaign"] = campaign
    ctx.count("đợt khảo sát", 1)
    ctx.count("phiếu khảo sát giấy", len(forms) + len(spare))
    ctx.count("phiếu trả lời", len(responses))
