"""The desk dashboard in a real browser: accessible, fits a phone, charts drawn as SVG."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_phone_width
from tests.factories import CommuneFactory, OfficialFactory, UserFactory
from tests.factories_dossiers import DossierFactory
from tests.factories_onestop import ProcedureFactory
from thanthien.people.roles import Role

pytestmark = pytest.mark.browser


def test_leader_reads_the_dashboard_on_a_phone(
    live_server, transactional_db, page, artifacts, assert_accessible
):
    commune = CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")
    leader = UserFactory(username="lanhdao.kienminh", role=Role.COMMUNE_LEADER, commune=commune)
    procedure = ProcedureFactory(commune=commune, code="1.001193", name="Đăng ký khai sinh")
    official = OfficialFactory(commune=commune, full_name="Lê Thị Xử Lý")
    now = timezone.now()
    today = timezone.localdate(now)
    for n, (state, ready_after) in enumerate(
        [("returned", 1), ("returned", 5), ("result_ready", 3), ("in_progress", None)]
    ):
        received = now - timedelta(days=6 + n)
        ready = received + timedelta(days=ready_after) if ready_after else None
        DossierFactory(
            commune=commune,
            created_by=leader,
            procedure=procedure,
            handling_official=official,
            received_at=received,
            receipt_day=timezone.localdate(received),
            due_date=min(timezone.localdate(received) + timedelta(days=3), today),
            state=state,
            result_ready_at=ready,
            returned_at=ready if state == "returned" else None,
        )

    page.goto(f"{live_server.url}/staff/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("lanhdao.kienminh")
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()

    page.get_by_role("link", name="Bảng điều khiển", exact=True).click()
    expect(page.get_by_role("heading", name="Bảng điều khiển một cửa")).to_be_visible()
    expect(page.get_by_role("img", name="Tỷ lệ đúng hạn theo thủ tục")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Lê Thị Xử Lý").first).to_be_visible()
    page.get_by_label("Khoảng thời gian", exact=True).select_option("nam-nay")
    page.get_by_role("button", name="Xem số liệu").click()
    expect(
        page.get_by_role("img", name="Tỷ lệ trước hạn, đúng hạn, quá hạn trong kỳ")
    ).to_be_visible()
    assert_fits_phone_width(page)
    assert_accessible(page)
    page.screenshot(path=str(artifacts / "desk-dashboard-phone.png"), full_page=True)
