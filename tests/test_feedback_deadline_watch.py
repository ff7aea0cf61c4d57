"""The daily deadline watch of complaints, denunciations and dialogue commitments: the holder
is reminded before the date, the leaders are told after it, once per date; a denouncer is
never named; nothing on a day off; the query count does not grow with the cases."""

from datetime import date, timedelta

import pytest

from tests.factories import OfficialFactory
from tests.factories_feedback import ComplaintFactory, DialogueCommitmentFactory
from thanthien.feedback.complaints import Complaint
from thanthien.feedback.deadline_watch import deadlines_watch
from thanthien.feedback.dialogues import DialogueCommitment
from thanthien.notify.models import Message
from thanthien.people.roles import Role

MONDAY = date(2025, 3, 3)  # horizon: Wednesday 05/03 (2 working days)


@pytest.fixture
def handler(make_user, commune_a):
    official = OfficialFactory(commune=commune_a, phone="0912000001", full_name="Cán Bộ Xử Lý")
    return make_user(Role.COMMUNE_OFFICIAL, commune=commune_a, official=official)


@pytest.fixture
def leader(make_user, commune_a):
    official = OfficialFactory(commune=commune_a, phone="0912000009", full_name="Chủ Tịch Xã")
    return make_user(Role.COMMUNE_LEADER, commune=commune_a, official=official)


def complaint(commune, **values):
    defaults = {
        "commune": commune,
        "received_on": MONDAY - timedelta(days=5),
        "status": Complaint.Status.RECEIVED,
        "accept_due": MONDAY + timedelta(days=1),
    }
    return ComplaintFactory(**{**defaults, **values})


def sms_to(phone: str):
    return Message.objects.filter(phone=phone).order_by("pk")


@pytest.mark.django_db
def test_the_assigned_official_is_reminded_once_before_the_acceptance_date(
    commune_a, handler, leader
):
    case = complaint(commune_a)
    case.assignees.add(handler)
    report = deadlines_watch(today=MONDAY)
    assert report.reminded == [f"complaint:{case.pk}:accept"] and report.messages_queued == 1
    [message] = sms_to("0912000001")
    assert message.event == "staff_deadline_due_soon"
    assert case.code in message.body and "04/03/2025" in message.body
    assert not sms_to("0912000009").exists()
    again = deadlines_watch(today=MONDAY + timedelta(days=1))
    assert again.messages_queued == 0 and sms_to("0912000001").count() == 1


@pytest.mark.django_db
def test_an_overdue_denunciation_is_told_to_the_leaders_without_the_denouncers_name(
    commune_a, handler, leader
):
    case = complaint(
        commune_a,
        kind=Complaint.Kind.DENUNCIATION,
        person_name="Người Tố Cáo Bí Mật",
        status=Complaint.Status.ACCEPTED,
        accepted_on=MONDAY - timedelta(days=40),
        received_on=MONDAY - timedelta(days=45),
        resolve_due=MONDAY - timedelta(days=10),
    )
    case.assignees.add(handler)
    report = deadlines_watch(today=MONDAY)
    assert report.escalated == [f"complaint:{case.pk}:resolve"]
    [message] = sms_to("0912000009")
    assert message.event == "staff_deadline_overdue" and case.code in message.body
    assert "Bi Mat" not in message.body and "Bí Mật" not in message.body
    assert not sms_to("0912000001").exists()  # the overdue goes to the leaders


@pytest.mark.django_db
def test_an_extension_gives_a_new_date_that_is_reminded_again(commune_a, handler, leader):
    case = complaint(
        commune_a,
        status=Complaint.Status.ACCEPTED,
        accepted_on=MONDAY - timedelta(days=2),
        resolve_due=MONDAY + timedelta(days=2),
    )
    case.assignees.add(handler)
    deadlines_watch(today=MONDAY)
    case.resolve_due = MONDAY + timedelta(days=3)
    case.save()
    deadlines_watch(today=MONDAY + timedelta(days=1))
    assert sms_to("0912000001").count() == 2


@pytest.mark.django_db
def test_an_unassigned_case_reminds_the_leaders_and_a_closed_one_nothing(commune_a, leader):
    complaint(commune_a)
    complaint(commune_a, status=Complaint.Status.RESOLVED, resolve_due=MONDAY)
    deadlines_watch(today=MONDAY)
    assert sms_to("0912000009").count() == 1


@pytest.mark.django_db
def test_a_commitments_owner_is_reminded_and_the_leaders_are_told_when_it_is_late(
    commune_a, leader
):
    owner = OfficialFactory(commune=commune_a, phone="0912000005", full_name="Người Cam Kết")
    soon = DialogueCommitmentFactory(
        commune=commune_a, owner=owner, deadline=MONDAY + timedelta(days=2)
    )
    late = DialogueCommitmentFactory(
        commune=commune_a, owner=owner, deadline=MONDAY - timedelta(days=1)
    )
    DialogueCommitmentFactory(
        commune=commune_a, owner=owner, deadline=MONDAY - timedelta(days=1), status="done"
    )
    report = deadlines_watch(today=MONDAY)
    assert report.reminded == [f"commitment:{soon.pk}"]
    assert report.escalated == [f"commitment:{late.pk}"]
    assert [m.event for m in sms_to("0912000005")] == ["staff_deadline_due_soon"]
    assert [m.event for m in sms_to("0912000009")] == ["staff_deadline_overdue"]


@pytest.mark.django_db
def test_nothing_is_sent_on_a_day_off(commune_a, handler, leader):
    complaint(commune_a).assignees.add(handler)
    report = deadlines_watch(today=date(2025, 3, 8))  # Saturday
    assert not report.warned_today and not Message.objects.exists()


@pytest.mark.django_db
def test_the_number_of_queries_does_not_grow_with_the_cases(commune_a, handler, leader):
    def run(n: int) -> int:
        Message.objects.all().delete()
        for _ in range(n):
            complaint(commune_a).assignees.add(handler)
            DialogueCommitmentFactory(commune=commune_a, deadline=MONDAY)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            report = deadlines_watch(today=MONDAY)
        # Every open case and commitment so far was found (the runs add up).
        assert len(report.reminded) == (
            Complaint.objects.count() + DialogueCommitment.objects.count()
        )
        return len(queries)

    assert run(2) == run(6)
