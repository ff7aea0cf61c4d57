"""A resident looks up a dossier on a 360 px phone: the code and four digits, then the status."""

from datetime import date

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_phone_width
from tests.dossier_helpers import at, receive_dossier
from tests.factories import CommuneFactory, OfficeFactory, UserFactory
from tests.factories_onestop import ProcedureFactory
from thanthien.onestop import dossier_services as services
from thanthien.onestop.models import Dossier
from thanthien.people.roles import Role

pytestmark = pytest.mark.browser


@pytest.fixture
def dossier(transactional_db):
    commune = CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")
    procedure = ProcedureFactory(
        commune=commune, code="1.001193", name="Đăng ký khai sinh", processing_days=3
    )
    desk = UserFactory(role=Role.COMMUNE_OFFICIAL, commune=commune, full_name="Lê Thị Tiếp Nhận")
    office = OfficeFactory(commune=commune, name="Công chức Tư pháp - Hộ tịch")
    dossier = receive_dossier(
        actor=desk,
        procedure=procedure,
        applicant_name="Trần Thị Bình",
        applicant_phone="0987654321",
        applicant_address="Thôn Đông, Xã Kiến Minh",
        notify_channel=Dossier.NotifyChannel.NONE,
        received_at=at(date(2025, 3, 3), 9, 5),
    )
    services.dossier_handover(
        actor=desk, dossier=dossier, to_office=office, at=at(date(2025, 3, 3), 10, 30)
    )
    cache.clear()  # the rate limit counts in the cache the live server shares
    return dossier


def test_resident_types_code_and_four_digits_and_sees_the_status_on_a_phone(
    live_server, dossier, page, artifacts, assert_accessible
):
    page.goto(f"{live_server.url}/xa-kien-minh/")
    page.get_by_role("link", name="Tra cứu hồ sơ đã nộp").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tra cứu hồ sơ")
    expect(page.get_by_text("ví dụ: 26734-250612-0001")).to_be_visible()
    assert_fits_phone_width(page)
    assert_accessible(page)
    page.screenshot(path=str(artifacts / "resident-lookup-form-360.png"), full_page=True)

    # A slip of the finger: the page says so in plain words, and nothing about the dossier.
    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("4 số cuối của số điện thoại").fill("4320")
    page.get_by_role("button", name="Xem tình trạng hồ sơ").click()
    expect(page.get_by_role("alert")).to_contain_text("Không tìm thấy hồ sơ.")
    expect(page.get_by_text("Đăng ký khai sinh")).to_have_count(0)
    assert_fits_phone_width(page)

    page.get_by_label("Mã hồ sơ").fill(dossier.code)
    page.get_by_label("4 số cuối của số điện thoại").fill("4321")
    page.get_by_role("button", name="Xem tình trạng hồ sơ").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Tình trạng hồ sơ")
    assert "4321" not in page.url
    expect(page.get_by_role("heading", name="Đang giải quyết")).to_be_visible()
    expect(page.get_by_text("Đăng ký khai sinh")).to_be_visible()
    expect(page.get_by_text("T.T.B.")).to_be_visible()
    expect(page.get_by_text("06/03/2025")).to_be_visible()
    steps = page.locator(".timeline li")
    expect(steps).to_have_count(2)
    expect(steps.nth(0)).to_contain_text("03/03/2025 09:05")
    expect(steps.nth(0)).to_contain_text("Bộ phận một cửa nhận hồ sơ")
    expect(steps.nth(1)).to_contain_text("03/03/2025 10:30")
    expect(steps.nth(1)).to_contain_text("Công chức Tư pháp - Hộ tịch")
    body = page.locator("body").inner_text()
    for secret in ("Trần Thị Bình", "0987654321", "Thôn Đông", "Lê Thị Tiếp Nhận"):
        assert secret not in body, secret
    assert_fits_phone_width(page)
    assert_accessible(page)
    page.screenshot(path=str(artifacts / "resident-lookup-status-360.png"), full_page=True)
