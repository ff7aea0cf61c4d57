"""`manage.py load_demo`: Kiến Minh, the same people on every run, nothing new the second time."""

import re
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Count, F, Max, Min, Q
from django.utils import timezone

from thanthien.core import workdays
from thanthien.core.demo import DEMO_COMMUNE_CODE
from thanthien.notify.models import Message
from thanthien.notify.services import template_render
from thanthien.onestop import dossier_services
from thanthien.onestop.dossier_selectors import LOCAL_TZ, timeliness_counts, today_local
from thanthien.onestop.models import ApologySlip, Dossier, Procedure
from thanthien.people.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from thanthien.people.models import Official, User
from thanthien.places.models import Commune, Hamlet
from thanthien.portal.models import CommuneProfile, ConductItem, ReceptionSlot

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def small_demo(settings):
    """The tests of the demo's people load a small year of dossiers; one test loads it all."""
    settings.THANTHIEN_DEMO_DOSSIERS = 150


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def people(commune) -> list[tuple]:
    return list(
        Official.objects.filter(commune=commune)
        .order_by("badge_number")
        .values_list("full_name", "position__code", "phone", "phone_published", "badge_number")
    )


def database_state() -> dict[str, tuple]:
    """Per model: how many rows, and when the latest one was saved (a save moves it)."""
    state = {}
    for model in apps.get_models():
        fields = {f.name for f in model._meta.concrete_fields}
        latest = (
            model.objects.aggregate(latest=Max("updated_at"))["latest"]
            if "updated_at" in fields
            else None
        )
        state[model._meta.label] = (model.objects.count(), latest)
    return state


def test_demo_loads_kien_minh_with_its_officials_hamlets_and_reception():
    load_demo()
    commune = Commune.objects.get(code=DEMO_COMMUNE_CODE)
    assert commune.slug == "xa-kien-minh"
    assert commune.province.name == "Thành phố Hải Phòng"
    assert Commune.objects.count() > 3000

    officials = Official.objects.filter(commune=commune)
    assert officials.count() >= 20
    chairmen = officials.filter(position__code="chu-tich-ubnd")
    assert chairmen.count() == 1
    chairman = chairmen.get()
    assert chairman.phone_published
    assert re.fullmatch(r"0[35789]\d{8}", chairman.phone)
    for code in ("bi-thu", "pho-bi-thu", "chu-tich-hdnd", "pho-chu-tich-hdnd", "chu-tich-mttq"):
        assert officials.filter(position__code=code).exists(), code
    assert officials.filter(position__code="pho-chu-tich-ubnd").count() == 2
    assert all(
        re.fullmatch(r"0[35789]\d{8}", phone) for phone in officials.values_list("phone", flat=True)
    )
    assert officials.filter(phone_published=False).exists()
    assert officials.exclude(badge_number="").count() == officials.count()

    assert Hamlet.objects.filter(commune=commune, household_count__gt=0).count() >= 5
    profile = CommuneProfile.objects.get(commune=commune)
    assert re.fullmatch(r"0\d{9}", profile.hotline)
    assert profile.feedback_email and profile.reception_rule_lines()
    slots = ReceptionSlot.objects.filter(commune=commune)
    assert slots.filter(host=chairman).exists()
    assert ConductItem.objects.filter(commune=commune).count() == 13


def test_demo_prints_logins_that_work(client):
    output = load_demo()
    commune = Commune.objects.get(code=DEMO_COMMUNE_CODE)
    assert "http://127.0.0.1:8000/staff/" in output
    for account in DEMO_ACCOUNTS:
        assert f"tài khoản {account.username} / mật khẩu {DEMO_PASSWORD}" in output
        assert client.login(username=account.username, password=DEMO_PASSWORD), account.username
        client.logout()
    admin = User.objects.get(username="admin.kienminh")
    assert admin.commune == commune and admin.is_staff
    evaluator = User.objects.get(username="thamdinh.haiphong")
    assert evaluator.province == commune.province and evaluator.commune is None


def test_second_load_creates_and_changes_nothing():
    load_demo()
    commune = Commune.objects.get(code=DEMO_COMMUNE_CODE)
    before, before_people = database_state(), people(commune)

    output = load_demo()

    assert database_state() == before
    assert people(commune) == before_people
    assert "không thay đổi" in output


def test_demo_people_are_the_same_on_every_fresh_load():
    load_demo()
    commune = Commune.objects.get(code=DEMO_COMMUNE_CODE)
    first = people(commune)
    # The feedback demo's reception register, bookings and dialogues name the slots and officials.
    from thanthien.feedback.models import Dialogue, ReceptionBooking, ReceptionVisit

    for model in (ReceptionVisit, ReceptionBooking, Dialogue):
        model.objects.filter(commune=commune).delete()
    ReceptionSlot.objects.filter(commune=commune).delete()
    # The demo's ratings, letters and ceremonies name the dossiers and officials; the
    # dossiers (and their outbox) name the officials who handled them.
    from thanthien.letters.models import Ceremony, Contribution, Greeting, Letter
    from thanthien.surveys.models import KioskSession, Rating

    for model in (Rating, KioskSession, Ceremony, Contribution, Letter, Greeting):
        model.objects.filter(commune=commune).delete()
    Dossier.objects.filter(commune=commune).delete()
    Message.objects.filter(commune=commune).delete()
    Official.objects.filter(commune=commune).delete()

    load_demo()

    assert people(commune) == first


def test_demo_has_a_year_of_dossiers_late_rescheduled_by_post_and_their_messages(settings):
    settings.THANTHIEN_DEMO_DOSSIERS = 2000
    before = timezone.now()
    load_demo()
    commune = Commune.objects.get(code=DEMO_COMMUNE_CODE)
    dossiers = Dossier.objects.filter(commune=commune)
    total = dossiers.count()
    assert 1800 <= total <= 2000  # today's intake stops at the present
    span = dossiers.aggregate(first=Min("received_at"), last=Max("received_at"))
    assert before - timedelta(days=366) < span["first"] < before - timedelta(days=350)
    assert span["last"] <= timezone.now()

    # Common procedures dominate: certifications and civil status.
    fields = Counter(dossiers.values_list("procedure__field__code", flat=True))
    assert fields["chung-thuc"] + fields["ho-tich"] > 0.6 * total

    # Received on working days in office hours, due exactly by the platform's rule.
    received = list(
        dossiers.filter(supplement_completed_at__isnull=True).values_list(
            "received_at", "processing_days", "receipt_day", "due_date", "original_due_date"
        )
    )
    off = workdays.non_working_days(before.date() - timedelta(days=370), before.date())
    rule: dict = {}
    for at, days, receipt_day, due, original in received:
        local = at.astimezone(LOCAL_TZ)
        assert local.date() not in off and 7 * 60 + 30 <= local.hour * 60 + local.minute < 17 * 60
        key = (local.date(), local.time() < settings.THANTHIEN_RECEIPT_CUTOFF, days)
        if key not in rule:
            rule[key] = (workdays.receipt_day(at), workdays.due_date(at, days))
        assert (receipt_day, original or due) == rule[key]

    # Mostly early or on time, some late, a few rescheduled once.
    shares = timeliness_counts(dossiers)["current"]
    judged = sum(shares.values())
    assert shares["early"] + shares["on_time"] >= 0.8 * judged
    assert 0.03 * judged <= shares["late"] <= 0.15 * judged
    rescheduled = dossiers.filter(rescheduled_at__isnull=False)
    assert 0.015 * total <= rescheduled.count() <= 0.05 * total
    assert not rescheduled.filter(original_due_date__gte=F("due_date")).exists()
    per_dossier = rescheduled.annotate(n=Count("events", filter=Q(events__kind="reschedule")))
    assert set(per_dossier.values_list("n", flat=True)) == {1}
    slips = ApologySlip.objects.filter(commune=commune, kind="reschedule", state="issued")
    assert slips.count() == rescheduled.count()
    assert not slips.filter(number__isnull=True).exists()
    assert ApologySlip.objects.filter(commune=commune, kind="late").exists()

    # About one in ten goes back by post.
    post = dossiers.filter(return_method="post")
    assert 0.05 * total <= post.count() <= 0.16 * total
    assert post.filter(state="returned", events__note__contains="bưu chính").exists()
    assert set(dossiers.values_list("channel", flat=True)) == {"desk", "online", "post"}

    # The present: some still open, a few due soon, a few already late.
    today = today_local()
    running = dossiers.filter(state__in=["received", "in_progress"])
    assert running.filter(due_date__range=(today, workdays.add_working_days(today, 1))).exists()
    assert running.filter(due_date__lt=today).exists()

    # Their notifications, as the dispatcher left them.
    messages = Message.objects.filter(commune=commune)
    statuses = Counter(messages.values_list("status", flat=True))
    assert set(statuses) <= {"sent", "delivered", "failed", "queued"}
    assert 0 < statuses["failed"] < 0.05 * sum(statuses.values())
    told = set(
        dossiers.exclude(notify_channel="none").values_list("code", flat=True)
    )  # every applicant who chose a channel heard of the receipt
    keys = set(messages.filter(event="dossier_received").values_list("dedupe_key", flat=True))
    assert {f"{code}:dossier_received:1" for code in told} <= keys
    kept = messages.filter(body_purged_at__isnull=True, fallback_of__isnull=True).order_by(
        "-created_at"
    )
    for message in kept[:20]:
        text = template_render(
            commune=commune, event=message.event, channel=message.channel, context=message.context
        )
        assert (message.subject, message.body) == (text.subject, text.body)
    # Bodies past the retention period are blanked, as the dispatcher does.
    old = messages.filter(updated_at__lt=timezone.now() - timedelta(days=31))
    assert old.exists() and not old.exclude(body="").exists()


def test_the_desk_numbers_on_after_the_demo_dossiers():
    load_demo()
    commune = Commune.objects.get(code=DEMO_COMMUNE_CODE)
    clerk = User.objects.get(username="canbo.kienminh")
    now = timezone.now()
    day = now.astimezone(LOCAL_TZ).date()
    today_codes = Dossier.objects.filter(commune=commune, code__contains=f"-{day:%y%m%d}-")
    dossier = dossier_services.dossier_receive(
        actor=clerk,
        procedure=Procedure.objects.filter(commune=commune, code="2.000815").get(),
        applicant_name="Nguyễn Văn Mới",
        applicant_phone="0912345678",
        consent_sms=True,
        received_at=now,
    )
    assert dossier.code == f"{commune.code}-{day:%y%m%d}-{today_codes.count():04d}"


def test_demo_rates_most_results_once_each_by_the_official_who_handled_them():
    from thanthien.surveys.models import Counter as DeskCounter
    from thanthien.surveys.models import KioskSession, Rating

    load_demo()
    commune = Commune.objects.get(code=DEMO_COMMUNE_CODE)
    assert DeskCounter.objects.filter(commune=commune).count() == 3
    ratings = Rating.objects.filter(commune=commune)
    rated = ratings.filter(dossier__isnull=False)
    results = Dossier.objects.filter(commune=commune, state__in=["result_ready", "returned"])
    assert 0.6 * results.count() <= rated.count() <= results.count()
    # One rating per dossier, only on dossiers with a result, naming who handled them.
    assert rated.values("dossier").distinct().count() == rated.count()
    assert not rated.exclude(dossier__state__in=["result_ready", "returned"]).exists()
    handled = rated.filter(dossier__handling_official__isnull=False)
    assert handled.exists()
    assert not handled.exclude(official=F("dossier__handling_official")).exists()
    assert not rated.exclude(procedure=F("dossier__procedure")).exists()
    # Mostly satisfied; reasons and the conduct answers come with the low scores only.
    scores = Counter(ratings.values_list("service_score", flat=True))
    total = sum(scores.values())
    assert scores[4] + scores[3] >= 0.6 * total and 0 < scores[1] <= 0.2 * total
    low = ratings.filter(Q(service_score__lte=2) | Q(official_score__lte=2))
    assert low.exclude(reasons=[]).exists() and low.exclude(conduct={}).exists()
    assert not ratings.exclude(pk__in=low).exclude(reasons=[]).exists()
    assert not ratings.exclude(pk__in=low).exclude(conduct={}).exists()
    assert set(ratings.values_list("channel", flat=True)) == {"qr", "link", "kiosk"}
    kiosk = ratings.filter(channel="kiosk")
    assert not kiosk.filter(Q(kiosk_session__isnull=True) | Q(counter__isnull=True)).exists()
    assert kiosk.filter(dossier__isnull=True).exists()
    assert not KioskSession.objects.filter(commune=commune, ended_at__isnull=True).exists()
    assert not ratings.filter(submitted_at__gt=timezone.now()).exists()


def test_demo_campaign_is_closed_public_and_its_answers_pass_the_questionnaire():
    from thanthien.surveys.definitions import clean_answers
    from thanthien.surveys.models import Campaign, PaperForm, Response, ResponseScore
    from thanthien.surveys.response_services import (
        campaign_option_sources,
        campaign_questionnaire,
        option_values,
    )
    from thanthien.surveys.results import campaign_results

    load_demo()
    commune = Commune.objects.get(code=DEMO_COMMUNE_CODE)
    campaign = Campaign.objects.get(commune=commune, questionnaire_id="sipas-xa")
    assert campaign.state == "closed" and campaign.results_public
    assert campaign.ends_on < timezone.localdate()
    hamlets = set(Hamlet.objects.filter(commune=commune).values_list("pk", flat=True))
    assert {int(pk) for pk in campaign.target_per_hamlet} == hamlets
    responses = Response.objects.filter(campaign=campaign)
    assert 300 <= responses.count() <= 600
    assert set(responses.values_list("hamlet_id", flat=True)) == hamlets
    assert set(responses.values_list("channel", flat=True)) == {"online", "paper"}
    paper = responses.filter(channel="paper")
    assert not paper.filter(Q(paper_form__isnull=True) | Q(entered_by__isnull=True)).exists()
    assert PaperForm.objects.filter(campaign=campaign).count() > paper.count()  # some unused
    days = responses.aggregate(first=Min("submitted_at"), last=Max("submitted_at"))
    assert days["first"].astimezone(LOCAL_TZ).date() >= campaign.starts_on
    assert days["last"].astimezone(LOCAL_TZ).date() <= campaign.ends_on

    questionnaire = campaign_questionnaire(campaign)
    choices = option_values(campaign_option_sources(campaign))
    shown_feedback = 0
    for answers in responses.values_list("answers", flat=True):
        check = clean_answers(questionnaire, answers, choices=choices)
        assert not check.errors and not check.dropped and check.values == answers
        shown_feedback += "feedback_satisfaction" in answers
    assert 0 < shown_feedback < responses.count()  # the skip logic took both ways
    scores = ResponseScore.objects.filter(campaign=campaign)
    # Five required satisfaction questions, and the feedback one where it was shown.
    assert scores.count() == 5 * responses.count() + shown_feedback

    results = campaign_results(campaign)
    assert results.responses == responses.count()


def test_a_demo_response_holds_what_response_submit_writes_for_its_answers():
    from thanthien.surveys.models import Campaign, Response, ResponseScore
    from thanthien.surveys.response_services import response_submit

    load_demo()
    campaign = Campaign.objects.get(questionnaire_id="sipas-xa")
    Campaign.objects.filter(pk=campaign.pk).update(state="open")
    campaign.refresh_from_db()
    fields = ("question_id", "factor", "key", "hamlet_id", "channel", "submitted_at")
    for demo in Response.objects.filter(campaign=campaign, channel="online").order_by("pk")[:5]:
        submitted = response_submit(
            campaign=campaign,
            answers=demo.answers,
            channel=demo.channel,
            hamlet=demo.hamlet,
            submitted_at=demo.submitted_at,
        )
        submitted.refresh_from_db()
        assert submitted.answers == demo.answers
        assert (submitted.hamlet_id, submitted.commune_id) == (demo.hamlet_id, demo.commune_id)
        ours = ResponseScore.objects.filter(response=demo).order_by("question_id")
        theirs = ResponseScore.objects.filter(response=submitted).order_by("question_id")
        assert list(ours.values_list(*fields)) == list(theirs.values_list(*fields))


def test_demo_letters_are_numbered_once_each_and_come_with_their_ceremonies():
    from thanthien.letters.models import (
        Ceremony,
        Contribution,
        Greeting,
        Invitation,
        Letter,
        YearlyMeeting,
    )
    from thanthien.portal.posts import Post

    load_demo()
    commune = Commune.objects.get(code=DEMO_COMMUNE_CODE)
    letters = Letter.objects.filter(commune=commune)
    numbered = letters.filter(state__in=["approved", "delivered"])
    assert numbered.count() >= 0.8 * letters.count() > 0
    keys = list(numbered.values_list("year", "number"))
    assert None not in {n for _y, n in keys} and len(set(keys)) == len(keys)
    for year in {y for y, _n in keys}:  # numbered 1, 2, 3… in the order of approval
        in_year = numbered.filter(year=year).order_by("approved_at", "pk")
        assert list(in_year.values_list("number", flat=True)) == list(range(1, in_year.count() + 1))
    delivered = letters.filter(state="delivered")
    assert delivered.exists() and not delivered.filter(delivery_method="").exists()
    assert not delivered.filter(delivered_at__lt=F("approved_at")).exists()
    # From the dossiers: what the letters' services draft for them, with the same text.
    from_dossiers = letters.filter(source_dossier__isnull=False)
    # One apology letter per dossier with an issued slip (late or rescheduled).
    assert from_dossiers.filter(occasion="apology").count() == (
        ApologySlip.objects.filter(commune=commune, state="issued")
        .values("dossier")
        .distinct()
        .count()
    )
    for letter in from_dossiers.select_related("source_dossier")[:20]:
        assert letter.source_dossier.code in letter.event_details["dossier_code"]
        assert letter.recipient_name == letter.source_dossier.applicant_name
        assert "{" not in letter.body and letter.signer_id
    # Births and deaths name the child and the deceased: no blank is left to fill.
    assert from_dossiers.filter(occasion__in=["birth", "death"]).exists()
    assert not from_dossiers.filter(body__contains="…………").exists()
    ceremonies = Ceremony.objects.filter(commune=commune)
    congratulated = from_dossiers.exclude(occasion="apology")
    assert ceremonies.count() == congratulated.count()
    assert not ceremonies.filter(letters__isnull=True).exists()
    assert ceremonies.filter(state="done").exists()

    contributions = Contribution.objects.filter(commune=commune)
    assert contributions.exists() and not contributions.filter(letter__isnull=True).exists()
    assert set(contributions.values_list("letter__occasion", flat=True)) == {"thanks"}
    meeting = YearlyMeeting.objects.get(commune=commune)
    invited = Invitation.objects.filter(meeting=meeting)
    assert invited.filter(attended=True).exists() and not invited.filter(attended=None).exists()
    greetings = Greeting.objects.filter(commune=commune)
    assert greetings.count() >= 4 and set(greetings.values_list("state", flat=True)) == {"approved"}
    assert Post.objects.filter(commune=commune, is_published=True).count() >= 3
