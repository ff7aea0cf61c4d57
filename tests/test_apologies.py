"""Apology slips (form 04): issued with a reschedule, drafted for late dossiers, issued or
dropped by the commune's leader, numbered per commune and year; the leader's queue page."""

import threading
from datetime import date, timedelta

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.dossier_helpers import MONDAY_MORNING, at
from tests.factories_dossiers import DossierFactory
from thanthien.core import workdays
from thanthien.notify.models import Message
from thanthien.onestop import apology_services as apologies
from thanthien.onestop import dossier_services as services
from thanthien.onestop.dossier_selectors import today_local
from thanthien.onestop.dossier_services import DossierTransitionError
from thanthien.onestop.models import ApologySlip, Dossier
from thanthien.people.roles import Role

WED_12 = at(date(2025, 3, 12))
FRI_14 = date(2025, 3, 14)


@pytest.fixture
def leader(make_user, commune_a):
    return make_user(Role.COMMUNE_LEADER, commune=commune_a, full_name="Chủ Tịch Xã An")


@pytest.fixture
def leader_b(make_user, commune_b):
    return make_user(Role.COMMUNE_LEADER, commune=commune_b)


def late_draft(commune, *, due: date = date(2025, 3, 6), today: date = date(2025, 3, 10), **kw):
    """A dossier that ran past `due`, and the draft the watch makes for it on `today`."""
    values = {
        "commune": commune,
        "state": Dossier.State.IN_PROGRESS,
        "received_at": at(due - timedelta(days=7)),
        "receipt_day": due - timedelta(days=7),
        "due_date": due,
        "consent_sms": True,
    }
    values.update(kw)
    dossier = DossierFactory(**values)
    [slip] = apologies.apology_draft_for_late(dossiers=[dossier], today=today)
    return slip


def issue(slip, actor, **kwargs):
    values = {"reason": "Chờ xác minh của công an", "new_due_date": FRI_14, "at": WED_12}
    values.update(kwargs)
    return apologies.apology_issue(actor=actor, slip=slip, **values)


# --- Reschedule ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_reschedule_issues_a_numbered_slip_and_queues_the_apology_sms(official, receive):
    dossier = services.dossier_reschedule(
        actor=official,
        dossier=receive(),
        new_due_date=date(2025, 3, 11),
        reason="Chờ xác minh của công an",
        at=at(date(2025, 3, 5)),
    )
    slip = ApologySlip.objects.get(dossier=dossier)
    assert (slip.kind, slip.state) == (ApologySlip.Kind.RESCHEDULE, ApologySlip.State.ISSUED)
    assert (slip.number, slip.year) == (1, 2025)
    assert slip.reason == "Chờ xác minh của công an"
    assert (slip.original_due_date, slip.new_due_date) == (date(2025, 3, 6), date(2025, 3, 11))
    assert (slip.issued_by, slip.issued_at) == (official, at(date(2025, 3, 5)))
    sms = Message.objects.get(related_id=str(dossier.pk), event="dossier_rescheduled")
    assert sms.channel == "sms" and sms.phone == "0912345678"
    assert "11/03/2025" in sms.body and "06/03/2025" in sms.body


@pytest.mark.django_db
def test_a_refused_reschedule_leaves_no_slip(official, receive):
    dossier = receive(notify_channel=Dossier.NotifyChannel.NONE, consent_sms=False)
    with pytest.raises(DossierTransitionError):
        services.dossier_reschedule(
            actor=official,
            dossier=dossier,
            new_due_date=date(2025, 3, 11),
            reason="Quá muộn",
            at=at(date(2025, 3, 6)),
        )
    assert not ApologySlip.objects.exists()


# --- Numbering -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_numbers_run_in_sequence_per_commune_and_year(
    official, receive, leader, leader_b, commune_a, commune_b
):
    services.dossier_reschedule(
        actor=official,
        dossier=receive(notify_channel=Dossier.NotifyChannel.NONE, consent_sms=False),
        new_due_date=date(2025, 3, 11),
        reason="Chờ ý kiến",
        at=at(date(2025, 3, 4)),
    )
    first, second = late_draft(commune_a), late_draft(commune_a)
    dropped = late_draft(commune_a)
    apologies.apology_drop(actor=leader, slip=dropped, note="Đã có kết quả, trả ngay")
    in_b = late_draft(commune_b)
    next_year = late_draft(commune_a, due=date(2025, 12, 30), today=date(2026, 1, 5))
    numbers = [
        (s.number, s.year)
        for s in (
            issue(first, leader),
            issue(second, leader),
            issue(in_b, leader_b),
            issue(next_year, leader, at=at(date(2026, 1, 5)), new_due_date=date(2026, 1, 9)),
        )
    ]
    assert numbers == [(2, 2025), (3, 2025), (1, 2025), (1, 2026)]
    dropped.refresh_from_db()
    assert dropped.number is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_issues_get_distinct_numbers(commune_a, make_user):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; row locks are exercised on PostgreSQL")
    leader = make_user(Role.COMMUNE_LEADER, commune=commune_a)
    slips = [late_draft(commune_a) for _ in range(6)]
    errors = []

    def work(slip):
        try:
            issue(slip, leader)
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(slip,)) for slip in slips]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    numbers = sorted(ApologySlip.objects.values_list("number", flat=True))
    assert numbers == [1, 2, 3, 4, 5, 6]


# --- Issue and drop ------------------------------------------------------------------------


@pytest.mark.django_db
def test_issuing_a_late_draft_sends_the_apology_and_keeps_the_dossier_late(commune_a, leader):
    slip = late_draft(commune_a, applicant_phone="0987654321")
    slip = issue(slip, leader, reason="  Chờ   kết quả xác minh  ")
    assert slip.state == ApologySlip.State.ISSUED
    assert (slip.issued_by, slip.issued_at) == (leader, WED_12)
    assert (slip.reason, slip.new_due_date) == ("Chờ kết quả xác minh", FRI_14)
    sms = Message.objects.get(related_id=str(slip.dossier_id), event="dossier_rescheduled")
    assert sms.phone == "0987654321"
    assert "06/03/2025" in sms.body and "14/03/2025" in sms.body
    assert "Cho ket qua xac minh" in sms.body  # the default SMS is sent without diacritics
    dossier = Dossier.objects.get(pk=slip.dossier_id)
    assert dossier.due_date == date(2025, 3, 6)
    assert dossier.original_due_date is None


@pytest.mark.django_db
def test_a_rescheduled_dossier_that_is_late_again_gets_a_second_apology(official, receive, leader):
    dossier = services.dossier_reschedule(
        actor=official,
        dossier=receive(),
        new_due_date=date(2025, 3, 11),
        reason="Chờ ý kiến",
        at=at(date(2025, 3, 4)),
    )
    [slip] = apologies.apology_draft_for_late(dossiers=[dossier], today=date(2025, 3, 12))
    assert slip.original_due_date == date(2025, 3, 11)
    issue(slip, leader, at=at(date(2025, 3, 12)), new_due_date=date(2025, 3, 17))
    sent = Message.objects.filter(related_id=str(dossier.pk), event="dossier_rescheduled")
    assert sent.count() == 2
    assert ApologySlip.objects.filter(dossier=dossier).count() == 2


@pytest.mark.django_db
def test_a_draft_is_made_only_for_a_running_dossier_past_its_date(commune_a):
    def make(state: str, due: date) -> Dossier:
        return DossierFactory(
            commune=commune_a,
            state=state,
            received_at=MONDAY_MORNING,
            receipt_day=date(2025, 3, 3),
            due_date=due,
        )

    running = make(Dossier.State.IN_PROGRESS, date(2025, 3, 6))
    waiting = make(Dossier.State.SUPPLEMENT, date(2025, 3, 6))
    not_yet = make(Dossier.State.RECEIVED, date(2025, 3, 10))
    drafted = apologies.apology_draft_for_late(
        dossiers=[running, waiting, not_yet], today=date(2025, 3, 10)
    )
    assert [s.dossier_id for s in drafted] == [running.pk]
    again = apologies.apology_draft_for_late(dossiers=[running], today=date(2025, 3, 11))
    assert again == []
    assert ApologySlip.objects.count() == 1


@pytest.mark.django_db
def test_only_the_communes_leaders_may_issue_or_drop(
    commune_a, make_user, leader, leader_b, province_p, official
):
    slip = late_draft(commune_a)
    outsiders = [
        official,
        leader_b,
        make_user(Role.FRONT_MEMBER, commune=commune_a),
        make_user(Role.PROVINCE_EVALUATOR, province=province_p),
        make_user(Role.PROVINCE_ADMIN, province=province_p),
    ]
    for outsider in outsiders:
        with pytest.raises(PermissionDenied):
            issue(slip, outsider)
        with pytest.raises(PermissionDenied):
            apologies.apology_drop(actor=outsider, slip=slip, note="Không")
    slip.refresh_from_db()
    assert slip.state == ApologySlip.State.DRAFT
    admin = make_user(Role.COMMUNE_ADMIN, commune=commune_a)
    assert issue(slip, admin).state == ApologySlip.State.ISSUED
    assert not Message.objects.filter(event="dossier_rescheduled").exclude(
        related_id=str(slip.dossier_id)
    )


@pytest.mark.django_db
def test_issue_needs_a_reason_and_a_working_day_after_today(commune_a, leader):
    slip = late_draft(commune_a)
    for reason, new_date, field in [
        (" ", FRI_14, "reason"),
        ("Chậm", date(2025, 3, 12), "new_due_date"),  # today
        ("Chậm", date(2025, 3, 11), "new_due_date"),  # yesterday
        ("Chậm", date(2025, 3, 15), "new_due_date"),  # a Saturday
    ]:
        with pytest.raises(ValidationError) as error:
            issue(slip, leader, reason=reason, new_due_date=new_date)
        assert field in error.value.message_dict
    slip.refresh_from_db()
    assert (slip.state, slip.number) == (ApologySlip.State.DRAFT, None)
    assert not Message.objects.filter(event="dossier_rescheduled").exists()


@pytest.mark.django_db
def test_a_dropped_slip_keeps_its_note_and_cannot_be_issued(commune_a, leader):
    slip = late_draft(commune_a)
    with pytest.raises(ValidationError):
        apologies.apology_drop(actor=leader, slip=slip, note="  ")
    slip = apologies.apology_drop(actor=leader, slip=slip, note="Người nộp đã rút hồ sơ")
    assert (slip.state, slip.note) == (ApologySlip.State.DROPPED, "Người nộp đã rút hồ sơ")
    with pytest.raises(DossierTransitionError):
        issue(slip, leader)
    assert not Message.objects.filter(event="dossier_rescheduled").exists()


@pytest.mark.django_db
def test_an_issued_slip_is_not_issued_or_dropped_again(commune_a, leader):
    slip = issue(late_draft(commune_a), leader)
    with pytest.raises(DossierTransitionError):
        issue(slip, leader, new_due_date=date(2025, 3, 17))
    with pytest.raises(DossierTransitionError):
        apologies.apology_drop(actor=leader, slip=slip, note="Nhầm")
    slip.refresh_from_db()
    assert (slip.state, slip.number, slip.new_due_date) == ("issued", 1, FRI_14)
    assert Message.objects.filter(event="dossier_rescheduled").count() == 1


@pytest.mark.django_db
def test_issuing_is_in_the_audit_log(commune_a, leader):
    slip = issue(late_draft(commune_a), leader)
    entry = LogEntry.objects.get_for_object(slip).order_by("-timestamp", "-pk").first()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.changes["state"] == ["draft", "issued"]


# --- The leader's queue page ---------------------------------------------------------------


def page_slip(commune, **kw):
    """A draft for a dossier late as of the real today (pages use the clock)."""
    today = today_local()
    due = workdays.add_working_days(today, -2)
    return late_draft(commune, due=due, today=today, **kw)


@pytest.mark.django_db
def test_leader_issues_a_draft_from_the_queue(client, commune_a, leader):
    slip = page_slip(commune_a)
    client.force_login(leader)
    url = reverse("staff:apology_list")
    page = client.get(url).content.decode()
    assert slip.dossier.code in page
    assert "Phiếu xin lỗi (1 chờ ban hành)" in page  # the menu's count
    new_date = workdays.add_working_days(today_local(), 3)
    response = client.post(
        reverse("staff:apology_issue", args=[slip.pk]),
        {f"slip{slip.pk}-reason": "Chờ kết quả xác minh", f"slip{slip.pk}-new_due_date": new_date},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == url
    page = response.content.decode()
    assert f"Đã ban hành phiếu xin lỗi cho hồ sơ {slip.dossier.code}" in page
    assert "Không có phiếu nào chờ ban hành." in page
    slip.refresh_from_db()
    assert (slip.state, slip.number, slip.new_due_date) == ("issued", 1, new_date)
    assert f"1/{slip.year}" in page
    assert Message.objects.filter(related_id=str(slip.dossier_id)).exists()


@pytest.mark.django_db
def test_a_wrong_date_is_shown_beside_the_field_and_nothing_changes(client, commune_a, leader):
    slip = page_slip(commune_a)
    client.force_login(leader)
    response = client.post(
        reverse("staff:apology_issue", args=[slip.pk]),
        {f"slip{slip.pk}-reason": "Chờ", f"slip{slip.pk}-new_due_date": today_local()},
    )
    assert response.status_code == 200
    assert "Ngày hẹn mới phải sau hôm nay" in response.content.decode()
    slip.refresh_from_db()
    assert slip.state == ApologySlip.State.DRAFT


@pytest.mark.django_db
def test_leader_drops_a_draft_with_a_note(client, commune_a, leader):
    slip = page_slip(commune_a)
    client.force_login(leader)
    response = client.post(
        reverse("staff:apology_drop", args=[slip.pk]),
        {f"slip{slip.pk}-note": "Đã trả kết quả trong ngày"},
        follow=True,
    )
    assert "Đã ghi nhận không ban hành" in response.content.decode()
    slip.refresh_from_db()
    assert (slip.state, slip.note) == ("dropped", "Đã trả kết quả trong ngày")
    assert "Đã trả kết quả trong ngày" in response.content.decode()  # in the recent list


@pytest.mark.django_db
def test_officials_see_the_queue_but_cannot_act(client, commune_a, official):
    slip = page_slip(commune_a)
    client.force_login(official)
    page = client.get(reverse("staff:apology_list")).content.decode()
    assert slip.dossier.code in page
    assert reverse("staff:apology_issue", args=[slip.pk]) not in page
    for name in ("staff:apology_issue", "staff:apology_drop"):
        assert client.post(reverse(name, args=[slip.pk]), {}).status_code == 403
    slip.refresh_from_db()
    assert slip.state == ApologySlip.State.DRAFT


@pytest.mark.django_db
def test_another_communes_slips_are_neither_listed_nor_reachable(
    client, commune_a, commune_b, leader_b
):
    slip = page_slip(commune_a)
    client.force_login(leader_b)
    page = client.get(reverse("staff:apology_list")).content.decode()
    assert slip.dossier.code not in page
    assert "chờ ban hành)" not in page
    data = {f"slip{slip.pk}-reason": "X", f"slip{slip.pk}-new_due_date": "2099-01-05"}
    assert client.post(reverse("staff:apology_issue", args=[slip.pk]), data).status_code == 404
    assert client.post(reverse("staff:apology_drop", args=[slip.pk]), {}).status_code == 404
    slip.refresh_from_db()
    assert slip.state == ApologySlip.State.DRAFT


@pytest.mark.django_db
def test_queue_query_count_does_not_grow_with_the_slips(client, commune_a, leader):
    client.force_login(leader)
    url = reverse("staff:apology_list")
    issue(
        page_slip(commune_a),
        leader,
        at=None,
        new_due_date=workdays.add_working_days(today_local(), 2),
    )
    page_slip(commune_a)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(8):
        page_slip(commune_a)
    slip = page_slip(commune_a)
    apologies.apology_drop(actor=leader, slip=slip, note="Không cần")
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert len(response.context["rows"]) == 9
    assert len(many) == len(few)


@pytest.mark.django_db
def test_issuing_a_late_slip_drafts_the_apology_letter_and_dropping_one_does_not(leader, commune_a):
    from thanthien.letters.models import Letter, LetterType

    issued = issue(late_draft(commune_a), leader)
    letter = Letter.objects.get(source_dossier=issued.dossier)
    assert (letter.type, letter.state) == (LetterType.APOLOGY, Letter.State.DRAFT)
    assert "06/03/2025" in letter.body and "14/03/2025" in letter.body
    assert "Chờ xác minh của công an" in letter.body

    dropped = late_draft(commune_a)
    apologies.apology_drop(actor=leader, slip=dropped, note="Đã có kết quả, trả ngay")
    assert not Letter.objects.filter(source_dossier=dropped.dossier).exists()
