"""Returning a marriage-registration dossier puts a congratulation letter in the leader's
queue; the leader approves it and downloads the DOCX, which opens and reads correctly."""

import io
from datetime import timedelta

import pytest
from django.utils import timezone
from docx import Document
from docx.shared import Mm
from playwright.sync_api import expect

from tests.factories import CommuneFactory, OfficialFactory, PositionFactory, UserFactory
from tests.factories_dossiers import DossierFactory
from tests.factories_onestop import ProcedureFactory
from thanthien.letters.models import Letter
from thanthien.onestop.models import Dossier
from thanthien.people.roles import Role

pytestmark = pytest.mark.browser

DESK_VIEWPORT = {"width": 1280, "height": 800}
PASSWORD = "mat-khau-thu-nghiem"


def sign_in(browser, live_server, username: str):
    context = browser.new_context(viewport=DESK_VIEWPORT, locale="vi-VN", accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{live_server.url}/staff/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()
    return context, page


def test_returned_marriage_drafts_a_letter_the_leader_approves_and_downloads(
    live_server, transactional_db, browser, artifacts
):
    commune = CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")
    marriage = ProcedureFactory(
        commune=commune, code="1.000894", name="Đăng ký kết hôn", processing_days=3
    )
    official = UserFactory(username="motcua.kienminh", role=Role.COMMUNE_OFFICIAL, commune=commune)
    UserFactory(username="lanhdao.kienminh", role=Role.COMMUNE_LEADER, commune=commune)
    OfficialFactory(commune=commune, full_name="Phạm Văn Chủ", position=PositionFactory())
    received = timezone.now() - timedelta(days=1)
    dossier = DossierFactory(
        commune=commune,
        procedure=marriage,
        applicant_name="Hoàng Thị Hạnh",
        received_at=received,
        state=Dossier.State.RESULT_READY,
        result_ready_at=timezone.now() - timedelta(hours=1),
        created_by=official,
    )

    context, page = sign_in(browser, live_server, "motcua.kienminh")
    try:
        page.goto(f"{live_server.url}/staff/mot-cua/ho-so/{dossier.pk}/")
        page.get_by_role("button", name="Đã trả kết quả cho người nộp").click()
        expect(page.get_by_text(f"Đã cập nhật hồ sơ {dossier.code}.")).to_be_visible()
    finally:
        context.close()

    context, page = sign_in(browser, live_server, "lanhdao.kienminh")
    try:
        page.goto(f"{live_server.url}/staff/thu/cho-duyet/")
        card = page.get_by_role("region", name="Mẫu 03 – Thư chúc mừng — Hoàng Thị Hạnh")
        expect(card).to_be_visible()
        expect(card.get_by_text(dossier.code)).to_be_visible()
        page.screenshot(path=str(artifacts / "letters-queue.png"), full_page=True)
        card.get_by_role("button", name="Duyệt thư").click()
        expect(page.get_by_text("Đã duyệt và cấp số thư gửi Hoàng Thị Hạnh.")).to_be_visible()
        expect(page.get_by_text("Không có thư nào chờ duyệt.")).to_be_visible()

        page.goto(f"{live_server.url}/staff/thu/")
        page.get_by_role("link", name="Hoàng Thị Hạnh").click()
        expect(page.get_by_text("Đã duyệt, chờ gửi")).to_be_visible()
        with page.expect_download() as download_info:
            page.get_by_role("link", name="Tải bản Word (.docx)").click()
        with open(download_info.value.path(), "rb") as fh:
            content = fh.read()
    finally:
        context.close()

    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.extend(p.text for p in cell.paragraphs)
    text = "\n".join(parts)
    year = timezone.localdate().year
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "XÃ KIẾN MINH",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Số: 1/TC-UBND",
        "Kính gửi: Hoàng Thị Hạnh",
        "đăng ký kết hôn tại Ủy ban nhân dân Xã Kiến Minh",
        "TM. ỦY BAN NHÂN DÂN",
        "Phạm Văn Chủ",
    ):
        assert expected in text, expected
    section = document.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(0.5)
    assert abs(section.page_height - Mm(297)) < Mm(0.5)
    letter = Letter.objects.get(source_dossier=dossier)
    assert (letter.state, letter.number, letter.year) == ("approved", 1, year)
