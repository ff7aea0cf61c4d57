"""An official types in a returned paper form with the keyboard alone (number keys)."""

import json

import pytest
from playwright.sync_api import expect

from tests.factories import CommuneFactory, HamletFactory, UserFactory
from tests.factories_campaigns import CampaignFactory
from tests.factories_onestop import ProcedureFactory
from thanthien.people.roles import Role
from thanthien.surveys.definitions import SHIPPED_DIR
from thanthien.surveys.models import Campaign, Response, ResponseChannel
from thanthien.surveys.paper_services import paper_forms_print

pytestmark = pytest.mark.browser

DESK_VIEWPORT = {"width": 1280, "height": 800}
SIPAS = json.loads((SHIPPED_DIR / "sipas-xa.json").read_text(encoding="utf-8"))


def test_official_types_in_a_paper_form_by_number_keys_and_cannot_enter_it_twice(
    live_server, transactional_db, page, artifacts
):
    commune = CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")
    ProcedureFactory(commune=commune, name="Đăng ký khai sinh")
    first_hamlet = HamletFactory(commune=commune, name="Thôn Đông", order=1)
    HamletFactory(commune=commune, name="Thôn Tây", order=2)
    official = UserFactory(
        username="khaosat.kienminh",
        full_name="Lê Thị Nhập Phiếu",
        role=Role.COMMUNE_OFFICIAL,
        commune=commune,
    )
    campaign = CampaignFactory(
        commune=commune,
        title="Khảo sát SIPAS năm 2026",
        questionnaire_id="sipas-xa",
        definition=SIPAS,
        state=Campaign.State.OPEN,
        channels=[ResponseChannel.ONLINE, ResponseChannel.PAPER],
        public_code="km2026ab",
    )
    paper_forms_print(user=official, campaign=campaign, copies=2)
    page.set_viewport_size(DESK_VIEWPORT)

    page.goto(f"{live_server.url}/staff/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("khaosat.kienminh")
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("heading", name="Tổng quan")).to_be_visible()

    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"{live_server.url}/staff/khao-sat/{campaign.pk}/phieu-giay/nhap/")
    assert page.evaluate("document.activeElement.name") == "number"
    keyboard = page.keyboard
    keyboard.type("2")  # the sequence printed on the form is enough
    keyboard.press("Enter")
    expect(page.get_by_text("Phiếu số km2026ab-00002")).to_be_visible()
    # The script puts the first question under the keyboard.
    page.wait_for_function("document.activeElement.name === 'q-procedure_used'")

    def keys(*names: str) -> None:
        for name in names:
            keyboard.press(name)

    keys("1", "Enter")  # 1. procedure: the first of the list
    keys("1")  # 2. submitted at the desk: question 4 (online only) is skipped
    assert page.evaluate("document.activeElement.name") == "q-access_place"
    keys("1", "1", "3")  # 3, 5, 6
    keys("5", "Enter")  # 7. expectations (several boxes): "nothing", then on
    keys("1", "1", "2", "4", "Enter")  # 8–12
    keys("1", "1", "1", "3", "Enter")  # 13–17
    keys("1", "2", "Enter", "3", "Enter")  # 18–21 (19 is a number: "2", Enter)
    keys("2")  # 22. no feedback given: 23–25 are skipped
    expect(page.locator('fieldset[data-q="q-feedback_satisfaction"]')).to_be_hidden()
    assert page.evaluate("document.activeElement.name") == "q-feedback_why_not"
    keys("2", "Enter", "Enter")  # 26 "did not know where", 27 nothing
    keys("4", "Enter", "2", "1", "1")  # 28, 29 (text, left empty), 30–32
    assert page.evaluate("document.activeElement.id") == "paper-save"
    page.screenshot(path=str(artifacts / "paper-entry-filled.png"), full_page=True)
    keyboard.press("Enter")

    expect(page.get_by_text("Đã lưu phiếu số km2026ab-00002.")).to_be_visible()
    expect(page.get_by_text("Đã nhập 1 phiếu")).to_be_visible()
    response = Response.objects.get()
    assert response.channel == ResponseChannel.PAPER
    assert response.paper_form.number == "km2026ab-00002"
    assert response.entered_by == official
    assert response.hamlet == first_hamlet
    assert response.answers["submitted_how"] == "desk"
    assert response.answers["feedback_given"] == "no"
    assert response.answers["feedback_why_not"] == ["how"]
    assert response.answers["result_visits"] == 2
    assert response.answers["overall_satisfaction"] == 4
    assert "access_online" not in response.answers
    assert "feedback_satisfaction" not in response.answers

    # The same number again: refused on screen, naming who entered it.
    assert page.evaluate("document.activeElement.name") == "number"
    keyboard.type("km2026ab-00002")
    keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text(
        "Phiếu số km2026ab-00002 đã được Lê Thị Nhập Phiếu nhập lúc"
    )
    assert Response.objects.count() == 1
    assert errors == []
    page.screenshot(path=str(artifacts / "paper-entry-refused.png"), full_page=True)

    # Printing one more copy: the A4 page shows the next number and the questions.
    page.goto(f"{live_server.url}/staff/khao-sat/{campaign.pk}/phieu-giay/")
    page.get_by_label("Số bản cần in").fill("1")
    page.get_by_role("button", name="In phiếu giấy").click()
    expect(page.get_by_text("km2026ab-00003", exact=True)).to_be_visible()
    expect(page.get_by_text("Nếu trả lời “Không” ở câu 22, chuyển sang câu 26.")).to_be_visible()
    page.emulate_media(media="print")
    page.screenshot(path=str(artifacts / "paper-form-a4-print.png"), full_page=True)
