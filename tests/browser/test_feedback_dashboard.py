"""The feedback dashboard in a real browser: accessible, fits a phone, charts drawn as SVG."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_phone_width
from tests.factories import CommuneFactory, HamletFactory, UserFactory
from tests.factories_feedback import FeedbackItemFactory
from thanthien.people.roles import Role

pytestmark = pytest.mark.browser


def test_leader_reads_the_feedback_dashboard_on_a_phone(
    live_server, transactional_db, page, artifacts, assert_accessible
):
    commune = CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")
    UserFactory(username="lanhdao.kienminh", role=Role.COMMUNE_LEADER, commune=commune)
    dong = HamletFactory(commune=commune, name="Thôn Đông")
    doai = HamletFactory(commune=commune, name="Thôn Đoài")
    now = timezone.now()
    rows = [
        ("zalo", "moi_truong", dong, "answered", 2, True),
        ("web", "ha_tang_giao_thong", doai, "closed", 12, False),
        ("hotline", "ha_tang_giao_thong", dong, "in_progress", None, None),
        ("box", "chinh_sach_xa_hoi", None, "new", None, None),
    ]
    for n, (source, category, hamlet, status, answer_after, satisfied) in enumerate(rows):
        received = now - timedelta(days=20 + 3 * n)
        FeedbackItemFactory(
            commune=commune,
            source=source,
            category=category,
            hamlet=hamlet,
            status=status,
            title=f"Phản ánh số {n + 1}",
            received_at=received,
            due_date=timezone.localdate(received) + timedelta(days=10),
            answered_at=received + timedelta(days=answer_after) if answer_after else None,
            satisfied=satisfied,
        )

    page.goto(f"{live_server.url}/staff/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("lanhdao.kienminh")
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()

    page.get_by_role("link", name="Bảng điều khiển góp ý, phản ánh").click()
    expect(page.get_by_role("heading", name="Bảng điều khiển góp ý, phản ánh")).to_be_visible()
    expect(page.get_by_role("img", name="Ý kiến theo thôn, tổ dân phố")).to_be_visible()
    expect(
        page.get_by_role("img", name="Mức độ hài lòng của người dân với câu trả lời")
    ).to_be_visible()
    expect(page.get_by_role("rowheader", name="Thôn Đoài").first).to_be_visible()
    page.get_by_label("Kênh tiếp nhận", exact=True).select_option("zalo")
    page.get_by_role("button", name="Xem số liệu").click()
    expect(page.get_by_text("Zalo OA").first).to_be_visible()
    assert "source=zalo" in page.url
    assert_fits_phone_width(page)
    assert_accessible(page)
    page.screenshot(path=str(artifacts / "feedback-dashboard-phone.png"), full_page=True)
