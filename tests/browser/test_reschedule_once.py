"""An official reschedules a dossier once from the desk; a second try is refused on screen,
and the applicant's apology SMS waits in the outbox."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tests.factories import CommuneFactory, UserFactory
from tests.factories_dossiers import DossierFactory
from tests.factories_onestop import ProcedureFactory
from thanthien.core import workdays
from thanthien.notify.models import Message
from thanthien.onestop.dossier_selectors import today_local
from thanthien.onestop.models import ApologySlip, Dossier
from thanthien.people.roles import Role

pytestmark = pytest.mark.browser

DESK_VIEWPORT = {"width": 1280, "height": 800}
RESCHEDULE_HEADING = "Hẹn lại ngày trả (chỉ một lần)"


def reschedule_form(page):
    return page.locator("form", has=page.get_by_role("heading", name=RESCHEDULE_HEADING))


def fill_reschedule(page, *, new_date, reason: str) -> None:
    form = reschedule_form(page)
    form.get_by_label("Ngày hẹn trả mới").fill(new_date.isoformat())
    form.get_by_label("Lý do").fill(reason)
    form.get_by_role("button", name="Hẹn lại và gửi lời xin lỗi").click()


def test_a_dossier_is_rescheduled_once_and_the_second_try_is_refused_on_screen(
    live_server, transactional_db, browser, artifacts
):
    commune = CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")
    procedure = ProcedureFactory(
        commune=commune, code="1.001193", name="Đăng ký khai sinh", processing_days=3
    )
    official = UserFactory(
        username="motcua.kienminh",
        full_name="Lê Thị Tiếp Nhận",
        role=Role.COMMUNE_OFFICIAL,
        commune=commune,
    )
    today = today_local()
    due = workdays.add_working_days(today, 3)  # at least two working days ahead
    dossier = DossierFactory(
        commune=commune,
        procedure=procedure,
        applicant_name="Trần Thị Bình",
        applicant_phone="0987654321",
        consent_sms=True,
        received_at=timezone.now() - timedelta(minutes=5),
        receipt_day=today,
        due_date=due,
        created_by=official,
    )
    new_date = workdays.add_working_days(due, 5)
    detail_url = f"{live_server.url}/staff/mot-cua/ho-so/{dossier.pk}/"

    context = browser.new_context(viewport=DESK_VIEWPORT, locale="vi-VN")
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.goto(f"{live_server.url}/staff/dang-nhap/")
        page.get_by_label("Tên đăng nhập").fill("motcua.kienminh")
        page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem")
        page.get_by_role("button", name="Đăng nhập").click()
        expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()

        # The same dossier is also open in a second tab, as happens at a busy desk.
        other_tab = context.new_page()
        other_tab.set_default_timeout(15_000)
        other_tab.goto(detail_url)
        expect(reschedule_form(other_tab)).to_be_visible()

        page.goto(detail_url)
        expect(page.get_by_role("heading", name=f"Hồ sơ số {dossier.code}")).to_be_visible()
        fill_reschedule(page, new_date=new_date, reason="Chờ kết quả xác minh của công an xã")
        expect(page.get_by_text(f"Đã cập nhật hồ sơ {dossier.code}.")).to_be_visible()
        expect(
            page.get_by_text(f"{new_date:%d/%m/%Y} — hẹn lại, ban đầu {due:%d/%m/%Y}")
        ).to_be_visible()
        # Once rescheduled, the page no longer offers to do it again.
        expect(reschedule_form(page)).to_have_count(0)
        page.screenshot(path=str(artifacts / "desk-reschedule-done.png"), full_page=True)

        fill_reschedule(
            other_tab, new_date=workdays.add_working_days(new_date, 3), reason="Lần thứ hai"
        )
        refusal = other_tab.get_by_text("chỉ được hẹn lại một lần")
        expect(refusal).to_be_visible()
        other_tab.screenshot(path=str(artifacts / "desk-reschedule-refused.png"), full_page=True)
    finally:
        context.close()

    dossier.refresh_from_db()
    assert (dossier.due_date, dossier.original_due_date) == (new_date, due)
    assert dossier.events.filter(kind="reschedule").count() == 1
    sms = Message.objects.get(related_id=str(dossier.pk), event="dossier_rescheduled")
    assert (sms.channel, sms.phone, sms.status) == ("sms", "0987654321", "queued")
    assert f"{new_date:%d/%m/%Y}" in sms.body and f"{due:%d/%m/%Y}" in sms.body
    slip = ApologySlip.objects.get(dossier=dossier)
    assert (slip.kind, slip.state, slip.number) == ("reschedule", "issued", 1)
    assert Dossier.objects.count() == 1
