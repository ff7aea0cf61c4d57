"""An official enters a letter from the suggestion box with its scan, then prints the QR
posters for the counters."""

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.factories import CommuneFactory, HamletFactory, UserFactory
from tests.factories_surveys import CounterFactory
from thanthien.feedback.items import Attachment, FeedbackItem, Source
from thanthien.people.roles import Role

pytestmark = pytest.mark.browser

DESK_VIEWPORT = {"width": 1280, "height": 800}


def test_official_enters_a_box_letter_with_its_scan(
    live_server, transactional_db, page, artifacts, assert_accessible, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    commune = CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")
    HamletFactory(commune=commune, name="Xóm Chùa")
    CounterFactory(commune=commune, number=1, name="Tư pháp - Hộ tịch")
    official = UserFactory(username="motcua.kienminh", role=Role.COMMUNE_OFFICIAL, commune=commune)
    scan = tmp_path / "thu-hom-thu.png"
    Image.new("RGB", (200, 280), (255, 255, 255)).save(scan)
    page.set_viewport_size(DESK_VIEWPORT)
    page.goto(f"{live_server.url}/staff/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("motcua.kienminh")
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()

    page.goto(f"{live_server.url}/staff/gop-y/nhap/")
    assert_accessible(page)
    page.get_by_label("Nhận qua").select_option(label="Hòm thư góp ý")
    page.get_by_role("textbox", name="Nội dung", exact=True).fill(
        "Đề nghị xã sửa đoạn đường xóm Chùa, mùa mưa lầy lội, học sinh đi lại khó khăn."
    )
    page.get_by_role("button", name="Lưu và cấp mã theo dõi").click()
    expect(page.get_by_role("alert")).to_contain_text("Chưa lưu.")
    expect(page.get_by_text("cần có bản quét")).to_be_visible()
    assert not FeedbackItem.objects.exists()

    page.get_by_label("Bản quét, ảnh chụp thư").set_input_files(str(scan))
    page.get_by_label("Thôn, tổ dân phố nơi xảy ra sự việc").select_option(label="Xóm Chùa")
    page.get_by_label("Gửi ẩn danh").check()
    page.get_by_role("button", name="Lưu và cấp mã theo dõi").click()
    item = FeedbackItem.objects.get()
    expect(page.get_by_text(item.code).first).to_be_visible()
    assert item.source == Source.BOX and item.entered_by == official and item.is_anonymous
    assert item.attachments.get().role == Attachment.Role.LETTER_SCAN
    page.screenshot(path=str(artifacts / "feedback-entry-saved.png"), full_page=True)

    page.goto(f"{live_server.url}/staff/gop-y/ma-qr/")
    expect(page.locator(".fb-poster")).to_have_count(1)
    expect(page.get_by_text("/xa-kien-minh/gop-y/gui/?quay=1")).to_be_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts / "feedback-qr-poster-print.png"), full_page=True)
