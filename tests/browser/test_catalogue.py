"""A resident looks up what to bring for a birth registration, on a phone."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_phone_width
from tests.factories import CommuneFactory
from tests.factories_onestop import ProcedureFactory, RequiredDocumentFactory

pytestmark = pytest.mark.browser


def test_resident_searches_without_diacritics_and_reads_what_to_bring(
    live_server, transactional_db, page, artifacts
):
    commune = CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")
    birth = ProcedureFactory(
        commune=commune, code="1.001193", name="Đăng ký khai sinh", processing_days=0
    )
    RequiredDocumentFactory(procedure=birth, name="Giấy chứng sinh", original_required=True)
    ProcedureFactory(commune=commune, code="1.000656", name="Đăng ký khai tử")

    page.goto(f"{live_server.url}/xa-kien-minh/")
    page.get_by_role("link", name="Thủ tục hành chính").first.click()
    page.get_by_role("searchbox").fill("khai sinh")
    page.keyboard.press("Enter")

    expect(page.get_by_role("link", name="Đăng ký khai sinh")).to_be_visible()
    expect(page.get_by_role("link", name="Đăng ký khai tử")).to_have_count(0)
    page.get_by_role("link", name="Đăng ký khai sinh").click()

    expect(page.get_by_role("heading", name="Đăng ký khai sinh")).to_be_visible()
    expect(page.get_by_text("Giấy chứng sinh")).to_be_visible()
    expect(page.get_by_text("Miễn phí")).to_be_visible()
    expect(page.locator("svg").first).to_be_visible()  # the QR code to this page
    assert_fits_phone_width(page)
    page.screenshot(path=str(artifacts / "procedure-detail-360.png"), full_page=True)
