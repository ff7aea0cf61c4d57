"""The daily feedback watch: reminders before the due date, escalation to the leader after
it, nothing new on a second run, a query count that does not grow with the items."""

import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories_feedback_handling import staff, submit
from thanthien.core.workdays import add_working_days
from thanthien.feedback import workflow_services as services
from thanthien.feedback.items import FeedbackItem
from thanthien.feedback.watch import feedback_watch
from thanthien.notify.models import Message
from thanthien.people.roles import Role

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 3, 9)


@pytest.fixture
def leader(commune_a):
    return staff(commune_a, Role.COMMUNE_LEADER, phone="0987000999")


@pytest.fixture
def handler(commune_a):
    return staff(commune_a, phone="0987000111")


def due_on(item, day):
    FeedbackItem.objects.filter(pk=item.pk).update(due_date=day)
    item.refresh_from_db()
    return item


def test_due_soon_reminds_the_assignee_and_overdue_tells_the_leader(
    commune_a, leader, handler, settings
):
    settings.THANTHIEN_FEEDBACK_REMIND_WORKING_DAYS = 2
    soon = submit(commune_a, sender_phone="0912000001")
    services.feedback_assign(actor=leader, item=soon, assignee=handler, category="khac")
    due_on(soon, add_working_days(MONDAY, 2))
    late = submit(commune_a, sender_phone="0912000002")
    services.feedback_assign(actor=leader, item=late, assignee=handler, category="khac")
    due_on(late, MONDAY - timedelta(days=1))
    far = due_on(submit(commune_a, sender_phone="0912000003"), add_working_days(MONDAY, 3))

    report = feedback_watch(today=MONDAY)

    assert report.reminded == [soon.code] and report.escalated == [late.code]
    reminder = Message.objects.get(event="staff_feedback_due_soon")
    assert reminder.phone == "0987000111" and soon.code in reminder.body
    escalation = Message.objects.get(event="staff_feedback_overdue")
    assert escalation.phone == "0987000999" and late.code in escalation.body
    soon.refresh_from_db()
    late.refresh_from_db()
    assert soon.reminded_at is not None and late.escalated_at is not None
    assert soon.events.filter(action="remind").count() == 1
    assert late.events.filter(action="escalate").count() == 1
    assert not far.events.filter(action__in=["remind", "escalate"]).exists()


def test_running_twice_sends_nothing_new(commune_a, leader, handler):
    item = submit(commune_a)
    services.feedback_assign(actor=leader, item=item, assignee=handler, category="khac")
    due_on(item, MONDAY - timedelta(days=3))
    first = feedback_watch(today=MONDAY)
    second = feedback_watch(today=MONDAY)
    third = feedback_watch(today=MONDAY + timedelta(days=1))
    assert first.messages_queued == 1
    assert second.messages_queued == 0 and third.messages_queued == 0
    assert item.events.filter(action="escalate").count() == 1


def test_an_unassigned_item_due_soon_goes_to_the_leaders(commune_a, leader):
    item = due_on(submit(commune_a), MONDAY)
    feedback_watch(today=MONDAY)
    assert Message.objects.get(event="staff_feedback_due_soon").phone == "0987000999"
    assert item.events.filter(action="remind").exists()


def test_a_new_due_date_after_classifying_is_watched_again(commune_a, leader, handler):
    item = submit(commune_a)
    services.feedback_assign(actor=leader, item=item, assignee=handler, category="khac")
    due_on(item, MONDAY)
    feedback_watch(today=MONDAY)
    services.feedback_classify(actor=handler, item=item, category="moi_truong")
    item.refresh_from_db()
    assert item.due_date != MONDAY and item.reminded_at is None


def test_no_warnings_on_a_day_off(commune_a, leader):
    due_on(submit(commune_a), MONDAY - timedelta(days=3))
    report = feedback_watch(today=MONDAY - timedelta(days=1))  # a Sunday
    assert not report.warned_today and report.messages_queued == 0
    assert not Message.objects.filter(event="staff_feedback_overdue").exists()


def test_answered_items_are_not_watched(commune_a, leader, handler):
    item = submit(commune_a)
    services.feedback_assign(actor=leader, item=item, assignee=handler, category="khac")
    services.feedback_answer(actor=handler, item=item, answer="Xã đã cho sửa xong đèn đường.")
    due_on(item, MONDAY - timedelta(days=3))
    assert feedback_watch(today=MONDAY).escalated == []


def test_query_count_does_not_grow_with_items(commune_a, leader, handler):
    def run(first: int, n_items: int) -> int:
        for n in range(first, first + n_items):
            item = submit(commune_a, sender_phone=f"09130{n:05d}")
            services.feedback_assign(actor=leader, item=item, assignee=handler, category="khac")
            due_on(item, MONDAY - timedelta(days=1) if n % 2 else MONDAY)
        with CaptureQueriesContext(connection) as queries:
            report = feedback_watch(today=MONDAY)
        assert len(report.reminded) + len(report.escalated) == n_items
        return len(queries)

    few = run(0, 2)
    assert run(100, 12) == few


def test_command_runs_the_watch_for_a_given_day(commune_a, leader):
    item = due_on(submit(commune_a), MONDAY - timedelta(days=2))
    out = io.StringIO()
    call_command("watch_feedback", "--date", MONDAY.isoformat(), stdout=out)
    assert f"escalated {item.code}" in out.getvalue()
    assert "09/03/2026: 0 feedback reminders, 1 escalated, 1 messages queued" in out.getvalue()
