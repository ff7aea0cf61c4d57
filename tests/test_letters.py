"""Letters (thư công): templates and their placeholders, drafts from events, approval and
numbering, the ND 30 DOCX, the register, and commune isolation."""

import io
from datetime import date, datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from docx import Document
from docx.shared import Mm
from openpyxl import load_workbook

from tests.dossier_helpers import TZ, at
from tests.factories_letters import LetterFactory, chairman_of, png_bytes, returned_dossier
from tests.factories_onestop import ProcedureFactory
from thanthien.letters import services
from thanthien.letters.documents import letter_document, letters_docx
from thanthien.letters.forms import TemplateForm
from thanthien.letters.models import Letter, LetterTemplate, LetterType, Occasion
from thanthien.onestop import dossier_services
from thanthien.people.roles import Role

PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture
def chairman(commune_a):
    return chairman_of(commune_a)


@pytest.fixture
def marriage(commune_a):
    return ProcedureFactory(
        commune=commune_a, code="1.000894", name="Đăng ký kết hôn", processing_days=3
    )


@pytest.fixture
def returned_marriage(receive, official, marriage, chairman):
    return returned_dossier(official, marriage, receive)


# --- templates -------------------------------------------------------------------------


@pytest.mark.django_db
def test_unknown_placeholder_is_refused_by_model_form_and_service(admin_a, commune_a):
    body = "Chúc mừng {recipient}, cháu {child_name} ra đời."
    # {child_name} belongs to a birth, not to a marriage.
    template = LetterTemplate(
        commune=commune_a, occasion=Occasion.MARRIAGE, title="Thư chúc mừng", body=body
    )
    with pytest.raises(ValidationError) as model_error:
        template.save()
    assert "{child_name}" in str(model_error.value)
    assert "{event_date}" in str(model_error.value)  # the allowed ones are listed

    form = TemplateForm({"title": "Thư", "body": body}, occasion=Occasion.MARRIAGE)
    assert not form.is_valid()
    assert "{recipient}" in " ".join(form.errors["body"])

    with pytest.raises(ValidationError):
        services.template_save(
            actor=admin_a,
            commune_id=commune_a.pk,
            occasion=Occasion.MARRIAGE,
            title="Thư",
            body=body,
        )
    assert not LetterTemplate.objects.exists()
    # The same text is fine for a birth.
    services.template_save(
        actor=admin_a, commune_id=commune_a.pk, occasion=Occasion.BIRTH, title="Thư", body=body
    )
    assert LetterTemplate.objects.get().occasion == Occasion.BIRTH


@pytest.mark.django_db
def test_only_the_commune_admin_edits_templates(leader_a, official, commune_a, commune_b):
    for user in (leader_a, official):
        with pytest.raises(PermissionDenied):
            services.template_save(
                actor=user,
                commune_id=commune_a.pk,
                occasion=Occasion.THANKS,
                title="Thư",
                body="Cảm ơn {recipient}",
            )


@pytest.mark.django_db
def test_template_page_previews_and_saves(client, admin_a, commune_a):
    client.force_login(admin_a)
    url = reverse("staff:letter_template_edit") + "?dip=birth"
    page = client.get(url)
    assert "{child_name}" in page.content.decode()
    body = "Chúc mừng gia đình {recipient} đón cháu {child_name}."
    preview = client.post(url, {"title": "Thư chúc mừng", "body": body, "action": "preview"})
    html = preview.content.decode()
    assert "Chúc mừng gia đình Nguyễn Văn An đón cháu Nguyễn Minh Khang." in html
    assert not LetterTemplate.objects.exists()
    refused = client.post(url, {"title": "T", "body": "Xin chào {ten}", "action": "save"})
    assert "Không có trường {ten}" in refused.content.decode()
    saved = client.post(url, {"title": "Thư chúc mừng", "body": body, "action": "save"})
    assert saved.status_code == 302
    assert LetterTemplate.objects.get(commune=commune_a, occasion="birth").body == body


@pytest.mark.django_db
def test_english_text_is_shown_only_to_english_readers():
    from thanthien.letters.texts import default_templates

    text = default_templates()["death"]
    assert text.body_for_language("en").startswith("The People's Committee")
    assert text.body_for_language("vi").startswith("Ủy ban nhân dân")
    assert "48 giờ" in text.annex  # the civil-funeral rules come with the condolence letter


# --- drafts from events ----------------------------------------------------------------


@pytest.mark.django_db
def test_returned_marriage_dossier_drafts_one_congratulation(returned_marriage, chairman):
    letter = Letter.objects.get()
    assert letter.type == LetterType.CONGRATULATION
    assert letter.occasion == Occasion.MARRIAGE
    assert letter.state == Letter.State.DRAFT
    assert letter.source_dossier == returned_marriage
    assert letter.recipient_name == returned_marriage.applicant_name
    assert letter.signer == chairman
    assert "06/03/2025" in letter.body
    assert "{" not in letter.body
    # Replayed, the event drafts nothing more.
    assert services.letter_draft_for_returned_dossier(dossier=returned_marriage, actor=None) is None
    assert Letter.objects.count() == 1


@pytest.mark.django_db
def test_procedure_without_trigger_drafts_nothing(receive, official, procedure, settings):
    settings.LETTER_TRIGGERS = {"1.000894": "marriage"}  # birth not configured here
    returned_dossier(official, procedure, receive)
    assert not Letter.objects.exists()


@pytest.mark.django_db
def test_death_registration_drafts_condolence_with_funeral_rules(receive, official, commune_a):
    death = ProcedureFactory(commune=commune_a, code="1.000656", name="Đăng ký khai tử")
    returned_dossier(official, death, receive)
    letter = Letter.objects.get()
    assert letter.type == LetterType.CONDOLENCE
    assert "tang" in letter.annex


@pytest.mark.django_db
def test_reschedule_drafts_an_apology_letter(receive, official):
    dossier = receive()
    dossier_services.dossier_reschedule(
        actor=official,
        dossier=dossier,
        new_due_date=date(2025, 3, 11),
        reason="chờ xác minh của công an",
        at=at(date(2025, 3, 5)),
    )
    letter = Letter.objects.get()
    assert letter.type == LetterType.APOLOGY
    assert letter.form_number == "02"
    assert "06/03/2025" in letter.body and "11/03/2025" in letter.body
    assert "chờ xác minh của công an" in letter.body
    assert letter.source_dossier == dossier


# --- approval and numbering ------------------------------------------------------------


@pytest.mark.django_db
def test_only_a_leader_approves_and_numbers_per_commune_and_year(
    returned_marriage, official, admin_a, leader_a, make_user, commune_b
):
    letter = Letter.objects.get()
    leader_b = make_user(Role.COMMUNE_LEADER, commune=commune_b)
    for user in (official, admin_a, leader_b):
        with pytest.raises(PermissionDenied):
            services.letter_approve(actor=user, letter=letter)
    moment = datetime(2025, 3, 7, 10, tzinfo=TZ)
    first = services.letter_approve(actor=leader_a, letter=letter, at=moment)
    assert (first.number, first.year, first.state) == (1, 2025, Letter.State.APPROVED)
    second = services.letter_draft(
        actor=official,
        commune=letter.commune,
        occasion=Occasion.THANKS,
        recipient_name="Công ty Bình An",
        details={"contribution": "đã tặng 20 bộ bàn ghế cho điểm trường"},
    )
    assert services.letter_approve(actor=leader_a, letter=second, at=moment).number == 2
    third = services.letter_draft(
        actor=official, commune=letter.commune, occasion="thanks", recipient_name="Bà Lan"
    )
    next_year = datetime(2026, 1, 5, 10, tzinfo=TZ)
    assert services.letter_approve(actor=leader_a, letter=third, at=next_year).number == 1
    with pytest.raises(ValidationError):
        services.letter_approve(actor=leader_a, letter=first)  # already approved


@pytest.mark.django_db
def test_leader_drops_a_draft_with_a_note(returned_marriage, leader_a):
    letter = Letter.objects.get()
    with pytest.raises(ValidationError):
        services.letter_drop(actor=leader_a, letter=letter, note=" ")
    services.letter_drop(actor=leader_a, letter=letter, note="Gia đình đã chuyển đi")
    letter.refresh_from_db()
    assert letter.state == Letter.State.DROPPED and letter.number is None


@pytest.mark.django_db
def test_delivery_with_photo_evidence(client, returned_marriage, leader_a, official):
    letter = services.letter_approve(actor=leader_a, letter=Letter.objects.get())
    client.force_login(official)
    url = reverse("staff:letter_deliver", kwargs={"pk": letter.pk})
    when = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    bad = client.post(
        url,
        {
            "delivery_method": "ceremony",
            "delivered_at": when,
            "photo": SimpleUploadedFile("a.png", b"not a picture", content_type="image/png"),
        },
    )
    assert bad.status_code == 200
    letter.refresh_from_db()
    assert letter.state == Letter.State.APPROVED
    good = client.post(
        url,
        {
            "delivery_method": "ceremony",
            "delivered_at": when,
            "photo": SimpleUploadedFile("le-trao.png", png_bytes(), content_type="image/png"),
        },
    )
    assert good.status_code == 302
    letter.refresh_from_db()
    assert letter.state == Letter.State.DELIVERED
    assert letter.delivery_method == Letter.Delivery.CEREMONY
    assert letter.photo.name.startswith("letters/")
    photo = client.get(reverse("staff:letter_photo", kwargs={"pk": letter.pk}))
    assert photo.status_code == 200
    # The evidence photo shows a resident: kept outside MEDIA_ROOT, with no public URL.
    stored = Path(letter.photo.path).resolve()
    assert stored.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT).resolve())
    assert not stored.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    with pytest.raises(ValueError):
        letter.photo.url  # noqa: B018


# --- the document ----------------------------------------------------------------------


def _text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    return "\n".join(parts)


def _runs(document):
    for paragraph in document.paragraphs:
        yield from paragraph.runs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    yield from paragraph.runs


def assert_nd30_page(document) -> None:
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    assert Mm(20) - Mm(0.1) <= section.top_margin <= Mm(25) + Mm(0.1)
    assert Mm(20) - Mm(0.1) <= section.bottom_margin <= Mm(25) + Mm(0.1)
    assert Mm(30) - Mm(0.1) <= section.left_margin <= Mm(35) + Mm(0.1)
    assert Mm(15) - Mm(0.1) <= section.right_margin <= Mm(20) + Mm(0.1)


@pytest.mark.django_db
def test_docx_reads_back_as_nd30(client, returned_marriage, leader_a):
    letter = services.letter_approve(
        actor=leader_a, letter=Letter.objects.get(), at=datetime(2025, 3, 7, 10, tzinfo=TZ)
    )
    client.force_login(leader_a)
    response = client.get(reverse("staff:letter_docx", kwargs={"pk": letter.pk}))
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    text = _text(document)
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 1/TC-UBND",
        "Xã An, ngày 07 tháng 3 năm 2025",
        "Thư chúc mừng",
        "Kính gửi: Nguyễn Văn An",
        "đăng ký kết hôn",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Trần Văn Chủ Tịch",
        "Nơi nhận:",
        "Mẫu 03",
    ):
        assert expected in text, expected
    runs = [run for run in _runs(document) if run.text.strip()]
    assert {run.font.name for run in runs} == {"Times New Roman"}
    sizes = {run.text: run.font.size.pt for run in runs}
    assert sizes["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"] in (12, 13)
    assert sizes["Độc lập - Tự do - Hạnh phúc"] in (13, 14)
    assert sizes["Nơi nhận:"] == 12
    body = next(p for p in document.paragraphs if "đăng ký kết hôn" in p.text)
    assert all(13 <= run.font.size.pt <= 14 for run in body.runs)
    assert_nd30_page(document)
    # The print page renders the same document.
    printed = client.get(reverse("staff:letter_print", kwargs={"pk": letter.pk})).content.decode()
    for expected in ("Số: 1/TC-UBND", "Kính gửi", "TM. ỦY BAN NHÂN DÂN", "Trần Văn Chủ Tịch"):
        assert expected in printed, expected


@pytest.mark.django_db
def test_batch_docx_has_each_letter_on_its_own_section(returned_marriage, leader_a, official):
    first = services.letter_approve(actor=leader_a, letter=Letter.objects.get())
    other = services.letter_draft(
        actor=official,
        commune=first.commune,
        occasion="thanks",
        recipient_name="Hợp tác xã Đông Hòa",
        details={"contribution": "đã góp công làm đường"},
    )
    other = services.letter_approve(actor=leader_a, letter=other)
    document = Document(io.BytesIO(letters_docx([letter_document(first), letter_document(other)])))
    text = _text(document)
    assert "Nguyễn Văn An" in text and "Hợp tác xã Đông Hòa" in text
    assert len(document.sections) == 2
    assert_nd30_page(document)


@pytest.mark.django_db
def test_batch_pages_list_approved_letters(client, returned_marriage, leader_a):
    letter = services.letter_approve(actor=leader_a, letter=Letter.objects.get())
    client.force_login(leader_a)
    page = client.get(reverse("staff:letter_batch_print"))
    assert "Kính gửi" in page.content.decode()
    docx = client.get(reverse("staff:letter_batch_docx"), {"id": letter.pk})
    assert "Nguyễn Văn An" in _text(Document(io.BytesIO(docx.content)))


# --- register --------------------------------------------------------------------------


@pytest.mark.django_db
def test_register_search_filters_and_xlsx(
    client, commune_a, official, django_assert_max_num_queries
):
    LetterFactory.create_batch(30, commune=commune_a)
    wanted = LetterFactory(
        commune=commune_a,
        recipient_name="Phạm Thị Hồng",
        type=LetterType.CONDOLENCE,
        occasion=Occasion.DEATH,
        state=Letter.State.APPROVED,
        number=7,
        year=2025,
        approved_at=datetime(2025, 4, 2, 9, tzinfo=TZ),
    )
    client.force_login(official)
    url = reverse("staff:letter_register")
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200
    assert page.context["page"].paginator.count == 31
    for params in ({"q": "pham thi hong"}, {"q": "7/2025"}, {"type": "condolence"}):
        found = client.get(url, params).context["page"]
        assert [letter.pk for letter in found] == [wanted.pk], params
    assert (
        client.get(url, {"state": "approved", "month": "2025-04"}).context["page"].paginator.count
        == 1
    )
    assert (
        client.get(url, {"month": "2025-05", "state": "approved"}).context["page"].paginator.count
        == 0
    )
    export = client.get(reverse("staff:letter_export"), {"type": "condolence"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][3] == "Người nhận"
    assert len(rows) == 2 and rows[1][3] == "Phạm Thị Hồng" and rows[1][0] == 7


@pytest.mark.django_db
def test_queue_and_pages_are_scoped_to_the_commune(client, make_user, commune_a, commune_b):
    mine = LetterFactory(commune=commune_a, recipient_name="Người của xã An")
    theirs = LetterFactory(commune=commune_b, recipient_name="Người của xã Bình")
    leader = make_user(Role.COMMUNE_LEADER, commune=commune_a)
    client.force_login(leader)
    queue = client.get(reverse("staff:letter_queue")).content.decode()
    assert mine.recipient_name in queue and theirs.recipient_name not in queue
    assert client.get(reverse("staff:letter_docx", kwargs={"pk": theirs.pk})).status_code == 404
    assert client.post(reverse("staff:letter_approve", kwargs={"pk": theirs.pk})).status_code == 404
    theirs.refresh_from_db()
    assert theirs.state == Letter.State.DRAFT


@pytest.mark.django_db
def test_official_cannot_approve_through_the_page(client, official, returned_marriage):
    letter = Letter.objects.get()
    client.force_login(official)
    response = client.post(reverse("staff:letter_approve", kwargs={"pk": letter.pk}))
    assert response.status_code == 403
    letter.refresh_from_db()
    assert letter.state == Letter.State.DRAFT


@pytest.mark.django_db
def test_province_evaluator_sees_counts_not_names(client, make_user, province_p, commune_a):
    LetterFactory(commune=commune_a, recipient_name="Người nhận bí mật")
    evaluator = make_user(Role.PROVINCE_EVALUATOR, province=province_p)
    client.force_login(evaluator)
    assert client.get(reverse("staff:letter_register")).status_code == 403
    counts = client.get(reverse("staff:letter_counts"))
    html = counts.content.decode()
    assert counts.status_code == 200 and commune_a.name in html
    assert "Người nhận bí mật" not in html


@pytest.mark.django_db
def test_a_birth_draft_cannot_be_approved_until_the_leader_gives_the_childs_name(
    client, official, leader_a, receive, commune_a, procedure
):
    chairman_of(commune_a)
    assert procedure.code == "1.001193"  # birth registration drafts a congratulation
    returned_dossier(official, procedure, receive)
    letter = Letter.objects.get()
    assert "…………" in letter.body  # the dossier names the parent, not the child
    with pytest.raises(ValidationError) as refused:
        services.letter_approve(actor=leader_a, letter=letter)
    assert "tên của cháu" in str(refused.value)

    client.force_login(leader_a)
    page = client.get(reverse("staff:letter_detail", args=[letter.pk])).content.decode()
    assert 'name="d-child_name"' in page
    empty = client.post(reverse("staff:letter_details", args=[letter.pk]), {"d-child_name": " "})
    assert empty.status_code == 200 and "…………" in Letter.objects.get().body
    client.post(
        reverse("staff:letter_details", args=[letter.pk]), {"d-child_name": "Nguyễn Minh Khang"}
    )
    letter.refresh_from_db()
    assert "Nguyễn Minh Khang" in letter.body and "…………" not in letter.body
    assert letter.event_details["child_name"] == "Nguyễn Minh Khang"
    approved = services.letter_approve(actor=leader_a, letter=letter)
    assert approved.state == Letter.State.APPROVED and approved.number == 1


@pytest.mark.django_db
def test_only_a_leader_fills_in_a_drafts_details(official, leader_a, receive, commune_a):
    death = ProcedureFactory(commune=commune_a, code="1.000656", name="Đăng ký khai tử")
    returned_dossier(official, death, receive)
    letter = Letter.objects.get()
    with pytest.raises(PermissionDenied):
        services.letter_fill_details(
            actor=official, letter=letter, details={"deceased_name": "cụ Lê Văn Ba"}
        )
    filled = services.letter_fill_details(
        actor=leader_a, letter=letter, details={"deceased_name": "cụ Lê Văn Ba"}
    )
    assert "cụ Lê Văn Ba" in filled.body
