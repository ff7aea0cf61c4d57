"""Dialogue conferences: planned by leaders with the Front, questions collected online and on
paper (numbered, idempotent), answers and commitments tracked until done, the minutes as an
ND 30 DOCX, and the yearly warning of Art. 32."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.utils import timezone
from docx import Document

from tests.factories import HamletFactory, OfficialFactory
from tests.factories_feedback import DialogueFactory
from thanthien.core.documents import build_docx
from thanthien.feedback import dialogue_selectors as selectors
from thanthien.feedback import dialogue_services as services
from thanthien.feedback.dialogue_documents import minutes_document, question_form_document
from thanthien.feedback.dialogues import Dialogue, DialogueCommitment, DialogueQuestion
from thanthien.people.roles import Role

ONLINE = DialogueQuestion.Source.ONLINE
PAPER = DialogueQuestion.Source.PAPER


def today():
    return selectors.today_local()


@pytest.fixture
def chairman(commune_a):
    return OfficialFactory(commune=commune_a, full_name="Trần Văn Chủ Tịch")


@pytest.fixture
def hamlet(commune_a):
    return HamletFactory(commune=commune_a, name="Thôn Đông")


@pytest.fixture
def plan(leader_a, commune_a, chairman, hamlet):
    """plan(**overrides): a conference 20 days ahead taking questions for 10 days."""

    def make(**overrides):
        values = {
            "actor": leader_a,
            "commune": commune_a,
            "title": "Hội nghị đối thoại năm nay",
            "date": today() + timedelta(days=20),
            "place": "Hội trường UBND xã",
            "topics": "Đường liên thôn\n\n  Vệ sinh môi trường  ",
            "chaired_by": chairman,
            "front_representative": "Bà Nguyễn Thị Hoa, Chủ tịch Ủy ban MTTQ xã",
            "questions_open_until": today() + timedelta(days=10),
            "hamlets": [hamlet],
        }
        return services.dialogue_plan(**{**values, **overrides})

    return make


@pytest.fixture
def published(plan, leader_a):
    return services.dialogue_publish_plan(actor=leader_a, dialogue=plan())


def ask(dialogue, text="Bao giờ đường thôn Đông được trải nhựa?", **extra):
    return services.question_submit(dialogue=dialogue, question=text, **extra)


# --- planning ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_leader_plans_a_conference_with_the_front_and_its_topics(plan, hamlet, leader_a):
    dialogue = plan()
    assert dialogue.status == Dialogue.Status.PLANNED
    assert dialogue.topic_lines() == ["Đường liên thôn", "Vệ sinh môi trường"]
    assert list(dialogue.hamlets.all()) == [hamlet]
    assert dialogue.created_by == leader_a
    assert not dialogue.is_plan_published


@pytest.mark.django_db
def test_an_official_or_the_front_cannot_plan_a_conference(plan, official, make_user, commune_a):
    front = make_user(Role.FRONT_MEMBER, commune=commune_a)
    for actor in (official, front):
        with pytest.raises(PermissionDenied):
            plan(actor=actor)
    assert not Dialogue.objects.exists()


@pytest.mark.django_db
def test_leader_of_another_commune_cannot_plan_here(plan, make_user, commune_b):
    other = make_user(Role.COMMUNE_LEADER, commune=commune_b)
    with pytest.raises(PermissionDenied):
        plan(actor=other)


@pytest.mark.django_db
def test_plan_refuses_missing_facts_and_outsiders_with_messages(plan, commune_b):
    outsider = OfficialFactory(commune=commune_b)
    with pytest.raises(ValidationError) as caught:
        plan(
            title=" ",
            place="",
            topics="\n \n",
            front_representative="",
            chaired_by=outsider,
            questions_open_until=today() + timedelta(days=30),
            hamlets=[HamletFactory(commune=commune_b)],
        )
    errors = caught.value.message_dict
    assert set(errors) == {
        "title",
        "place",
        "topics",
        "front_representative",
        "chaired_by",
        "questions_open_until",
        "hamlets",
    }
    assert "trước hoặc đúng ngày tổ chức" in errors["questions_open_until"][0]


@pytest.mark.django_db
def test_only_a_planned_conference_can_be_edited_or_cancelled(plan, leader_a, chairman):
    dialogue = plan()
    services.dialogue_update(
        actor=leader_a,
        dialogue=dialogue,
        title="Hội nghị đổi tên",
        date=dialogue.date + timedelta(days=1),
        place="Nhà văn hoá thôn Đông",
        topics="Một chủ đề",
        chaired_by=chairman,
        front_representative="Ông Lê Văn Mặt Trận",
    )
    dialogue.refresh_from_db()
    assert dialogue.place == "Nhà văn hoá thôn Đông"
    assert dialogue.hamlets.count() == 0

    with pytest.raises(ValidationError) as caught:
        services.dialogue_cancel(actor=leader_a, dialogue=dialogue, reason="  ")
    assert "reason" in caught.value.message_dict
    services.dialogue_cancel(actor=leader_a, dialogue=dialogue, reason="Bão số 3")
    dialogue.refresh_from_db()
    assert dialogue.status == Dialogue.Status.CANCELLED
    assert dialogue.cancel_reason == "Bão số 3"
    with pytest.raises(services.DialogueStateError):
        services.dialogue_update(
            actor=leader_a,
            dialogue=dialogue,
            title="x",
            date=dialogue.date,
            place="y",
            topics="z",
            chaired_by=chairman,
            front_representative="w",
        )


# --- questions ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_online_questions_need_a_published_plan_and_stop_after_the_deadline(plan, leader_a):
    dialogue = plan()
    with pytest.raises(services.DialogueStateError):
        ask(dialogue)
    dialogue = services.dialogue_publish_plan(actor=leader_a, dialogue=dialogue)
    assert ask(dialogue).created
    Dialogue.objects.filter(pk=dialogue.pk).update(questions_open_until=today() - timedelta(days=1))
    dialogue.refresh_from_db()
    assert not services.accepts_online_questions(dialogue)
    with pytest.raises(services.DialogueStateError):
        ask(dialogue, "Một câu hỏi gửi muộn sau hạn")


@pytest.mark.django_db
def test_without_a_deadline_online_questions_close_the_day_before(plan, leader_a):
    dialogue = plan(questions_open_until=None, date=today() + timedelta(days=1))
    dialogue = services.dialogue_publish_plan(actor=leader_a, dialogue=dialogue)
    assert services.online_deadline(dialogue) == today()
    assert services.accepts_online_questions(dialogue)
    assert not services.accepts_online_questions(dialogue, today=today() + timedelta(days=1))


@pytest.mark.django_db
def test_questions_are_numbered_per_conference_across_sources(published, plan, official, hamlet):
    first = ask(published, asker_phone="+84 912 345 678", hamlet=hamlet).question
    second = ask(
        published,
        "Xin hỏi về tiền đền bù giải phóng mặt bằng",
        source=PAPER,
        entered_by=official,
        asker_name="Ông Ba",
    ).question
    other = plan(title="Hội nghị khác")
    from thanthien.feedback.dialogue_services import dialogue_publish_plan

    dialogue_publish_plan(actor=published.created_by, dialogue=other)
    third = ask(other).question
    assert (first.number, second.number, third.number) == (1, 2, 1)
    assert first.asker_phone == "0912345678"
    assert second.source == PAPER


@pytest.mark.django_db
def test_the_same_online_question_twice_creates_one(published):
    once = ask(published, idempotency_key="k1", asker_phone="0912345678")
    again = ask(published, idempotency_key="k1", asker_phone="0912345678")
    # A resend without the key (back button, new form): same words, same phone.
    resend = ask(
        published, "  BAO giờ đường thôn Đông   được trải nhựa? ", asker_phone="0912345678"
    )
    assert once.created and not again.created and not resend.created
    assert again.question == once.question == resend.question
    assert DialogueQuestion.objects.count() == 1


@pytest.mark.django_db
def test_online_question_refuses_short_text_bad_phone_and_another_communes_hamlet(
    published, commune_b
):
    with pytest.raises(ValidationError) as caught:
        ask(published, "ngắn", asker_phone="12345", hamlet=HamletFactory(commune=commune_b))
    assert set(caught.value.message_dict) == {"question", "asker_phone", "hamlet"}
    assert not DialogueQuestion.objects.exists()


@pytest.mark.django_db
def test_show_name_needs_a_name(published):
    question = ask(published, show_name=True).question
    assert question.show_name is False


@pytest.mark.django_db
def test_paper_questions_are_entered_by_officials_or_the_front_only(
    published, make_user, commune_a, commune_b
):
    front = make_user(Role.FRONT_MEMBER, commune=commune_a)
    assert ask(published, source=PAPER, entered_by=front).created
    for intruder in (None, make_user(Role.COMMUNE_OFFICIAL, commune=commune_b)):
        with pytest.raises(PermissionDenied):
            ask(published, "Câu hỏi từ phiếu giấy khác", source=PAPER, entered_by=intruder)
    with pytest.raises(ValidationError):
        ask(published, "Người dân không tự ghi là cán bộ", entered_by=front)


@pytest.mark.django_db
def test_paper_questions_still_arrive_after_the_online_deadline_but_not_when_cancelled(
    published, official, leader_a
):
    Dialogue.objects.filter(pk=published.pk).update(
        questions_open_until=today() - timedelta(days=1)
    )
    published.refresh_from_db()
    assert ask(published, source=PAPER, entered_by=official).created
    services.dialogue_cancel(actor=leader_a, dialogue=published, reason="Hoãn vì mưa lũ")
    with pytest.raises(services.DialogueStateError):
        ask(published, "Một phiếu đến sau khi huỷ", source=PAPER, entered_by=official)


# --- holding, answers, commitments, results ---------------------------------------------


def _hold(dialogue, leader, **extra):
    values = {
        "held_on": today(),
        "attendance": 120,
        "minutes_summary": "Chủ tịch kết luận: giao các bộ phận thực hiện cam kết.",
        "secretary_name": "Phạm Thị Thư Ký",
    }
    return services.dialogue_hold(actor=leader, dialogue=dialogue, **{**values, **extra})


@pytest.mark.django_db
def test_holding_records_attendance_and_minutes_and_refuses_the_future(published, leader_a):
    with pytest.raises(ValidationError) as caught:
        _hold(published, leader_a, held_on=today() + timedelta(days=1), attendance=0)
    assert set(caught.value.message_dict) == {"held_on", "attendance"}
    dialogue = _hold(published, leader_a)
    assert dialogue.status == Dialogue.Status.HELD
    assert dialogue.attendance == 120
    assert dialogue.secretary_name == "Phạm Thị Thư Ký"
    # No more online questions once held.
    assert not services.accepts_online_questions(dialogue)


@pytest.mark.django_db
def test_results_are_published_only_when_every_question_is_answered(
    published, leader_a, official, chairman
):
    first = ask(published).question
    second = ask(published, "Xin hỏi về điện chiếu sáng thôn Tây").question
    with pytest.raises(services.DialogueStateError):
        services.dialogue_publish_results(actor=leader_a, dialogue=published)
    _hold(published, leader_a)
    services.question_answer(actor=official, question=first, answer="Quý IV sẽ trải nhựa.")
    with pytest.raises(services.DialogueStateError) as caught:
        services.dialogue_publish_results(actor=leader_a, dialogue=published)
    assert "số 2" in caught.value.messages[0]
    answered = services.question_answer(
        actor=official, question=second, answer="Đã lắp xong trong tháng."
    )
    assert answered.answered_by == chairman
    dialogue = services.dialogue_publish_results(actor=leader_a, dialogue=published)
    assert dialogue.is_results_published
    # Published results are frozen against new questions.
    with pytest.raises(services.DialogueStateError):
        ask(dialogue, "Câu hỏi bổ sung tại hội nghị", source=PAPER, entered_by=official)


@pytest.mark.django_db
def test_front_member_cannot_answer_for_the_government(published, make_user, commune_a):
    front = make_user(Role.FRONT_MEMBER, commune=commune_a)
    question = ask(published).question
    with pytest.raises(PermissionDenied):
        services.question_answer(actor=front, question=question, answer="Trả lời thay")


@pytest.mark.django_db
def test_commitment_is_tracked_until_done_or_dropped_with_an_explanation(
    published, official, chairman, commune_b
):
    question = ask(published).question
    with pytest.raises(ValidationError) as caught:
        services.commitment_add(
            actor=official,
            question=question,
            text="",
            owner=OfficialFactory(commune=commune_b),
            deadline=published.date - timedelta(days=1),
        )
    assert set(caught.value.message_dict) == {"text", "owner", "deadline"}
    done = services.commitment_add(
        actor=official,
        question=question,
        text="Trải nhựa đường thôn Đông",
        owner=chairman,
        deadline=published.date + timedelta(days=60),
    )
    dropped = services.commitment_add(
        actor=official,
        question=question,
        text="Lắp thêm đèn",
        owner=chairman,
        deadline=published.date + timedelta(days=30),
    )
    with pytest.raises(ValidationError):
        services.commitment_complete(
            actor=official, commitment=done, done_on=today() + timedelta(days=1)
        )
    services.commitment_complete(
        actor=official, commitment=done, done_on=today(), result_note="Đã nghiệm thu."
    )
    with pytest.raises(ValidationError) as caught:
        services.commitment_drop(actor=official, commitment=dropped, explanation="không")
    assert "explanation" in caught.value.message_dict
    services.commitment_drop(
        actor=official, commitment=dropped, explanation="Ngành điện đã lắp bằng vốn của ngành."
    )
    done.refresh_from_db()
    dropped.refresh_from_db()
    assert (done.status, done.done_on) == (DialogueCommitment.Status.DONE, today())
    assert dropped.status == DialogueCommitment.Status.DROPPED
    with pytest.raises(services.DialogueStateError):
        services.commitment_complete(actor=official, commitment=dropped, done_on=today())


@pytest.mark.django_db
def test_tracker_lists_open_overdue_and_done_commitments_by_owner(published, official, chairman):
    question = ask(published).question
    other_owner = OfficialFactory(commune=published.commune)
    late = services.commitment_add(
        actor=official, question=question, text="Việc trễ", owner=chairman, deadline=published.date
    )
    DialogueCommitment.objects.filter(pk=late.pk).update(deadline=today() - timedelta(days=1))
    on_time = services.commitment_add(
        actor=official,
        question=question,
        text="Việc còn hạn",
        owner=other_owner,
        deadline=published.date + timedelta(days=5),
    )
    finished = services.commitment_add(
        actor=official,
        question=question,
        text="Việc xong",
        owner=chairman,
        deadline=published.date + timedelta(days=5),
    )
    services.commitment_complete(actor=official, commitment=finished, done_on=today())

    def pks(**kw):
        return [c.pk for c in selectors.commitment_tracker(user=official, **kw)]

    assert pks(state="open") == [late.pk, on_time.pk]
    assert pks(state="overdue") == [late.pk]
    assert pks(state="done") == [finished.pk]
    assert pks(state="open", owner_id=other_owner.pk) == [on_time.pk]
    assert pks(state="all", query="xong") == [finished.pk]
    assert selectors.commitment_counts(user=official) == selectors.TrackerCounts(
        open=2, overdue=1, done=1, dropped=0
    )


# --- the yearly warning ------------------------------------------------------------------


@pytest.mark.django_db
def test_warning_when_no_conference_is_planned_or_held_in_the_year(
    commune_a, leader_a, admin_a, official, chairman
):
    year = today().year
    warning = selectors.dialogue_warning(commune=commune_a, year=year)
    assert warning and "Điều 32" in warning and str(year) in warning
    assert selectors.dialogue_warnings(user=leader_a) == [warning]
    assert selectors.dialogue_warnings(user=admin_a) == [warning]
    assert selectors.dialogue_warnings(user=official) == []

    cancelled = DialogueFactory(
        commune=commune_a,
        chaired_by=chairman,
        date=today(),
        status=Dialogue.Status.CANCELLED,
    )
    assert selectors.dialogue_warning(commune=commune_a, year=year) is not None
    DialogueFactory(commune=commune_a, chaired_by=chairman, date=cancelled.date)
    assert selectors.dialogue_warning(commune=commune_a, year=year) is None
    assert selectors.dialogue_warnings(user=leader_a) == []
    assert selectors.dialogue_warning(commune=commune_a, year=year + 1) is not None


@pytest.mark.django_db
@override_settings(THANTHIEN_MIN_DIALOGUES_PER_YEAR=2)
def test_warning_follows_the_minimum_in_settings(commune_a, chairman):
    DialogueFactory(commune=commune_a, chaired_by=chairman, date=today())
    warning = selectors.dialogue_warning(commune=commune_a, year=today().year)
    assert "ít nhất 2 hội nghị" in warning


# --- documents ---------------------------------------------------------------------------


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            for cell in row.cells:
                parts.append(cell.text)
    return "\n".join(parts)


@pytest.mark.django_db
def test_minutes_hold_each_question_answer_commitment_and_three_signatures(
    published, leader_a, official, chairman
):
    named = ask(published, asker_name="Nguyễn Văn Hỏi", show_name=False).question
    _hold(published, leader_a)
    services.question_answer(actor=official, question=named, answer="Quý IV sẽ trải nhựa.")
    services.commitment_add(
        actor=official,
        question=named,
        text="Trải nhựa 1,2 km đường thôn Đông",
        owner=chairman,
        deadline=published.date + timedelta(days=90),
    )
    dialogue = selectors.dialogue_detail(user=leader_a).get(pk=published.pk)
    document = minutes_document(dialogue)
    text = _docx_text(build_docx(document))
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "BIÊN BẢN",
        "Hội nghị đối thoại",
        "Bao giờ đường thôn Đông được trải nhựa?",
        "Nguyễn Văn Hỏi",  # the minutes keep the asker's name, consent or not
        "Quý IV sẽ trải nhựa.",
        "Trải nhựa 1,2 km đường thôn Đông",
        "Trần Văn Chủ Tịch",
        "Bà Nguyễn Thị Hoa, Chủ tịch Ủy ban MTTQ xã",
        "Phạm Thị Thư Ký",
        "120",
    ):
        assert expected in text, expected
    assert [s.name for s in document.signatures] == [
        "Phạm Thị Thư Ký",
        "Bà Nguyễn Thị Hoa, Chủ tịch Ủy ban MTTQ xã",
        "Trần Văn Chủ Tịch",
    ]
    assert document.banner == ""


@pytest.mark.django_db
def test_minutes_of_a_conference_not_yet_held_are_a_draft(published, leader_a):
    dialogue = selectors.dialogue_detail(user=leader_a).get(pk=published.pk)
    assert minutes_document(dialogue).banner == "Dự thảo"


@pytest.mark.django_db
def test_paper_question_form_lists_the_topics_and_lines_to_write(published, leader_a):
    dialogue = selectors.dialogue_detail(user=leader_a).get(pk=published.pk)
    document = question_form_document(dialogue)
    text = _docx_text(build_docx(document))
    assert "PHIẾU GỬI CÂU HỎI ĐỐI THOẠI" in text
    assert "Đường liên thôn" in text and "Vệ sinh môi trường" in text
    assert text.count("." * 100) >= 10
    assert f"{dialogue.questions_open_until:%d/%m/%Y}" in text
    assert document.paper == "A4"


@pytest.mark.django_db
def test_every_write_is_in_the_audit_log(published, official):
    from auditlog.models import LogEntry

    question = ask(published).question
    services.question_answer(actor=official, question=question, answer="Trả lời đầy đủ.")
    assert LogEntry.objects.get_for_object(published).exists()
    assert LogEntry.objects.get_for_object(question).count() == 2
    assert timezone.is_aware(question.created_at)


@pytest.mark.django_db
def test_two_paper_slips_with_the_same_words_are_two_questions(published, official):
    text = "Khi nào làm đường thôn Đông?"
    first = ask(published, text, source=PAPER, entered_by=official, idempotency_key="a")
    second = ask(published, text, source=PAPER, entered_by=official, idempotency_key="b")
    repeat = ask(published, text, source=PAPER, entered_by=official, idempotency_key="b")
    assert first.created and second.created and not repeat.created
    assert published.questions.count() == 2


@pytest.mark.django_db
def test_feedback_item_becomes_a_linked_question_once(published, official, hamlet, commune_b):
    from tests.factories_feedback import FeedbackItemFactory

    item = FeedbackItemFactory(
        commune=published.commune,
        code="PA-TEST-26-00042",
        sender_name="Đỗ Văn Góp Ý",
        sender_phone="0911222333",
        hamlet=hamlet,
        content="Cống thoát nước thôn Đông bị tắc nhiều tháng nay.",
    )
    first = services.question_from_feedback(
        actor=official, dialogue=published, code=" pa-test-26-00042 "
    )
    again = services.question_from_feedback(actor=official, dialogue=published, code=item.code)
    question = first.question
    assert first.created and not again.created and again.question == question
    assert question.source == DialogueQuestion.Source.FEEDBACK
    assert question.feedback_item == item
    assert (question.asker_name, question.hamlet, question.show_name) == (
        "Đỗ Văn Góp Ý",
        hamlet,
        False,
    )
    theirs = FeedbackItemFactory(commune=commune_b, code="PA-OTHER-1")
    with pytest.raises(ValidationError) as caught:
        services.question_from_feedback(actor=official, dialogue=published, code=theirs.code)
    assert "feedback_code" in caught.value.message_dict
