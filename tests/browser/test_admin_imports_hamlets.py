"""A commune administrator signs in on a phone-sized screen and imports the hamlet list."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_phone_width
from tests.factories import CommuneFactory, UserFactory
from thanthien.people.roles import Role
from thanthien.places.models import Hamlet

pytestmark = pytest.mark.browser

CSV = (
    "Tên thôn,Loại,Trưởng thôn,Số hộ\n"
    "Thôn Đông,Thôn,Nguyễn Văn Bình,215\n"
    "Tổ dân phố 3,Tổ dân phố,Trần Thị Hoa,180\n"
    ",Thôn,Không Tên,12\n"
).encode()


def test_admin_signs_in_imports_hamlets_and_reads_the_row_error(
    live_server, transactional_db, page, artifacts
):
    commune = CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")
    UserFactory(username="admin.kienminh", role=Role.COMMUNE_ADMIN, commune=commune)

    page.goto(f"{live_server.url}/staff/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("admin.kienminh")
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()

    page.get_by_role("link", name="Thôn, tổ dân phố").first.click()
    page.get_by_role("link", name="Nhập từ tệp Excel/CSV").click()
    page.locator("input[type=file]").set_input_files(
        {"name": "danh-sach-thon.csv", "mimeType": "text/csv", "buffer": CSV}
    )
    page.get_by_role("button", name="Nhập", exact=True).click()

    expect(page.get_by_text("Thêm mới: 2")).to_be_visible()
    error_row = page.locator("tr", has=page.locator("td", has_text="4"))
    expect(error_row.first).to_be_visible()
    assert_fits_phone_width(page)
    page.screenshot(path=str(artifacts / "hamlet-import-360.png"), full_page=True)
    assert sorted(Hamlet.objects.filter(commune=commune).values_list("name", flat=True)) == [
        "Thôn Đông",
        "Tổ dân phố 3",
    ]
