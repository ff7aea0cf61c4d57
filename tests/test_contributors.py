"""Contributors and respected residents (S8): the list with search, pagination and export;
a recorded contribution drafts one thank-you letter; the yearly meeting's invitation list,
invitations as one DOCX (a page per invitee) and attendance; roles and commune isolation."""

import io
from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook

from tests.dossier_helpers import TZ
from tests.factories_ceremonies import ContributionFactory, ContributorFactory, YearlyMeetingFactory
from tests.factories_letters import chairman_of
from thanthien.letters import contributor_services as services
from thanthien.letters.contributors import Contributor, Invitation, YearlyMeeting
from thanthien.letters.models import Letter, LetterType
from thanthien.people.roles import Role


@pytest.fixture
def chairman(commune_a):
    return chairman_of(commune_a)


@pytest.mark.django_db
def test_recorded_contribution_drafts_one_thank_you_letter(leader_a, commune_a, chairman):
    donor = services.contributor_save(
        actor=leader_a,
        commune=commune_a,
        name="Công ty TNHH Hòa Bình",
        is_organisation=True,
        address="Thôn Đông",
    )
    contribution = services.contribution_record(
        actor=leader_a,
        contributor=donor,
        description="ủng hộ làm đường liên thôn",
        date=date(2025, 3, 3),
        value_dong=50_000_000,
    )
    letter = Letter.objects.get()
    assert contribution.letter == letter
    assert letter.type == LetterType.THANKS and letter.state == Letter.State.DRAFT
    assert letter.recipient_name == "Công ty TNHH Hòa Bình"
    assert "ủng hộ làm đường liên thôn (50.000.000 đ)" in letter.body
    assert letter.event_details["event_date"] == "03/03/2025"
    # Asking again drafts nothing more.
    assert services.contribution_draft_letter(actor=leader_a, contribution=contribution) is None
    assert Letter.objects.count() == 1


@pytest.mark.django_db
def test_contribution_needs_a_value_in_money_or_in_kind(leader_a, commune_a):
    donor = ContributorFactory(commune=commune_a)
    with pytest.raises(ValidationError) as error:
        services.contribution_record(
            actor=leader_a, contributor=donor, description="ủng hộ", date=date(2025, 3, 3)
        )
    assert "value_dong" in error.value.message_dict
    in_kind = services.contribution_record(
        actor=leader_a,
        contributor=donor,
        description="hiến đất mở đường",
        date=date(2025, 3, 3),
        in_kind="200 m² đất",
    )
    assert in_kind.value_dong is None
    assert "200 m² đất" in in_kind.letter.body


@pytest.mark.django_db
def test_only_leaders_and_admins_keep_the_list(
    client, official, leader_a, admin_a, commune_a, make_user, commune_b
):
    with pytest.raises(PermissionDenied):
        services.contributor_save(actor=official, commune=commune_a, name="Ông A")
    leader_b = make_user(Role.COMMUNE_LEADER, commune=commune_b)
    with pytest.raises(PermissionDenied):
        services.contributor_save(actor=leader_b, commune=commune_a, name="Ông A")
    donor = services.contributor_save(actor=admin_a, commune=commune_a, name="Ông A")
    with pytest.raises(PermissionDenied):
        services.contribution_record(
            actor=official, contributor=donor, description="x", date=date(2025, 1, 1), value_dong=1
        )
    client.force_login(official)
    assert client.get(reverse("staff:contributor_list")).status_code == 200
    assert client.get(reverse("staff:contributor_new")).status_code == 403
    detail = client.get(reverse("staff:contributor_detail", kwargs={"pk": donor.pk}))
    assert detail.status_code == 200 and detail.context["contribution_form"] is None
    assert (
        client.post(reverse("staff:contributor_contribute", kwargs={"pk": donor.pk})).status_code
        == 403
    )


@pytest.mark.django_db
def test_province_evaluator_sees_no_names(client, make_user, province_p, commune_a):
    donor = ContributorFactory(commune=commune_a)
    evaluator = make_user(Role.PROVINCE_EVALUATOR, province=province_p)
    client.force_login(evaluator)
    for url in (
        reverse("staff:contributor_list"),
        reverse("staff:contributor_export"),
        reverse("staff:contributor_detail", kwargs={"pk": donor.pk}),
        reverse("staff:meeting_list"),
    ):
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_leader_records_a_contribution_on_the_page(client, leader_a, commune_a, chairman):
    donor = ContributorFactory(commune=commune_a, name="Bà Nguyễn Thị Hoa")
    client.force_login(leader_a)
    url = reverse("staff:contributor_contribute", kwargs={"pk": donor.pk})
    refused = client.post(url, {"description": "ủng hộ", "date": "2025-03-03"})
    assert refused.status_code == 200 and not donor.contributions.exists()
    done = client.post(
        url, {"description": "ủng hộ quỹ khuyến học", "date": "2025-03-03", "value_dong": "1000000"}
    )
    assert done.status_code == 302
    page = client.get(reverse("staff:contributor_detail", kwargs={"pk": donor.pk})).content.decode()
    assert "1.000.000 đ" in page
    assert "ủng hộ quỹ khuyến học" in page


@pytest.mark.django_db
def test_list_searches_without_diacritics_filters_paginates_and_exports(
    client, official, commune_a, commune_b, django_assert_max_num_queries
):
    an = ContributorFactory(commune=commune_a, name="Nguyễn Văn An", kind=Contributor.Kind.BOTH)
    ContributionFactory(commune=commune_a, contributor=an, value_dong=1_500_000)
    ContributionFactory(commune=commune_a, contributor=an, value_dong=2_000_000)
    elder = ContributorFactory(
        commune=commune_a, name="Cụ Lò Văn Sáu", kind=Contributor.Kind.RESPECTED
    )
    ContributorFactory(commune=commune_b, name="Nguyễn Văn An xã khác")
    client.force_login(official)
    url = reverse("staff:contributor_list")

    found = client.get(url, {"q": "nguyen van an"})
    names = [c.name for c in found.context["page"]]
    assert names == ["Nguyễn Văn An"]
    assert "3.500.000 đ" in found.content.decode()

    respected = client.get(url, {"kind": Contributor.Kind.RESPECTED})
    assert {c.name for c in respected.context["page"]} == {an.name, elder.name}

    ContributorFactory.create_batch(55, commune=commune_a)
    client.get(url)
    with django_assert_max_num_queries(8):
        first = client.get(url)
    assert len(first.context["page"]) == 50
    assert first.context["page"].paginator.num_pages == 2

    export = client.get(reverse("staff:contributor_export"), {"q": "nguyen van an"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    assert rows[1][0] == "Nguyễn Văn An"
    assert rows[1][6] == 2 and rows[1][7] == 3_500_000


@pytest.mark.django_db
def test_yearly_meeting_invitations_docx_and_attendance(
    client, leader_a, commune_a, commune_b, chairman
):
    people = [
        ContributorFactory(commune=commune_a, name=name, kind=kind)
        for name, kind in (
            ("Cụ Lò Văn Sáu", Contributor.Kind.RESPECTED),
            ("Công ty Hòa Bình", Contributor.Kind.CONTRIBUTOR),
            ("Bà Hoa", Contributor.Kind.BOTH),
        )
    ]
    people[1].is_organisation = True
    people[1].save()
    client.force_login(leader_a)
    created = client.post(
        reverse("staff:meeting_list"),
        {"held_at": "2025-12-20T08:00", "place": "Hội trường UBND xã", "agenda": "Tổng kết năm"},
    )
    assert created.status_code == 302
    meeting = YearlyMeeting.objects.get()
    assert meeting.year == 2025
    # One meeting per commune and year.
    with pytest.raises(ValidationError):
        services.meeting_save(
            actor=leader_a,
            commune=commune_a,
            held_at=datetime(2025, 12, 27, 8, tzinfo=TZ),
            place="Nhà văn hóa",
        )

    stranger = ContributorFactory(commune=commune_b)
    with pytest.raises(ValidationError):
        services.meeting_set_invitees(actor=leader_a, meeting=meeting, contributors=[stranger])
    invite_url = reverse("staff:meeting_invitees", kwargs={"pk": meeting.pk})
    # The other commune's id in the form is ignored.
    client.post(invite_url, {"contributor": [p.pk for p in people] + [stranger.pk]})
    assert set(Invitation.objects.values_list("contributor_id", flat=True)) == {
        p.pk for p in people
    }

    docx = client.get(reverse("staff:meeting_invitations_docx", kwargs={"pk": meeting.pk}))
    assert docx.status_code == 200
    document = Document(io.BytesIO(docx.content))
    assert len(document.sections) == 3  # a section (page) per invitee
    text = "\n".join(p.text for p in document.paragraphs)
    assert "GIẤY MỜI" in text.upper()
    assert "Ông/Bà Cụ Lò Văn Sáu" in text and "Đại diện Công ty Hòa Bình" in text
    assert "08 giờ 00, ngày 20/12/2025" in text
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    fonts = {run.font.name for p in document.paragraphs for run in p.runs if run.text.strip()}
    assert fonts == {"Times New Roman"}

    client.post(
        reverse("staff:meeting_attendance", kwargs={"pk": meeting.pk}),
        {"attended": [people[0].pk, people[2].pk]},
    )
    attended = dict(Invitation.objects.values_list("contributor_id", "attended"))
    assert attended == {people[0].pk: True, people[1].pk: False, people[2].pk: True}
    page = client.get(reverse("staff:meeting_detail", kwargs={"pk": meeting.pk}))
    assert page.context["meeting"].invited == 3 and page.context["meeting"].attended == 2

    # Dropping someone from the list removes their invitation only.
    client.post(invite_url, {"contributor": [people[0].pk, people[2].pk]})
    assert dict(Invitation.objects.values_list("contributor_id", "attended")) == {
        people[0].pk: True,
        people[2].pk: True,
    }


@pytest.mark.django_db
def test_official_sees_the_meeting_but_does_not_change_it(client, official, commune_a):
    meeting = YearlyMeetingFactory(commune=commune_a)
    client.force_login(official)
    assert client.get(reverse("staff:meeting_detail", kwargs={"pk": meeting.pk})).status_code == 200
    for name in ("meeting_invitees", "meeting_attendance"):
        assert client.post(reverse(f"staff:{name}", kwargs={"pk": meeting.pk})).status_code == 403
    assert client.post(reverse("staff:meeting_list"), {}).status_code == 405
