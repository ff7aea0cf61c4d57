"""The staff inbox of feedback: list, filters, search, tabs, export, one item with its action
forms, print; and the public pages of published answers and the rating by link."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tests.factories import CommuneProfileFactory, HamletFactory, UserFactory
from tests.factories_feedback import ReplyTemplateFactory
from tests.factories_feedback_handling import jpeg_upload, staff, submit
from thanthien.feedback import workflow_services as services
from thanthien.feedback.items import FeedbackItem, Status
from thanthien.feedback.links import rating_path
from thanthien.notify.models import Message
from thanthien.people.roles import Role

pytestmark = pytest.mark.django_db

INBOX = "/staff/gop-y/"


@pytest.fixture
def leader(commune_a):
    return staff(commune_a, Role.COMMUNE_LEADER, phone="0987000999")


@pytest.fixture
def handler(commune_a):
    return staff(commune_a, full_name="Trần Thị Xử Lý")


def answered(commune, leader, handler, **overrides):
    item = submit(commune, **overrides)
    services.feedback_assign(actor=leader, item=item, assignee=handler, category="moi_truong")
    services.feedback_answer(
        actor=handler,
        item=item,
        answer="Kính gửi Nguyễn Văn Phản Ánh, xã đã thu gom rác ở chợ thôn Tây. "
        "Mọi thắc mắc gọi 0912345678.",
        files=[jpeg_upload("rac-da-don.jpg")],
    )
    return item


# --- the list ----------------------------------------------------------------------------


def test_inbox_lists_only_the_users_commune(client, commune_a, commune_b, handler):
    ours = submit(commune_a)
    theirs = submit(commune_b, content="Ý kiến của xã khác về đường liên xã bị sạt lở.")
    client.force_login(handler)
    response = client.get(INBOX)
    assert response.status_code == 200
    page = response.content.decode()
    assert ours.code in page and theirs.code not in page
    assert client.get(reverse("staff:feedback:item", args=[theirs.pk])).status_code == 404


def test_a_province_evaluator_reads_but_a_resident_account_without_role_cannot(
    client, commune_a, make_user, province_p
):
    submit(commune_a)
    client.force_login(make_user(Role.PROVINCE_EVALUATOR, province=province_p))
    assert client.get(INBOX).status_code == 200
    client.force_login(UserFactory(role="", commune=None))
    assert client.get(INBOX).status_code == 403


def test_inbox_query_count_does_not_grow_with_items(client, commune_a, leader, handler):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(INBOX + "?status=").status_code == 200
        return len(queries)

    client.force_login(leader)
    hamlet = HamletFactory(commune=commune_a)
    for n in range(2):
        item = submit(commune_a, sender_phone=f"091200{n:04d}", hamlet=hamlet)
        services.feedback_assign(actor=leader, item=item, assignee=handler, category="khac")
    few = count()
    for n in range(2, 14):
        item = submit(commune_a, sender_phone=f"091200{n:04d}", hamlet=hamlet)
        services.feedback_assign(actor=leader, item=item, assignee=handler, category="khac")
    assert count() == few


def test_filters_tabs_and_search(client, commune_a, leader, handler):
    today = timezone.localdate()
    late = submit(commune_a, sender_phone="0912000001", content="Cống thôn Bắc bị tắc nhiều ngày.")
    soon = submit(commune_a, sender_phone="0912000002", content="Cây đổ chắn đường thôn Nam rồi.")
    mine = submit(commune_a, sender_phone="0912000003", content="Chó thả rông ở khu chợ xã.")
    FeedbackItem.objects.filter(pk=late.pk).update(due_date=today - timedelta(days=1))
    FeedbackItem.objects.filter(pk=soon.pk).update(due_date=today)
    services.feedback_assign(actor=leader, item=mine, assignee=handler, category="an_ninh_trat_tu")
    client.force_login(handler)

    def codes(query: str) -> set[str]:
        page = client.get(INBOX + query).content.decode()
        return {i.code for i in (late, soon, mine) if i.code in page}

    assert codes("?overdue=on&status=") == {late.code}
    assert codes("?due_soon=on&status=") == {soon.code}
    assert codes("?mine=on&status=open") == {mine.code}
    assert codes("?category=an_ninh_trat_tu&status=") == {mine.code}
    assert codes("?q=0912000002&status=") == {soon.code}
    assert codes("?q=cống thôn bắc&status=") == {late.code}
    assert codes(f"?q={mine.code}&status=") == {mine.code}
    assert codes("?status=assigned") == {mine.code}
    page = client.get(INBOX).content.decode()
    assert "Quá hạn (1)" in page and "Giao cho tôi (1)" in page


def test_export_is_the_filtered_list_without_phone_numbers(client, commune_a, leader, handler):
    item = submit(commune_a)
    other = submit(commune_a, sender_phone="0912000009", content="Đường thôn Tây có ổ gà lớn.")
    services.feedback_assign(actor=leader, item=item, assignee=handler, category="moi_truong")
    client.force_login(handler)
    response = client.get(reverse("staff:feedback:inbox_export") + "?category=moi_truong&status=")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Mã" and len(rows) == 2
    assert rows[1][0] == item.code and other.code not in str(rows)
    assert "0912345678" not in str(rows)


# --- one item ----------------------------------------------------------------------------


def test_sender_is_masked_for_an_official_who_does_not_hold_the_item(
    client, commune_a, leader, handler
):
    item = submit(commune_a)
    services.feedback_assign(actor=leader, item=item, assignee=handler, category="khac")
    bystander = staff(commune_a)
    client.force_login(bystander)
    page = client.get(reverse("staff:feedback:item", args=[item.pk])).content.decode()
    assert "091****678" in page and "0912345678" not in page
    client.force_login(handler)
    page = client.get(reverse("staff:feedback:item", args=[item.pk])).content.decode()
    assert "0912345678" in page
    assert f"?from_item={item.pk}" in page  # "Vào sổ khiếu nại, tố cáo"


def test_leader_assigns_through_the_page_and_an_official_is_refused(
    client, commune_a, leader, handler
):
    item = submit(commune_a)
    url = reverse("staff:feedback:item_assign", args=[item.pk])
    data = {"assign-category": "moi_truong", "assign-assignee": handler.pk, "assign-note": ""}
    client.force_login(handler)
    assert client.post(url, data).status_code == 403
    client.force_login(leader)
    assert client.get(url).status_code == 405
    response = client.post(url, data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert (item.status, item.assignee, item.category) == ("assigned", handler, "moi_truong")


def test_answer_form_offers_templates_and_a_refusal_keeps_what_was_typed(
    client, commune_a, leader, handler
):
    item = submit(commune_a)
    services.feedback_assign(actor=leader, item=item, assignee=handler, category="moi_truong")
    template = ReplyTemplateFactory(
        commune=commune_a, category="moi_truong", title="Đã thu gom", body="Kính gửi {name}: {code}"
    )
    client.force_login(handler)
    url = reverse("staff:feedback:item", args=[item.pk])
    page = client.get(url).content.decode()
    assert "Đã thu gom" in page
    page = client.get(f"{url}?mau={template.pk}").content.decode()
    assert f"Kính gửi Nguyễn Văn Phản Ánh: {item.code}" in page

    bad = io.BytesIO(b"not a picture at all")
    bad.name = "anh.jpg"
    response = client.post(
        reverse("staff:feedback:item_answer", args=[item.pk]),
        {"answer-answer": "Xã đã cho thu gom rác ở chợ thôn Tây.", "answer-files": [bad]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Xã đã cho thu gom rác ở chợ thôn Tây." in page and "không phải ảnh" in page
    assert FeedbackItem.objects.get(pk=item.pk).status == Status.ASSIGNED

    response = client.post(
        reverse("staff:feedback:item_answer", args=[item.pk]),
        {
            "answer-answer": "Xã đã cho thu gom rác ở chợ thôn Tây.",
            "answer-files": [jpeg_upload()],
            "answer-evidence_public": "on",
        },
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == Status.ANSWERED and item.attachments.filter(role="answer").count() == 1


def test_item_page_query_count_does_not_grow_with_history(client, commune_a, leader, handler):
    item = submit(commune_a)
    services.feedback_assign(actor=leader, item=item, assignee=handler, category="khac")
    client.force_login(leader)
    url = reverse("staff:feedback:item", args=[item.pk])

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    few = count()
    for n in range(8):
        services.feedback_note(actor=handler, item=item, note=f"Ghi chú số {n}")
    assert count() == few


def test_print_and_docx_of_an_item(client, commune_a, leader, handler):
    item = answered(commune_a, leader, handler)
    client.force_login(handler)
    page = client.get(reverse("staff:feedback:item_print", args=[item.pk])).content.decode()
    assert "Phiếu xử lý góp ý, phản ánh, kiến nghị".upper() in page.upper() and item.code in page
    response = client.get(reverse("staff:feedback:item_docx", args=[item.pk]))
    assert response.content[:4] == b"PK\x03\x04"


def test_staff_attachment_is_served_only_within_the_commune(
    client, commune_a, commune_b, leader, handler
):
    item = answered(commune_a, leader, handler)
    attachment = item.attachments.get()
    url = reverse("staff:feedback:attachment", args=[attachment.pk])
    client.force_login(handler)
    assert client.get(url).status_code == 200
    client.force_login(staff(commune_b))
    assert client.get(url).status_code == 404


# --- the portal --------------------------------------------------------------------------


def test_published_answer_shows_no_personal_data(client, commune_a, leader, handler):
    item = answered(commune_a, leader, handler)
    hidden = answered(
        commune_a, leader, handler, sender_phone="0912000005", content="Rác ở bãi sông thôn Tây."
    )
    services.feedback_publish(
        actor=handler, item=item, public_summary="Rác tồn đọng ở chợ thôn Tây nhiều ngày."
    )
    listing = client.get(reverse("feedback:answers", args=[commune_a.slug]))
    page = listing.content.decode()
    assert "Rác tồn đọng ở chợ thôn Tây" in page and hidden.code not in page
    detail = client.get(reverse("feedback:answer", args=[commune_a.slug, item.code]))
    page = detail.content.decode()
    assert "xã đã thu gom rác ở chợ thôn Tây" in page
    assert "Nguyễn Văn Phản Ánh" not in page and "0912345678" not in page
    assert "091****678" in page
    evidence = item.attachments.get()
    file_url = reverse("feedback:answer_file", args=[commune_a.slug, item.code, evidence.pk])
    assert file_url in page
    assert client.get(file_url)["Content-Type"] == "image/jpeg"
    hidden_file = hidden.attachments.get()
    assert (
        client.get(
            reverse("feedback:answer_file", args=[commune_a.slug, hidden.code, hidden_file.pk])
        ).status_code
        == 404
    )
    assert (
        client.get(reverse("feedback:answer", args=[commune_a.slug, hidden.code])).status_code
        == 404
    )


def test_answers_filter_by_category_and_other_communes_answers_are_absent(
    client, commune_a, commune_b, leader, handler
):
    item = answered(commune_a, leader, handler)
    services.feedback_publish(
        actor=handler, item=item, public_summary="Rác tồn đọng ở chợ thôn Tây."
    )
    url = reverse("feedback:answers", args=[commune_a.slug])
    assert item.code in client.get(url + "?linh-vuc=moi_truong").content.decode()
    assert item.code not in client.get(url + "?linh-vuc=dat_dai").content.decode()
    assert (
        item.code
        not in client.get(reverse("feedback:answers", args=[commune_b.slug])).content.decode()
    )


def test_channels_page_links_to_the_answers(client, commune_a):
    CommuneProfileFactory(commune=commune_a)
    page = client.get(reverse("portal:channels", args=[commune_a.slug])).content.decode()
    assert reverse("feedback:answers", args=[commune_a.slug]) in page


def test_rating_by_link_changes_until_closed(client, commune_a, leader, handler, empty_cache):
    item = answered(commune_a, leader, handler)
    url = rating_path(item.code)
    path = url.split("?")[0]
    assert client.get(f"{path}?k=sai-ma").status_code == 404
    page = client.get(url).content.decode()
    assert "Ông/bà có hài lòng với câu trả lời không?" in page
    response = client.post(url, {"satisfied": "0", "reason": ""})
    assert response.status_code == 400 and "vì sao" in response.content.decode().lower()
    response = client.post(url, {"satisfied": "0", "reason": "Rác vẫn còn ở góc chợ."})
    assert response.status_code == 302
    assert "Cảm ơn ông/bà đã đánh giá." in client.get(response["Location"]).content.decode()
    client.post(url, {"satisfied": "1"})
    item.refresh_from_db()
    assert (item.satisfied, item.rating_reason) == (True, "")
    services.feedback_close(actor=handler, item=item)
    page = client.get(url).content.decode()
    assert "Gửi đánh giá" not in page and "Sửa đánh giá" not in page
    client.post(url, {"satisfied": "0", "reason": "Đổi ý rồi, chưa hài lòng."})
    assert FeedbackItem.objects.get(pk=item.pk).satisfied is True


def test_rating_by_link_can_reopen_the_item(client, commune_a, leader, handler, empty_cache):
    item = answered(commune_a, leader, handler)
    client.post(
        rating_path(item.code),
        {"satisfied": "0", "reason": "Rác vẫn còn ở góc chợ.", "reopen": "1"},
    )
    item.refresh_from_db()
    assert (item.status, item.reopen_count) == (Status.IN_PROGRESS, 1)


def test_paging_keeps_the_default_open_view_sorted_by_due_date(client, commune_a, handler):
    later = submit(commune_a, sender_phone="0912000011", content="Mương thoát nước thôn Bắc tắc.")
    sooner = submit(commune_a, sender_phone="0912000012", content="Cột điện nghiêng ở thôn Nam.")
    gone = submit(commune_a, sender_phone="0912000013", content="Tranh chấp ranh giới đất vườn.")
    today = timezone.localdate()
    FeedbackItem.objects.filter(pk=later.pk).update(due_date=today + timedelta(days=9))
    FeedbackItem.objects.filter(pk=sooner.pk).update(due_date=today + timedelta(days=2))
    services.feedback_redirect(
        actor=handler,
        item=gone,
        reason="Tranh chấp đất đai cần hoà giải ở thôn trước.",
        redirect_url="/",
    )
    client.force_login(handler)
    page = client.get(INBOX + "?page=1").content.decode()
    assert gone.code not in page
    assert page.index(sooner.code) < page.index(later.code)


def test_a_double_click_on_answer_sends_one_answer(client, commune_a, leader, handler):
    item = submit(commune_a)
    services.feedback_assign(actor=leader, item=item, assignee=handler, category="khac")
    client.force_login(handler)
    url = reverse("staff:feedback:item_answer", args=[item.pk])
    data = {"answer-answer": "Xã đã cho sửa xong đèn đường thôn Đông."}
    first = client.post(url, data)
    second = client.post(url, data)
    assert (first.status_code, second.status_code) == (302, 302)
    assert Message.objects.filter(event="feedback_answered").count() == 1
    assert item.events.filter(action="answer").count() == 1
    other = client.post(url, {"answer-answer": "Một câu trả lời khác hẳn câu trước đó."})
    assert other.status_code == 400  # not a repeat: refused with the reason
