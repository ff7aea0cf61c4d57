"""The ceremony calendar: a list on a phone (no sideways scrolling), a month grid on a desk
screen, both accessible, without JavaScript of our own."""

from datetime import datetime

import pytest
from playwright.sync_api import expect

from tests.dossier_helpers import TZ
from tests.factories import CommuneFactory, OfficialFactory, UserFactory
from tests.factories_ceremonies import CeremonyFactory
from thanthien.letters.ceremonies import CeremonyKind
from thanthien.people.roles import Role

pytestmark = pytest.mark.browser


def test_calendar_is_a_list_on_a_phone_and_a_grid_on_a_desk(
    live_server, transactional_db, page, artifacts, assert_accessible
):
    commune = CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")
    went = OfficialFactory(commune=commune, full_name="Lê Văn Đi Thăm")
    for day, kind, name in (
        (4, CeremonyKind.MARRIAGE, "Anh Minh và chị Lan"),
        (12, CeremonyKind.HOME_DELIVERY, "Gia đình anh Tuấn"),
        (20, CeremonyKind.CONDOLENCE, "Gia đình cụ Hòa"),
    ):
        ceremony = CeremonyFactory(
            commune=commune,
            kind=kind,
            recipient_name=name,
            starts_at=datetime(2025, 3, day, 9, 0, tzinfo=TZ),
        )
        ceremony.officials.add(went)
    UserFactory(username="lanhdao.kienminh", role=Role.COMMUNE_LEADER, commune=commune)

    page.goto(f"{live_server.url}/staff/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("lanhdao.kienminh")
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{live_server.url}/staff/thu/le-tham-hoi/?thang=2025-03")

    # On a phone: the list, not the grid.
    expect(page.locator(".cal-list")).to_be_visible()
    expect(page.locator(".cal-grid")).to_be_hidden()
    expect(page.locator(".cal-list").get_by_text("Gia đình cụ Hòa")).to_be_visible()
    page.screenshot(path=str(artifacts / "ceremony-calendar-phone.png"), full_page=True)
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the calendar scrolls sideways at 360 px: {width}"

    page.set_viewport_size({"width": 1280, "height": 900})
    expect(page.locator(".cal-grid")).to_be_visible()
    expect(page.locator(".cal-list")).to_be_hidden()
    expect(page.locator(".cal-grid").get_by_text("Anh Minh và chị Lan")).to_be_visible()
    page.screenshot(path=str(artifacts / "ceremony-calendar-desk.png"), full_page=True)
    assert_accessible(page)

    page.locator(".cal-grid").get_by_text("Gia đình anh Tuấn").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Gia đình anh Tuấn")
    expect(page.get_by_text("Lê Văn Đi Thăm")).to_be_visible()
