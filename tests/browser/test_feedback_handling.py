"""A resident sends feedback with a photo from a 360 px phone and gets a code; the leader
assigns it and the official answers it from a reply template with a photo of the work and
publishes it; the resident opens the status link, rates the answer and reads the published
answer, which shows no name or phone."""

import io
import re

import pytest
from django.core.cache import cache
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_phone_width, link_labelled
from tests.factories import CommuneFactory, OfficeFactory, OfficialFactory, UserFactory
from tests.factories_feedback import ReplyTemplateFactory
from thanthien.feedback.items import FeedbackItem
from thanthien.notify.models import Message
from thanthien.people.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture
def kien_minh(transactional_db):
    commune = CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")
    office = OfficeFactory(commune=commune, name="Địa chính - Xây dựng")
    UserFactory(username="lanhdao.kienminh", role=Role.COMMUNE_LEADER, commune=commune)
    UserFactory(
        username="xuly.kienminh",
        full_name="Trần Thị Xử Lý",
        role=Role.COMMUNE_OFFICIAL,
        commune=commune,
        official=OfficialFactory(commune=commune, office=office, phone="0987000111"),
    )
    ReplyTemplateFactory(
        commune=commune,
        category="ha_tang_giao_thong",
        title="Đã sửa chữa",
        body="Kính gửi ông/bà {name}, về ý kiến {code}, {commune} đã cho sửa chữa.",
    )
    cache.clear()
    return commune


def photo(tmp_path, name: str, colour) -> str:
    path = tmp_path / name
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), colour).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return str(path)


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/staff/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill(username)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()


def test_resident_sends_official_answers_resident_rates(
    live_server, kien_minh, page, browser, tmp_path, artifacts, assert_accessible
):
    base = live_server.url
    # 1. The resident, on a phone, sends feedback with a photo and gets a code.
    page.goto(f"{base}/xa-kien-minh/gop-y/gui/")
    page.get_by_role("textbox", name="Nội dung", exact=True).fill(
        "Đèn chiếu sáng đường thôn Đông bị hỏng ba hôm nay, buổi tối rất tối."
    )
    page.get_by_label("Ảnh, tệp đính kèm").set_input_files(photo(tmp_path, "den.jpg", "gray"))
    page.get_by_label("Họ và tên", exact=True).fill("Nguyễn Văn Dân")
    page.get_by_label("Số điện thoại", exact=True).fill("0912345678")
    page.get_by_role("checkbox", name=re.compile("Tôi đồng ý để Ủy ban nhân dân xã")).check()
    page.get_by_role("checkbox", name=re.compile("Tôi đồng ý để xã đăng câu trả lời")).check()
    page.get_by_role("button", name="Gửi ý kiến").click()
    code = page.locator(".tracking-code").inner_text().strip()
    item = FeedbackItem.objects.get(code=code)
    assert item.attachments.filter(role="sender").count() == 1
    status_link = page.locator(".link-box").inner_text().strip()

    # 2. The leader assigns it; the official answers from a template with a photo, publishes.
    desk = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    staff = desk.new_page()
    log_in(staff, base, "lanhdao.kienminh")
    staff.goto(f"{base}/staff/gop-y/")
    staff.get_by_role("link", name=code).click()
    assign = staff.get_by_role("region", name="Giao xử lý")
    assign.get_by_label("Lĩnh vực").select_option(label="Hạ tầng, giao thông")
    assign.get_by_label("Cán bộ xử lý").select_option(label="Trần Thị Xử Lý")
    assign.get_by_role("button", name="Giao").click()
    expect(staff.get_by_text(f"Đã giao xử lý ý kiến {code}.")).to_be_visible()
    staff.get_by_role("button", name=re.compile("Đăng xuất")).click()

    log_in(staff, base, "xuly.kienminh")
    staff.goto(f"{base}/staff/gop-y/?mine=on&status=open")
    staff.get_by_role("link", name=code).click()
    staff.get_by_role("link", name="Đã sửa chữa").click()
    answer = staff.get_by_label("Nội dung trả lời")
    expect(answer).to_have_value(re.compile(f"Kính gửi ông/bà Nguyễn Văn Dân, về ý kiến {code}"))
    answer.fill(answer.input_value() + " Đèn đã sáng từ tối 12/3.")
    staff.get_by_label("Ảnh, tài liệu kết quả xử lý").set_input_files(
        photo(tmp_path, "den-da-sua.jpg", "yellow")
    )
    staff.get_by_role("button", name="Gửi câu trả lời").click()
    expect(staff.get_by_text(re.compile(f"Đã trả lời ý kiến {code}"))).to_be_visible()
    publish = staff.get_by_role("region", name="Công khai câu trả lời trên cổng")
    publish.get_by_label("Tóm tắt công khai").fill(
        "Đèn chiếu sáng đường thôn Đông bị hỏng nhiều ngày."
    )
    publish.get_by_label("den-da-sua.jpg").check()
    publish.get_by_role("button", name="Công khai").click()
    expect(staff.get_by_text("Đã công khai trên cổng")).to_be_visible()
    staff.screenshot(path=str(artifacts / "feedback-item-desk.png"), full_page=True)
    desk.close()
    assert Message.objects.filter(event="feedback_answered", phone="0912345678").exists()

    # 3. The resident opens the status link, rates the answer, reads the published answer.
    page.goto(status_link)
    expect(page.get_by_text(re.compile("đã cho sửa chữa"))).to_be_visible()
    page.get_by_role("link", name="Đánh giá câu trả lời").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đánh giá câu trả lời")
    assert_fits_phone_width(page)
    assert_accessible(page)
    page.get_by_role("radio", name="Chưa hài lòng").check()
    page.get_by_label("Vì sao ông/bà chưa hài lòng?").fill("Mới sửa một bóng, còn hai bóng hỏng.")
    page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_role("status")).to_contain_text("Cảm ơn ông/bà đã đánh giá.")
    page.screenshot(path=str(artifacts / "feedback-rate-360.png"), full_page=True)
    item.refresh_from_db()
    assert (item.satisfied, item.rating_reason) == (False, "Mới sửa một bóng, còn hai bóng hỏng.")

    page.goto(f"{base}/xa-kien-minh/gop-y/")
    link_labelled(page, "Xem câu trả lời các góp ý, phản ánh").click()
    assert_fits_phone_width(page)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Đèn chiếu sáng đường thôn Đông")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Trả lời ý kiến {code}")
    expect(page.get_by_role("img", name="Ảnh kết quả xử lý 1")).to_be_visible()
    body = page.locator("main").inner_text()
    assert "Nguyễn Văn Dân" not in body and "0912345678" not in body
    assert_fits_phone_width(page)
    assert_accessible(page)
    page.screenshot(path=str(artifacts / "feedback-published-answer-360.png"), full_page=True)
