"""An official receives a dossier at the desk with the keyboard only, then opens the receipt."""

import time

import pytest
from playwright.sync_api import expect

from tests.factories import CommuneFactory, UserFactory
from tests.factories_onestop import ProcedureFactory, RequiredDocumentFactory
from thanthien.onestop.models import Dossier
from thanthien.people.roles import Role

pytestmark = pytest.mark.browser

DESK_VIEWPORT = {"width": 1280, "height": 800}


def test_official_receives_a_dossier_with_the_keyboard_and_prints_the_receipt(
    live_server, transactional_db, page, artifacts
):
    commune = CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")
    procedure = ProcedureFactory(
        commune=commune, code="1.001193", name="Đăng ký khai sinh", processing_days=3
    )
    RequiredDocumentFactory(procedure=procedure, name="Tờ khai đăng ký khai sinh theo mẫu")
    ProcedureFactory(commune=commune, code="1.000656", name="Chứng thực bản sao từ bản chính")
    UserFactory(
        username="motcua.kienminh",
        full_name="Lê Thị Tiếp Nhận",
        role=Role.COMMUNE_OFFICIAL,
        commune=commune,
    )
    page.set_viewport_size(DESK_VIEWPORT)

    page.goto(f"{live_server.url}/staff/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("motcua.kienminh")
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()

    page.goto(f"{live_server.url}/staff/mot-cua/tiep-nhan/")
    started = time.monotonic()
    assert page.evaluate("document.activeElement.name") == "procedure"
    keyboard = page.keyboard
    keyboard.type("dang ky khai sinh")
    keyboard.press("Tab")
    keyboard.type("Trần Thị Bình")
    keyboard.press("Tab")
    keyboard.type("0987654321")
    keyboard.press("Tab")  # notification channel: SMS by default
    assert page.evaluate("document.activeElement.name") == "notify_channel"
    keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "consent_sms"
    keyboard.press("Space")  # the applicant agrees to SMS
    keyboard.press("Tab")  # Zalo consent
    keyboard.press("Tab")  # e-mail consent
    keyboard.press("Tab")  # e-mail address
    keyboard.press("Tab")
    assert page.evaluate("document.activeElement.name") == "applicant_id_number"
    keyboard.type("001203004567")
    keyboard.press("Tab")
    keyboard.type("Thôn Đông, Xã Kiến Minh")
    keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Hồ sơ số")).to_be_visible()
    assert time.monotonic() - started < 60
    dossier = Dossier.objects.get()
    assert dossier.procedure == procedure
    assert dossier.applicant_name == "Trần Thị Bình"
    assert dossier.consent_sms is True
    expect(page.get_by_text(f"Đã tiếp nhận hồ sơ số {dossier.code}")).to_be_visible()

    # The print link has the focus: Enter opens the receipt.
    assert page.evaluate("document.activeElement.textContent.trim()") == "In giấy tiếp nhận"
    keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name="Giấy tiếp nhận hồ sơ và hẹn trả kết quả")
    ).to_be_visible()
    expect(page.get_by_text("UBND XÃ KIẾN MINH")).to_be_visible()
    expect(page.get_by_text(f"Mã hồ sơ: {dossier.code}")).to_be_visible()
    expect(page.get_by_text(f"ngày {dossier.due_date:%d/%m/%Y}.")).to_be_visible()
    page.screenshot(path=str(artifacts / "desk-receipt-a5.png"), full_page=True)
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts / "desk-receipt-a5-print.png"), full_page=True)
