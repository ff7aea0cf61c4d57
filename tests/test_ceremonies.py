"""Ceremonies and visits: drafted from returned registrations with their letters, planned and
cancelled by leaders, recorded (with photos) by officials, shown on a month calendar, and
never seen by another commune or by the province's evaluators."""

from datetime import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from tests.dossier_helpers import TZ
from tests.factories import HamletFactory, OfficialFactory
from tests.factories_ceremonies import CeremonyFactory
from tests.factories_letters import chairman_of, png_bytes, returned_dossier
from tests.factories_onestop import ProcedureFactory
from thanthien.letters import ceremony_services as services
from thanthien.letters import services as letter_services
from thanthien.letters.ceremonies import Ceremony, CeremonyKind
from thanthien.letters.models import Letter, LetterType
from thanthien.people.roles import Role


@pytest.fixture
def chairman(commune_a):
    return chairman_of(commune_a)


# --- drafted from events ---------------------------------------------------------------------


@pytest.mark.django_db
def test_returned_birth_registration_plans_one_home_delivery_linked_to_its_letter(
    receive, official, procedure, chairman
):
    dossier = returned_dossier(official, procedure, receive)
    visit = Ceremony.objects.get()
    letter = Letter.objects.get()
    assert visit.kind == CeremonyKind.HOME_DELIVERY
    assert visit.state == Ceremony.State.PLANNED
    assert visit.source_dossier == dossier
    assert visit.recipient_name == dossier.applicant_name
    # The next working day (Friday 07/03/2025) at 9:00, local time.
    assert visit.starts_at == datetime(2025, 3, 7, 9, 0, tzinfo=TZ)
    assert list(visit.letters.all()) == [letter]
    assert letter.type == LetterType.CONGRATULATION

    # Replaying the event plans nothing more.
    assert (
        letter_services.letter_draft_for_returned_dossier(dossier=dossier, actor=official) is None
    )
    assert Ceremony.objects.count() == 1
    assert Letter.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("code", "kind"),
    [("1.000894", CeremonyKind.MARRIAGE), ("1.000656", CeremonyKind.CONDOLENCE)],
)
def test_marriage_plans_an_office_ceremony_and_death_a_condolence_visit(
    receive, official, commune_a, chairman, code, kind
):
    procedure = ProcedureFactory(commune=commune_a, code=code, name="Thủ tục hộ tịch")
    returned_dossier(official, procedure, receive)
    ceremony = Ceremony.objects.get()
    assert ceremony.kind == kind
    assert ceremony.letters.count() == 1
    if kind == CeremonyKind.MARRIAGE:
        assert commune_a.name in ceremony.place


@pytest.mark.django_db
def test_procedure_without_trigger_plans_nothing(receive, official, commune_a):
    other = ProcedureFactory(commune=commune_a, code="9.999999", name="Chứng thực bản sao")
    returned_dossier(official, other, receive)
    assert not Ceremony.objects.exists()


# --- planning, permissions -----------------------------------------------------------------


def _plan(actor, commune, **overrides):
    values = {
        "actor": actor,
        "commune": commune,
        "kind": CeremonyKind.OTHER,
        "starts_at": datetime(2025, 3, 12, 15, 0, tzinfo=TZ),
        "place": "Nhà ông Hòa, thôn Đông",
        "recipient_name": "Gia đình ông Nguyễn Văn Hòa",
    }
    return services.ceremony_plan(**{**values, **overrides})


@pytest.mark.django_db
def test_only_leaders_and_admins_plan_edit_and_cancel(
    make_user, official, leader_a, admin_a, commune_a, commune_b
):
    with pytest.raises(PermissionDenied):
        _plan(official, commune_a)
    leader_b = make_user(Role.COMMUNE_LEADER, commune=commune_b)
    with pytest.raises(PermissionDenied):
        _plan(leader_b, commune_a)
    went = OfficialFactory(commune=commune_a)
    ceremony = _plan(leader_a, commune_a, officials=[went])
    assert list(ceremony.officials.all()) == [went]

    with pytest.raises(PermissionDenied):
        services.ceremony_cancel(actor=official, ceremony=ceremony, reason="Gia đình đi vắng")
    with pytest.raises(ValidationError):
        services.ceremony_cancel(actor=admin_a, ceremony=ceremony, reason=" ")
    services.ceremony_cancel(actor=admin_a, ceremony=ceremony, reason="Gia đình đi vắng")
    ceremony.refresh_from_db()
    assert ceremony.state == Ceremony.State.CANCELLED
    # A cancelled visit is neither edited nor recorded.
    with pytest.raises(ValidationError):
        services.ceremony_record_done(
            actor=official,
            ceremony=ceremony,
            done_at=timezone.now(),
            outcome="Đã thăm",
            officials=[went],
        )
    # The state change is in the audit log.
    changes = [entry.changes_dict for entry in LogEntry.objects.get_for_object(ceremony)]
    assert any(change.get("state") == ["planned", "cancelled"] for change in changes)


@pytest.mark.django_db
def test_another_communes_officials_hamlet_or_letters_are_refused(leader_a, commune_a, commune_b):
    with pytest.raises(ValidationError) as error:
        _plan(
            leader_a,
            commune_a,
            officials=[OfficialFactory(commune=commune_b)],
            hamlet=HamletFactory(commune=commune_b),
        )
    assert set(error.value.message_dict) == {"officials", "hamlet"}
    assert not Ceremony.objects.exists()


@pytest.mark.django_db
def test_official_records_the_visit_with_photos_on_its_page(client, official, leader_a, commune_a):
    went = OfficialFactory(commune=commune_a, full_name="Lê Văn Đi Thăm")
    ceremony = _plan(leader_a, commune_a)
    client.force_login(official)
    url = reverse("staff:ceremony_record", kwargs={"pk": ceremony.pk})
    assert client.get(url).status_code == 200
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    bad = client.post(
        url,
        {
            "done_at": when,
            "officials": [went.pk],
            "outcome": "Đã trao giấy khai sinh",
            "photos": [SimpleUploadedFile("a.png", b"not a picture", content_type="image/png")],
        },
    )
    assert bad.status_code == 200
    ceremony.refresh_from_db()
    assert ceremony.state == Ceremony.State.PLANNED

    good = client.post(
        url,
        {
            "done_at": when,
            "officials": [went.pk],
            "outcome": "Đã trao giấy khai sinh và thẻ BHYT cho cháu",
            "photos": [
                SimpleUploadedFile("1.png", png_bytes(), content_type="image/png"),
                SimpleUploadedFile("2.png", png_bytes(), content_type="image/png"),
            ],
        },
    )
    assert good.status_code == 302
    ceremony.refresh_from_db()
    assert ceremony.state == Ceremony.State.DONE
    assert ceremony.done_at is not None
    assert list(ceremony.officials.all()) == [went]
    photos = list(ceremony.photos.all())
    assert len(photos) == 2 and all(p.commune_id == commune_a.pk for p in photos)
    detail = client.get(reverse("staff:ceremony_detail", kwargs={"pk": ceremony.pk}))
    assert "Lê Văn Đi Thăm" in detail.content.decode()
    image = client.get(reverse("staff:ceremony_photo", kwargs={"pk": photos[0].pk}))
    assert image.status_code == 200

    # The official may not edit or cancel the plan.
    assert client.get(reverse("staff:ceremony_edit", kwargs={"pk": ceremony.pk})).status_code == 403
    cancel = client.post(reverse("staff:ceremony_cancel", kwargs={"pk": ceremony.pk}), {})
    assert cancel.status_code == 403


@pytest.mark.django_db
def test_recording_in_the_future_or_without_who_went_is_refused(official, leader_a, commune_a):
    ceremony = _plan(leader_a, commune_a)
    went = OfficialFactory(commune=commune_a)
    with pytest.raises(ValidationError) as error:
        services.ceremony_record_done(
            actor=official,
            ceremony=ceremony,
            done_at=timezone.now() + timezone.timedelta(days=1),
            outcome="",
            officials=[],
        )
    assert set(error.value.message_dict) == {"done_at", "officials", "outcome"}
    services.ceremony_record_done(
        actor=official,
        ceremony=ceremony,
        done_at=timezone.now(),
        outcome="Đã thăm",
        officials=[went],
    )


@pytest.mark.django_db
def test_leader_plans_and_moves_a_ceremony_through_the_pages(client, leader_a, commune_a):
    went = OfficialFactory(commune=commune_a)
    client.force_login(leader_a)
    response = client.post(
        reverse("staff:ceremony_new"),
        {
            "kind": CeremonyKind.MARRIAGE,
            "starts_at": "2025-03-14T08:30",
            "place": "Hội trường UBND xã",
            "recipient_name": "Anh Minh và chị Lan",
            "officials": [went.pk],
        },
    )
    assert response.status_code == 302
    ceremony = Ceremony.objects.get()
    assert ceremony.starts_at == datetime(2025, 3, 14, 8, 30, tzinfo=TZ)
    edit = client.post(
        reverse("staff:ceremony_edit", kwargs={"pk": ceremony.pk}),
        {
            "kind": CeremonyKind.MARRIAGE,
            "starts_at": "2025-03-17T09:00",
            "place": "Hội trường UBND xã",
            "recipient_name": "Anh Minh và chị Lan",
            "officials": [went.pk],
        },
    )
    assert edit.status_code == 302
    ceremony.refresh_from_db()
    assert ceremony.starts_at == datetime(2025, 3, 17, 9, 0, tzinfo=TZ)


# --- the calendar ----------------------------------------------------------------------------

FAMILIES = {3: "Lê", 10: "Trần", 31: "Phạm"}


@pytest.mark.django_db
def test_calendar_shows_the_months_ceremonies_in_a_grid_and_a_list(
    client, official, commune_a, commune_b, django_assert_max_num_queries
):
    march = [
        CeremonyFactory(
            commune=commune_a,
            starts_at=datetime(2025, 3, day, 9, 0, tzinfo=TZ),
            recipient_name=f"Nhà họ {FAMILIES[day]}",
        )
        for day in (3, 10, 31)
    ]
    for ceremony in march:
        ceremony.officials.add(OfficialFactory(commune=commune_a))
    CeremonyFactory(
        commune=commune_a,
        starts_at=datetime(2025, 4, 1, 9, 0, tzinfo=TZ),
        recipient_name="Gia đình tháng Tư",
    )
    CeremonyFactory(
        commune=commune_b,
        starts_at=datetime(2025, 3, 10, 9, 0, tzinfo=TZ),
        recipient_name="Gia đình xã khác",
    )
    client.force_login(official)
    url = reverse("staff:ceremony_calendar") + "?thang=2025-03"
    client.get(url)  # warm the session and permission caches
    with django_assert_max_num_queries(10):
        response = client.get(url)
    page = response.content.decode()
    assert response.status_code == 200
    for name in FAMILIES.values():
        # In the grid and in the phone list.
        assert page.count(f"Nhà họ {name}") == 2
    assert "Gia đình tháng Tư" not in page
    assert "Gia đình xã khác" not in page
    assert "?thang=2025-02" in page and "?thang=2025-04" in page
    # More ceremonies do not mean more queries.
    for day in range(11, 25):
        c = CeremonyFactory(commune=commune_a, starts_at=datetime(2025, 3, day, 9, tzinfo=TZ))
        c.officials.add(OfficialFactory(commune=commune_a))
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_province_evaluator_sees_no_ceremony_page(client, make_user, province_p, commune_a):
    ceremony = CeremonyFactory(commune=commune_a)
    evaluator = make_user(Role.PROVINCE_EVALUATOR, province=province_p)
    client.force_login(evaluator)
    assert client.get(reverse("staff:ceremony_calendar")).status_code == 403
    assert (
        client.get(reverse("staff:ceremony_detail", kwargs={"pk": ceremony.pk})).status_code == 403
    )


@pytest.mark.django_db
def test_another_communes_ceremony_answers_404(client, make_user, commune_b, leader_a):
    theirs = CeremonyFactory(commune=commune_b)
    client.force_login(leader_a)
    for name in ("ceremony_detail", "ceremony_edit", "ceremony_record"):
        assert client.get(reverse(f"staff:{name}", kwargs={"pk": theirs.pk})).status_code == 404
    with pytest.raises(PermissionDenied):
        services.ceremony_cancel(actor=leader_a, ceremony=theirs, reason="Không phải của xã")
