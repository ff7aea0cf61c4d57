"""A Zalo webhook call with a valid signature creates an item; one with a bad signature does
not. The commune administrator then reads both calls in the channels' log."""

import hashlib
import json
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_phone_width
from tests.factories import CommuneFactory, UserFactory
from tests.factories_feedback import ChannelAccountFactory
from thanthien.feedback.models import FeedbackItem, InboundLog
from thanthien.people.roles import Role

pytestmark = pytest.mark.browser

OA_ID = "4368496045530124040"
APP_ID = "2826623761416750119"
SECRET = "oa-secret-xa-kien-minh"


def signed(text: str, msg_id: str, secret: str = SECRET) -> tuple[bytes, str]:
    body = json.dumps(
        {
            "app_id": APP_ID,
            "event_name": "user_send_text",
            "timestamp": str(int(time.time() * 1000)),
            "sender": {"id": "zalo-user-2468"},
            "recipient": {"id": OA_ID},
            "message": {"msg_id": msg_id, "text": text},
        },
        ensure_ascii=False,
    ).encode()
    timestamp = json.loads(body)["timestamp"]
    mac = hashlib.sha256(APP_ID.encode() + body + timestamp.encode() + secret.encode()).hexdigest()
    return body, "mac=" + mac


def test_zalo_webhook_with_a_valid_signature_creates_an_item_and_a_bad_one_does_not(
    live_server, transactional_db, page, artifacts, assert_accessible
):
    commune = CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")
    ChannelAccountFactory(
        commune=commune, platform="zalo", account_id=OA_ID, app_id=APP_ID, app_secret=SECRET
    )
    UserFactory(username="admin.kienminh", role=Role.COMMUNE_ADMIN, commune=commune)
    url = f"{live_server.url}/webhooks/zalo/"

    body, mac = signed("Đèn đường ở ngõ 5 thôn Trung tắt cả tuần nay.", "msg-valid")
    good = page.request.post(
        url, data=body, headers={"Content-Type": "application/json", "X-ZEvent-Signature": mac}
    )
    assert good.status == 200
    item = FeedbackItem.objects.get()
    assert (item.commune, item.source, item.external_id) == (commune, "zalo", "msg-valid")

    body, mac = signed("Tin giả mạo gửi vào webhook của xã.", "msg-forged", secret="doan-mo")
    bad = page.request.post(
        url, data=body, headers={"Content-Type": "application/json", "X-ZEvent-Signature": mac}
    )
    assert bad.status == 403
    assert FeedbackItem.objects.count() == 1
    assert InboundLog.objects.get(outcome="refused").reason == "Chữ ký sai."

    page.goto(f"{live_server.url}/staff/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("admin.kienminh")
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{live_server.url}/admin/feedback/inboundlog/")
    rows = page.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.filter(has_text="Chữ ký sai.")).to_contain_text("Từ chối")
    expect(rows.filter(has_text=item.code)).to_contain_text("Đã nhận")

    # The same two calls on the staff channels page, on the phone.
    page.goto(f"{live_server.url}/staff/gop-y/kenh/")
    expect(page.get_by_role("heading", name="Nhật ký tiếp nhận", exact=True)).to_be_visible()
    expect(page.get_by_text(f"{live_server.url}/webhooks/zalo/")).to_be_visible()
    log_rows = page.locator("ol.inbound-log > li")
    expect(log_rows).to_have_count(2)
    expect(log_rows.filter(has_text="Chữ ký sai.")).to_contain_text("Từ chối")
    expect(page.get_by_role("link", name=item.code)).to_be_visible()
    page.get_by_label("Kết quả").select_option("refused")
    page.get_by_role("button", name="Lọc").click()
    expect(log_rows).to_have_count(1)
    assert_fits_phone_width(page)
    assert_accessible(page)
    page.screenshot(path=str(artifacts / "feedback-zalo-webhook-log.png"), full_page=True)
