"""The dossier workflow: receipt, every move, deadlines, timeliness, codes, notifications."""

import threading
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.dossier_helpers import MONDAY_MORNING, TZ, at
from tests.factories import OfficialFactory
from tests.factories_dossiers import DossierFactory
from tests.factories_onestop import ProcedureFactory
from thanthien.notify.models import Message
from thanthien.onestop import dossier_selectors as selectors
from thanthien.onestop import dossier_services as services
from thanthien.onestop.dossier_services import DossierTransitionError
from thanthien.onestop.models import (
    TRANSITIONS,
    Dossier,
    DossierAction,
    DossierEvent,
    DossierSupplement,
)
from thanthien.people.roles import Role


def kinds(dossier) -> list[str]:
    return list(dossier.events.order_by("at", "pk").values_list("kind", flat=True))


# --- Receipt -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_receive_numbers_the_dossier_sets_due_date_and_records_who_and_when(
    receive, official, commune_a
):
    dossier = receive()
    assert dossier.code == f"{commune_a.code}-250303-0001"
    assert dossier.state == Dossier.State.RECEIVED
    assert dossier.receipt_day == date(2025, 3, 3)
    assert dossier.due_date == date(2025, 3, 6)
    assert dossier.processing_days == 3
    assert dossier.documents_received == ["Tờ khai đăng ký khai sinh theo mẫu", "Giấy chứng sinh"]
    assert dossier.consent_recorded_at == MONDAY_MORNING
    event = dossier.events.get()
    assert (event.kind, event.actor, event.at) == ("receive", official, MONDAY_MORNING)
    assert event.to_state == Dossier.State.RECEIVED


@pytest.mark.django_db
def test_due_date_skips_tet_holiday(receive):
    # Tết 2025: 25/01 to 02/02 off; 3 working days after Friday 24/01 end on Wednesday 05/02.
    before_cutoff = receive(received_at=datetime(2025, 1, 24, 9, 0, tzinfo=TZ))
    after_cutoff = receive(received_at=datetime(2025, 1, 24, 16, 0, tzinfo=TZ))
    assert before_cutoff.due_date == date(2025, 2, 5)
    assert after_cutoff.receipt_day == date(2025, 2, 3)
    assert after_cutoff.due_date == date(2025, 2, 6)


@pytest.mark.django_db
def test_receive_rejects_bad_phone_and_id_number(receive):
    with pytest.raises(ValidationError) as error:
        receive(applicant_phone="091234567", applicant_id_number="12345")
    assert set(error.value.message_dict) == {"applicant_phone", "applicant_id_number"}
    assert not Dossier.objects.exists()


@pytest.mark.django_db
def test_receive_requires_consent_for_the_chosen_channel(receive):
    with pytest.raises(ValidationError) as error:
        receive(consent_sms=False)
    assert "notify_channel" in error.value.message_dict
    dossier = receive(consent_sms=False, notify_channel=Dossier.NotifyChannel.NONE)
    assert dossier.consent_recorded_at is None


@pytest.mark.django_db
def test_procedure_and_handler_must_belong_to_the_dossiers_commune(receive, commune_b):
    stranger = OfficialFactory(commune=commune_b)
    with pytest.raises(ValidationError):
        receive(handling_official=stranger)
    with pytest.raises(PermissionDenied):
        receive(procedure=ProcedureFactory(commune=commune_b))


@pytest.mark.django_db
def test_province_staff_cannot_receive(receive, make_user, province_p):
    evaluator = make_user(Role.PROVINCE_EVALUATOR, province=province_p)
    with pytest.raises(PermissionDenied):
        receive(actor=evaluator)


@pytest.mark.django_db
def test_codes_stay_unique_and_sequential_over_many_receives(receive, commune_a):
    codes = [receive().code for _ in range(25)]
    assert len(set(codes)) == 25
    assert codes[-1] == f"{commune_a.code}-250303-0025"
    next_day = receive(received_at=MONDAY_MORNING + timedelta(days=1))
    assert next_day.code.endswith("-250304-0001")


@pytest.mark.django_db(transaction=True)
def test_concurrent_receives_get_distinct_codes(official, procedure):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; row locks are exercised on PostgreSQL")
    errors, codes = [], []

    def work():
        try:
            for _ in range(3):
                dossier = services.dossier_receive(
                    actor=official,
                    procedure=procedure,
                    applicant_name="Song Song",
                    applicant_phone="0912000000",
                    notify_channel=Dossier.NotifyChannel.NONE,
                    received_at=MONDAY_MORNING,
                )
                codes.append(dossier.code)
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert len(codes) == len(set(codes)) == 18


@pytest.mark.django_db
def test_double_submit_with_the_same_token_creates_one_dossier(receive):
    first = receive(idempotency_token="tok-1")
    second = receive(idempotency_token="tok-1", applicant_name="Bấm Hai Lần")
    assert first.pk == second.pk
    assert Dossier.objects.count() == 1
    assert DossierEvent.objects.count() == 1


# --- Moves ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_full_path_records_one_event_per_move_with_actor_and_minute(receive, official, commune_a):
    handler = OfficialFactory(commune=commune_a, full_name="Trần Văn Xử Lý")
    dossier = receive(handling_official=None)
    moment = datetime(2025, 3, 4, 10, 17, 45, tzinfo=TZ)
    dossier = services.dossier_handover(
        actor=official, dossier=dossier, to_official=handler, at=moment, note="Chuyển thẩm định"
    )
    assert dossier.state == Dossier.State.IN_PROGRESS
    assert dossier.handling_official == handler
    assert dossier.handling_office == handler.office
    handover = dossier.events.get(kind="handover")
    assert handover.at == moment.replace(second=0)
    assert handover.to_official == handler
    assert handover.step_due_date == dossier.due_date
    dossier = services.dossier_result_ready(
        actor=official, dossier=dossier, at=at(date(2025, 3, 5), 14)
    )
    handover.refresh_from_db()
    assert handover.step_result == DossierEvent.StepResult.EARLY
    dossier = services.dossier_return(actor=official, dossier=dossier, at=at(date(2025, 3, 6)))
    assert dossier.state == Dossier.State.RETURNED
    assert dossier.returned_at == at(date(2025, 3, 6))
    assert kinds(dossier) == ["receive", "handover", "result_ready", "return"]
    assert set(dossier.events.values_list("actor", flat=True)) == {official.pk}
    assert selectors.timeliness(dossier) == "early"


@pytest.mark.django_db
def test_second_handover_closes_the_previous_step_with_its_result(receive, official, commune_a):
    first, second = OfficialFactory.create_batch(2, commune=commune_a)
    dossier = receive()
    dossier = services.dossier_handover(
        actor=official,
        dossier=dossier,
        to_official=first,
        step_due_date=date(2025, 3, 4),
        at=at(date(2025, 3, 3), 10),
    )
    dossier = services.dossier_handover(
        actor=official, dossier=dossier, to_official=second, at=at(date(2025, 3, 5), 8)
    )
    step = dossier.events.filter(kind="handover").order_by("at").first()
    assert step.step_result == DossierEvent.StepResult.LATE
    latest = dossier.events.filter(kind="handover").order_by("at").last()
    assert (latest.from_official, latest.to_official) == (first, second)


@pytest.mark.django_db
def test_refuse_and_withdraw_need_a_reason_and_close_the_dossier(receive, official):
    dossier = receive()
    with pytest.raises(ValidationError):
        services.dossier_refuse(actor=official, dossier=dossier, reason="  ")
    dossier = services.dossier_refuse(
        actor=official, dossier=dossier, reason="Không thuộc thẩm quyền"
    )
    assert dossier.state == Dossier.State.REFUSED
    assert dossier.refused_at is not None
    other = services.dossier_withdraw(actor=official, dossier=receive(), reason="Người nộp xin rút")
    assert other.state == Dossier.State.WITHDRAWN
    assert kinds(other) == ["receive", "withdraw"]
    assert selectors.timeliness(other) is None


@pytest.mark.django_db
def test_disallowed_moves_raise_a_vietnamese_message_and_change_nothing(receive, official):
    dossier = receive()
    with pytest.raises(DossierTransitionError) as error:
        services.dossier_return(actor=official, dossier=dossier)
    assert "Trả kết quả" in error.value.messages[0]
    assert "Đã tiếp nhận" in error.value.messages[0]
    in_progress = services.dossier_handover(
        actor=official, dossier=dossier, to_official=OfficialFactory(commune=dossier.commune)
    )
    with pytest.raises(DossierTransitionError):
        services.dossier_refuse(actor=official, dossier=in_progress, reason="Muộn rồi")
    with pytest.raises(DossierTransitionError):
        services.dossier_complete_supplement(actor=official, dossier=in_progress)
    assert in_progress.events.count() == 2


@pytest.mark.django_db
def test_every_state_allows_exactly_the_moves_in_the_table(receive, official):
    table = {
        state: {a for a, move in TRANSITIONS.items() if state in move.sources}
        for state in Dossier.State.values
    }
    assert table[Dossier.State.RECEIVED] == {
        "handover",
        "request_supplement",
        "refuse",
        "withdraw",
        "result_ready",
        "reschedule",
    }
    assert table[Dossier.State.RETURNED] == set()
    assert table[Dossier.State.REFUSED] == set()
    assert table[Dossier.State.WITHDRAWN] == set()
    assert table[Dossier.State.RESULT_READY] == {"return"}
    assert table[Dossier.State.SUPPLEMENT] == {"complete_supplement", "withdraw"}
    dossier = receive()
    assert set(dossier.allowed_actions()) == table[Dossier.State.RECEIVED]


@pytest.mark.django_db
def test_a_closed_dossier_refuses_every_move(receive, official):
    dossier = services.dossier_withdraw(actor=official, dossier=receive(), reason="Rút")
    calls = [
        lambda: services.dossier_handover(
            actor=official, dossier=dossier, to_official=OfficialFactory(commune=dossier.commune)
        ),
        lambda: services.dossier_request_supplement(actor=official, dossier=dossier, items=["X"]),
        lambda: services.dossier_result_ready(actor=official, dossier=dossier),
        lambda: services.dossier_withdraw(actor=official, dossier=dossier, reason="Lần nữa"),
        lambda: services.dossier_reschedule(
            actor=official, dossier=dossier, new_due_date=date(2025, 3, 10), reason="Chậm"
        ),
    ]
    for call in calls:
        with pytest.raises(DossierTransitionError):
            call()
    assert kinds(dossier) == ["receive", "withdraw"]


# --- Supplements ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_supplement_restarts_the_time_limit_from_completion(receive, official):
    dossier = receive()
    supplement = services.dossier_request_supplement(
        actor=official,
        dossier=dossier,
        items=["to khai dang ky khai sinh theo mau"],
        at=at(date(2025, 3, 4)),
    )
    assert supplement.needs_leader_review is False
    assert supplement.unlisted_items == []
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.SUPPLEMENT
    assert selectors.timeliness(dossier, today=date(2025, 4, 1)) is None  # clock stopped
    # Completed on Friday 07/03 at 10:00: due three working days later, Wednesday 12/03.
    dossier = services.dossier_complete_supplement(
        actor=official, dossier=dossier, at=at(date(2025, 3, 7), 10)
    )
    assert dossier.state == Dossier.State.IN_PROGRESS
    assert dossier.due_date == date(2025, 3, 12)
    supplement.refresh_from_db()
    assert supplement.completed_at == at(date(2025, 3, 7), 10)
    assert kinds(dossier) == ["receive", "request_supplement", "complete_supplement"]


@pytest.mark.django_db
def test_supplement_asking_for_unlisted_papers_is_flagged_for_the_leader(
    receive, official, make_user, commune_a
):
    dossier = receive()
    supplement = services.dossier_request_supplement(
        actor=official,
        dossier=dossier,
        items=["Giấy chứng sinh", "Sổ hộ khẩu bản sao", "  "],
    )
    assert supplement.items == ["Giấy chứng sinh", "Sổ hộ khẩu bản sao"]
    assert supplement.unlisted_items == ["Sổ hộ khẩu bản sao"]
    assert supplement.needs_leader_review is True
    leader = make_user(Role.COMMUNE_LEADER, commune=commune_a)
    assert list(selectors.supplements_for_leader(user=leader)) == [supplement]
    with pytest.raises(PermissionDenied):
        services.dossier_supplement_review(actor=official, supplement=supplement)
    services.dossier_supplement_review(actor=leader, supplement=supplement, note="Không cần")
    assert not selectors.supplements_for_leader(user=leader).exists()


@pytest.mark.django_db
def test_supplement_must_list_at_least_one_item(receive, official):
    dossier = receive()
    with pytest.raises(ValidationError) as error:
        services.dossier_request_supplement(actor=official, dossier=dossier, items=["", " "])
    assert "items" in error.value.message_dict
    assert not DossierSupplement.objects.exists()
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.RECEIVED


# --- Reschedule ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_late_dossier_can_be_rescheduled_only_once(receive, official):
    dossier = receive()  # due Thursday 06/03
    dossier = services.dossier_reschedule(
        actor=official,
        dossier=dossier,
        new_due_date=date(2025, 3, 11),
        reason="Chờ xác minh của công an",
        at=at(date(2025, 3, 5)),
    )
    assert dossier.due_date == date(2025, 3, 11)
    assert dossier.original_due_date == date(2025, 3, 6)
    assert dossier.reschedule_reason == "Chờ xác minh của công an"
    with pytest.raises(DossierTransitionError) as error:
        services.dossier_reschedule(
            actor=official,
            dossier=dossier,
            new_due_date=date(2025, 3, 14),
            reason="Lần hai",
            at=at(date(2025, 3, 6)),
        )
    assert "một lần" in error.value.messages[0]
    dossier.refresh_from_db()
    assert dossier.due_date == date(2025, 3, 11)
    assert kinds(dossier) == ["receive", "reschedule"]


@pytest.mark.django_db
def test_reschedule_on_the_due_day_is_too_late(receive, official):
    dossier = receive()
    with pytest.raises(DossierTransitionError) as error:
        services.dossier_reschedule(
            actor=official,
            dossier=dossier,
            new_due_date=date(2025, 3, 11),
            reason="Chậm",
            at=at(date(2025, 3, 6), 8),
        )
    assert "06/03/2025" in error.value.messages[0]
    dossier.refresh_from_db()
    assert dossier.original_due_date is None


@pytest.mark.django_db
def test_reschedule_over_a_weekend_counts_working_days(receive, official):
    # Received Wednesday 05/03 -> due Monday 10/03; Friday 07/03 is one working day before.
    dossier = receive(received_at=at(date(2025, 3, 5)))
    assert dossier.due_date == date(2025, 3, 10)
    dossier = services.dossier_reschedule(
        actor=official,
        dossier=dossier,
        new_due_date=date(2025, 3, 12),
        reason="Chờ ý kiến",
        at=at(date(2025, 3, 7), 16),
    )
    assert dossier.original_due_date == date(2025, 3, 10)


@pytest.mark.django_db
def test_reschedule_needs_a_later_working_day_and_a_reason(receive, official):
    dossier = receive()
    for new_date, reason in [
        (date(2025, 3, 6), "Chậm"),
        (date(2025, 3, 8), "Chậm"),  # a Saturday
        (date(2025, 3, 10), " "),
    ]:
        with pytest.raises(ValidationError):
            services.dossier_reschedule(
                actor=official,
                dossier=dossier,
                new_due_date=new_date,
                reason=reason,
                at=at(date(2025, 3, 4)),
            )
    dossier.refresh_from_db()
    assert dossier.rescheduled_at is None


@pytest.mark.django_db
def test_the_database_allows_one_reschedule_event_per_dossier(receive, official):
    from django.db import IntegrityError

    dossier = receive()
    for _ in range(2):
        try:
            with transaction.atomic():
                DossierEvent.objects.create(
                    dossier=dossier,
                    kind=DossierAction.RESCHEDULE,
                    at=MONDAY_MORNING,
                    actor=official,
                    to_state=dossier.state,
                )
        except IntegrityError:
            break
    else:
        pytest.fail("a second reschedule row was accepted")


# --- Timeliness ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_timeliness_against_current_and_original_due_date(receive, official):
    dossier = receive()
    dossier = services.dossier_reschedule(
        actor=official,
        dossier=dossier,
        new_due_date=date(2025, 3, 11),
        reason="Chờ xác minh",
        at=at(date(2025, 3, 4)),
    )
    dossier = services.dossier_result_ready(
        actor=official, dossier=dossier, at=at(date(2025, 3, 11), 16)
    )
    assert selectors.timeliness(dossier) == "on_time"
    assert selectors.timeliness(dossier, against="original") == "late"
    row = selectors.with_timeliness(Dossier.objects.filter(pk=dossier.pk)).get()
    assert (row.timeliness, row.timeliness_original) == ("on_time", "late")
    counts = selectors.timeliness_counts(Dossier.objects.all())
    assert counts["current"] == {"early": 0, "on_time": 1, "late": 0}
    assert counts["original"] == {"early": 0, "on_time": 0, "late": 1}


@pytest.mark.django_db
def test_open_dossier_past_due_is_late_and_before_due_is_not_judged(receive):
    dossier = receive()
    assert selectors.timeliness(dossier, today=date(2025, 3, 6)) is None
    assert selectors.timeliness(dossier, today=date(2025, 3, 7)) == "late"
    late = selectors.with_timeliness(Dossier.objects.all(), today=date(2025, 3, 7)).get()
    assert late.timeliness == "late"


@pytest.mark.django_db
def test_result_ready_late_in_the_evening_counts_on_its_local_day(receive, official):
    dossier = receive()
    # 23:30 in Hà Nội on the due day is still 16:30 UTC of the same day: on time.
    dossier = services.dossier_result_ready(
        actor=official, dossier=dossier, at=at(date(2025, 3, 6), 23, 30)
    )
    assert selectors.timeliness(dossier) == "on_time"
    assert selectors.with_timeliness(Dossier.objects.all()).get().timeliness == "on_time"


STATES = st.sampled_from(Dossier.State.values)
DAYS = st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 12, 31))


@pytest.mark.django_db
@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    state=STATES,
    due=DAYS,
    original_shift=st.one_of(st.none(), st.integers(min_value=-20, max_value=-1)),
    ready_shift=st.one_of(st.none(), st.integers(min_value=-10, max_value=10)),
    ready_hour=st.integers(min_value=0, max_value=23),
    today=DAYS,
)
def test_sql_timeliness_agrees_with_python(
    commune_a, state, due, original_shift, ready_shift, ready_hour, today
):
    ready_at = None
    if ready_shift is not None:
        ready_day = due + timedelta(days=ready_shift)
        ready_at = at(ready_day, ready_hour, 59)
    dossier = DossierFactory(
        commune=commune_a,
        state=state,
        received_at=at(due - timedelta(days=30)),
        receipt_day=due - timedelta(days=30),
        due_date=due,
        original_due_date=due + timedelta(days=original_shift) if original_shift else None,
        rescheduled_at=at(due - timedelta(days=25)) if original_shift else None,
        result_ready_at=ready_at,
        returned_at=at(due) if state == Dossier.State.RETURNED else None,
    )
    row = selectors.with_timeliness(Dossier.objects.filter(pk=dossier.pk), today=today).get()
    assert row.timeliness == selectors.timeliness(dossier, today=today)
    assert row.timeliness_original == selectors.timeliness(dossier, against="original", today=today)


# --- Notifications -------------------------------------------------------------------------


def messages_of(dossier) -> list[str]:
    return list(
        Message.objects.filter(related_id=str(dossier.pk))
        .order_by("pk")
        .values_list("event", flat=True)
    )


@pytest.mark.django_db
def test_each_event_queues_a_message_for_the_applicant(receive, official):
    dossier = receive()
    assert messages_of(dossier) == ["dossier_received"]
    message = Message.objects.get(related_id=str(dossier.pk))
    assert message.phone == "0912345678"
    assert dossier.code in message.body
    assert "06/03/2025" in message.body
    services.dossier_request_supplement(actor=official, dossier=dossier, items=["Giấy chứng sinh"])
    dossier = services.dossier_complete_supplement(
        actor=official, dossier=dossier, at=at(date(2025, 3, 4))
    )
    services.dossier_request_supplement(actor=official, dossier=dossier, items=["Giấy chứng sinh"])
    dossier = services.dossier_complete_supplement(
        actor=official, dossier=dossier, at=at(date(2025, 3, 5))
    )
    dossier = services.dossier_reschedule(
        actor=official,
        dossier=dossier,
        new_due_date=date(2025, 3, 14),
        reason="Chờ xác minh",
        at=at(date(2025, 3, 6)),
    )
    apology = Message.objects.get(related_id=str(dossier.pk), event="dossier_rescheduled")
    assert "14/03/2025" in apology.body
    assert "10/03/2025" in apology.body  # the date that will be missed
    services.dossier_result_ready(actor=official, dossier=dossier)
    refused = services.dossier_refuse(actor=official, dossier=receive(), reason="Sai thẩm quyền")
    assert messages_of(dossier) == [
        "dossier_received",
        "dossier_supplement_requested",
        "dossier_supplement_requested",
        "dossier_rescheduled",
        "dossier_result_ready",
    ]
    assert messages_of(refused) == ["dossier_received", "dossier_refused"]


@pytest.mark.django_db
def test_no_message_without_consent(receive):
    dossier = receive(consent_sms=False, notify_channel=Dossier.NotifyChannel.NONE)
    assert messages_of(dossier) == []


@pytest.mark.django_db
def test_rolled_back_service_call_leaves_no_message(receive, official):
    class Abort(Exception):
        pass

    with pytest.raises(Abort), transaction.atomic():
        receive()
        raise Abort
    assert not Dossier.objects.exists()
    assert not Message.objects.exists()
    dossier = receive()
    with pytest.raises(Abort), transaction.atomic():
        services.dossier_refuse(actor=official, dossier=dossier, reason="Thử")
        raise Abort
    assert messages_of(dossier) == ["dossier_received"]
    dossier.refresh_from_db()
    assert dossier.state == Dossier.State.RECEIVED


# --- Personal data -------------------------------------------------------------------------


def test_phone_and_id_number_are_masked_for_public_pages():
    dossier = Dossier(applicant_phone="0912345678", applicant_id_number="001203004567")
    assert dossier.masked_phone() == "091****678"
    assert dossier.masked_id_number() == "*********567"
    assert Dossier(applicant_id_number="").masked_id_number() == ""
