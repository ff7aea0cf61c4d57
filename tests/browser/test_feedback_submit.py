"""A resident sends feedback with a photo from a 360 px phone, by the desk QR, and gets a
tracking code; the status link shows the item without the sender's phone."""

import io

import pytest
from django.core.cache import cache
from PIL import Image
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_phone_width, link_labelled
from tests.factories import CommuneFactory, HamletFactory
from tests.factories_surveys import CounterFactory
from thanthien.feedback.items import Attachment, FeedbackItem, Source

pytestmark = pytest.mark.browser

GPS_IFD = 0x8825


@pytest.fixture
def commune(transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.THANTHIEN_PUBLIC_BASE_URL = ""
    commune = CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")
    HamletFactory(commune=commune, name="Thôn Đông")
    CounterFactory(commune=commune, number=2, name="Tư pháp - Hộ tịch")
    cache.clear()  # the rate limit counts in the cache the live server shares
    return commune


@pytest.fixture
def photo(tmp_path):
    picture = Image.new("RGB", (320, 240), (40, 120, 200))
    exif = Image.Exif()
    exif[GPS_IFD] = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 50.0, 10.0)}
    path = tmp_path / "den-hong.jpg"
    picture.save(path, format="JPEG", exif=exif)
    return path


def test_resident_sends_feedback_with_a_photo_and_gets_a_code_on_a_phone(
    live_server, commune, photo, page, artifacts, assert_accessible
):
    page.goto(f"{live_server.url}/xa-kien-minh/gop-y/")
    link_labelled(page, "Gửi góp ý trực tuyến").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Gửi góp ý, phản ánh, kiến nghị")
    assert_fits_phone_width(page)
    assert_accessible(page)
    page.screenshot(path=str(artifacts / "feedback-form-360.png"), full_page=True)

    page.get_by_label("Phản ánh", exact=True).check()
    page.get_by_role("textbox", name="Nội dung", exact=True).fill(
        "Đèn đường ở đầu cầu thôn Đông bị hỏng đã một tuần."
    )
    page.get_by_label("Lĩnh vực", exact=True).select_option(label="Hạ tầng, giao thông")
    page.get_by_label("Thôn, tổ dân phố nơi xảy ra sự việc").select_option(label="Thôn Đông")
    page.get_by_label("Ảnh, tệp đính kèm").set_input_files(str(photo))
    page.get_by_label("Họ và tên", exact=True).fill("Nguyễn Văn Dân")
    page.get_by_label("Số điện thoại", exact=True).fill("0912345678")
    page.get_by_label("Tin nhắn SMS").check()
    page.get_by_label("Tôi đồng ý để Ủy ban nhân dân xã dùng số điện thoại").check()
    page.get_by_role("button", name="Gửi ý kiến").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Xã đã nhận ý kiến của ông/bà")
    item = FeedbackItem.objects.get()
    expect(page.locator(".tracking-code")).to_have_text(item.code)
    assert item.category == "ha_tang_giao_thong" and item.hamlet.name == "Thôn Đông"
    attachment = item.attachments.get()
    assert attachment.role == Attachment.Role.FROM_SENDER
    with attachment.file.open("rb") as handle:
        assert not Image.open(io.BytesIO(handle.read())).getexif().get_ifd(GPS_IFD)
    assert_fits_phone_width(page)
    assert_accessible(page)
    page.screenshot(path=str(artifacts / "feedback-thanks-360.png"), full_page=True)

    page.get_by_role("link", name="Mở trang theo dõi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tình trạng xử lý góp ý, phản ánh")
    expect(page.get_by_text("091****678")).to_be_visible()
    expect(page.get_by_text("0912345678")).to_have_count(0)
    assert_fits_phone_width(page)
    assert_accessible(page)


def test_the_desk_qr_opens_the_form_for_the_counter(live_server, commune, page, assert_accessible):
    page.goto(f"{live_server.url}/xa-kien-minh/gop-y/gui/?quay=2")
    expect(page.get_by_text("Góp ý về quầy số 2 — Tư pháp - Hộ tịch.")).to_be_visible()
    page.get_by_role("textbox", name="Nội dung", exact=True).fill(
        "Cán bộ quầy 2 hướng dẫn rất tận tình, cảm ơn."
    )
    page.get_by_label("Góp ý", exact=True).check()
    page.get_by_label("Gửi ẩn danh").check()
    page.get_by_label("Không cần, tôi tự xem bằng mã theo dõi").check()
    page.get_by_role("button", name="Gửi ý kiến").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Xã đã nhận ý kiến của ông/bà")
    item = FeedbackItem.objects.get()
    assert item.source == Source.QR and item.counter.number == 2 and item.is_anonymous
    assert_accessible(page)
