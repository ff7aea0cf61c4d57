"""A resident rates a returned dossier on a 360 px phone from the receipt's QR code: the
status page, one tap, the official, the reasons and the code of conduct, thanks."""

from datetime import date

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_phone_width
from tests.dossier_helpers import at, receive_dossier
from tests.factories import CommuneFactory, OfficialFactory, UserFactory
from tests.factories_onestop import ProcedureFactory
from thanthien.onestop import dossier_services as services
from thanthien.onestop.lookup import status_path
from thanthien.onestop.models import Dossier
from thanthien.people.roles import Role
from thanthien.surveys.models import Rating

pytestmark = pytest.mark.browser


@pytest.fixture
def returned(transactional_db):
    commune = CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")
    procedure = ProcedureFactory(commune=commune, name="Đăng ký khai sinh", processing_days=3)
    desk = UserFactory(role=Role.COMMUNE_OFFICIAL, commune=commune)
    handler = OfficialFactory(commune=commune, full_name="Phạm Văn Giải Quyết")
    dossier = receive_dossier(
        actor=desk,
        procedure=procedure,
        notify_channel=Dossier.NotifyChannel.NONE,
        received_at=at(date(2025, 3, 3), 9, 5),
    )
    services.dossier_handover(
        actor=desk, dossier=dossier, to_official=handler, at=at(date(2025, 3, 3), 10)
    )
    services.dossier_result_ready(actor=desk, dossier=dossier, at=at(date(2025, 3, 5), 14))
    services.dossier_return(actor=desk, dossier=dossier, at=at(date(2025, 3, 6), 9))
    cache.clear()
    return dossier


def test_resident_rates_by_the_receipts_qr_on_a_phone(
    live_server, returned, page, artifacts, assert_accessible
):
    # The receipt's QR opens the status page; a returned dossier offers the rating.
    page.goto(f"{live_server.url}{status_path(returned.code)}")
    page.get_by_role("link", name="Đánh giá mức độ hài lòng").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Đánh giá mức độ hài lòng")
    expect(page.get_by_text("Ông/bà hài lòng thế nào với việc giải quyết hồ sơ?")).to_be_visible()
    assert_fits_phone_width(page)
    assert_accessible(page)
    page.screenshot(path=str(artifacts / "rate-by-qr-360.png"), full_page=True)

    page.get_by_role("button", name="Bình thường").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận")
    rating = Rating.objects.get(dossier=returned)
    assert (rating.channel, rating.service_score) == ("qr", 2)

    page.get_by_role("button", name="Không hài lòng").click()
    expect(page.get_by_text("Vì sao ông/bà chưa hài lòng?")).to_be_visible()
    page.get_by_label("Phải đi lại nhiều lần").check()
    page.get_by_label("Hướng dẫn không rõ ràng").check()
    page.get_by_role("group", name="4 luôn").get_by_label("Không").check()
    assert_fits_phone_width(page)
    assert_accessible(page)
    page.screenshot(path=str(artifacts / "rate-by-qr-reasons-360.png"), full_page=True)
    page.get_by_role("button", name="Gửi").click()

    expect(page.get_by_text("Cảm ơn ông/bà đã đánh giá!")).to_be_visible()
    expect(page.get_by_role("link", name="Đổi đánh giá")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(artifacts / "rate-by-qr-thanks-360.png"), full_page=True)
    rating.refresh_from_db()
    assert rating.official_score == 1
    assert rating.official.full_name == "Phạm Văn Giải Quyết"
    assert rating.reasons == ["unclear_guidance", "came_back_several_times"]
    assert rating.conduct == {"luon": "no"}
    assert Rating.objects.count() == 1
