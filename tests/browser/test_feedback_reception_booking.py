"""A resident books the chairman's reception on a cheap phone and cancels it; an official
sees the booking in the week and records the visit in the register."""

import re
from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_phone_width, link_labelled
from tests.factories import UserFactory
from thanthien.core.demo import DEMO_COMMUNE_CODE
from thanthien.feedback.reception import ReceptionBooking, ReceptionVisit
from thanthien.people.roles import Role
from thanthien.places.models import Commune

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kien_minh(transactional_db) -> Commune:
    call_command("load_demo", stdout=StringIO())
    return Commune.objects.get(code=DEMO_COMMUNE_CODE)


def test_resident_books_and_cancels_a_reception_on_a_phone(
    live_server, kien_minh, page, assert_accessible, artifacts
):
    page.goto(f"{live_server.url}/{kien_minh.slug}/lich-tiep-cong-dan/")
    link_labelled(page, "Đặt lịch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đặt lịch tiếp công dân")
    assert_fits_phone_width(page)
    assert_accessible(page)
    page.get_by_role("radio").first.check()
    page.get_by_label("Họ và tên").fill("Phạm Thị Hẹn")
    page.get_by_role("textbox", name="Số điện thoại").fill("0912345678")
    page.get_by_label("Nội dung cần trình bày").fill("Hỏi về việc cấp giấy chứng nhận đất.")
    page.get_by_label("Tôi đồng ý nhận tin nhắn SMS").check()
    page.get_by_role("button", name="Đặt lịch").click()

    expect(page).to_have_url(re.compile(r"/tiep-cong-dan/lich-hen/TCD-"))
    booking = ReceptionBooking.objects.get(code=page.url.rstrip("/").rsplit("/", 1)[-1])
    assert booking.name == "Phạm Thị Hẹn" and booking.consent_sms
    expect(page.get_by_role("heading", level=2).first).to_contain_text(booking.code)
    expect(page.locator("body")).to_contain_text("091****678")
    expect(page.locator("body")).not_to_contain_text("0912345678")
    assert_fits_phone_width(page)
    assert_accessible(page)
    page.screenshot(path=artifacts / "reception-booked-360.png", full_page=True)

    page.get_by_label("4 số cuối điện thoại đã đặt lịch").fill("5678")
    page.get_by_role("button", name="Huỷ lịch hẹn").click()
    expect(page.locator("body")).to_contain_text("Đã huỷ lịch hẹn.")
    booking.refresh_from_db()
    assert booking.status == ReceptionBooking.Status.CANCELLED


def test_official_receives_a_booked_resident_and_writes_the_register(
    live_server, kien_minh, page, client
):
    from django.utils import timezone

    from thanthien.feedback import reception_selectors, reception_services

    option = reception_selectors.bookable(kien_minh.pk, now=timezone.now())[0]
    booking = reception_services.booking_create(
        commune=kien_minh,
        slot_value=option.value,
        name="Lò Văn Đến",
        phone="0988777666",
        matter="Kiến nghị sửa cầu tràn qua suối.",
    ).booking
    official = UserFactory(role=Role.COMMUNE_OFFICIAL, commune=kien_minh, username="tiepdan")
    client.force_login(official)
    cookie = client.cookies["sessionid"]
    page.context.add_cookies([{"name": "sessionid", "value": cookie.value, "url": live_server.url}])
    page.goto(f"{live_server.url}/staff/gop-y/tiep-cong-dan/?tuan={option.date.isoformat()}")
    expect(page.locator("body")).to_contain_text("Lò Văn Đến")
    row = page.locator("tr", has_text="Lò Văn Đến")
    row.get_by_role("link", name="Tiếp, ghi sổ").click()
    expect(page.get_by_label("Họ tên người đến")).to_have_value("Lò Văn Đến")
    page.get_by_label("Vào sổ góp ý, phản ánh (tạo mã theo dõi)").check()
    page.get_by_role("button", name="Ghi vào sổ").click()
    expect(page.locator("body")).to_contain_text("Đã ghi vào sổ tiếp công dân")
    visit = ReceptionVisit.objects.get(booking=booking)
    assert visit.feedback_item is not None
    booking.refresh_from_db()
    assert booking.status == ReceptionBooking.Status.ATTENDED
