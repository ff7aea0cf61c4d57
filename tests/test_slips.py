"""The desk's printed forms: each a print page and a DOCX with the same content (titles and
numbers from the form set in use), Times New Roman on A5 or A4; the register also as XLSX."""

import html
import io
from datetime import date

import docx
import openpyxl
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags
from docx.oxml.ns import qn

from tests.dossier_helpers import at, receive_dossier
from tests.factories import CommuneFactory, OfficeFactory, OfficialFactory, PositionFactory
from tests.factories_dossiers import ApologySlipFactory, DossierFactory, DossierSupplementFactory
from thanthien.core.documents import place_and_date, qr_png
from thanthien.core.qr import qr_svg
from thanthien.onestop import dossier_services as services
from thanthien.onestop import form_sets, slips
from thanthien.onestop.dossier_selectors import dossier_for_page
from thanthien.onestop.lookup import status_path
from thanthien.onestop.models import ApologySlip, Dossier
from thanthien.people.roles import Role

FONT = "Times New Roman"


@pytest.fixture
def dossier(official, procedure):
    """Received Monday 03/03/2025 at 09:05; three working days: due Thursday 06/03/2025."""
    return receive_dossier(
        actor=official,
        procedure=procedure,
        applicant_address="Thôn Đông, Xã An",
        notify_channel=Dossier.NotifyChannel.NONE,
        received_at=at(date(2025, 3, 3), 9, 5),
    )


@pytest.fixture
def leader(make_user, commune_a):
    vice = PositionFactory(code="pho-chu-tich-ubnd", name="Phó Chủ tịch UBND")
    user = make_user(Role.COMMUNE_LEADER, commune=commune_a, full_name="Hoàng Thị Lãnh Đạo")
    user.official = OfficialFactory(commune=commune_a, full_name=user.full_name, position=vice)
    user.save()
    return user


# --- reading the outputs back ------------------------------------------------------------


def page_text(response) -> str:
    assert response.status_code == 200
    return html.unescape(strip_tags(response.content.decode()))


def read_docx(response) -> docx.Document:
    assert response.status_code == 200
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.wordprocessingml"
    )
    assert response["Content-Disposition"].endswith('.docx"')
    return docx.Document(io.BytesIO(response.content))


def all_paragraphs(document):
    yield from document.paragraphs
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                yield from cell.paragraphs


def docx_text(document) -> str:
    return "\n".join(p.text for p in all_paragraphs(document))


def assert_times_new_roman(document) -> None:
    runs = [run for p in all_paragraphs(document) for run in p.runs if run.text.strip()]
    assert runs
    for run in runs:
        assert run.font.name == FONT, run.text
        fonts = run._element.rPr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == FONT, run.text
    normal = document.styles["Normal"]
    assert normal.font.name == FONT
    style_fonts = normal.element.rPr.find(qn("w:rFonts"))
    assert style_fonts.get(qn("w:eastAsia")) == FONT
    assert style_fonts.get(qn("w:asciiTheme")) is None


def assert_page(document, *, width_mm: float, height_mm: float) -> None:
    section = document.sections[0]
    assert section.page_width.mm == pytest.approx(width_mm, abs=0.5)
    assert section.page_height.mm == pytest.approx(height_mm, abs=0.5)


def assert_same_content(page: str, document, built) -> None:
    """Every line of the neutral document is on the page and in the Word file."""
    text = docx_text(document)
    for line in built.text.split("\n"):
        if line.strip():
            assert line in page, line
            assert line in text, line


# --- 01 receipt ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_receipt_page_and_docx_carry_the_same_a5_form_01_with_a_qr_code(client, official, dossier):
    client.force_login(official)
    response = client.get(reverse("staff:dossier_receipt", args=[dossier.pk]))
    raw = response.content.decode()
    page = page_text(response)
    assert "size: A5 portrait" in raw
    assert "<svg" in raw
    status = f"http://testserver{status_path(dossier.code)}"
    built = slips.receipt_slip(
        dossier=dossier_for_page(user=official, pk=dossier.pk), status_url=status
    )
    qr = next(block for block in built.blocks if block.kind == "qr")
    assert qr.url == status
    assert qr_svg(status, scale=4, title=qr.caption) in raw  # the QR opens the status page
    assert "Quét mã QR" in page
    for text in (
        "Mẫu số 01 – Thông tư 01/2018/TT-VPCP",
        "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
        "UBND XÃ AN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Xã An, ngày 03 tháng 3 năm 2025",
        f"Mã hồ sơ: {dossier.code}",
        "Nguyễn Văn An",
        "Tờ khai đăng ký khai sinh theo mẫu",
        "09 giờ 05 phút, ngày 03/03/2025",
        "ngày 06/03/2025",
        "Lê Thị Tiếp Nhận",
    ):
        assert text in page, text
    assert reverse("staff:dossier_receipt_docx", args=[dossier.pk]) in raw

    word = read_docx(client.get(reverse("staff:dossier_receipt_docx", args=[dossier.pk])))
    assert_same_content(page, word, built)
    assert_times_new_roman(word)
    assert_page(word, width_mm=148, height_mm=210)
    assert len(word.inline_shapes) == 1
    images = [p.blob for p in word.part.related_parts.values() if p.content_type == "image/png"]
    assert images == [qr_png(status)]  # the same QR code, as a PNG


@pytest.mark.django_db
def test_docx_numbers_pages_from_the_second_at_the_top(client, official, dossier):
    client.force_login(official)
    word = read_docx(client.get(reverse("staff:dossier_receipt_docx", args=[dossier.pk])))
    section = word.sections[0]
    assert section.different_first_page_header_footer
    field = section.header._element.find(".//" + qn("w:fldSimple"))
    assert field.get(qn("w:instr")) == "PAGE"


# --- 02 supplement ------------------------------------------------------------------------


@pytest.mark.django_db
def test_supplement_slip_lists_what_is_missing(client, official, dossier):
    supplement = services.dossier_request_supplement(
        actor=official,
        dossier=dossier,
        items=["Giấy chứng sinh", "Bản sao giấy đăng ký kết hôn"],
        note="Mang bản chính để đối chiếu",
        at=at(date(2025, 3, 4), 10, 30),
    )
    client.force_login(official)
    page = page_text(client.get(reverse("staff:supplement_slip", args=[supplement.pk])))
    for text in (
        "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ",
        "Giấy chứng sinh",
        "Bản sao giấy đăng ký kết hôn",
        "Mang bản chính để đối chiếu",
        "Xã An, ngày 04 tháng 3 năm 2025",
        "Nguyễn Văn An",
    ):
        assert text in page, text
    word = read_docx(client.get(reverse("staff:supplement_slip_docx", args=[supplement.pk])))
    supplement.refresh_from_db()
    assert_same_content(page, word, slips.supplement_slip(supplement=supplement))
    assert_times_new_roman(word)
    assert_page(word, width_mm=148, height_mm=210)


# --- 03 refusal ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_refusal_slip_gives_the_reason(client, official, dossier):
    client.force_login(official)
    url = reverse("staff:dossier_refusal_slip", args=[dossier.pk])
    assert client.get(url).status_code == 404  # not refused (yet)
    services.dossier_refuse(
        actor=official,
        dossier=dossier,
        reason="Thủ tục không thuộc thẩm quyền của UBND xã",
        at=at(date(2025, 3, 3), 10, 0),
    )
    page = page_text(client.get(url))
    assert "Phiếu từ chối tiếp nhận giải quyết hồ sơ" in page
    assert "Thủ tục không thuộc thẩm quyền của UBND xã" in page
    word = read_docx(client.get(reverse("staff:dossier_refusal_slip_docx", args=[dossier.pk])))
    assert "Thủ tục không thuộc thẩm quyền của UBND xã" in docx_text(word)
    assert_same_content(
        page, word, slips.refusal_slip(dossier=dossier_for_page(user=official, pk=dossier.pk))
    )
    assert_times_new_roman(word)
    assert_page(word, width_mm=148, height_mm=210)


# --- 04 apology ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_issued_apology_slip_has_number_reason_dates_recipients_and_signer(
    client, official, leader, commune_a, dossier
):
    apology = ApologySlip.objects.create(
        commune=commune_a,
        dossier=dossier,
        kind=ApologySlip.Kind.RESCHEDULE,
        state=ApologySlip.State.ISSUED,
        year=2025,
        number=7,
        reason="Chờ xác minh thông tin từ xã khác",
        original_due_date=date(2025, 3, 6),
        new_due_date=date(2025, 3, 12),
        drafted_at=at(date(2025, 3, 4), 8),
        issued_at=at(date(2025, 3, 4), 15),
        issued_by=leader,
    )
    client.force_login(official)
    page = page_text(client.get(reverse("staff:apology_slip", args=[apology.pk])))
    for text in (
        "Phiếu xin lỗi và hẹn lại ngày trả kết quả",
        "Số: 7/PXL",
        "Xã An, ngày 04 tháng 3 năm 2025",
        "Ông/Bà Nguyễn Văn An",
        "0912345678",
        "Thôn Đông, Xã An",
        "Hộ tịch",
        dossier.code,
        "06/03/2025",
        "Chờ xác minh thông tin từ xã khác",
        "12/03/2025",
        "xin lỗi",
        "Nơi nhận:",
        "Phó Chủ tịch UBND",
        "Hoàng Thị Lãnh Đạo",
    ):
        assert text in page, text
    assert "Dự thảo" not in page
    word = read_docx(client.get(reverse("staff:apology_slip_docx", args=[apology.pk])))
    assert_same_content(page, word, slips.apology_slip(apology=apology))
    recipients = [p for p in all_paragraphs(word) if p.text == "Nơi nhận:"]
    assert recipients and recipients[0].runs[0].font.size.pt == 12
    assert recipients[0].runs[0].font.bold and recipients[0].runs[0].font.italic
    assert_times_new_roman(word)
    assert_page(word, width_mm=148, height_mm=210)


@pytest.mark.django_db
def test_draft_apology_is_marked_as_draft_and_a_dropped_one_is_not_printed(
    client, official, commune_a, dossier
):
    draft = ApologySlipFactory(commune=commune_a, dossier=dossier)
    dropped = ApologySlipFactory(
        commune=commune_a, dossier=dossier, kind="reschedule", state=ApologySlip.State.DROPPED
    )
    client.force_login(official)
    page = page_text(client.get(reverse("staff:apology_slip", args=[draft.pk])))
    assert "Dự thảo – chưa ban hành" in page
    word = read_docx(client.get(reverse("staff:apology_slip_docx", args=[draft.pk])))
    assert "Dự thảo – chưa ban hành" in docx_text(word)
    assert client.get(reverse("staff:apology_slip", args=[dropped.pk])).status_code == 404


# --- 05 control slip ----------------------------------------------------------------------


@pytest.mark.django_db
def test_control_slip_has_every_hand_over_to_the_minute_with_each_steps_result(
    client, official, commune_a, dossier
):
    office = OfficeFactory(commune=commune_a, name="Tư pháp - Hộ tịch")
    first = OfficialFactory(commune=commune_a, full_name="Trần Văn Thẩm Định", office=office)
    second = OfficialFactory(commune=commune_a, full_name="Phạm Thị Ký Duyệt", office=office)
    services.dossier_handover(
        actor=official,
        dossier=dossier,
        to_official=first,
        step_due_date=date(2025, 3, 4),
        at=at(date(2025, 3, 3), 10, 17),
        note="Thẩm định hồ sơ",
    )
    services.dossier_handover(
        actor=official,
        dossier=dossier,
        to_official=second,
        at=at(date(2025, 3, 5), 14, 2),
    )
    services.dossier_result_ready(actor=official, dossier=dossier, at=at(date(2025, 3, 5), 16, 45))
    client.force_login(official)
    response = client.get(reverse("staff:dossier_control_slip", args=[dossier.pk]))
    page = page_text(response)
    for text in (
        "Phiếu kiểm soát quá trình giải quyết hồ sơ",
        "Người giao ký",
        "Người nhận ký",
        "09:05, 03/03/2025",
        "10:17, 03/03/2025",
        "14:02, 05/03/2025",
        "16:45, 05/03/2025",
        "Trần Văn Thẩm Định (Tư pháp - Hộ tịch)",
        "Phạm Thị Ký Duyệt (Tư pháp - Hộ tịch)",
        "Thẩm định hồ sơ",
        "Quá hạn",  # the first step was due 04/03 and ended 05/03
        "Trước hạn",  # the result was ready before the due day 06/03
    ):
        assert text in page, text
    word = read_docx(client.get(reverse("staff:dossier_control_slip_docx", args=[dossier.pk])))
    table = next(t for t in word.tables if t.rows[0].cells[0].text == "Giao, nhận hồ sơ")
    rows = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert len(rows) == 4  # receive, two hand-overs, result ready
    handover = rows[1]
    assert "Giao: Lê Thị Tiếp Nhận" in handover[0]
    assert "Nhận: Trần Văn Thẩm Định (Tư pháp - Hộ tịch)" in handover[0]
    assert handover[1] == "10:17, 03/03/2025"
    assert handover[2] == handover[3] == ""  # room for both signatures
    assert handover[4].startswith("Quá hạn")
    assert "Hạn: 04/03/2025" in handover[4]
    assert handover[5] == "Thẩm định hồ sơ"
    assert rows[1 + 1][0].count("Giao: Trần Văn Thẩm Định") == 1
    assert_same_content(
        page, word, slips.control_slip(dossier=dossier_for_page(user=official, pk=dossier.pk))
    )
    assert_times_new_roman(word)
    assert_page(word, width_mm=148, height_mm=210)


# --- 06 register --------------------------------------------------------------------------


def march_dossiers(commune, procedure, n: int, **kwargs) -> list[Dossier]:
    return [
        DossierFactory(
            commune=commune,
            procedure=procedure,
            received_at=at(date(2025, 3, 3 + i % 20), 9),
            receipt_day=date(2025, 3, 3 + i % 20),
            due_date=date(2025, 3, 28),
            **kwargs,
        )
        for i in range(n)
    ]


MARCH = {"tu": "2025-03-01", "den": "2025-03-31"}


@pytest.mark.django_db
def test_register_lists_the_period_with_the_forms_columns(client, official, dossier, procedure):
    office = OfficeFactory(commune=procedure.commune, name="Văn phòng HĐND-UBND")
    services.dossier_handover(
        actor=official, dossier=dossier, to_office=office, at=at(date(2025, 3, 3), 11)
    )
    services.dossier_result_ready(actor=official, dossier=dossier, at=at(date(2025, 3, 5), 15))
    services.dossier_return(actor=official, dossier=dossier, at=at(date(2025, 3, 6), 8))
    april = DossierFactory(
        commune=procedure.commune,
        procedure=procedure,
        applicant_name="Người Nộp Tháng Tư",
        received_at=at(date(2025, 4, 2)),
    )
    client.force_login(official)
    response = client.get(reverse("staff:dossier_register"), MARCH)
    raw = response.content.decode()
    page = page_text(response)
    assert "size: A4 landscape" in raw
    for text in (
        "Mẫu số 06 – Thông tư 01/2018/TT-VPCP",
        "Sổ theo dõi hồ sơ",
        "Từ ngày 01/03/2025 đến ngày 31/03/2025",
        "STT",
        "Mã hồ sơ",
        "Tên thủ tục hành chính",
        "Số lượng hồ sơ (bộ)",
        "Tên cá nhân, tổ chức",
        "Địa chỉ, số điện thoại",
        "Ngày hẹn trả kết quả",
        "Chuyển hồ sơ đến cơ quan, bộ phận giải quyết",
        "Ngày có kết quả / đã trả",
        "Trước hạn / đúng hạn / quá hạn",
        "Ghi chú",
        dossier.code,
        "Nguyễn Văn An",
        "Văn phòng HĐND-UBND",
        "Có KQ: 05/03/2025",
        "Đã trả: 06/03/2025",
        "Trước hạn",
        "Tổng số: 1 hồ sơ; trước hạn: 1; đúng hạn: 0; quá hạn: 0.",
    ):
        assert text in page, text
    assert april.applicant_name not in page
    word = read_docx(client.get(reverse("staff:dossier_register_docx"), MARCH))
    assert_page(word, width_mm=297, height_mm=210)
    assert_times_new_roman(word)
    text = docx_text(word)
    assert dossier.code in text and "Văn phòng HĐND-UBND" in text
    assert april.applicant_name not in text


@pytest.mark.django_db
def test_register_filters_by_procedure_and_state(client, official, commune_a, procedure):
    from tests.factories_onestop import ProcedureFactory

    other = ProcedureFactory(commune=commune_a, code="2.000001", name="Chứng thực bản sao")
    mine = march_dossiers(commune_a, procedure, 2)
    refused = march_dossiers(commune_a, other, 1, state=Dossier.State.REFUSED)[0]
    client.force_login(official)
    url = reverse("staff:dossier_register")
    page = page_text(client.get(url, {**MARCH, "thu_tuc": procedure.code}))
    assert all(d.code in page for d in mine) and refused.code not in page
    page = page_text(client.get(url, {**MARCH, "trang_thai": "refused"}))
    assert refused.code in page and mine[0].code not in page
    assert "Trạng thái: Từ chối tiếp nhận" in page


@pytest.mark.django_db
def test_register_xlsx_reads_back_with_the_same_rows(client, official, commune_a, procedure):
    rows = march_dossiers(commune_a, procedure, 3)
    client.force_login(official)
    response = client.get(reverse("staff:dossier_register_xlsx"), MARCH)
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    header = next(i for i, row in enumerate(values) if row[0] == "STT")
    assert values[header][1] == "Mã hồ sơ"
    assert values[header][11] == "Ghi chú"
    assert values[header + 1][0] == "(1)"
    data = values[header + 2 : header + 5]
    assert [row[0] for row in data] == [1, 2, 3]
    assert [row[1] for row in data] == [d.code for d in rows]
    assert all(row[3] == "01" for row in data)
    assert any(row[0] == "Sổ theo dõi hồ sơ".upper() for row in values[:header])
    assert sheet.page_setup.orientation == "landscape"


def register_queries(client, name: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(name), MARCH)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name", ["staff:dossier_register", "staff:dossier_register_xlsx", "staff:dossier_register_docx"]
)
def test_register_query_count_does_not_grow_with_dossiers(
    client, official, commune_a, procedure, name
):
    client.force_login(official)
    march_dossiers(commune_a, procedure, 2)
    few = register_queries(client, name)
    office = OfficeFactory(commune=commune_a)
    for dossier in march_dossiers(commune_a, procedure, 12):
        services.dossier_handover(
            actor=official, dossier=dossier, to_office=office, at=at(date(2025, 3, 25))
        )
    assert register_queries(client, name) == few


# --- form sets, tenancy, permissions ------------------------------------------------------


@pytest.mark.django_db
def test_changing_the_desk_form_set_changes_titles_and_numbers(
    client, settings, official, commune_a, dossier
):
    apology = ApologySlipFactory(commune=commune_a, dossier=dossier)
    client.force_login(official)
    settings.THANTHIEN_DESK_FORM_SET = "tt03_2025"
    page = page_text(client.get(reverse("staff:apology_slip", args=[apology.pk])))
    assert "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết" in page
    assert "Mẫu số 04 – Thông tư 03/2025/TT-VPCP" in page
    assert "Phiếu xin lỗi và hẹn lại ngày trả kết quả" not in page
    page = page_text(client.get(reverse("staff:dossier_control_slip", args=[dossier.pk])))
    assert "Mẫu số 06 – Thông tư 03/2025/TT-VPCP" in page
    assert "Trung tâm Phục vụ hành chính công" in page
    word = read_docx(client.get(reverse("staff:dossier_register_docx"), MARCH))
    assert "Mẫu số 07 – Thông tư 03/2025/TT-VPCP" in docx_text(word)
    word = read_docx(client.get(reverse("staff:apology_slip_docx", args=[apology.pk])))
    assert "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết" in docx_text(word)

    settings.THANTHIEN_DESK_FORM_SET = "tt01_2018"
    page = page_text(client.get(reverse("staff:apology_slip", args=[apology.pk])))
    assert "Phiếu xin lỗi và hẹn lại ngày trả kết quả" in page
    assert "Mẫu số 04 – Thông tư 01/2018/TT-VPCP" in page


def test_the_2025_set_is_marked_medium_low_confidence_and_2018_is_the_default(settings):
    sets = form_sets.all_sets()
    assert sets["tt03_2025"].confidence == "medium-low"
    assert not sets["tt03_2025"].form("stop_notice").printable
    assert sets["tt01_2018"].form("register").paper == "A4"
    assert sets["tt01_2018"].form("receipt").paper == "A5"
    from thanthien.settings import base

    assert base.THANTHIEN_DESK_FORM_SET == "tt01_2018"
    settings.THANTHIEN_DESK_FORM_SET = "tt99_2099"
    with pytest.raises(ImproperlyConfigured):
        form_sets.current_set()


def slip_urls(dossier, supplement, apology) -> list[str]:
    by_dossier = [
        "staff:dossier_receipt",
        "staff:dossier_receipt_docx",
        "staff:dossier_control_slip",
        "staff:dossier_control_slip_docx",
        "staff:dossier_refusal_slip",
        "staff:dossier_refusal_slip_docx",
    ]
    return (
        [reverse(name, args=[dossier.pk]) for name in by_dossier]
        + [
            reverse(n, args=[supplement.pk])
            for n in ("staff:supplement_slip", "staff:supplement_slip_docx")
        ]
        + [reverse(n, args=[apology.pk]) for n in ("staff:apology_slip", "staff:apology_slip_docx")]
    )


@pytest.mark.django_db
def test_another_communes_forms_answer_404(client, make_user, commune_a, commune_b):
    theirs = DossierFactory(commune=commune_b, state=Dossier.State.REFUSED)
    supplement = DossierSupplementFactory(dossier=theirs)
    apology = ApologySlipFactory(
        commune=commune_b,
        dossier=theirs,
        kind="reschedule",
        state="issued",
        number=1,
        year=2025,
        reason="x",
        issued_at=theirs.received_at,
    )
    intruder = make_user(Role.COMMUNE_LEADER, commune=commune_a)
    client.force_login(intruder)
    for url in slip_urls(theirs, supplement, apology):
        assert client.get(url).status_code == 404, url
    page = page_text(client.get(reverse("staff:dossier_register")))
    assert theirs.code not in page


@pytest.mark.django_db
def test_a_role_without_permission_to_view_dossiers_gets_403(client, make_user, commune_a, dossier):
    supplement = DossierSupplementFactory(dossier=dossier)
    apology = ApologySlipFactory(commune=commune_a, dossier=dossier)
    front = make_user(Role.FRONT_MEMBER, commune=commune_a)
    client.force_login(front)
    urls = slip_urls(dossier, supplement, apology) + [
        reverse(name)
        for name in (
            "staff:dossier_register",
            "staff:dossier_register_xlsx",
            "staff:dossier_register_docx",
        )
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url


@pytest.mark.django_db
def test_province_evaluator_prints_a_communes_register_under_the_provinces_name(
    client, make_user, province_p, official, dossier
):
    CommuneFactory(name="Xã Khác", province=province_p)
    evaluator = make_user(Role.PROVINCE_EVALUATOR, province=province_p)
    client.force_login(evaluator)
    page = page_text(client.get(reverse("staff:dossier_register"), MARCH))
    assert "UBND TỈNH P" in page and dossier.code in page
    page = page_text(
        client.get(reverse("staff:dossier_register"), {**MARCH, "xa": dossier.commune_id})
    )
    assert "UBND XÃ AN" in page and dossier.code in page


@pytest.mark.django_db
def test_dossier_page_links_every_form_and_the_nav_links_the_register(
    client, official, commune_a, dossier
):
    supplement = services.dossier_request_supplement(
        actor=official, dossier=dossier, items=["Giấy chứng sinh"], at=at(date(2025, 3, 4))
    )
    apology = ApologySlipFactory(commune=commune_a, dossier=dossier)
    client.force_login(official)
    page = client.get(reverse("staff:dossier_detail", args=[dossier.pk])).content.decode()
    for url in (
        reverse("staff:dossier_receipt", args=[dossier.pk]),
        reverse("staff:dossier_receipt_docx", args=[dossier.pk]),
        reverse("staff:dossier_control_slip", args=[dossier.pk]),
        reverse("staff:supplement_slip", args=[supplement.pk]),
        reverse("staff:apology_slip", args=[apology.pk]),
        reverse("staff:dossier_register"),
    ):
        assert url in page, url
    assert reverse("staff:dossier_refusal_slip", args=[dossier.pk]) not in page


def test_place_and_date_follow_nd_30_leading_zeros():
    assert place_and_date("Xã An", date(2025, 3, 5)) == "Xã An, ngày 05 tháng 3 năm 2025"
    assert place_and_date("Xã An", date(2025, 2, 14)) == "Xã An, ngày 14 tháng 02 năm 2025"
    assert place_and_date("Xã An", date(2025, 12, 1)) == "Xã An, ngày 01 tháng 12 năm 2025"
