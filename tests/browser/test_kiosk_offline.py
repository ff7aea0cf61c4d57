"""The counter kiosk keeps working when the network drops: ratings wait in the browser and
are sent again with their idempotency keys; the server keeps exactly one row per rating."""

import pytest
from django.core.cache import cache
from django.db.utils import OperationalError
from playwright.sync_api import expect

from tests.factories import CommuneFactory, OfficialFactory, UserFactory
from tests.factories_surveys import CounterFactory
from thanthien.people.roles import Role
from thanthien.surveys.models import KioskSession, Rating

pytestmark = pytest.mark.browser

TABLET = {"width": 1024, "height": 768}


@pytest.fixture
def desk(transactional_db):
    commune = CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")
    counter = CounterFactory(commune=commune, number=2, name="Tư pháp - Hộ tịch")
    on_duty = OfficialFactory(commune=commune, full_name="Lê Thị Trực Quầy")
    UserFactory(
        username="quay2.kienminh", role=Role.COMMUNE_OFFICIAL, commune=commune, official=on_duty
    )
    cache.clear()
    return counter


def wait_until(page, check, what: str) -> None:
    for _ in range(100):
        try:
            if check():
                return
        except OperationalError as error:
            # The live server's thread shares the in-memory SQLite test database; a read that
            # meets its write in progress is refused ("table is locked") and simply retried.
            if "locked" not in str(error):
                raise
        page.wait_for_timeout(200)
    raise AssertionError(f"never happened: {what}")


def rate(page, service: str, official: str, reason: str | None = None) -> None:
    page.get_by_role("group", name="Việc giải quyết thủ tục").get_by_text(
        service, exact=True
    ).click()
    page.get_by_role("group", name="Thái độ phục vụ của cán bộ").get_by_text(
        official, exact=True
    ).click()
    if reason:
        page.get_by_label(reason).check()
        page.get_by_role("button", name="Gửi đánh giá").click()
    expect(page.get_by_text("Cảm ơn ông/bà đã đánh giá!")).to_be_visible()


def test_kiosk_queues_ratings_offline_and_sends_each_once(
    live_server, desk, browser, artifacts, assert_accessible
):
    context = browser.new_context(viewport=TABLET, locale="vi-VN")
    page = context.new_page()
    page.set_default_timeout(15_000)
    try:
        # The official on duty signs the counter's tablet in.
        page.goto(f"{live_server.url}/staff/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill("quay2.kienminh")
        page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem")
        page.get_by_role("button", name="Đăng nhập").click()
        page.goto(f"{live_server.url}/staff/danh-gia/may-tai-quay/")
        page.get_by_label("Quầy:", exact=True).select_option(label="2. Tư pháp - Hộ tịch")
        page.get_by_role("button", name="Mở máy đánh giá").click()
        expect(page.get_by_text("cán bộ Lê Thị Trực Quầy")).to_be_visible()
        assert_accessible(page)
        # Large touch targets: every face is a big button.
        faces = page.get_by_role("group", name="Việc giải quyết thủ tục").locator("label")
        expect(faces).to_have_count(4)
        for box in (faces.nth(n).bounding_box() for n in range(4)):
            assert box["height"] >= 88 and box["width"] >= 150, box
        page.screenshot(path=str(artifacts / "kiosk-tablet.png"))

        # Online: the rating is stored at once.
        rate(page, "Rất hài lòng", "Hài lòng")
        wait_until(page, lambda: Rating.objects.count() == 1, "the first rating stored")
        queue = page.locator("#kiosk-queue")
        expect(queue).to_have_attribute("data-count", "0")

        # The network drops: two more ratings wait in the browser.
        context.set_offline(True)
        page.get_by_role("link", name="Đánh giá mới").click()
        rate(page, "Không hài lòng", "Bình thường", reason="Giải quyết chậm")
        page.get_by_role("link", name="Đánh giá mới").click()
        rate(page, "Hài lòng", "Rất hài lòng")
        expect(queue).to_have_attribute("data-count", "2")
        expect(queue).to_contain_text("Đang chờ gửi: 2 đánh giá")
        page.screenshot(path=str(artifacts / "kiosk-offline-queue.png"))
        assert Rating.objects.count() == 1
        queued = page.evaluate(
            "JSON.parse(localStorage.getItem('thanthien-kiosk-queue-' + "
            "document.getElementById('kiosk').dataset.counter))"
        )
        assert len({item["key"] for item in queued}) == 2

        # The network is back: the queue empties, one row per rating.
        context.set_offline(False)
        expect(queue).to_have_attribute("data-count", "0")
        wait_until(page, lambda: Rating.objects.count() == 3, "the queued ratings stored")

        # Sent again (an answer lost on the way back): still one row per key.
        statuses = page.evaluate(
            """async (items) => {
                const root = document.getElementById('kiosk');
                const out = [];
                for (const item of items) {
                    const r = await fetch(root.dataset.submitUrl, {method: 'POST',
                        headers: {'Content-Type': 'application/json',
                                  'X-Kiosk-Token': root.dataset.token},
                        body: JSON.stringify(item)});
                    out.push(r.status);
                }
                return out;
            }""",
            queued,
        )
        assert statuses == [201, 201]
        assert Rating.objects.count() == 3
        keys = set(Rating.objects.values_list("idempotency_key", flat=True))
        assert {item["key"] for item in queued} <= keys and len(keys) == 3
        slow = Rating.objects.get(service_score=1)
        assert (slow.official_score, slow.reasons) == (2, ["too_slow"])
        assert set(Rating.objects.values_list("channel", "counter_id").distinct()) == {
            ("kiosk", desk.pk)
        }
        assert Rating.objects.filter(official__full_name="Lê Thị Trực Quầy").count() == 3

        # The shift ends: the official signs the kiosk out from its own screen.
        page.get_by_role("link", name="Cán bộ: kết thúc phiên").click()
        expect(
            page.get_by_role("heading", name="Kết thúc phiên máy đánh giá tại quầy")
        ).to_be_visible()
        assert_accessible(page)
        page.get_by_role("button", name="Kết thúc phiên").click()
        expect(page.get_by_text("Đã kết thúc phiên máy đánh giá tại quầy")).to_be_visible()
        expect(page.get_by_text("Không có máy nào đang mở.")).to_be_visible()
        wait_until(
            page,
            lambda: not KioskSession.objects.filter(ended_at__isnull=True).exists(),
            "the kiosk session ended",
        )
        page.goto(f"{live_server.url}/kiosk/{desk.pk}/")
        expect(page.get_by_role("heading", name="Máy đánh giá chưa sẵn sàng")).to_be_visible()
        assert Rating.objects.count() == 3
    finally:
        context.close()
