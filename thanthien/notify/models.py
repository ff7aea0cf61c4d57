"""Notifications: message templates, the outbox (Message) and every send attempt.

A Message row is written in the same transaction as the state change that causes it;
the dispatcher (dispatcher.py) sends it later. See dispatcher.py for the state machine.
"""

import uuid

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thanthien.core.models import CommuneScopedModel, CommuneScopedQuerySet, TimeStampedModel
from thanthien.notify.rendering import validate_template_text


class Channel(models.TextChoices):
    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo")
    EMAIL = "email", _("Thư điện tử")
    # Replies to someone who wrote in on the platform (feedback app): the Official Account's
    # customer-service message and the Page's Send API, addressed by the platform's user id.
    ZALO_OA = "zalo_oa", _("Tin nhắn Zalo OA")
    FACEBOOK = "facebook", _("Tin nhắn Facebook")
    NONE = "none", _("Không nhận thông báo")


class Event(models.TextChoices):
    DOSSIER_RECEIVED = "dossier_received", _("Đã tiếp nhận hồ sơ")
    DOSSIER_SUPPLEMENT_REQUESTED = "dossier_supplement_requested", _("Yêu cầu bổ sung hồ sơ")
    DOSSIER_RESULT_READY = "dossier_result_ready", _("Hồ sơ đã có kết quả")
    DOSSIER_RESCHEDULED = "dossier_rescheduled", _("Xin lỗi và hẹn lại ngày trả")
    DOSSIER_REFUSED = "dossier_refused", _("Hồ sơ không được giải quyết")
    # To staff, from the daily overdue watch (thanthien/onestop/watch.py).
    STAFF_DOSSIER_DUE_SOON = "staff_dossier_due_soon", _("Báo cán bộ: hồ sơ sắp đến hạn trả")
    STAFF_DOSSIER_LATE = "staff_dossier_late", _("Báo cán bộ: hồ sơ đã quá hạn")
    # Feedback (thanthien.feedback).
    FEEDBACK_ACKNOWLEDGED = "feedback_acknowledged", _("Đã nhận góp ý, phản ánh")
    FEEDBACK_ANSWERED = "feedback_answered", _("Đã trả lời góp ý, phản ánh")
    FEEDBACK_REDIRECTED = "feedback_redirected", _("Góp ý được chuyển hướng xử lý")
    STAFF_FEEDBACK_DUE_SOON = "staff_feedback_due_soon", _("Báo cán bộ: góp ý sắp đến hạn")
    STAFF_FEEDBACK_OVERDUE = "staff_feedback_overdue", _("Báo lãnh đạo: góp ý quá hạn trả lời")
    RECEPTION_BOOKED = "reception_booked", _("Đã đặt lịch tiếp công dân")
    # Complaints' stages and dialogue commitments (thanthien/feedback/deadline_watch.py).
    STAFF_DEADLINE_DUE_SOON = "staff_deadline_due_soon", _("Báo cán bộ: việc sắp đến hạn")
    STAFF_DEADLINE_OVERDUE = "staff_deadline_overdue", _("Báo lãnh đạo: việc đã quá hạn")


SENDABLE_CHANNELS = [(c.value, c.label) for c in Channel if c != Channel.NONE]


class MessageTemplate(TimeStampedModel):
    """The text of one event on one channel: a national default, or a commune's own copy."""

    commune = models.ForeignKey(
        "places.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("xã"),
        help_text=_("Để trống: mẫu mặc định toàn quốc."),
    )
    event = models.CharField(_("sự kiện"), max_length=40, choices=Event.choices)
    channel = models.CharField(_("kênh"), max_length=10, choices=SENDABLE_CHANNELS)
    subject = models.CharField(
        _("tiêu đề thư"), max_length=200, blank=True, help_text=_("Chỉ dùng cho thư điện tử.")
    )
    body = models.TextField(
        _("nội dung"), help_text=_("Dùng các trường như {code}, {due_date}, {lookup_url}.")
    )
    strip_diacritics = models.BooleanField(
        _("gửi không dấu"),
        default=False,
        help_text=_("Tin nhắn không dấu chứa 160 ký tự mỗi tin thay vì 70, nên rẻ hơn."),
    )
    zalo_template_id = models.CharField(
        _("mã mẫu ZNS"),
        max_length=40,
        blank=True,
        help_text=_("Mã mẫu tin đã được Zalo duyệt (chỉ dùng cho kênh Zalo)."),
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)

    objects = CommuneScopedQuerySet.as_manager()

    class Meta:
        ordering = ["event", "channel", "commune"]
        verbose_name = _("mẫu tin nhắn")
        verbose_name_plural = _("mẫu tin nhắn")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "event", "channel"],
                condition=Q(commune__isnull=False),
                name="uniq_message_template_per_commune",
            ),
            models.UniqueConstraint(
                fields=["event", "channel"],
                condition=Q(commune__isnull=True),
                name="uniq_message_template_national",
            ),
        ]

    def __str__(self) -> str:
        owner = self.commune.name if self.commune_id else _("mặc định toàn quốc")
        return f"{self.get_event_display()} · {self.get_channel_display()} · {owner}"

    def save(self, *args, **kwargs):
        # Whoever writes a template (admin, service, data load), its placeholders are checked.
        self.validate_placeholders()
        super().save(*args, **kwargs)

    def clean(self):
        self.validate_placeholders()

    def validate_placeholders(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        for field in ("subject", "body"):
            try:
                validate_template_text(event=self.event, text=getattr(self, field))
            except ValidationError as exc:
                errors[field] = exc.messages
        if errors:
            raise ValidationError(errors)

    def get_additional_data(self) -> dict:
        return {"commune_id": self.commune_id}


class Message(CommuneScopedModel):
    """One notification in the outbox, from enqueue to its final state."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Chờ gửi")
        SENDING = "sending", _("Đang gửi")
        RETRY = "retry", _("Lỗi tạm thời, sẽ gửi lại")
        SENT = "sent", _("Đã gửi")
        DELIVERED = "delivered", _("Đã đến người nhận")
        FAILED = "failed", _("Gửi không được")

    event = models.CharField(_("sự kiện"), max_length=40, choices=Event.choices)
    channel = models.CharField(_("kênh"), max_length=10, choices=SENDABLE_CHANNELS)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    recipient_name = models.CharField(_("người nhận"), max_length=200, blank=True)
    phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    # The recipient's id on a messaging platform (Zalo OA user id, Facebook page-scoped id).
    recipient_ref = models.CharField(_("mã người nhận trên nền tảng"), max_length=100, blank=True)
    subject = models.CharField(_("tiêu đề"), max_length=255, blank=True)
    body = models.TextField(_("nội dung"), blank=True)
    # Values for the ZNS template and for rendering a fallback SMS; blanked with the body.
    context = models.JSONField(_("dữ liệu mẫu"), default=dict, blank=True)
    zalo_template_id = models.CharField(_("mã mẫu ZNS"), max_length=40, blank=True)
    sms_fallback = models.BooleanField(
        _("gửi SMS nếu Zalo không được"),
        default=False,
        help_text=_("Người nhận đã đồng ý nhận SMS."),
    )
    fallback_of = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fallback",
        verbose_name=_("gửi thay cho tin"),
    )
    dedupe_key = models.CharField(_("khoá chống trùng"), max_length=200)
    # Sent to the provider as its request/tracking id so it drops a resend after a crash.
    provider_request_id = models.UUIDField(
        _("mã yêu cầu gửi nhà cung cấp"), default=uuid.uuid4, unique=True, editable=False
    )
    provider_message_id = models.CharField(_("mã tin của nhà cung cấp"), max_length=100, blank=True)
    attempt_count = models.PositiveSmallIntegerField(_("số lần gửi"), default=0)
    next_attempt_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    lease_until = models.DateTimeField(_("giữ đến"), null=True, blank=True)
    lease_token = models.UUIDField(_("mã phiên giữ"), null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("gửi xong lúc"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("đến người nhận lúc"), null=True, blank=True)
    last_error = models.TextField(_("lỗi gần nhất"), blank=True)
    body_purged_at = models.DateTimeField(_("đã xoá nội dung lúc"), null=True, blank=True)
    related_type = models.ForeignKey(
        ContentType,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("loại đối tượng liên quan"),
    )
    related_id = models.CharField(_("mã đối tượng liên quan"), max_length=64, blank=True)
    related = GenericForeignKey("related_type", "related_id")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tin nhắn")
        verbose_name_plural = _("tin nhắn")
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "dedupe_key"], name="uniq_message_dedupe_key_per_commune"
            ),
            models.CheckConstraint(
                condition=~Q(status="sending") | Q(lease_until__isnull=False),
                name="message_sending_has_lease",
            ),
            models.CheckConstraint(
                condition=~Q(channel="email") | ~Q(email=""), name="message_email_has_address"
            ),
            models.CheckConstraint(
                condition=Q(channel__in=("email", "zalo_oa", "facebook"))
                | Q(phone__regex=r"^0[0-9]{9}$"),
                name="message_phone_is_vn_mobile",
            ),
            # A reply on a platform (Zalo OA, Facebook Page) goes to the person's id there.
            models.CheckConstraint(
                condition=~Q(channel__in=("zalo_oa", "facebook")) | ~Q(recipient_ref=""),
                name="message_platform_has_recipient",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="notify_msg_due_idx"),
            models.Index(fields=["related_type", "related_id"], name="notify_msg_related_idx"),
        ]

    def __str__(self) -> str:
        to = self.recipient
        return f"{self.get_event_display()} → {to} ({self.get_channel_display()})"

    @property
    def recipient(self) -> str:
        if self.channel in (Channel.ZALO_OA, Channel.FACEBOOK):
            return self.recipient_ref
        return self.email if self.channel == Channel.EMAIL else self.phone


class MessageAttempt(models.Model):
    """One try at handing a message to a gateway, with what was asked and answered."""

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Nhà cung cấp đã nhận")
        DELIVERED = "delivered", _("Đã đến người nhận")
        TEMPORARY = "temporary", _("Lỗi tạm thời")
        PERMANENT = "permanent", _("Lỗi vĩnh viễn")

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("tin nhắn")
    )
    number = models.PositiveSmallIntegerField(_("lần thứ"))
    started_at = models.DateTimeField(_("bắt đầu"))
    finished_at = models.DateTimeField(_("kết thúc"))
    gateway = models.CharField(_("cổng gửi"), max_length=30)
    request_summary = models.TextField(_("yêu cầu"), blank=True)
    status_code = models.CharField(_("mã trả về"), max_length=30, blank=True)
    response_summary = models.TextField(_("phản hồi"), blank=True)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices)
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        ordering = ["message", "number", "pk"]
        verbose_name = _("lần gửi")
        verbose_name_plural = _("lần gửi")

    def __str__(self) -> str:
        return f"#{self.number} {self.gateway}: {self.get_outcome_display()}"
