"""The synthetic dossiers (demo, benchmarks): reproducible, and exactly what the services write.

The strongest check replays generated dossiers move by move through the real services
(dossier_services, apology_services) and compares every row they leave with the generator's.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from tests.factories import OfficeFactory, OfficialFactory
from tests.factories_onestop import (
    ProcedureFactory,
    ProcedureFieldFactory,
    RequiredDocumentFactory,
)
from thanthien.core import workdays
from thanthien.notify.models import Message
from thanthien.onestop import apology_services, dossier_services
from thanthien.onestop.dossier_selectors import local_day
from thanthien.onestop.generate import (
    CommuneSpec,
    CopyWriter,
    DossierGenerator,
    Person,
    generated_dossiers_save,
    procedure_specs,
)
from thanthien.onestop.models import (
    ApologySlip,
    Dossier,
    DossierCounter,
    DossierEvent,
    DossierSupplement,
    Procedure,
)
from thanthien.people.models import Office, Official, User
from thanthien.people.roles import Role

pytestmark = pytest.mark.django_db

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2025, 7, 15, 10, 20, tzinfo=TZ)  # a Tuesday morning
NAMES = ["Nguyễn Văn An", "Trần Thị Bình", "Lê Hoàng Cường", "Phạm Thu Dung", "Đỗ Minh Đức"]
EVENT_FIELDS = [
    "kind",
    "at",
    "actor_id",
    "from_state",
    "to_state",
    "from_office_id",
    "from_official_id",
    "to_office_id",
    "to_official_id",
    "note",
    "step_due_date",
    "step_result",
    "step_finished_at",
]
SUPPLEMENT_FIELDS = [
    "items",
    "unlisted_items",
    "needs_leader_review",
    "requested_at",
    "requested_by_id",
    "note",
    "completed_at",
]
SLIP_FIELDS = [
    "kind",
    "state",
    "year",
    "reason",
    "original_due_date",
    "new_due_date",
    "drafted_at",
    "issued_at",
    "issued_by_id",
    "note",
]
MESSAGE_FIELDS = [
    "event",
    "channel",
    "dedupe_key",
    "recipient_name",
    "phone",
    "email",
    "subject",
    "body",
    "context",
    "zalo_template_id",
    "sms_fallback",
]


@pytest.fixture
def world(commune_a, make_user, settings):
    """A small commune: a desk, a specialist office, a leader; three procedures."""
    settings.THANTHIEN_NOTIFY_BODY_RETENTION_DAYS = 10_000  # keep every body to compare
    desk_office = OfficeFactory(commune=commune_a, name="Trung tâm Phục vụ hành chính công")
    culture = OfficeFactory(commune=commune_a, name="Phòng Văn hóa – Xã hội")
    committee = OfficeFactory(commune=commune_a, name="Văn phòng HĐND và UBND")
    desk = [OfficialFactory(commune=commune_a, office=desk_office) for _ in range(2)]
    specialist = OfficialFactory(commune=commune_a, office=culture)
    signer = OfficialFactory(commune=commune_a, office=committee)
    clerk = make_user(Role.COMMUNE_OFFICIAL, commune=commune_a)
    leader = make_user(Role.COMMUNE_LEADER, commune=commune_a)
    certify = ProcedureFieldFactory(code="chung-thuc", name="Chứng thực")
    civil = ProcedureFieldFactory(code="ho-tich", name="Hộ tịch")
    social = ProcedureFieldFactory(code="lao-dong-tbxh", name="Lao động")
    for code, name, field, days, postal, online in [
        ("2.000815", "Chứng thực bản sao từ bản chính", certify, 0, True, "partial"),
        ("1.004873", "Cấp Giấy xác nhận tình trạng hôn nhân", civil, 3, True, "full"),
        ("1.011606", "Công nhận hộ nghèo", social, 7, False, "in_person"),
    ]:
        procedure = ProcedureFactory(
            commune=commune_a,
            code=code,
            name=name,
            field=field,
            processing_days=days,
            postal_return=postal,
            online_level=online,
        )
        for n in range(3):
            RequiredDocumentFactory(procedure=procedure, name=f"Giấy tờ {n + 1} của {code}")
    spec = CommuneSpec(
        id=commune_a.pk,
        code=commune_a.code,
        name=commune_a.name,
        procedures=procedure_specs(commune_ids=[commune_a.pk])[commune_a.pk],
        desk=tuple(Person(o.pk, o.office_id) for o in desk),
        specialists={"": (Person(specialist.pk, specialist.office_id),)},
        signers=(Person(signer.pk, signer.office_id),),
        desk_user_ids=(clerk.pk,),
        leader_user_id=leader.pk,
        addresses=("Thôn Đông, xã An", "Thôn Đoài, xã An"),
    )
    return spec


def generate(spec, *, count=400, seed=7, now=NOW, days=120):
    generator = DossierGenerator(commune=spec, seed=seed, now=now, names=NAMES, days=days)
    return generator, list(generator.generate(count))


def test_the_same_seed_and_moment_give_the_same_dossiers(world):
    _, first = generate(world, count=120)
    _, again = generate(world, count=120)
    _, other = generate(world, count=120, seed=8)

    def content(items):
        return [(g.values, g.events, g.supplements, g.apologies, g.messages) for g in items]

    assert content(first) == content(again)
    assert content(first) != content(other)


def test_dossiers_are_received_on_working_days_in_office_hours_with_the_platforms_due_date(
    world,
):
    _, items = generate(world, count=300)
    off = workdays.non_working_days(NOW.date() - timedelta(days=130), NOW.date())
    assert 250 <= len(items) <= 300  # the ones due later today are not received yet
    assert all(g.values["received_at"] <= NOW for g in items)
    for g in items:
        local = g.values["received_at"].astimezone(TZ)
        assert local.date() not in off
        assert (7, 30) <= (local.hour, local.minute) < (17, 0)
        assert not (11, 30) <= (local.hour, local.minute) < (13, 30)
        received = g.values["received_at"]
        assert g.values["receipt_day"] == workdays.receipt_day(received)
        first_due = workdays.due_date(received, g.values["processing_days"])
        due = g.values["original_due_date"] or g.values["due_date"]
        if g.values["supplement_completed_at"] is None:
            assert due == first_due, g.values["code"]
    # Codes number each day's dossiers in the order they came.
    codes = [g.values["code"] for g in items]
    assert len(set(codes)) == len(codes)
    assert codes == sorted(codes)


def sample(items):
    """Up to three dossiers of each shape the generator makes."""
    shapes = {
        "refused": lambda g: g.values["state"] == "refused",
        "withdrawn": lambda g: g.values["state"] == "withdrawn",
        "supplemented": lambda g: g.values["supplement_completed_at"] is not None,
        "waiting for papers": lambda g: g.values["state"] == "supplement",
        "unlisted paper": lambda g: any(s["unlisted_items"] for s in g.supplements),
        "rescheduled": lambda g: g.values["rescheduled_at"] is not None,
        "late slip issued": lambda g: any(
            s["kind"] == "late" and s["state"] == "issued" for s in g.apologies
        ),
        "late slip dropped": lambda g: any(s["state"] == "dropped" for s in g.apologies),
        "late slip waiting": lambda g: any(s["state"] == "draft" for s in g.apologies),
        "by post": lambda g: g.values["return_method"] == "post" and g.values["returned_at"],
        "open": lambda g: g.values["state"] in ("received", "in_progress"),
        "zalo": lambda g: g.values["notify_channel"] == "zalo",
        "email": lambda g: g.values["notify_channel"] == "email",
        "no message": lambda g: g.values["notify_channel"] == "none",
    }
    chosen, found = {}, set()
    for name, test in shapes.items():
        matching = [g for g in items if test(g)]
        if matching:
            found.add(name)
        for g in matching[:3]:
            chosen[g.values["code"]] = g
    return list(chosen.values()), found


def replay(g, spec):
    """Play a generated dossier through the real services, returning the dossier they made."""
    users = {u.pk: u for u in User.objects.filter(commune_id=spec.id)}
    values = g.values
    day = values["received_at"].astimezone(TZ).date()
    # The day's counter stands where it stood when this dossier came in.
    DossierCounter.objects.update_or_create(
        commune_id=spec.id, day=day, defaults={"last": int(values["code"].rsplit("-", 1)[1]) - 1}
    )
    dossier = dossier_services.dossier_receive(
        actor=users[values["created_by_id"]],
        procedure=Procedure.objects.get(pk=values["procedure_id"]),
        applicant_name=values["applicant_name"],
        applicant_phone=values["applicant_phone"],
        applicant_address=values["applicant_address"],
        applicant_id_number=values["applicant_id_number"],
        channel=values["channel"],
        return_method=values["return_method"],
        appointment_at=values["appointment_at"],
        notify_channel=values["notify_channel"],
        consent_sms=values["consent_sms"],
        consent_zalo=values["consent_zalo"],
        consent_email=values["consent_email"],
        email=values["email"],
        documents_received=values["documents_received"],
        handling_official=Official.objects.get(pk=g.events[0]["to_official_id"]),
        received_at=values["received_at"],
    )
    for step in g.steps:
        actor = users[step.actor_id]
        if step.kind == "handover":
            dossier_services.dossier_handover(
                actor=actor,
                dossier=dossier,
                to_official=Official.objects.get(pk=step.to.official_id),
                to_office=Office.objects.get(pk=step.to.office_id),
                step_due_date=step.step_due,
                note=step.note,
                at=step.at,
            )
        elif step.kind == "request_supplement":
            dossier_services.dossier_request_supplement(
                actor=actor, dossier=dossier, items=step.items, note=step.note, at=step.at
            )
        elif step.kind == "complete_supplement":
            dossier_services.dossier_complete_supplement(
                actor=actor, dossier=dossier, note=step.note, at=step.at
            )
        elif step.kind == "refuse":
            dossier_services.dossier_refuse(
                actor=actor, dossier=dossier, reason=step.reason, at=step.at
            )
        elif step.kind == "withdraw":
            dossier_services.dossier_withdraw(
                actor=actor, dossier=dossier, reason=step.reason, at=step.at
            )
        elif step.kind == "result_ready":
            dossier_services.dossier_result_ready(
                actor=actor, dossier=dossier, note=step.note, at=step.at
            )
        elif step.kind == "return":
            dossier_services.dossier_return(
                actor=actor, dossier=dossier, note=step.note, at=step.at
            )
        elif step.kind == "reschedule":
            dossier_services.dossier_reschedule(
                actor=actor,
                dossier=dossier,
                new_due_date=step.new_due,
                reason=step.reason,
                at=step.at,
            )
        elif step.kind == "late_slip":
            dossier.refresh_from_db()
            drafted = apology_services.apology_draft_for_late(
                dossiers=[dossier], today=local_day(step.at), at=step.at
            )
            assert len(drafted) == 1, values["code"]
        elif step.kind == "slip_issue":
            apology_services.apology_issue(
                actor=actor,
                slip=ApologySlip.objects.get(dossier=dossier, kind="late"),
                reason=step.reason,
                new_due_date=step.new_due,
                at=step.at,
            )
        elif step.kind == "slip_drop":
            apology_services.apology_drop(
                actor=actor,
                slip=ApologySlip.objects.get(dossier=dossier, kind="late"),
                note=step.note,
            )
        else:  # pragma: no cover
            raise AssertionError(step.kind)
    dossier.refresh_from_db()
    return dossier


def test_generated_dossiers_are_what_the_services_would_have_written(world):
    generator, items = generate(world, count=700, days=200)
    generator.number_apologies()
    chosen, found = sample(items)
    # Every shape of dossier is among them, so each kind of move is replayed.
    assert found >= {
        "refused",
        "withdrawn",
        "supplemented",
        "rescheduled",
        "late slip issued",
        "late slip dropped",
        "by post",
        "zalo",
        "no message",
    }, found

    for g in chosen:
        dossier = replay(g, world)
        code = g.values["code"]
        assert dossier.code == code
        skip = {"created_at", "updated_at"}
        for name, value in g.values.items():
            if name not in skip:
                assert getattr(dossier, name) == value, (code, name)
        events = list(dossier.events.order_by("at", "pk").values(*EVENT_FIELDS))
        assert events == g.events, code
        supplements = list(
            DossierSupplement.objects.filter(dossier=dossier)
            .order_by("requested_at")
            .values(*SUPPLEMENT_FIELDS)
        )
        assert supplements == [{k: s[k] for k in SUPPLEMENT_FIELDS} for s in g.supplements]
        slips = list(
            ApologySlip.objects.filter(dossier=dossier).order_by("drafted_at").values(*SLIP_FIELDS)
        )
        # (The replay numbers only its own few slips: numbers have their own test.)
        expected = sorted(g.apologies, key=lambda s: s["drafted_at"])
        assert slips == [{k: s[k] for k in SLIP_FIELDS} for s in expected], code
        messages = list(
            Message.objects.filter(related_id=str(dossier.pk), fallback_of__isnull=True)
            .order_by("created_at", "pk")
            .values(*MESSAGE_FIELDS)
        )
        generated = [
            {k: m[k] for k in MESSAGE_FIELDS} for m in g.messages if m["fallback_of"] is None
        ]
        assert messages == generated, code


def test_issued_apology_slips_are_numbered_per_year_in_the_order_they_were_issued(world):
    generator, items = generate(world, count=700, days=365, now=datetime(2026, 3, 2, 9, tzinfo=TZ))
    generator.number_apologies()
    issued = sorted(
        (s for g in items for s in g.apologies if s["state"] == "issued"),
        key=lambda s: s["issued_at"],
    )
    years = {s["year"] for s in issued}
    assert years == {2025, 2026}
    for year in years:
        numbers = [s["number"] for s in issued if s["year"] == year]
        assert numbers == list(range(1, len(numbers) + 1))
    assert all(s["number"] is None for g in items for s in g.apologies if s["state"] != "issued")


def test_the_present_has_open_dossiers_some_due_soon_some_late(world):
    _, items = generate(world, count=1500, days=365)
    today = NOW.date()
    horizon = workdays.add_working_days(today, 1)
    running = [g.values for g in items if g.values["state"] in ("received", "in_progress")]
    assert any(today <= v["due_date"] <= horizon for v in running)
    late_now = [v for v in running if v["due_date"] < today]
    assert late_now
    # The overdue watch has drafted a slip for each of them.
    slipped = {g.values["code"] for g in items for s in g.apologies if s["kind"] == "late"}
    assert {v["code"] for v in late_now} <= slipped


def test_saved_dossiers_keep_their_history_and_the_desk_numbers_on(world):
    generator, items = generate(world, count=200)
    totals = generated_dossiers_save(generator=generator, dossiers=items, batch_size=50)
    assert totals["dossiers"] == Dossier.objects.filter(commune_id=world.id).count() == len(items)
    assert totals["events"] == DossierEvent.objects.count()
    assert Message.objects.count() == totals["messages"] > 0
    first = Dossier.objects.order_by("received_at").first()
    assert first.created_at == first.received_at  # a history keeps its own timestamps
    last_day = max(g.values["received_at"].astimezone(TZ).date() for g in items)
    counter = DossierCounter.objects.get(commune_id=world.id, day=last_day)
    assert counter.last == sum(
        1 for g in items if g.values["received_at"].astimezone(TZ).date() == last_day
    )
    assert all(m.attempts.count() == (m.status != "queued") for m in Message.objects.all())


@pytest.mark.skipif(connection.vendor != "postgresql", reason="COPY is PostgreSQL's")
def test_copy_rows_load_the_same_dossiers_as_bulk_create(world):
    generator, items = generate(world, count=80)
    writer = CopyWriter(
        {"dossier": 900_001, "event": 900_001, "supplement": 1, "apology": 1, "counter": 1}
    )
    rows = writer.rows(items)
    with connection.cursor() as cursor:
        for key in ("dossier", "event", "supplement"):
            with cursor.copy(writer.copy_sql(key)) as copy:
                for row in rows[key]:
                    copy.write_row(row)
        with cursor.copy(writer.copy_sql("apology")) as copy:
            for row in writer.apology_rows(generator):
                copy.write_row(row)
        for sql in writer.sequence_sql():
            cursor.execute(sql)
    stored = {d.code: d for d in Dossier.objects.filter(commune_id=world.id)}
    assert len(stored) == len(items)
    for g in items:
        dossier = stored[g.values["code"]]
        assert dossier.due_date == g.values["due_date"]
        assert dossier.documents_received == g.values["documents_received"]
        assert dossier.events.count() == len(g.events)
    # The sequences moved past the copied ids: the next dossier gets a fresh one.
    assert Dossier.objects.order_by("-pk").first().pk == 900_000 + len(items)
