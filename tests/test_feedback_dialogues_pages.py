"""Dialogue pages: the staff list with its Art. 32 warning, planning, the conference page with
the fast paper entry, answers and commitments, the tracker and its XLSX, the minutes and
the paper slip; the portal's published plans and results and the resident's question form."""

import io
from datetime import timedelta

import pytest
from django.test import override_settings
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from tests.factories import HamletFactory, OfficialFactory
from tests.factories_feedback import (
    DialogueCommitmentFactory,
    DialogueFactory,
    DialogueQuestionFactory,
)
from thanthien.core.staff import SCOPED_VIEWS
from thanthien.feedback import dialogue_selectors as selectors
from thanthien.feedback import dialogue_services as services
from thanthien.feedback.dialogues import Dialogue, DialogueCommitment, DialogueQuestion
from thanthien.people.roles import Role


def today():
    return selectors.today_local()


@pytest.fixture
def chairman(commune_a):
    return OfficialFactory(commune=commune_a, full_name="Trần Văn Chủ Tịch")


@pytest.fixture
def hamlet(commune_a):
    return HamletFactory(commune=commune_a, name="Thôn Đông")


@pytest.fixture
def dialogue(commune_a, chairman, hamlet):
    """A planned conference 20 days ahead, its plan published, questions open for 10 days."""
    dialogue = DialogueFactory(
        commune=commune_a,
        chaired_by=chairman,
        date=today() + timedelta(days=20),
        questions_open_until=today() + timedelta(days=10),
        is_plan_published=True,
        title="Hội nghị đối thoại với Nhân dân",
    )
    dialogue.hamlets.add(hamlet)
    return dialogue


def _url(name, *args):
    return reverse(f"staff:feedback:{name}", args=args)


def _public(dialogue):
    return reverse("feedback:dialogue", args=[dialogue.commune.slug, dialogue.pk])


def _fill(dialogue, n, *, commitments=1):
    for _i in range(n):
        question = DialogueQuestionFactory(
            commune=dialogue.commune,
            dialogue=dialogue,
            number=dialogue.questions.count() + 1,
            hamlet=HamletFactory(commune=dialogue.commune),
            answer="Đã trả lời",
        )
        for _j in range(commitments):
            DialogueCommitmentFactory(
                commune=dialogue.commune,
                question=question,
                owner=OfficialFactory(commune=dialogue.commune),
            )


# --- staff: list, warning, planning --------------------------------------------------------


@pytest.mark.django_db
def test_list_warns_the_leader_when_the_year_has_no_conference(client, leader_a):
    client.force_login(leader_a)
    response = client.get(_url("dialogues"))
    assert response.status_code == 200
    assert "Điều 32" in response.content.decode()
    dashboard = client.get(reverse("staff:dashboard")).content.decode()
    assert "Điều 32" in dashboard
    assert _url("dialogues") in dashboard


@pytest.mark.django_db
def test_dashboard_warning_is_for_leaders_and_admins_not_officials(client, official):
    client.force_login(official)
    assert "Điều 32" not in client.get(reverse("staff:dashboard")).content.decode()


@pytest.mark.django_db
def test_list_query_count_does_not_grow_with_conferences(
    client, leader_a, dialogue, django_assert_max_num_queries
):
    client.force_login(leader_a)
    _fill(dialogue, 2)
    with django_assert_max_num_queries(12) as few:
        client.get(_url("dialogues"))
    for _i in range(5):
        _fill(DialogueFactory(commune=dialogue.commune, chaired_by=dialogue.chaired_by), 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(_url("dialogues"))
    assert response.content.decode().count("Hội nghị đối thoại giữa Chủ tịch") == 5


@pytest.mark.django_db
def test_leader_plans_a_conference_through_the_form(client, leader_a, chairman, hamlet):
    client.force_login(leader_a)
    assert client.get(_url("dialogue_new")).status_code == 200
    day = today() + timedelta(days=30)
    data = {
        "title": "Hội nghị đối thoại năm 2026",
        "date": f"{day:%Y-%m-%d}",
        "start_time": "08:00",
        "place": "Hội trường UBND xã",
        "topics": "Đường liên thôn\nMôi trường",
        "chaired_by": chairman.pk,
        "front_representative": "Bà Hoa",
        "questions_open_until": f"{day + timedelta(days=1):%Y-%m-%d}",
        "hamlets": [hamlet.pk],
    }
    response = client.post(_url("dialogue_new"), data)
    assert response.status_code == 200  # the deadline after the day is refused
    assert "trước hoặc đúng ngày tổ chức" in response.content.decode()
    assert not Dialogue.objects.exists()
    data["questions_open_until"] = f"{day - timedelta(days=5):%Y-%m-%d}"
    response = client.post(_url("dialogue_new"), data)
    dialogue = Dialogue.objects.get()
    assert response.url == _url("dialogue", dialogue.pk)
    assert dialogue.chaired_by == chairman


@pytest.mark.django_db
def test_an_official_cannot_open_the_plan_form_or_publish(client, official, dialogue):
    client.force_login(official)
    assert client.get(_url("dialogue_new")).status_code == 403
    assert client.post(_url("dialogue_publish_plan", dialogue.pk)).status_code == 403
    assert client.post(_url("dialogue_cancel", dialogue.pk), {"reason": "x"}).status_code == 403


@pytest.mark.django_db
def test_publish_and_cancel_are_post_only_and_go_through_the_service(client, leader_a, dialogue):
    client.force_login(leader_a)
    assert client.get(_url("dialogue_publish_plan", dialogue.pk)).status_code == 405
    client.post(_url("dialogue_publish_plan", dialogue.pk), {"published": "0"})
    dialogue.refresh_from_db()
    assert not dialogue.is_plan_published
    response = client.post(_url("dialogue_cancel", dialogue.pk), {"reason": ""}, follow=True)
    assert "Ghi rõ lý do huỷ" in response.content.decode()
    client.post(_url("dialogue_cancel", dialogue.pk), {"reason": "Mưa bão"})
    dialogue.refresh_from_db()
    assert dialogue.status == Dialogue.Status.CANCELLED


@pytest.mark.django_db
def test_another_communes_conference_answers_404(client, make_user, commune_b, dialogue):
    client.force_login(make_user(Role.COMMUNE_LEADER, commune=commune_b))
    for name in ("dialogue", "dialogue_minutes_docx", "dialogue_paper_form"):
        assert client.get(_url(name, dialogue.pk)).status_code == 404


# --- staff: the conference page ----------------------------------------------------------


@pytest.mark.django_db
def test_fast_paper_entry_numbers_questions_and_a_double_submit_keeps_one(
    client, official, dialogue, hamlet
):
    client.force_login(official)
    page = client.get(_url("dialogue", dialogue.pk)).content.decode()
    assert "Nhập câu hỏi từ phiếu giấy" in page
    data = {
        "source": "paper",
        "question": "Xin hỏi khi nào sửa cống thôn Đông?",
        "asker_name": "Ông Bốn",
        "hamlet": hamlet.pk,
        "key": "paper-key-1",
    }
    first = client.post(_url("dialogue_question_add", dialogue.pk), data)
    assert first.url.endswith("#nhap-cau-hoi")
    client.post(_url("dialogue_question_add", dialogue.pk), data)
    data2 = {**data, "question": "Câu hỏi thứ hai từ phiếu giấy", "key": "paper-key-2"}
    response = client.post(_url("dialogue_question_add", dialogue.pk), data2, follow=True)
    assert "Đã ghi câu hỏi số 2" in response.content.decode()
    assert list(dialogue.questions.values_list("number", "source")) == [
        (1, "paper"),
        (2, "paper"),
    ]
    bad = client.post(_url("dialogue_question_add", dialogue.pk), {**data, "question": "ngắn"})
    assert bad.status_code == 200
    assert "ít nhất 10 ký tự" in bad.content.decode()


@pytest.mark.django_db
def test_detail_query_count_does_not_grow_with_questions(
    client, leader_a, dialogue, django_assert_max_num_queries
):
    client.force_login(leader_a)
    _fill(dialogue, 2)
    with django_assert_max_num_queries(25) as few:
        client.get(_url("dialogue", dialogue.pk))
    _fill(dialogue, 10, commitments=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(_url("dialogue", dialogue.pk))
    assert response.content.decode().count('id="cau-hoi-') == 12


@pytest.mark.django_db
def test_official_records_an_answer_and_a_commitment_then_marks_it_done(
    client, official, dialogue, chairman
):
    question = DialogueQuestionFactory(commune=dialogue.commune, dialogue=dialogue, number=1)
    client.force_login(official)
    url = _url("dialogue_question", question.pk)
    assert client.get(url).status_code == 200
    response = client.post(url, {"answer": "Tháng 12 sẽ sửa xong.", "answered_by": ""})
    assert response.url.endswith("#cau-hoi-1")
    question.refresh_from_db()
    assert (question.answer, question.answered_by) == ("Tháng 12 sẽ sửa xong.", chairman)

    deadline = dialogue.date + timedelta(days=40)
    client.post(
        _url("dialogue_commitment_add", question.pk),
        {"text": "Sửa cống", "owner": chairman.pk, "deadline": f"{deadline:%Y-%m-%d}"},
    )
    commitment = DialogueCommitment.objects.get()
    assert commitment.deadline == deadline
    client.post(
        _url("commitment_complete", commitment.pk),
        {"done_on": f"{today():%Y-%m-%d}", "result_note": "Đã sửa"},
    )
    commitment.refresh_from_db()
    assert commitment.status == DialogueCommitment.Status.DONE
    again = client.post(
        _url("commitment_drop", commitment.pk),
        {"explanation": "Thử huỷ một việc đã xong"},
        follow=True,
    )
    assert "Đã hoàn thành" in again.content.decode()
    commitment.refresh_from_db()
    assert commitment.status == DialogueCommitment.Status.DONE


@pytest.mark.django_db
def test_hold_form_records_the_minutes(client, leader_a, dialogue):
    client.force_login(leader_a)
    response = client.post(
        _url("dialogue_hold", dialogue.pk),
        {
            "held_on": f"{today():%Y-%m-%d}",
            "attendance": "85",
            "secretary_name": "Phạm Thư Ký",
            "minutes_summary": "Kết luận của Chủ tịch.",
        },
    )
    assert response.url == _url("dialogue", dialogue.pk)
    dialogue.refresh_from_db()
    assert (dialogue.status, dialogue.attendance) == (Dialogue.Status.HELD, 85)


# --- staff: documents and the tracker ----------------------------------------------------


@pytest.mark.django_db
def test_minutes_docx_and_print_page_and_paper_slip(client, official, dialogue):
    DialogueQuestionFactory(
        commune=dialogue.commune, dialogue=dialogue, number=1, answer="Câu trả lời mẫu."
    )
    client.force_login(official)
    docx = client.get(_url("dialogue_minutes_docx", dialogue.pk))
    assert docx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "bien-ban-doi-thoai" in docx["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Câu trả lời mẫu." in text
    page = client.get(_url("dialogue_minutes", dialogue.pk)).content.decode()
    assert "BIÊN BẢN" in page and _url("dialogue_minutes_docx", dialogue.pk) in page
    slip = client.get(_url("dialogue_paper_form", dialogue.pk)).content.decode()
    assert "PHIẾU GỬI CÂU HỎI ĐỐI THOẠI" in slip
    assert client.get(_url("dialogue_paper_form_docx", dialogue.pk)).status_code == 200


@pytest.mark.django_db
def test_tracker_filters_overdue_and_exports_xlsx(
    client, official, dialogue, django_assert_max_num_queries
):
    _fill(dialogue, 2)
    late = DialogueCommitment.objects.first()
    DialogueCommitment.objects.filter(pk=late.pk).update(
        deadline=today() - timedelta(days=3), text="Việc quá hạn"
    )
    client.force_login(official)
    with django_assert_max_num_queries(14) as few:
        client.get(_url("commitments"))
    _fill(dialogue, 8, commitments=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url("commitments"))
    overdue = client.get(_url("commitments"), {"state": "overdue"}).content.decode()
    assert "Việc quá hạn" in overdue
    assert overdue.count("<tr>") == 2  # the header row and the one overdue commitment
    export = client.get(_url("commitments_export"), {"state": "overdue"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][4] == "Cam kết"
    assert len(rows) == 2 and rows[1][4] == "Việc quá hạn" and rows[1][7] == "Quá hạn"


# --- portal --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_portal_lists_published_plans_only_and_home_links_there(client, dialogue, chairman):
    DialogueFactory(commune=dialogue.commune, chaired_by=chairman, title="Bản nháp chưa công khai")
    slug = dialogue.commune.slug
    page = client.get(reverse("feedback:dialogues", args=[slug])).content.decode()
    assert "Hội nghị đối thoại với Nhân dân" in page
    assert "Bản nháp chưa công khai" not in page
    home = client.get(reverse("portal:commune_home", args=[slug])).content.decode()
    assert reverse("feedback:dialogues", args=[slug]) in home


@pytest.mark.django_db
def test_unpublished_or_other_communes_conference_is_not_found(client, dialogue, commune_b):
    Dialogue.objects.filter(pk=dialogue.pk).update(is_plan_published=False)
    assert client.get(_public(dialogue)).status_code == 404
    Dialogue.objects.filter(pk=dialogue.pk).update(is_plan_published=True)
    wrong = reverse("feedback:dialogue", args=[commune_b.slug, dialogue.pk])
    assert client.get(wrong).status_code == 404


@pytest.mark.django_db
def test_resident_sends_a_question_and_sees_only_a_masked_phone(
    client, dialogue, hamlet, empty_cache
):
    page = client.get(_public(dialogue))
    assert "Gửi câu hỏi trước hội nghị" in page.content.decode()
    data = {
        "question": "Khi nào xã làm lại mương thoát nước thôn Đông?",
        "asker_name": "Nguyễn Văn Dân",
        "hamlet": hamlet.pk,
        "asker_phone": "0912345678",
        "key": "resident-key",
    }
    response = client.post(_public(dialogue), data, follow=True)
    body = response.content.decode()
    assert "Đã nhận câu hỏi số 1" in body
    assert "091****678" in body and "0912345678" not in body
    client.post(_public(dialogue), data)  # double click
    question = DialogueQuestion.objects.get()
    assert question.source == DialogueQuestion.Source.ONLINE
    assert question.show_name is False


@pytest.mark.django_db
def test_bad_input_is_explained_and_kept(client, dialogue, empty_cache):
    response = client.post(
        _public(dialogue), {"question": "ngắn", "asker_phone": "123", "asker_name": "Chị Mai"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "ít nhất 10 ký tự" in body and "10 chữ số" in body
    assert 'value="Chị Mai"' in body
    assert not DialogueQuestion.objects.exists()


@pytest.mark.django_db
def test_honeypot_is_thanked_and_ignored(client, dialogue, empty_cache):
    data = {"question": "Câu hỏi của một chương trình tự động", "website": "http://spam"}
    response = client.post(_public(dialogue), data, follow=True)
    assert "Đã nhận câu hỏi" in response.content.decode()
    assert not DialogueQuestion.objects.exists()


@pytest.mark.django_db
@override_settings(THANTHIEN_FEEDBACK_RATE="2/10m")
def test_public_question_form_is_rate_limited_per_address(client, dialogue, empty_cache):
    for n in range(2):
        client.post(_public(dialogue), {"question": f"Câu hỏi số {n} về đường làng"})
    response = client.post(_public(dialogue), {"question": "Câu hỏi thứ ba về đường làng"})
    assert response.status_code == 429
    assert response["Retry-After"]
    assert DialogueQuestion.objects.count() == 2


@pytest.mark.django_db
@override_settings(THANTHIEN_FEEDBACK_PHONE_RATE="1/1h")
def test_public_question_form_is_rate_limited_per_phone(client, dialogue, empty_cache):
    client.post(
        _public(dialogue), {"question": "Câu hỏi đầu về đường", "asker_phone": "0912345678"}
    )
    response = client.post(
        _public(dialogue),
        {"question": "Câu hỏi khác về chợ", "asker_phone": "0912 345 678"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert response.status_code == 429
    assert DialogueQuestion.objects.count() == 1


@pytest.mark.django_db
def test_closed_conference_shows_no_form_and_refuses_a_post(client, dialogue, empty_cache):
    Dialogue.objects.filter(pk=dialogue.pk).update(questions_open_until=today() - timedelta(days=1))
    page = client.get(_public(dialogue)).content.decode()
    assert "Đã hết hạn gửi câu hỏi" in page and "<textarea" not in page
    client.post(_public(dialogue), {"question": "Câu hỏi gửi sau khi hết hạn"})
    assert not DialogueQuestion.objects.exists()


@pytest.mark.django_db
def test_published_results_show_answers_commitments_and_names_only_with_consent(
    client, dialogue, leader_a, official, chairman, hamlet, django_assert_max_num_queries
):
    services.question_submit(
        dialogue=dialogue,
        question="Câu hỏi của người đồng ý công khai tên",
        asker_name="Lê Công Khai",
        asker_phone="0987654321",
        hamlet=hamlet,
        show_name=True,
    )
    hidden = services.question_submit(
        dialogue=dialogue,
        question="Câu hỏi của người không muốn nêu tên",
        asker_name="Hoàng Giấu Tên",
        show_name=False,
    ).question
    services.dialogue_hold(
        actor=leader_a,
        dialogue=dialogue,
        held_on=today(),
        attendance=90,
        minutes_summary="Kết luận hội nghị.",
    )
    for question in dialogue.questions.all():
        services.question_answer(actor=official, question=question, answer="Trả lời công khai.")
    services.commitment_add(
        actor=official,
        question=hidden,
        text="Cam kết sửa cầu tràn",
        owner=chairman,
        deadline=dialogue.date + timedelta(days=10),
    )
    services.dialogue_publish_results(actor=leader_a, dialogue=dialogue)
    with django_assert_max_num_queries(12):
        body = client.get(_public(dialogue)).content.decode()
    assert "Lê Công Khai" in body
    assert "Hoàng Giấu Tên" not in body
    assert "0987654321" not in body and "987654321" not in body
    assert "Trả lời công khai." in body and "Cam kết sửa cầu tràn" in body
    assert "90 người dự" in body


# --- tenancy of every dialogue staff URL ---------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role",
    [Role.COMMUNE_OFFICIAL, Role.COMMUNE_LEADER, Role.COMMUNE_ADMIN, Role.FRONT_MEMBER],
)
def test_every_dialogue_url_denies_another_communes_records(client, make_user, commune_a, role):
    # A commitment, its question and its conference, in another commune.
    victim = DialogueCommitmentFactory()
    reverse("staff:dashboard")  # the URLconf (and with it the registry) is loaded
    names = [name for name, label in SCOPED_VIEWS.items() if label.startswith("feedback.Dialogue")]
    samples = {
        "feedback.Dialogue": victim.question.dialogue,
        "feedback.DialogueQuestion": victim.question,
        "feedback.DialogueCommitment": victim,
    }
    assert len(names) == 17
    client.force_login(make_user(role, commune=commune_a))
    for name in names:
        url = reverse(name, kwargs={"pk": samples[SCOPED_VIEWS[name]].pk})
        assert client.get(url).status_code in {403, 404}, url
        assert client.post(url, {"reason": "x", "answer": "x"}).status_code in {403, 404}, url
    victim.refresh_from_db()
    assert victim.status == DialogueCommitment.Status.OPEN
    for name in ("dialogues", "commitments", "commitments_export"):
        page = client.get(_url(name))
        assert victim.text.encode() not in page.content
        assert victim.question.dialogue.title.encode() not in page.content


@pytest.mark.django_db
def test_portal_list_query_count_does_not_grow_with_conferences(
    client, dialogue, chairman, django_assert_max_num_queries
):
    url = reverse("feedback:dialogues", args=[dialogue.commune.slug])
    with django_assert_max_num_queries(6) as few:
        client.get(url)
    for n in range(6):
        DialogueFactory(
            commune=dialogue.commune,
            chaired_by=OfficialFactory(commune=dialogue.commune),
            date=today() - timedelta(days=30 * (n + 1)),
            status=Dialogue.Status.HELD,
            is_plan_published=True,
            is_results_published=True,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(url).content.decode()
    assert page.count("Đã công khai kết quả") == 6


@pytest.mark.django_db
def test_front_member_enters_paper_questions_but_does_not_answer(
    client, make_user, commune_a, dialogue
):
    front = make_user(Role.FRONT_MEMBER, commune=commune_a)
    client.force_login(front)
    client.post(
        _url("dialogue_question_add", dialogue.pk),
        {"source": "paper", "question": "Phiếu do Mặt trận thu ở thôn Đông", "key": "f1"},
    )
    question = DialogueQuestion.objects.get()
    assert question.source == DialogueQuestion.Source.PAPER
    page = client.get(_url("dialogue_question", question.pk)).content.decode()
    assert "Lưu câu trả lời" not in page
    client.post(_url("dialogue_question", question.pk), {"answer": "Trả lời thay chính quyền"})
    question.refresh_from_db()
    assert question.answer == ""
    assert client.get(_url("dialogue_new")).status_code == 403


@pytest.mark.django_db
def test_official_brings_a_feedback_item_to_the_conference_by_its_code(client, official, dialogue):
    from tests.factories_feedback import FeedbackItemFactory

    item = FeedbackItemFactory(commune=dialogue.commune, code="PA-TEST-26-00007")
    client.force_login(official)
    assert (
        "Đưa góp ý, phản ánh vào hội nghị"
        in client.get(_url("dialogue", dialogue.pk)).content.decode()
    )
    url = _url("dialogue_question_from_feedback", dialogue.pk)
    response = client.post(url, {"feedback_code": item.code}, follow=True)
    assert "Đã đưa góp ý, phản ánh vào hội nghị" in response.content.decode()
    again = client.post(url, {"feedback_code": item.code}, follow=True).content.decode()
    assert "đã có trong hội nghị (câu hỏi số 1)" in again
    missing = client.post(url, {"feedback_code": "PA-KHONG-CO"}, follow=True).content.decode()
    assert "PA-KHONG-CO" in missing
    assert dialogue.questions.get().feedback_item == item


@pytest.mark.django_db
def test_questions_export_lists_every_question_with_its_commitments(
    client, official, dialogue, django_assert_max_num_queries
):
    _fill(dialogue, 2, commitments=2)
    client.force_login(official)
    url = _url("dialogue_questions_xlsx", dialogue.pk)
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    _fill(dialogue, 6, commitments=2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Số", "Nguồn")
    assert [row[0] for row in rows[1:]] == list(range(1, 9))
    assert rows[1][9].count("Trải nhựa đường thôn Bắc") == 2


@pytest.mark.django_db
def test_commitment_tracker_and_public_results_keep_their_query_count(
    client, leader_a, dialogue, django_assert_max_num_queries
):
    dialogue.status = Dialogue.Status.HELD
    dialogue.is_plan_published = dialogue.is_results_published = True
    dialogue.save()
    _fill(dialogue, 2)
    client.force_login(leader_a)
    with django_assert_max_num_queries(30) as tracker:
        client.get(_url("commitments"), {"trang_thai": "all"})
    with django_assert_max_num_queries(30) as public:
        client.get(_public(dialogue))
    _fill(dialogue, 6, commitments=2)
    with django_assert_max_num_queries(len(tracker.captured_queries)):
        page = client.get(_url("commitments"), {"trang_thai": "all"}).content.decode()
    assert page.count("Trải nhựa đường thôn Bắc trong quý IV.") == 14  # every commitment
    with django_assert_max_num_queries(len(public.captured_queries)):
        page = client.get(_public(dialogue)).content.decode()
    assert page.count("Đã trả lời") == 8  # every question's answer is shown
