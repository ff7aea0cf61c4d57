"""The daily overdue watch: who is warned of which dossier, the late slips, idempotency."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from auditlog.models import LogEntry
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import OfficialFactory
from tests.factories_dossiers import DossierFactory
from thanthien.notify.models import Message
from thanthien.onestop.models import ApologySlip, Dossier
from thanthien.onestop.watch import dossiers_watch
from thanthien.people.roles import Role

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
# March 2025 has no public holiday: Mon 03 … Fri 07, weekend 08–09, Mon 10.
MON, TUE, WED, THU, FRI, SAT = (date(2025, 3, d) for d in (3, 4, 5, 6, 7, 8))
NEXT_MON = date(2025, 3, 10)
STAFF_EVENTS = ("staff_dossier_due_soon", "staff_dossier_late")


def dossier(commune, due: date, **kwargs) -> Dossier:
    received = datetime(2025, 2, 24, 9, 0, tzinfo=TZ)
    values = {
        "commune": commune,
        "due_date": due,
        "receipt_day": received.date(),
        "received_at": received,
        "state": Dossier.State.IN_PROGRESS,
    }
    values.update(kwargs)
    return DossierFactory(**values)


def warnings(**filters):
    return Message.objects.filter(event__in=STAFF_EVENTS, **filters).order_by("pk")


@pytest.fixture
def handler(commune_a):
    return OfficialFactory(
        commune=commune_a, full_name="Phạm Văn Xử Lý", phone="0912 000 111", email="xl@xa.vn"
    )


@pytest.mark.django_db
def test_dossier_due_tomorrow_warns_its_handling_official_by_sms(commune_a, handler):
    due = dossier(commune_a, TUE, handling_official=handler)
    report = dossiers_watch(today=MON)
    message = warnings().get()
    assert message.event == "staff_dossier_due_soon"
    assert (message.channel, message.phone) == ("sms", "0912000111")
    assert message.related_id == str(due.pk)
    assert due.code in message.body
    assert "04/03/2025" in message.body
    assert f"/staff/mot-cua/ho-so/{due.pk}/" in message.body
    assert report.warnings_queued == 1
    assert [d.code for d in report.communes[0].due_soon] == [due.code]


@pytest.mark.django_db
def test_due_today_and_next_working_day_are_warned_but_not_later_or_stopped_clocks(
    commune_a, handler
):
    on_friday = dossier(commune_a, FRI, handling_official=handler)
    over_weekend = dossier(commune_a, NEXT_MON, handling_official=handler)
    dossier(commune_a, date(2025, 3, 11), handling_official=handler)  # two working days on
    dossier(commune_a, NEXT_MON, handling_official=handler, state=Dossier.State.SUPPLEMENT)
    dossier(commune_a, FRI, handling_official=handler, state=Dossier.State.RESULT_READY)
    report = dossiers_watch(today=FRI)
    assert {d.code for d in report.communes[0].due_soon} == {on_friday.code, over_weekend.code}
    assert set(warnings().values_list("related_id", flat=True)) == {
        str(on_friday.pk),
        str(over_weekend.pk),
    }


@pytest.mark.django_db
def test_official_without_mobile_number_is_warned_by_email(commune_a):
    desk = OfficialFactory(commune=commune_a, phone="0225 3861 234", email="motcua@xa.vn")
    dossier(commune_a, TUE, handling_official=desk)
    dossiers_watch(today=MON)
    message = warnings().get()
    assert (message.channel, message.email) == ("email", "motcua@xa.vn")
    assert message.subject


@pytest.mark.django_db
def test_without_a_handling_official_the_communes_leaders_are_warned(
    commune_a, commune_b, make_user
):
    chair = OfficialFactory(commune=commune_a, phone="0987000222")
    make_user(Role.COMMUNE_LEADER, commune=commune_a, official=chair)
    make_user(Role.COMMUNE_ADMIN, commune=commune_a, email="quantri@xa.vn")
    make_user(Role.COMMUNE_OFFICIAL, commune=commune_a, email="canbo@xa.vn")
    make_user(Role.COMMUNE_LEADER, commune=commune_b, email="lanhdao@binh.vn")
    orphan = dossier(commune_a, TUE)
    dossiers_watch(today=MON)
    sent = warnings(related_id=str(orphan.pk))
    assert sorted(m.recipient for m in sent) == ["0987000222", "quantri@xa.vn"]


@pytest.mark.django_db
def test_a_dossier_nobody_can_be_told_about_is_reported(commune_a):
    orphan = dossier(commune_a, TUE)
    report = dossiers_watch(today=MON)
    assert report.unwarned == [orphan.code]
    assert not warnings().exists()


@pytest.mark.django_db
def test_running_twice_the_same_day_sends_and_drafts_nothing_new(commune_a, handler):
    dossier(commune_a, TUE, handling_official=handler)
    dossier(commune_a, date(2025, 2, 28), handling_official=handler)  # late since Friday
    first = dossiers_watch(today=MON)
    assert (first.warnings_queued, first.slips_drafted) == (2, 1)
    messages, slips = Message.objects.count(), ApologySlip.objects.count()
    second = dossiers_watch(today=MON)
    assert (second.warnings_queued, second.slips_drafted) == (0, 0)
    assert (Message.objects.count(), ApologySlip.objects.count()) == (messages, slips)
    assert (second.due_soon_count, second.late_count) == (1, 1)


@pytest.mark.django_db
def test_due_soon_is_warned_each_day_but_late_once_per_missed_date(commune_a, handler):
    soon = dossier(commune_a, TUE, handling_official=handler)
    late = dossier(commune_a, date(2025, 2, 28), handling_official=handler)
    for day in (MON, TUE, WED):
        dossiers_watch(today=day)
    assert warnings(related_id=str(soon.pk), event="staff_dossier_due_soon").count() == 2
    # Late on Wednesday too: still only one "late" warning for it, and one for 28/02.
    assert warnings(related_id=str(soon.pk), event="staff_dossier_late").count() == 1
    assert warnings(related_id=str(late.pk)).count() == 1


@pytest.mark.django_db
def test_late_dossier_gets_exactly_one_draft_slip_for_the_leader(commune_a, handler):
    late = dossier(commune_a, date(2025, 2, 28), handling_official=handler)
    on_time = dossier(commune_a, TUE, handling_official=handler)
    for day in (MON, TUE, FRI):
        dossiers_watch(today=day)
    slip = ApologySlip.objects.get(dossier=late)
    assert (slip.kind, slip.state) == (ApologySlip.Kind.LATE, ApologySlip.State.DRAFT)
    assert slip.commune == commune_a
    assert slip.original_due_date == date(2025, 2, 28)
    assert slip.number is None
    # By Friday the Tuesday dossier is late as well: one slip each, never two.
    assert ApologySlip.objects.filter(dossier=on_time).count() == 1
    assert ApologySlip.objects.count() == 2


@pytest.mark.django_db
def test_drafted_slips_are_in_the_audit_log(commune_a):
    late = dossier(commune_a, date(2025, 2, 28))
    dossiers_watch(today=MON)
    slip = ApologySlip.objects.get(dossier=late)
    entry = LogEntry.objects.get_for_object(slip).get()
    assert entry.action == LogEntry.Action.CREATE
    assert entry.additional_data == {"commune_id": commune_a.pk}


@pytest.mark.django_db
def test_finished_or_waiting_dossiers_are_not_late(commune_a):
    dossier(commune_a, date(2025, 2, 28), state=Dossier.State.SUPPLEMENT)
    returned_at = datetime(2025, 3, 3, 9, 0, tzinfo=TZ)
    dossier(commune_a, date(2025, 2, 28), state=Dossier.State.RETURNED, returned_at=returned_at)
    dossier(commune_a, date(2025, 2, 28), state=Dossier.State.WITHDRAWN)
    report = dossiers_watch(today=MON)
    assert report.late_count == 0
    assert not ApologySlip.objects.exists()


@pytest.mark.django_db
def test_no_warnings_on_a_day_off_but_the_late_slip_is_drafted(commune_a, handler):
    dossier(commune_a, NEXT_MON, handling_official=handler)
    late = dossier(commune_a, FRI, handling_official=handler)
    report = dossiers_watch(today=SAT)
    assert report.warned_today is False
    assert not warnings().exists()
    assert ApologySlip.objects.filter(dossier=late).exists()


@pytest.mark.django_db
def test_each_commune_is_watched_and_warned_separately(commune_a, commune_b, make_user):
    make_user(Role.COMMUNE_LEADER, commune=commune_a, email="lanhdao@an.vn")
    make_user(Role.COMMUNE_LEADER, commune=commune_b, email="lanhdao@binh.vn")
    in_a = dossier(commune_a, TUE)
    in_b = dossier(commune_b, date(2025, 2, 28))
    report = dossiers_watch(today=MON)
    by_commune = {w.commune: w for w in report.communes}
    assert [d.code for d in by_commune[commune_a].due_soon] == [in_a.code]
    assert [d.code for d in by_commune[commune_b].late] == [in_b.code]
    assert [m.email for m in warnings(related_id=str(in_a.pk))] == ["lanhdao@an.vn"]
    assert [m.email for m in warnings(related_id=str(in_b.pk))] == ["lanhdao@binh.vn"]
    assert set(warnings().values_list("commune_id", flat=True)) == {commune_a.pk, commune_b.pk}
    assert ApologySlip.objects.get().commune == commune_b


def make_batch(commune, handler, n: int) -> None:
    for i in range(n):
        official = handler if i % 2 else None
        dossier(commune, TUE, handling_official=official)
        dossier(commune, date(2025, 2, 27), handling_official=official)


@pytest.mark.django_db
def test_query_count_does_not_grow_with_the_dossiers(
    commune_a, commune_b, handler, make_user, django_assert_max_num_queries
):
    make_user(Role.COMMUNE_LEADER, commune=commune_a, email="lanhdao@an.vn")
    make_user(Role.COMMUNE_LEADER, commune=commune_b, email="lanhdao@binh.vn")
    make_batch(commune_a, handler, 2)
    with CaptureQueriesContext(connection) as few:
        report = dossiers_watch(today=MON)
    assert (report.warnings_queued, report.slips_drafted) == (4, 2)
    # 16 times the dossiers, in two communes (within one bulk insert even on SQLite).
    make_batch(commune_a, handler, 8)
    make_batch(commune_b, OfficialFactory(commune=commune_b), 8)
    with django_assert_max_num_queries(len(few)):
        report = dossiers_watch(today=MON)
    assert (report.warnings_queued, report.slips_drafted) == (32, 16)


@pytest.mark.django_db
def test_the_command_runs_the_watch_for_a_given_date(commune_a, handler):
    late = dossier(commune_a, date(2025, 2, 28), handling_official=handler)
    out = StringIO()
    call_command("watch_dossiers", "--date", "2025-03-03", stdout=out)
    assert late.code in out.getvalue()
    assert "1 apology slips drafted" in out.getvalue()
    with pytest.raises(CommandError):
        call_command("watch_dossiers", "--date", "03/03/2025")


@pytest.mark.django_db
def test_celery_task_runs_the_watch_and_beat_schedules_it_every_morning(commune_a, handler):
    from thanthien.notify.tasks import app
    from thanthien.onestop.tasks import watch_dossiers

    dossier(commune_a, TUE, handling_official=handler)
    result = watch_dossiers.apply(kwargs={"day": "2025-03-03"}).get()
    assert result["warnings_queued"] == 1
    app.loader.import_default_modules()
    assert "onestop.watch_dossiers" in app.tasks
    entry = app.conf.beat_schedule["notify.daily_jobs daily"]
    assert entry["task"] == "notify.daily_jobs"
    assert (entry["schedule"].hour, entry["schedule"].minute) == ({6}, {30})


@pytest.mark.django_db
def test_the_celery_daily_task_runs_every_daily_job_and_survives_a_failing_one(
    commune_a, handler, settings
):
    from thanthien.notify.tasks import daily_jobs

    settings.THANTHIEN_DAILY_JOBS = (
        "thanthien.feedback.watch.feedback_watch",
        "thanthien.onestop.watch.dossiers_watch",
        "thanthien.no_such_module.job",
    )
    results = daily_jobs.apply().get()
    assert set(results) == set(settings.THANTHIEN_DAILY_JOBS)
    assert results["thanthien.no_such_module.job"].startswith("failed: ")
    assert not results["thanthien.onestop.watch.dossiers_watch"].startswith("failed: ")
    assert not results["thanthien.feedback.watch.feedback_watch"].startswith("failed: ")


@pytest.mark.django_db
def test_the_dispatcher_loop_runs_the_daily_jobs(commune_a, handler, settings):
    from thanthien.notify.management.commands.dispatch_notifications import Command
    from thanthien.onestop.dossier_selectors import today_local

    settings.THANTHIEN_DAILY_JOBS = ("thanthien.onestop.watch.dossiers_watch",)
    # A dossier due today (whatever today is) is among the "due soon" of today's run.
    dossier(commune_a, today_local(), handling_official=handler)
    out = StringIO()
    command = Command(stdout=out)
    command.run_daily_jobs()
    assert "thanthien.onestop.watch.dossiers_watch" in out.getvalue()
    assert "1 due soon" in out.getvalue()
