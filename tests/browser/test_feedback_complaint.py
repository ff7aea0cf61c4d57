"""A land dispute sent as feedback is registered by the leader as a complaint from the item's
page: the legal acceptance deadline is shown, the feedback is closed as redirected with a
message to the sender, and accepting the complaint sets its resolution deadline."""

import re
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import CommuneFactory, UserFactory
from thanthien.feedback import complaint_deadlines as deadlines
from thanthien.feedback.complaints import Complaint
from thanthien.feedback.intake_services import feedback_submit
from thanthien.feedback.items import FeedbackItem, Status
from thanthien.notify.models import Message
from thanthien.people.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture
def dispute(transactional_db):
    commune = CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")
    UserFactory(username="lanhdao.kienminh", role=Role.COMMUNE_LEADER, commune=commune)
    cache.clear()
    return feedback_submit(
        commune=commune,
        source="web",
        kind="petition",
        content="Nhà bên cạnh xây tường lấn sang đất nhà tôi 0,5 m, xã quyết định cho họ xây.",
        sender_name="Lê Văn Khiếu",
        sender_phone="0912345678",
        reply_channel="sms",
        consent_contact=True,
    ).item


def test_leader_registers_a_complaint_from_a_feedback_item_and_accepts_it(
    live_server, dispute, page, assert_accessible, artifacts
):
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/staff/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("lanhdao.kienminh")
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()

    page.goto(f"{live_server.url}/staff/gop-y/{dispute.pk}/")
    page.get_by_role("link", name="Vào sổ khiếu nại, tố cáo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vào sổ đơn khiếu nại, tố cáo")
    expect(page.get_by_label("Họ và tên người khiếu nại, tố cáo")).to_have_value("Lê Văn Khiếu")
    assert_accessible(page)
    today = timezone.localdate()
    page.get_by_label("Quyết định, hành vi bị khiếu nại / tố cáo").fill(
        "Giấy phép xây dựng số 15/GPXD của UBND xã"
    )
    page.get_by_label("Ngày biết quyết định, hành vi").fill(
        (today - timedelta(days=20)).isoformat()
    )
    page.get_by_role("button", name="Vào sổ").click()

    expect(page).to_have_url(re.compile(r"/staff/gop-y/khieu-nai/\d+/$"))
    case = Complaint.objects.get()
    assert (case.kind, case.person_name, case.feedback_item_id) == (
        "complaint",
        "Lê Văn Khiếu",
        dispute.pk,
    )
    due = deadlines.accept_due(kind=case.kind, received_on=today)
    assert case.accept_due == due
    expect(page.locator("body")).to_contain_text(f"{due:%d/%m/%Y}")
    assert FeedbackItem.objects.get(pk=dispute.pk).status == Status.REDIRECTED
    assert Message.objects.filter(event="feedback_redirected", phone="0912345678").exists()
    assert_accessible(page)
    page.screenshot(path=artifacts / "complaint-registered.png", full_page=True)

    accept = page.locator("form", has=page.get_by_role("heading", name="Thụ lý", exact=True))
    accept.get_by_label("Ngày thụ lý").fill(today.isoformat())
    accept.get_by_role("button", name="Thụ lý").click()
    expect(page.locator("body")).to_contain_text("Đã thụ lý")
    case.refresh_from_db()
    assert case.status == Complaint.Status.ACCEPTED and case.accepted_on == today
    assert case.resolve_due == today + timedelta(days=30)
    expect(page.locator("body")).to_contain_text(f"{case.resolve_due:%d/%m/%Y}")
