"""Feedback handling services: the workflow, deadlines, duplicates, redirects, publication,
the sender's rating and reply templates (thanthien/feedback/workflow_services.py)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import timezone

from tests.factories import OfficeFactory, UserFactory
from tests.factories_feedback import ReplyTemplateFactory
from tests.factories_feedback_handling import jpeg_upload, local, staff, submit
from thanthien.core.workdays import add_working_days
from thanthien.feedback import workflow_services as services
from thanthien.feedback.items import Action, FeedbackEvent, FeedbackItem, Status
from thanthien.notify.models import Message
from thanthien.people.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader(commune_a):
    return staff(commune_a, Role.COMMUNE_LEADER, phone="0987000999")


@pytest.fixture
def handler(commune_a):
    return staff(commune_a, full_name="Trần Thị Xử Lý")


def actions(item) -> list[str]:
    return list(item.events.order_by("at", "pk").values_list("action", flat=True))


def test_full_workflow_writes_one_event_per_move(commune_a, leader, handler):
    item = submit(commune_a)
    services.feedback_classify(actor=handler, item=item, category="ha_tang_giao_thong")
    services.feedback_assign(actor=leader, item=item, assignee=handler)
    services.feedback_start(actor=handler, item=item)
    services.feedback_answer(
        actor=handler, item=item, answer="Xã đã cho thay bóng đèn đoạn đường thôn Đông."
    )
    services.feedback_close(actor=handler, item=item)
    item.refresh_from_db()
    assert item.status == Status.CLOSED
    assert item.answered_by == handler and item.closed_at is not None
    assert actions(item) == [
        "submit",
        "acknowledge",
        "classify",
        "assign",
        "start",
        "answer",
        "close",
    ]
    moves = FeedbackEvent.objects.filter(item=item, action="answer").get()
    assert (moves.from_status, moves.to_status, moves.actor) == ("in_progress", "answered", handler)


def test_a_move_not_in_transitions_is_refused(commune_a, leader):
    item = submit(commune_a)
    with pytest.raises(services.FeedbackTransitionError):
        services.feedback_close(actor=leader, item=item)
    with pytest.raises(services.FeedbackTransitionError):
        services.feedback_start(
            actor=UserFactory(role=Role.COMMUNE_LEADER, commune=commune_a), item=item
        )
    assert FeedbackItem.objects.get(pk=item.pk).status == Status.NEW


@override_settings(THANTHIEN_FEEDBACK_RESPONSE_WORKING_DAYS={"default": 10, "an_ninh_trat_tu": 3})
def test_classifying_recomputes_the_due_date_from_the_category(commune_a, handler):
    received = local(2026, 3, 2, 9)  # a Monday
    item = submit(commune_a, received_at=received)
    assert item.due_date == add_working_days(date(2026, 3, 2), 10)
    item.reminded_at = timezone.now()
    item.save()
    services.feedback_classify(actor=handler, item=item, category="an_ninh_trat_tu")
    item.refresh_from_db()
    assert item.due_date == add_working_days(date(2026, 3, 2), 3) == date(2026, 3, 5)
    assert item.reminded_at is None  # the reminder starts again for the new date
    assert "05/03/2026" in item.events.get(action="classify").note


def test_only_a_leader_assigns_and_a_new_item_needs_a_category(commune_a, leader, handler):
    item = submit(commune_a)
    with pytest.raises(PermissionDenied):
        services.feedback_assign(actor=handler, item=item, assignee=handler)
    with pytest.raises(ValidationError) as error:
        services.feedback_assign(actor=leader, item=item, assignee=handler)
    assert "category" in error.value.message_dict
    services.feedback_assign(actor=leader, item=item, assignee=handler, category="moi_truong")
    item.refresh_from_db()
    assert (item.status, item.category, item.assignee) == ("assigned", "moi_truong", handler)
    assert actions(item)[-2:] == ["classify", "assign"]


def test_assigning_to_an_official_of_another_commune_is_refused(commune_a, commune_b, leader):
    item = submit(commune_a, category="khac")
    services.feedback_classify(actor=leader, item=item, category="khac")
    stranger = UserFactory(role=Role.COMMUNE_OFFICIAL, commune=commune_b)
    with pytest.raises(ValidationError) as error:
        services.feedback_assign(actor=leader, item=item, assignee=stranger)
    assert "assignee" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.feedback_assign(actor=leader, item=item, office=OfficeFactory(commune=commune_b))


def test_an_official_of_the_assigned_office_answers_but_another_official_cannot(commune_a, leader):
    office = OfficeFactory(commune=commune_a, name="Văn phòng HĐND và UBND")
    colleague = staff(commune_a, office=office)
    outsider = staff(commune_a)
    item = submit(commune_a)
    services.feedback_assign(actor=leader, item=item, office=office, category="khac")
    with pytest.raises(PermissionDenied):
        services.feedback_answer(
            actor=outsider, item=item, answer="Xã đã xem xét và trả lời như sau."
        )
    services.feedback_answer(actor=colleague, item=item, answer="Xã đã xem xét và trả lời như sau.")
    assert FeedbackItem.objects.get(pk=item.pk).status == Status.ANSWERED


def test_an_official_of_another_commune_cannot_touch_the_item(commune_a, commune_b):
    item = submit(commune_a)
    stranger = staff(commune_b, Role.COMMUNE_LEADER)
    with pytest.raises(PermissionDenied):
        services.feedback_classify(actor=stranger, item=item, category="khac")
    with pytest.raises(PermissionDenied):
        services.feedback_note(actor=stranger, item=item, note="xem")


def test_answer_is_sent_with_the_rating_link_and_evidence_is_stored(
    commune_a, leader, handler, settings
):
    item = submit(commune_a)
    services.feedback_assign(actor=leader, item=item, assignee=handler, category="khac")
    photo = jpeg_upload("sau-khi-sua.jpg")
    services.feedback_answer(
        actor=handler,
        item=item,
        answer="Xã đã thay bóng đèn, đường đã sáng trở lại từ tối qua.",
        files=[photo],
        evidence_public=True,
    )
    message = Message.objects.get(event="feedback_answered")
    assert message.phone == "0912345678"
    assert f"/gop-y/danh-gia/{item.code}/?k=" in message.body
    evidence = item.attachments.get(role="answer")
    assert evidence.is_public and evidence.content_type == "image/jpeg"


def test_a_short_answer_or_a_bad_file_saves_nothing(commune_a, leader, handler):
    item = submit(commune_a)
    services.feedback_assign(actor=leader, item=item, assignee=handler, category="khac")
    with pytest.raises(ValidationError) as error:
        services.feedback_answer(actor=handler, item=item, answer="Đã xử lý.")
    assert "answer" in error.value.message_dict
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00not a picture", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        services.feedback_answer(
            actor=handler, item=item, answer="Xã đã xử lý xong việc này rồi ạ.", files=[bad]
        )
    assert "files" in error.value.message_dict
    item.refresh_from_db()
    assert item.status == Status.ASSIGNED and not item.attachments.exists()
    assert not Message.objects.filter(event="feedback_answered").exists()


def test_merged_duplicates_get_the_main_items_answer(commune_a, leader, handler):
    main = submit(commune_a)
    first = submit(commune_a, sender_phone="0912000001", content="Đèn đường thôn Đông hỏng rồi.")
    second = submit(commune_a, sender_phone="0912000002", content="Đường thôn Đông tối om.")
    services.feedback_merge(actor=handler, item=first, into_code=main.code)
    services.feedback_merge(actor=handler, item=second, into_code=first.code)  # follows to main
    second.refresh_from_db()
    assert (second.status, second.duplicate_of_id) == (Status.MERGED, main.pk)
    services.feedback_assign(actor=leader, item=main, assignee=handler, category="khac")
    services.feedback_answer(
        actor=handler, item=main, answer="Xã đã thay bóng đèn đường thôn Đông hôm nay."
    )
    answered = Message.objects.filter(event="feedback_answered").order_by("phone")
    assert [m.phone for m in answered] == ["0912000001", "0912000002", "0912345678"]
    first.refresh_from_db()
    assert first.answer.startswith("Xã đã thay") and first.status == Status.MERGED
    # Each sender rates their own item.
    assert f"/gop-y/danh-gia/{first.code}/" in answered[0].body


def test_merging_into_an_already_answered_item_answers_at_once(commune_a, leader, handler):
    main = submit(commune_a)
    services.feedback_assign(actor=leader, item=main, assignee=handler, category="khac")
    services.feedback_answer(actor=handler, item=main, answer="Xã đã cho sửa xong đèn đường.")
    late = submit(commune_a, sender_phone="0912000003", content="Đèn đường thôn Đông hỏng.")
    services.feedback_merge(actor=handler, item=late, into_code=main.code.lower())
    assert Message.objects.filter(event="feedback_answered", phone="0912000003").exists()


def test_merge_refuses_itself_and_unknown_codes(commune_a, commune_b, handler):
    item = submit(commune_a)
    other = submit(commune_b)
    for code in (item.code, "PA-KHONG-CO", other.code):
        with pytest.raises(ValidationError):
            services.feedback_merge(actor=handler, item=item, into_code=code)
    assert FeedbackItem.objects.get(pk=item.pk).status == Status.NEW


def test_redirect_tells_the_sender_with_the_reason_and_link(commune_a, handler):
    item = submit(
        commune_a, content="Nhà bên cạnh lấn sang đất nhà tôi hai mét, xin xã giải quyết."
    )
    services.feedback_redirect(
        actor=handler,
        item=item,
        reason="Tranh chấp đất đai cần hoà giải tại thôn hoặc gửi đơn theo thủ tục.",
        redirect_url=f"/{commune_a.slug}/lich-tiep-cong-dan/",
    )
    item.refresh_from_db()
    assert item.status == Status.REDIRECTED
    message = Message.objects.get(event="feedback_redirected")
    assert "Tranh chap dat dai" in message.body  # SMS without diacritics
    assert message.context["redirect_url"].endswith("/lich-tiep-cong-dan/")
    with pytest.raises(ValidationError):
        services.feedback_redirect(
            actor=handler,
            item=submit(commune_a, sender_phone="0912999999"),
            reason="ngắn",
            redirect_url="javascript:alert(1)",
        )


def test_publishing_needs_consent_and_a_summary_without_personal_data(commune_a, leader, handler):
    refused = submit(commune_a, consent_publish=False)
    item = submit(commune_a, sender_phone="0912000004", content="Rác tồn đọng ở chợ thôn Tây.")
    for target in (refused, item):
        services.feedback_assign(actor=leader, item=target, assignee=handler, category="moi_truong")
        services.feedback_answer(
            actor=handler, item=target, answer="Xã đã cho thu gom rác tại chợ."
        )
    with pytest.raises(ValidationError):
        services.feedback_publish(actor=handler, item=refused, public_summary="Rác tồn đọng ở chợ.")
    with pytest.raises(ValidationError) as error:
        services.feedback_publish(
            actor=handler, item=item, public_summary="Ông Nguyễn Văn Phản Ánh báo rác ở chợ."
        )
    assert "public_summary" in error.value.message_dict
    with pytest.raises(ValidationError):
        services.feedback_publish(
            actor=handler, item=item, public_summary="Người dân (0912000004) báo rác ở chợ."
        )
    services.feedback_publish(
        actor=handler, item=item, public_summary="Rác tồn đọng nhiều ngày ở chợ thôn Tây."
    )
    item.refresh_from_db()
    assert item.is_published and item.published_at is not None
    services.feedback_unpublish(actor=handler, item=item, reason="Sửa nội dung")
    assert not FeedbackItem.objects.get(pk=item.pk).is_published
    assert actions(item)[-2:] == ["publish", "unpublish"]


def test_rating_can_change_until_closed_then_is_final(commune_a, leader, handler):
    item = submit(commune_a)
    with pytest.raises(ValidationError):
        services.feedback_rate(item=item, satisfied=True)  # nothing answered yet
    services.feedback_assign(actor=leader, item=item, assignee=handler, category="khac")
    services.feedback_answer(actor=handler, item=item, answer="Xã đã cho sửa xong đèn đường.")
    with pytest.raises(ValidationError):
        services.feedback_rate(item=item, satisfied=False, reason="")  # a reason is needed
    services.feedback_rate(
        item=item, satisfied=False, reason="Mới sửa một bóng, còn hai bóng hỏng."
    )
    services.feedback_rate(item=item, satisfied=True)
    item.refresh_from_db()
    assert (item.satisfied, item.rating_reason) == (True, "")
    services.feedback_close(actor=handler, item=item)
    with pytest.raises(ValidationError):
        services.feedback_rate(item=item, satisfied=False, reason="Đổi ý, chưa hài lòng.")
    assert FeedbackItem.objects.get(pk=item.pk).satisfied is True
    assert actions(item).count("rate") == 2


def test_sender_reopens_within_the_set_days_only(commune_a, leader, handler, settings):
    settings.THANTHIEN_FEEDBACK_REOPEN_DAYS = 30
    item = submit(commune_a)
    services.feedback_assign(actor=leader, item=item, assignee=handler, category="khac")
    services.feedback_answer(actor=handler, item=item, answer="Xã đã cho sửa xong đèn đường.")
    now = timezone.now()
    FeedbackItem.objects.filter(pk=item.pk).update(answered_at=now - timedelta(days=31))
    item.refresh_from_db()
    with pytest.raises(ValidationError):
        services.feedback_rate(item=item, satisfied=False, reason="Vẫn còn hỏng.", reopen=True)
    assert FeedbackItem.objects.get(pk=item.pk).rated_at is None  # nothing half-saved
    FeedbackItem.objects.filter(pk=item.pk).update(answered_at=now - timedelta(days=29))
    item.refresh_from_db()
    services.feedback_rate(item=item, satisfied=False, reason="Vẫn còn hỏng.", reopen=True)
    item.refresh_from_db()
    assert (item.status, item.reopen_count) == (Status.IN_PROGRESS, 1)
    assert item.due_date == add_working_days(timezone.localdate(), 10)
    assert actions(item)[-2:] == ["rate", "reopen"]


def test_leader_reopens_a_closed_item_with_a_reason(commune_a, leader, handler):
    item = submit(commune_a)
    services.feedback_assign(actor=leader, item=item, assignee=handler, category="khac")
    services.feedback_answer(actor=handler, item=item, answer="Xã đã cho sửa xong đèn đường.")
    services.feedback_close(actor=handler, item=item)
    with pytest.raises(PermissionDenied):
        services.feedback_reopen(actor=handler, item=item, reason="Người dân gọi điện báo lại.")
    services.feedback_reopen(actor=leader, item=item, reason="Người dân gọi điện báo lại.")
    assert FeedbackItem.objects.get(pk=item.pk).status == Status.IN_PROGRESS
    # The next answer goes out again (a new dedupe key per reopening).
    services.feedback_answer(actor=handler, item=item, answer="Xã đã thay thêm hai bóng đèn.")
    assert Message.objects.filter(event="feedback_answered").count() == 2


def test_reply_template_is_filled_with_the_items_values(commune_a, leader, handler):
    office = handler.official.office
    item = submit(commune_a, received_at=local(2026, 3, 2))
    services.feedback_assign(actor=leader, item=item, office=office, category="ha_tang_giao_thong")
    own = ReplyTemplateFactory(
        commune=commune_a,
        category="ha_tang_giao_thong",
        body="Kính gửi {name}, về ý kiến {code} nhận ngày {received_date}, {commune} ({office}) "
        "trả lời: {khong_co}",
    )
    general = ReplyTemplateFactory(commune=commune_a, category="", title="Chung")
    ReplyTemplateFactory(commune=commune_a, category="moi_truong")  # another category
    ReplyTemplateFactory(category="ha_tang_giao_thong")  # another commune
    item.refresh_from_db()
    assert services.reply_templates_for(item) == [own, general]
    text = services.reply_template_fill(own, item)
    assert text == (
        f"Kính gửi Nguyễn Văn Phản Ánh, về ý kiến {item.code} nhận ngày 02/03/2026, "
        f"{commune_a.name} ({office.name}) trả lời: {{khong_co}}"
    )


def test_note_goes_into_history_without_changing_status(commune_a, handler):
    item = submit(commune_a)
    services.feedback_note(actor=handler, item=item, note="Đã gọi điện hỏi thêm người gửi.")
    event = item.events.get(action=Action.NOTE)
    assert (event.from_status, event.to_status, event.actor) == ("new", "new", handler)
    with pytest.raises(ValidationError):
        services.feedback_note(actor=handler, item=item, note="  ")


def test_an_anonymous_sender_gets_no_message_but_the_item_is_answered(commune_a, leader, handler):
    item = submit(commune_a, is_anonymous=True)
    services.feedback_assign(actor=leader, item=item, assignee=handler, category="khac")
    services.feedback_answer(actor=handler, item=item, answer="Xã đã cho sửa xong đèn đường.")
    assert not Message.objects.filter(event="feedback_answered").exists()
    assert FeedbackItem.objects.get(pk=item.pk).status == Status.ANSWERED


def test_due_date_is_ten_working_days_by_default(commune_a):
    item = submit(commune_a, received_at=local(2026, 3, 2, 9))
    assert item.due_date == add_working_days(date(2026, 3, 2), 10)
    assert item.ack_due_at - item.received_at <= timedelta(days=3)


@pytest.mark.django_db(transaction=True)
def test_two_officials_answering_at_once_make_one_answer(commune_a):
    import threading

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; row locks are exercised on PostgreSQL")
    leader = staff(commune_a, Role.COMMUNE_LEADER, phone="0987000999")
    item = submit(commune_a)
    services.feedback_assign(actor=leader, item=item, assignee=leader, category="khac")
    done, refused, errors = [], [], []
    barrier = threading.Barrier(4)

    def work(n):
        try:
            copy = FeedbackItem.objects.get(pk=item.pk)
            barrier.wait()
            services.feedback_answer(
                actor=leader, item=copy, answer=f"Xã đã cho sửa xong đèn đường (lần {n})."
            )
            done.append(n)
        except services.FeedbackTransitionError:
            refused.append(n)
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    assert (len(done), len(refused)) == (1, 3)
    assert FeedbackEvent.objects.filter(item=item, action="answer").count() == 1
    assert Message.objects.filter(event="feedback_answered").count() == 1
