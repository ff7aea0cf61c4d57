"""A resident sends a question for the dialogue conference from a 360 px phone; an official
records the answer and a commitment, and downloads the minutes, which Word (python-docx)
reads back."""

from datetime import timedelta

import pytest
from docx import Document
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_phone_width, link_labelled
from tests.factories import CommuneFactory, HamletFactory, OfficialFactory, UserFactory
from tests.factories_feedback import DialogueFactory
from thanthien.feedback.dialogue_selectors import today_local
from thanthien.feedback.dialogues import DialogueCommitment, DialogueQuestion
from thanthien.people.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_resident_asks_on_a_phone_and_official_answers_and_downloads_the_minutes(
    live_server, page, assert_accessible, artifacts
):
    commune = CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")
    hamlet = HamletFactory(commune=commune, name="Thôn Đông")
    chairman = OfficialFactory(commune=commune, full_name="Trần Văn Chủ Tịch")
    dialogue = DialogueFactory(
        commune=commune,
        chaired_by=chairman,
        date=today_local() + timedelta(days=14),
        questions_open_until=today_local() + timedelta(days=7),
        is_plan_published=True,
        title="Hội nghị đối thoại với Nhân dân",
    )
    dialogue.hamlets.add(hamlet)
    UserFactory(username="canbo.kienminh", role=Role.COMMUNE_OFFICIAL, commune=commune)

    # The resident, on a phone, from the commune's home page.
    page.goto(f"{live_server.url}/{commune.slug}/")
    link_labelled(page, "Hội nghị đối thoại").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Hội nghị đối thoại")
    assert_fits_phone_width(page)
    assert_accessible(page)
    page.get_by_role("link", name="Xem và gửi câu hỏi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(dialogue.title)
    page.get_by_label("Câu hỏi, ý kiến của ông/bà").fill(
        "Khi nào xã làm lại mương thoát nước thôn Đông?"
    )
    page.get_by_label("Họ và tên (không bắt buộc)").fill("Nguyễn Văn Dân")
    page.get_by_label("Thôn, tổ dân phố").select_option(label="Thôn Đông")
    page.get_by_label("Số điện thoại (không bắt buộc)").fill("0912345678")
    assert_fits_phone_width(page)
    assert_accessible(page)
    page.get_by_role("button", name="Gửi câu hỏi").click()
    expect(page.get_by_text("Đã nhận câu hỏi số 1")).to_be_visible()
    expect(page.get_by_text("091****678")).to_be_visible()
    assert "0912345678" not in page.content()
    assert_fits_phone_width(page)
    page.screenshot(path=str(artifacts / "dialogue-question-360.png"), full_page=True)
    question = DialogueQuestion.objects.get()
    assert question.hamlet == hamlet

    # The official records the answer and a commitment.
    page.goto(f"{live_server.url}/staff/dang-nhap/")
    page.get_by_label("Tên đăng nhập").fill("canbo.kienminh")
    page.get_by_label("Mật khẩu").fill("mat-khau-thu-nghiem")
    page.get_by_role("button", name="Đăng nhập").click()
    page.goto(f"{live_server.url}/staff/gop-y/doi-thoai/{dialogue.pk}/")
    expect(page.get_by_text("Khi nào xã làm lại mương thoát nước thôn Đông?")).to_be_visible()
    assert_accessible(page)
    page.screenshot(path=str(artifacts / "dialogue-staff-360.png"), full_page=True)
    page.get_by_role("link", name="Ghi trả lời, cam kết cho câu 1").click()
    page.get_by_label("Trả lời tại hội nghị").fill("Quý IV xã làm lại mương bằng vốn xã.")
    page.get_by_role("button", name="Lưu câu trả lời").click()
    expect(page.get_by_text("Đã ghi câu trả lời cho câu hỏi số 1")).to_be_visible()
    page.get_by_role("link", name="Ghi trả lời, cam kết cho câu 1").click()
    page.get_by_label("Nội dung cam kết").fill("Làm lại 300 m mương thôn Đông")
    page.get_by_label("Người chịu trách nhiệm").select_option(value=str(chairman.pk))
    deadline = dialogue.date + timedelta(days=60)
    page.get_by_label("Hạn hoàn thành").fill(f"{deadline:%Y-%m-%d}")
    page.get_by_role("button", name="Thêm cam kết").click()
    expect(page.get_by_text("Đã ghi cam kết.")).to_be_visible()
    assert_accessible(page)
    assert DialogueCommitment.objects.get().owner == chairman

    # The minutes, downloaded and read back.
    page.goto(f"{live_server.url}/staff/gop-y/doi-thoai/{dialogue.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Tải biên bản (.docx)").click()
    path = download.value.path()
    document = Document(str(path))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Khi nào xã làm lại mương thoát nước thôn Đông?" in text
    assert "Quý IV xã làm lại mương bằng vốn xã." in text
    assert "Làm lại 300 m mương thôn Đông" in text
    assert "BIÊN BẢN" in text
    assert "Trần Văn Chủ Tịch" in cells

    page.set_viewport_size({"width": 1000, "height": 1400})
    page.goto(f"{live_server.url}/staff/gop-y/doi-thoai/{dialogue.pk}/bien-ban/")
    expect(page.get_by_role("heading", level=1)).to_have_text("BIÊN BẢN")
    page.screenshot(path=str(artifacts / "dialogue-minutes-print.png"), full_page=True)
    page.goto(f"{live_server.url}/staff/gop-y/doi-thoai/{dialogue.pk}/phieu-cau-hoi/")
    expect(page.get_by_role("heading", level=1)).to_have_text("PHIẾU GỬI CÂU HỎI ĐỐI THOẠI")
    page.screenshot(path=str(artifacts / "dialogue-paper-form.png"), full_page=True)
