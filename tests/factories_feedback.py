"""Factories for the feedback app (collected into tests.factories.FACTORIES)."""

from datetime import date, time, timedelta

import factory
from django.utils import timezone

from tests.factories import (
    CommuneFactory,
    HamletFactory,
    OfficialFactory,
    ReceptionSlotFactory,
)
from thanthien.feedback.models import (
    Attachment,
    ChannelAccount,
    Complaint,
    ComplaintExtension,
    Dialogue,
    DialogueCommitment,
    DialogueQuestion,
    FeedbackEvent,
    FeedbackItem,
    InboundLog,
    ReceptionBooking,
    ReceptionVisit,
    ReplyTemplate,
    Sequence,
)

SAME = factory.SelfAttribute("..commune")


class FeedbackItemFactory(factory.django.DjangoModelFactory):
    """A bare row (for tenancy and selector tests); real items come from feedback_submit."""

    class Meta:
        model = FeedbackItem

    commune = factory.SubFactory(CommuneFactory)
    code = factory.Sequence(lambda n: f"PA-TEST-{n:06d}")
    source = "web"
    content = "Đèn chiếu sáng đường thôn Đông bị hỏng ba hôm nay."
    received_at = factory.LazyFunction(timezone.now)
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))


class FeedbackEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackEvent

    commune = factory.SubFactory(CommuneFactory)
    item = factory.SubFactory(FeedbackItemFactory, commune=SAME)
    action = "submit"
    to_status = "new"
    at = factory.LazyFunction(timezone.now)


class AttachmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Attachment

    commune = factory.SubFactory(CommuneFactory)
    item = factory.SubFactory(FeedbackItemFactory, commune=SAME)
    role = Attachment.Role.FROM_SENDER
    file = factory.django.FileField(filename="anh.pdf", data=b"%PDF-1.4\n%%EOF\n")
    original_name = "anh.pdf"
    content_type = "application/pdf"
    size = 15


class SequenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Sequence

    commune = factory.SubFactory(CommuneFactory)
    name = "feedback"
    year = 2026


class ReplyTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReplyTemplate

    commune = factory.SubFactory(CommuneFactory)
    category = "ha_tang_giao_thong"
    title = "Đã sửa chữa"
    body = "Kính gửi ông/bà {name}, xã đã cho sửa chữa theo ý kiến {code}."


class ChannelAccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChannelAccount

    commune = factory.SubFactory(CommuneFactory)
    platform = ChannelAccount.Platform.ZALO
    account_id = factory.Sequence(lambda n: f"oa{n:08d}")
    app_id = factory.Sequence(lambda n: f"app{n:06d}")
    app_secret = "bi-mat-thu-nghiem"


class InboundLogFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InboundLog

    commune = factory.SubFactory(CommuneFactory)
    source = "zalo"
    outcome = InboundLog.Outcome.REFUSED
    reason = "chữ ký sai"


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint

    commune = factory.SubFactory(CommuneFactory)
    code = factory.Sequence(lambda n: f"KN-TEST-{n:06d}")
    kind = Complaint.Kind.COMPLAINT
    person_name = "Lê Văn Khiếu"
    subject = "Quyết định thu hồi đất số 12/QĐ-UBND"
    content = "Không đồng ý với mức bồi thường."
    received_on = factory.LazyFunction(timezone.localdate)


class ComplaintExtensionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplaintExtension

    commune = factory.SubFactory(CommuneFactory)
    complaint = factory.SubFactory(ComplaintFactory, commune=SAME)
    stage = ComplaintExtension.Stage.RESOLVE
    days = 30
    previous_due = date(2026, 6, 1)
    new_due = date(2026, 7, 1)
    reason = "Vụ việc phức tạp, cần xác minh thêm."
    decided_on = date(2026, 5, 25)


class ReceptionBookingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReceptionBooking

    commune = factory.SubFactory(CommuneFactory)
    code = factory.Sequence(lambda n: f"TCD-TEST-{n:06d}")
    slot = factory.SubFactory(ReceptionSlotFactory, commune=SAME)
    date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=7))
    position = factory.Sequence(lambda n: n + 1)
    source = ReceptionBooking.Source.ONLINE
    name = "Phạm Thị Hẹn"
    phone = "0912000111"
    matter = "Hỏi về việc cấp giấy chứng nhận quyền sử dụng đất."


class ReceptionVisitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReceptionVisit

    commune = factory.SubFactory(CommuneFactory)
    number = factory.Sequence(lambda n: n + 1)
    year = 2026
    visited_at = factory.LazyFunction(timezone.now)
    received_by = factory.SubFactory(OfficialFactory, commune=SAME)
    citizen_name = "Đỗ Văn Đến"
    kind = ReceptionVisit.Kind.PETITION
    matter = "Kiến nghị sửa đường liên thôn."
    outcome = ReceptionVisit.Outcome.GUIDED


class DialogueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dialogue

    commune = factory.SubFactory(CommuneFactory)
    title = "Hội nghị đối thoại giữa Chủ tịch UBND xã với Nhân dân"
    date = date(2026, 9, 15)
    start_time = time(8, 0)
    place = "Hội trường UBND xã"
    topics = "Giải phóng mặt bằng đường liên xã\nVệ sinh môi trường"
    chaired_by = factory.SubFactory(OfficialFactory, commune=SAME)
    front_representative = "Bà Nguyễn Thị Mặt Trận"


class DialogueQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DialogueQuestion

    commune = factory.SubFactory(CommuneFactory)
    dialogue = factory.SubFactory(DialogueFactory, commune=SAME)
    number = factory.Sequence(lambda n: n + 1)
    source = DialogueQuestion.Source.ONLINE
    question = "Bao giờ đường thôn Bắc được trải nhựa?"
    hamlet = factory.SubFactory(HamletFactory, commune=SAME)


class DialogueCommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DialogueCommitment

    commune = factory.SubFactory(CommuneFactory)
    question = factory.SubFactory(DialogueQuestionFactory, commune=SAME)
    text = "Trải nhựa đường thôn Bắc trong quý IV."
    owner = factory.SubFactory(OfficialFactory, commune=SAME)
    deadline = date(2026, 12, 31)
