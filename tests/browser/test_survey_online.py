"""A resident answers the shipped SIPAS-style survey on a 360 px phone, without JavaScript
doing the skip logic: "Không" to having given feedback keeps the feedback-handling questions
away; a second resident answering "Có" gets them. Each run records one response and one
score row per satisfaction answer."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_phone_width
from tests.factories import CommuneFactory, HamletFactory, UserFactory
from tests.factories_onestop import ProcedureFactory
from thanthien.people.roles import Role
from thanthien.surveys import campaign_services
from thanthien.surveys.models import Response, ResponseScore

pytestmark = pytest.mark.browser

FEEDBACK_HANDLING = [
    "Việc gửi góp ý (hòm thư, điện thoại, trang mạng, gặp trực tiếp) có dễ không?",
    "Góp ý của ông/bà có được trả lời không?",
    "Ông/bà hài lòng thế nào với cách xã tiếp nhận và trả lời góp ý của mình?",
]
WHY_NOT = "Vì sao ông/bà chưa góp ý? (có thể chọn nhiều)"


@pytest.fixture
def campaign(transactional_db):
    commune = CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")
    HamletFactory(commune=commune, name="Thôn Đông", order=1)
    HamletFactory(commune=commune, name="Thôn Tây", order=2)
    ProcedureFactory(commune=commune, name="Đăng ký khai sinh")
    admin = UserFactory(role=Role.COMMUNE_ADMIN, commune=commune)
    today = timezone.localdate()
    campaign = campaign_services.campaign_create(
        actor=admin,
        commune=commune,
        questionnaire="sipas-xa:1",
        title="Ý kiến người dân 2026",
        starts_on=today,
        ends_on=today + timedelta(days=30),
        channels=["online", "paper"],
    )
    campaign = campaign_services.campaign_open(actor=admin, campaign=campaign)
    cache.clear()
    return campaign


def pick(page, question_id: str, label: str) -> None:
    page.locator(f"#q-{question_id}").get_by_label(label, exact=True).check()


def answer_common(page) -> None:
    pick(page, "procedure_used", "Đăng ký khai sinh")
    pick(page, "submitted_how", "Nộp trực tiếp tại Bộ phận một cửa")
    pick(page, "access_satisfaction", "Rất hài lòng")
    pick(page, "procedure_satisfaction", "Hài lòng")
    pick(page, "officials_satisfaction", "Hài lòng")
    pick(page, "result_satisfaction", "Bình thường")
    pick(page, "overall_satisfaction", "Hài lòng")
    pick(page, "hamlet", "Thôn Tây")


def test_resident_answers_with_skip_logic_on_a_phone(
    live_server, campaign, page, artifacts, assert_accessible
):
    url = f"{live_server.url}/khao-sat/{campaign.public_code}/"

    # First resident: has given no feedback.
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ý kiến người dân")
    for text in FEEDBACK_HANDLING:
        expect(page.get_by_text(text)).to_have_count(0)
    assert_fits_phone_width(page)
    assert_accessible(page)
    page.screenshot(path=str(artifacts / "survey-online-360.png"), full_page=True)
    answer_common(page)
    pick(page, "feedback_given", "Không")
    page.get_by_role("button", name="Gửi phiếu").click()
    # "Không" opens only the why-not question; the feedback-handling ones stay hidden.
    expect(page.get_by_role("status")).to_contain_text("mở thêm một số câu hỏi")
    expect(page.get_by_text(WHY_NOT)).to_be_visible()
    for text in FEEDBACK_HANDLING:
        expect(page.get_by_text(text)).to_have_count(0)
    assert_accessible(page)
    pick(page, "feedback_why_not", "Không biết góp ý ở đâu")
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn ông/bà")
    assert_accessible(page)
    page.screenshot(path=str(artifacts / "survey-online-thanks-360.png"), full_page=True)

    first = Response.objects.get()
    assert first.channel == "online" and first.hamlet.name == "Thôn Tây"
    assert first.answers["feedback_given"] == "no"
    assert first.answers["feedback_why_not"] == ["how"]
    assert not {"feedback_satisfaction", "feedback_answered"} & set(first.answers)
    assert set(first.scores.values_list("question_id", "factor", "key")) == {
        ("access_satisfaction", "access", "very_satisfied"),
        ("procedure_satisfaction", "procedure", "satisfied"),
        ("officials_satisfaction", "officials", "satisfied"),
        ("result_satisfaction", "result", "neutral"),
        ("overall_satisfaction", "", "satisfied"),
    }

    # Second resident: has given feedback, so the feedback-handling questions appear.
    page.goto(url)
    answer_common(page)
    pick(page, "feedback_given", "Có")
    page.get_by_role("button", name="Gửi phiếu").click()
    for text in FEEDBACK_HANDLING:
        expect(page.get_by_text(text)).to_be_visible()
    expect(page.get_by_text(WHY_NOT)).to_have_count(0)
    assert_fits_phone_width(page)
    page.screenshot(path=str(artifacts / "survey-online-feedback-360.png"), full_page=True)
    pick(page, "feedback_channel_easy", "Có")
    pick(page, "feedback_answered", "Có, nhưng chậm")
    pick(page, "feedback_satisfaction", "Không hài lòng")
    page.get_by_role("button", name="Gửi phiếu").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cảm ơn ông/bà")

    assert Response.objects.count() == 2
    second = Response.objects.exclude(pk=first.pk).get()
    assert second.answers["feedback_answered"] == "late"
    assert "feedback_why_not" not in second.answers
    assert set(second.scores.values_list("question_id", "key")) == {
        ("access_satisfaction", "very_satisfied"),
        ("procedure_satisfaction", "satisfied"),
        ("officials_satisfaction", "satisfied"),
        ("result_satisfaction", "neutral"),
        ("feedback_satisfaction", "dissatisfied"),
        ("overall_satisfaction", "satisfied"),
    }
    assert ResponseScore.objects.count() == 11
