"""The demo's year of feedback in Kiến Minh: counts, invariants, and a second run that
changes nothing."""

from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count, Max, Q
from django.utils import timezone

from thanthien.core.demo import DEMO_COMMUNE_CODE
from thanthien.core.workdays import LOCAL_TZ
from thanthien.feedback import complaint_deadlines
from thanthien.feedback.dashboard import default_period, feedback_dashboard
from thanthien.feedback.items import OPEN_STATES, Action, Source, Status
from thanthien.feedback.models import (
    ChannelAccount,
    Complaint,
    ComplaintExtension,
    Dialogue,
    DialogueCommitment,
    DialogueQuestion,
    FeedbackEvent,
    FeedbackItem,
    ReceptionBooking,
    ReceptionVisit,
    ReplyTemplate,
    Sequence,
)
from thanthien.people.models import User
from thanthien.places.models import Commune

pytestmark = pytest.mark.django_db

FEEDBACK_MODELS = (
    FeedbackItem,
    FeedbackEvent,
    Sequence,
    Complaint,
    ComplaintExtension,
    ReceptionBooking,
    ReceptionVisit,
    Dialogue,
    DialogueQuestion,
    DialogueCommitment,
    ReplyTemplate,
    ChannelAccount,
)


@pytest.fixture(autouse=True)
def small_demo(settings):
    """A small year of dossiers (they are tested elsewhere); the full year of feedback."""
    settings.THANTHIEN_DEMO_DOSSIERS = 60


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def feedback_state() -> dict[str, tuple]:
    return {
        model._meta.label: (
            model.objects.count(),
            model.objects.aggregate(latest=Max("updated_at"))["latest"],
        )
        for model in FEEDBACK_MODELS
    }


def test_demo_year_of_feedback_holds_together_and_loads_once():
    load_demo()
    commune = Commune.objects.get(code=DEMO_COMMUNE_CODE)
    now = timezone.now()
    today = now.astimezone(LOCAL_TZ).date()
    items = FeedbackItem.objects.filter(commune=commune)

    # About 600 items over the past year, by every channel but the bare API.
    assert 550 <= items.count() <= 650
    sources = Counter(items.values_list("source", flat=True))
    assert set(sources) == set(Source.values) - {Source.API}
    oldest = items.order_by("received_at").first().received_at
    assert now - oldest > timedelta(days=300)
    assert items.filter(received_at__gt=now).count() == 0

    qr = items.filter(source=Source.QR)
    assert not qr.filter(counter__isnull=True).exists()
    assert (
        qr.filter(procedure__isnull=False).exists()
        or not qr.filter(category="thu_tuc_hanh_chinh").exists()
    )

    # Codes in the intake format, unique, and the register continues after them.
    for code, received_at in items.values_list("code", "received_at"):
        year = received_at.astimezone(LOCAL_TZ).year
        assert code.startswith(f"PA-{commune.code}-{year % 100:02d}-"), code
    for row in Sequence.objects.filter(commune=commune, name="feedback"):
        numbers = [
            int(code.rsplit("-", 1)[1])
            for code in items.filter(
                code__startswith=f"PA-{commune.code}-{row.year % 100:02d}-"
            ).values_list("code", flat=True)
        ]
        assert row.last == max(numbers) == len(numbers)

    # Statuses: most answered, some open (a few overdue), ~20 merged, a few redirected.
    statuses = Counter(items.values_list("status", flat=True))
    answered = statuses[Status.ANSWERED] + statuses[Status.CLOSED]
    assert answered > 0.75 * items.count()
    assert 0 < sum(statuses[s] for s in OPEN_STATES) < 0.15 * items.count()
    assert items.filter(status__in=OPEN_STATES, due_date__lt=today).exists()
    assert statuses[Status.MERGED] == 20
    assert 2 <= statuses[Status.REDIRECTED] <= 10
    for item in items.filter(status=Status.MERGED).select_related("duplicate_of"):
        main = item.duplicate_of
        assert main is not None and main.status not in (Status.MERGED, Status.REDIRECTED)
        assert main.received_at <= item.received_at
    assert not items.exclude(status=Status.MERGED).filter(duplicate_of__isnull=False).exists()
    assert not items.filter(status=Status.REDIRECTED, redirect_reason="").exists()

    # Answered items: answered after receipt, mostly on time, some late.
    done = items.filter(status__in=[Status.ANSWERED, Status.CLOSED])
    assert not done.filter(answered_at__isnull=True).exists()
    assert not done.filter(answer="").exists()
    assert not items.filter(answered_at__isnull=True).exclude(answer="").exists()
    assert not items.filter(is_published=False).exclude(public_summary="").exists()
    assert (
        not items.exclude(status__in=[Status.ANSWERED, Status.CLOSED])
        .filter(answered_at__isnull=False)
        .exists()
    )
    on_time = late = 0
    for received, answered_at, due in done.values_list("received_at", "answered_at", "due_date"):
        assert answered_at >= received
        if answered_at.astimezone(LOCAL_TZ).date() <= due:
            on_time += 1
        else:
            late += 1
    assert on_time > 4 * late > 0
    assert not items.filter(status=Status.CLOSED, closed_at__isnull=True).exists()
    assert not items.exclude(status=Status.CLOSED).filter(closed_at__isnull=False).exists()

    # Published with a public summary: about half of the answered ones; ratings mostly happy.
    published = items.filter(is_published=True)
    assert 0.3 * answered < published.count() < 0.7 * answered
    assert not published.filter(public_summary="").exists()
    assert not published.filter(consent_publish=False).exists()
    assert not published.exclude(status__in=[Status.ANSWERED, Status.CLOSED]).exists()
    rated = items.filter(satisfied__isnull=False)
    assert rated.count() > 100
    assert rated.filter(satisfied=True).count() > 0.7 * rated.count()
    assert not rated.filter(satisfied=False, rating_reason="").exists()
    assert not rated.filter(answered_at__isnull=True).exists()

    # Anonymous items keep no personal data; every item has a coherent history.
    assert not items.filter(is_anonymous=True).exclude(sender_name="", sender_phone="").exists()
    events = FeedbackEvent.objects.filter(commune=commune)
    assert (
        items.annotate(submits=Count("events", filter=Q(events__action=Action.SUBMIT)))
        .exclude(submits=1)
        .count()
        == 0
    )
    history: dict[int, list] = {}
    for item_id, action, to_status, at in events.order_by("item_id", "at", "pk").values_list(
        "item_id", "action", "to_status", "at"
    ):
        history.setdefault(item_id, []).append((action, to_status, at))
    for item in items.only("pk", "status", "received_at", "answered_at"):
        rows = history[item.pk]
        assert rows[0][0] == Action.SUBMIT and rows[0][2] == item.received_at
        moves = [to for action, to, _at in rows if action != Action.NOTE]
        assert moves[-1] == item.status, item.code
        assert all(at <= now for _a, _t, at in rows)
        if item.answered_at:
            assert (Action.ANSWER, Status.ANSWERED, item.answered_at) in rows

    # Complaints and denunciations with lawful stage dates and one extension.
    complaints = Complaint.objects.filter(commune=commune)
    kinds = Counter(complaints.values_list("kind", flat=True))
    assert kinds == {"complaint": 8, "denunciation": 3}
    leader = User.objects.get(username="lanhdao.kienminh")
    assert complaints.filter(assignees=leader).exists()
    for complaint in complaints:
        assert complaint.accept_due == complaint_deadlines.accept_due(
            kind=complaint.kind, received_on=complaint.received_on
        )
        if complaint.accepted_on:
            assert complaint.received_on <= complaint.accepted_on <= complaint.accept_due
            assert complaint.resolve_due is not None
        if complaint.resolved_on:
            assert complaint.accepted_on <= complaint.resolved_on <= complaint.resolve_due
            assert complaint.status == Complaint.Status.RESOLVED and complaint.decision_number
    extension = ComplaintExtension.objects.get(complaint__commune=commune)
    assert extension.new_due == extension.complaint.resolve_due
    assert extension.new_due > extension.previous_due
    assert complaints.filter(status=Complaint.Status.ACCEPTED).exists()
    assert extension.decided_on <= min(extension.previous_due, today)
    from_feedback = complaints.filter(feedback_item__isnull=False).select_related("feedback_item")
    assert from_feedback.exists()
    for complaint in from_feedback:
        redirected_on = complaint.feedback_item.received_at.astimezone(LOCAL_TZ).date()
        assert complaint.feedback_item.status == Status.REDIRECTED
        assert redirected_on < complaint.received_on
    # Codes numbered in each year's order of receipt, and the register continues after them.
    by_year: dict[int, list[int]] = {}
    for complaint in complaints.order_by("received_on", "code"):
        prefix = "KN" if complaint.kind == "complaint" else "TC"
        year = complaint.received_on.year
        assert complaint.code.startswith(f"{prefix}-{commune.code}-{year % 100:02d}-")
        by_year.setdefault(year, []).append(int(complaint.code.rsplit("-", 1)[1]))
    for year, numbers in by_year.items():
        assert numbers == list(range(1, len(numbers) + 1))
        row = Sequence.objects.get(commune=commune, name="complaint", year=year)
        assert row.last == len(numbers)

    # Reception: ~40 visits by the chairman and vice-chairmen, bookings ahead.
    visits = ReceptionVisit.objects.filter(commune=commune)
    assert 35 <= visits.count() <= 45
    assert visits.filter(feedback_item__isnull=False).exists()
    assert visits.filter(complaints__isnull=False).exists()
    assert {
        v.received_by.position.code for v in visits.select_related("received_by__position")
    } <= {
        "chu-tich-ubnd",
        "pho-chu-tich-ubnd",
    }
    for year, numbers in _numbers(visits).items():
        assert numbers == list(range(1, len(numbers) + 1))
        assert Sequence.objects.get(commune=commune, name="reception", year=year).last == len(
            numbers
        )
    bookings = ReceptionBooking.objects.filter(commune=commune)
    assert bookings.filter(date__gt=today, status=ReceptionBooking.Status.BOOKED).exists()
    assert not bookings.filter(status=ReceptionBooking.Status.ATTENDED, visit__isnull=True).exists()

    # Dialogues: one held this year with answers and commitments, one planned next month.
    held = Dialogue.objects.get(commune=commune, status=Dialogue.Status.HELD)
    assert held.date.year == today.year and held.is_results_published
    assert held.questions.count() == 12
    linked = held.questions.filter(feedback_item__isnull=False).select_related("feedback_item")
    assert linked.exists()
    for question in linked:
        assert question.feedback_item.content == question.question
        assert question.feedback_item.source == Source.DIALOGUE
    assert not held.questions.filter(answer="").exists()
    assert {q.source for q in held.questions.all()} == {"online", "paper", "meeting"}
    commitments = DialogueCommitment.objects.filter(question__dialogue=held)
    assert commitments.count() == 5
    assert commitments.filter(status="done", done_on__isnull=False).count() == 2
    assert commitments.filter(status="open", deadline__lt=today).count() == 1
    planned = Dialogue.objects.get(commune=commune, status=Dialogue.Status.PLANNED)
    assert planned.date > today and planned.is_plan_published
    assert planned.questions.count() >= 3

    assert ReplyTemplate.objects.filter(commune=commune).count() >= 8
    accounts = ChannelAccount.objects.filter(commune=commune)
    assert set(accounts.values_list("platform", flat=True)) == {"zalo", "facebook"}
    assert all("DEMO" in a.app_secret for a in accounts)

    # The dashboard reads the demo year.
    start, end = default_period(today)
    board = feedback_dashboard(user=leader, start=start, end=end, today=today)
    assert board.total.received > 500
    assert board.total.on_time > board.total.late > 0
    assert len(board.by_hamlet) >= 10

    # A second run changes nothing.
    before = feedback_state()
    load_demo()
    assert feedback_state() == before


def _numbers(visits) -> dict[int, list[int]]:
    numbers: dict[int, list[int]] = {}
    for year, number in visits.order_by("year", "number").values_list("year", "number"):
        numbers.setdefault(year, []).append(number)
    return numbers
