"""Feedback items (góp ý, phản ánh, kiến nghị) from every channel, their files and history.

Imported by thanthien/feedback/models.py. Every write goes through the feedback services
(intake_services.py for new items, workflow_services.py for moves); the allowed moves are
TRANSITIONS below.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thanthien.core.models import CommuneScopedModel
from thanthien.core.storage import private_storage
from thanthien.feedback.categories import category_label


class Kind(models.TextChoices):
    SUGGESTION = "suggestion", _("Góp ý")
    REPORT = "report", _("Phản ánh")
    PETITION = "petition", _("Kiến nghị")


class Source(models.TextChoices):
    """How the item reached the commune."""

    WEB = "web", _("Trang góp ý trực tuyến")
    QR = "qr", _("Mã QR tại bộ phận một cửa")
    ZALO = "zalo", _("Zalo OA")
    FACEBOOK = "facebook", _("Trang Facebook")
    EMAIL = "email", _("Thư điện tử")
    PHONE = "phone", _("Điện thoại")
    HOTLINE = "hotline", _("Đường dây nóng")
    BOX = "box", _("Hòm thư góp ý")
    RECEPTION = "reception", _("Tiếp công dân")
    DIALOGUE = "dialogue", _("Hội nghị đối thoại")
    OPEN311 = "open311", _("Open311 / ứng dụng")
    API = "api", _("API")


class ReplyChannel(models.TextChoices):
    """Where the acknowledgement and the answer go (the outbox's channels)."""

    SMS = "sms", _("SMS")
    ZALO = "zalo", _("Zalo (số điện thoại)")
    ZALO_OA = "zalo_oa", _("Tin nhắn Zalo OA")
    FACEBOOK = "facebook", _("Tin nhắn Facebook")
    EMAIL = "email", _("Thư điện tử")
    NONE = "none", _("Không nhận phản hồi")


class Status(models.TextChoices):
    NEW = "new", _("Mới nhận")
    CLASSIFIED = "classified", _("Đã phân loại")
    ASSIGNED = "assigned", _("Đã giao xử lý")
    IN_PROGRESS = "in_progress", _("Đang xử lý")
    ANSWERED = "answered", _("Đã trả lời")
    CLOSED = "closed", _("Đã đóng")
    # Terminal states outside the main line.
    MERGED = "merged", _("Trùng, đã gộp")
    REDIRECTED = "redirected", _("Chuyển hướng xử lý")


class Action(models.TextChoices):
    """Every move of an item; one service and one kind of history row each."""

    SUBMIT = "submit", _("Tiếp nhận")
    ACKNOWLEDGE = "acknowledge", _("Báo đã nhận")
    CLASSIFY = "classify", _("Phân loại")
    ASSIGN = "assign", _("Giao xử lý")
    START = "start", _("Bắt đầu xử lý")
    ANSWER = "answer", _("Trả lời")
    PUBLISH = "publish", _("Công khai câu trả lời")
    UNPUBLISH = "unpublish", _("Thôi công khai")
    CLOSE = "close", _("Đóng")
    REOPEN = "reopen", _("Mở lại")
    MERGE = "merge", _("Gộp vào phản ánh khác")
    REDIRECT = "redirect", _("Chuyển hướng")
    REMIND = "remind", _("Nhắc hạn")
    ESCALATE = "escalate", _("Báo lãnh đạo (quá hạn)")
    RATE = "rate", _("Người dân đánh giá câu trả lời")
    NOTE = "note", _("Ghi chú")


# (from status, action) -> to status. A move not listed here is refused by the service.
OPEN_STATES = (Status.NEW, Status.CLASSIFIED, Status.ASSIGNED, Status.IN_PROGRESS)
TRANSITIONS: dict[tuple[str, str], str] = {
    (Status.NEW, Action.CLASSIFY): Status.CLASSIFIED,
    (Status.CLASSIFIED, Action.CLASSIFY): Status.CLASSIFIED,
    (Status.ASSIGNED, Action.CLASSIFY): Status.ASSIGNED,
    (Status.IN_PROGRESS, Action.CLASSIFY): Status.IN_PROGRESS,
    (Status.CLASSIFIED, Action.ASSIGN): Status.ASSIGNED,
    (Status.ASSIGNED, Action.ASSIGN): Status.ASSIGNED,
    (Status.IN_PROGRESS, Action.ASSIGN): Status.ASSIGNED,
    (Status.ASSIGNED, Action.START): Status.IN_PROGRESS,
    (Status.ASSIGNED, Action.ANSWER): Status.ANSWERED,
    (Status.IN_PROGRESS, Action.ANSWER): Status.ANSWERED,
    (Status.ANSWERED, Action.CLOSE): Status.CLOSED,
    (Status.ANSWERED, Action.REOPEN): Status.IN_PROGRESS,
    (Status.CLOSED, Action.REOPEN): Status.IN_PROGRESS,
    **{(state, Action.MERGE): Status.MERGED for state in OPEN_STATES},
    **{(state, Action.REDIRECT): Status.REDIRECTED for state in OPEN_STATES},
}


class FeedbackItem(CommuneScopedModel):
    """One góp ý / phản ánh / kiến nghị, whatever channel it came by."""

    code = models.CharField(_("mã theo dõi"), max_length=40, unique=True)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices, default=Kind.REPORT)
    source = models.CharField(_("kênh tiếp nhận"), max_length=12, choices=Source.choices)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.NEW, db_index=True
    )
    category = models.CharField(
        _("lĩnh vực"), max_length=40, blank=True, help_text=_("Mã trong danh mục lĩnh vực.")
    )
    title = models.CharField(_("tiêu đề"), max_length=200, blank=True)
    content = models.TextField(_("nội dung"))
    hamlet = models.ForeignKey(
        "places.Hamlet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thôn, tổ dân phố"),
    )
    location_text = models.CharField(_("địa điểm sự việc"), max_length=255, blank=True)
    latitude = models.DecimalField(
        _("vĩ độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    longitude = models.DecimalField(
        _("kinh độ"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    # Pre-filled by the QR code at the desk.
    counter = models.ForeignKey(
        "surveys.Counter",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("quầy"),
    )
    procedure = models.ForeignKey(
        "onestop.Procedure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thủ tục hành chính"),
    )
    dossier = models.ForeignKey(
        "onestop.Dossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hồ sơ liên quan"),
    )

    # The sender. Anonymous items keep no name, phone, email or address.
    is_anonymous = models.BooleanField(_("ẩn danh"), default=False)
    sender_name = models.CharField(_("họ và tên người gửi"), max_length=150, blank=True)
    sender_phone = models.CharField(_("số điện thoại"), max_length=15, blank=True, db_index=True)
    sender_email = models.EmailField(_("thư điện tử"), blank=True)
    sender_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    # The sender's id on the platform it came from (Zalo user id, Facebook page-scoped id).
    sender_platform_id = models.CharField(
        _("mã người gửi trên nền tảng"), max_length=100, blank=True
    )
    reply_channel = models.CharField(
        _("nhận phản hồi qua"),
        max_length=10,
        choices=ReplyChannel.choices,
        default=ReplyChannel.NONE,
    )
    consent_contact = models.BooleanField(
        _("đồng ý nhận tin phản hồi"),
        default=False,
        help_text=_("Người gửi đồng ý để xã liên hệ qua kênh đã chọn (Luật 91/2025)."),
    )
    consent_publish = models.BooleanField(
        _("đồng ý công khai câu trả lời"),
        default=False,
        help_text=_("Câu trả lời được đăng trên cổng thông tin, không kèm thông tin cá nhân."),
    )

    # Intake bookkeeping: one item per idempotency key, per external message, per double-click.
    idempotency_key = models.CharField(_("khoá chống trùng"), max_length=100, blank=True)
    external_id = models.CharField(
        _("mã tin gốc"),
        max_length=200,
        blank=True,
        help_text=_("Mã tin nhắn Zalo/Facebook hoặc Message-ID của thư điện tử."),
    )
    content_hash = models.CharField(_("dấu vân nội dung"), max_length=64, blank=True, db_index=True)
    submitted_ip = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cán bộ nhập"),
    )

    # Deadlines (stored when the item is received or classified).
    received_at = models.DateTimeField(_("nhận lúc"), db_index=True)
    ack_due_at = models.DateTimeField(_("hạn báo đã nhận"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("đã báo nhận lúc"), null=True, blank=True)
    due_date = models.DateField(_("hạn trả lời"), null=True, blank=True, db_index=True)
    reminded_at = models.DateTimeField(_("đã nhắc hạn lúc"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("đã báo lãnh đạo lúc"), null=True, blank=True)

    # Handling.
    office = models.ForeignKey(
        "people.Office",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("bộ phận xử lý"),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_feedback",
        verbose_name=_("cán bộ xử lý"),
    )
    answer = models.TextField(_("nội dung trả lời"), blank=True)
    answered_at = models.DateTimeField(_("trả lời lúc"), null=True, blank=True, db_index=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người trả lời"),
    )
    closed_at = models.DateTimeField(_("đóng lúc"), null=True, blank=True)
    reopen_count = models.PositiveSmallIntegerField(_("số lần mở lại"), default=0)

    # Duplicates and redirects.
    duplicate_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
        verbose_name=_("trùng với"),
    )
    redirect_reason = models.TextField(_("lý do chuyển hướng"), blank=True)
    redirect_url = models.CharField(_("đường dẫn thủ tục phù hợp"), max_length=300, blank=True)

    # Publication on the portal, without personal data (written by the official).
    is_published = models.BooleanField(_("công khai trên cổng"), default=False, db_index=True)
    published_at = models.DateTimeField(_("công khai lúc"), null=True, blank=True)
    public_summary = models.TextField(
        _("tóm tắt công khai"),
        blank=True,
        help_text=_("Nội dung phản ánh viết lại, không có họ tên, số điện thoại, địa chỉ."),
    )

    # The sender's rating of the answer.
    satisfied = models.BooleanField(_("hài lòng với câu trả lời"), null=True, blank=True)
    rating_reason = models.TextField(_("lý do chưa hài lòng"), blank=True)
    rated_at = models.DateTimeField(_("đánh giá lúc"), null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["commune", "status", "due_date"], name="fb_item_open_due"),
            models.Index(fields=["commune", "received_at"], name="fb_item_received"),
            models.Index(fields=["commune", "content_hash"], name="fb_item_hash"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="uniq_feedback_idempotency_key",
            ),
            models.UniqueConstraint(
                fields=["commune", "source", "external_id"],
                condition=~Q(external_id=""),
                name="uniq_feedback_external_id",
            ),
            models.CheckConstraint(
                condition=~Q(status="merged") | Q(duplicate_of__isnull=False),
                name="feedback_merged_has_target",
            ),
        ]
        verbose_name = _("góp ý, phản ánh, kiến nghị")
        verbose_name_plural = _("góp ý, phản ánh, kiến nghị")

    def __str__(self) -> str:
        return f"{self.code} — {self.title or self.content[:60]}"

    def get_absolute_url(self) -> str:
        return reverse("staff:feedback:item", kwargs={"pk": self.pk})

    @property
    def category_label(self) -> str:
        return category_label(self.category) if self.category else ""

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATES


class Sequence(CommuneScopedModel):
    """The last number given in one of a commune's registers in one year (feedback codes,
    complaint codes, the reception register, bookings). Locked while it counts."""

    name = models.CharField(_("sổ"), max_length=20)
    year = models.PositiveSmallIntegerField(_("năm"))
    last = models.PositiveIntegerField(_("số cuối"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "name", "year"], name="uniq_feedback_sequence_year"
            )
        ]
        verbose_name = _("bộ đếm số thứ tự")
        verbose_name_plural = _("bộ đếm số thứ tự")

    def __str__(self) -> str:
        return f"{self.name} {self.year}: {self.last}"


class Attachment(CommuneScopedModel):
    """A photo or file: from the sender, a scan of a paper letter, or evidence of the answer."""

    class Role(models.TextChoices):
        FROM_SENDER = "sender", _("Người gửi đính kèm")
        LETTER_SCAN = "scan", _("Bản quét thư giấy")
        ANSWER_EVIDENCE = "answer", _("Minh chứng kết quả xử lý")

    item = models.ForeignKey(
        FeedbackItem,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("góp ý, phản ánh"),
    )
    role = models.CharField(_("loại tệp"), max_length=8, choices=Role.choices)
    # Private storage: no public URL. Staff views check role and commune; a public answer's
    # evidence is served by a view that checks is_public and the item's publication.
    file = models.FileField(_("tệp"), upload_to="feedback/%Y/%m/", storage=private_storage)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    content_type = models.CharField(_("kiểu tệp"), max_length=100)
    size = models.PositiveIntegerField(_("dung lượng (byte)"))
    is_public = models.BooleanField(
        _("công khai"), default=False, help_text=_("Hiện cùng câu trả lời trên cổng.")
    )

    class Meta:
        ordering = ["item", "created_at"]
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")

    def __str__(self) -> str:
        return self.original_name or self.file.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class FeedbackEvent(CommuneScopedModel):
    """One row of an item's history: who moved it, when, from and to which state."""

    item = models.ForeignKey(
        FeedbackItem, on_delete=models.CASCADE, related_name="events", verbose_name=_("góp ý")
    )
    action = models.CharField(_("thao tác"), max_length=12, choices=Action.choices)
    from_status = models.CharField(_("từ trạng thái"), max_length=12, blank=True)
    to_status = models.CharField(_("sang trạng thái"), max_length=12, blank=True)
    at = models.DateTimeField(_("thời điểm"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["item", "at", "pk"]
        indexes = [models.Index(fields=["item", "at"], name="fb_event_item_at")]
        verbose_name = _("lịch sử xử lý góp ý")
        verbose_name_plural = _("lịch sử xử lý góp ý")

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.at:%d/%m/%Y %H:%M}"


class ReplyTemplate(CommuneScopedModel):
    """A reply an official starts from and adapts, per category."""

    category = models.CharField(
        _("lĩnh vực"), max_length=40, blank=True, help_text=_("Để trống: dùng cho mọi lĩnh vực.")
    )
    title = models.CharField(_("tên mẫu"), max_length=150)
    body = models.TextField(
        _("nội dung"),
        help_text=_("Có thể dùng {name}, {code}, {received_date}, {commune}, {office}."),
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["commune", "category", "title"]
        verbose_name = _("mẫu trả lời")
        verbose_name_plural = _("mẫu trả lời")

    def __str__(self) -> str:
        return self.title


class ChannelAccount(CommuneScopedModel):
    """A commune's account on a platform that sends feedback in: a Zalo Official Account or a
    Facebook Page, with the secrets that check each webhook call and send the replies."""

    class Platform(models.TextChoices):
        ZALO = "zalo", _("Zalo Official Account")
        FACEBOOK = "facebook", _("Trang Facebook")

    platform = models.CharField(_("nền tảng"), max_length=10, choices=Platform.choices)
    account_id = models.CharField(
        _("mã tài khoản"), max_length=100, help_text=_("OA ID của Zalo hoặc Page ID của Facebook.")
    )
    app_id = models.CharField(_("App ID"), max_length=100, blank=True)
    app_secret = models.CharField(
        _("khoá bí mật của ứng dụng"),
        max_length=200,
        help_text=_("Zalo: OA Secret Key; Facebook: App Secret. Dùng để kiểm tra chữ ký webhook."),
    )
    access_token = models.TextField(_("access token gửi tin trả lời"), blank=True)
    verify_token = models.CharField(
        _("verify token"), max_length=100, blank=True, help_text=_("Facebook: khi đăng ký webhook.")
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["commune", "platform"]
        constraints = [
            models.UniqueConstraint(
                fields=["platform", "account_id"], name="uniq_channel_account_platform_id"
            )
        ]
        verbose_name = _("tài khoản kênh nhận góp ý")
        verbose_name_plural = _("tài khoản kênh nhận góp ý")

    def __str__(self) -> str:
        return f"{self.get_platform_display()} {self.account_id}"


class InboundLog(CommuneScopedModel):
    """A call to a webhook or a mail delivery: accepted, or refused with the reason.

    The commune is empty when the call named no account of ours (it is still logged)."""

    commune = models.ForeignKey(
        "places.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("xã"),
    )

    class Outcome(models.TextChoices):
        ACCEPTED = "accepted", _("Đã nhận")
        DUPLICATE = "duplicate", _("Trùng, bỏ qua")
        IGNORED = "ignored", _("Không phải góp ý, bỏ qua")
        REFUSED = "refused", _("Từ chối")

    source = models.CharField(_("kênh"), max_length=12, choices=Source.choices)
    outcome = models.CharField(_("kết quả"), max_length=10, choices=Outcome.choices)
    reason = models.CharField(_("lý do"), max_length=255, blank=True)
    remote_addr = models.GenericIPAddressField(_("địa chỉ IP"), null=True, blank=True)
    external_id = models.CharField(_("mã tin gốc"), max_length=200, blank=True)
    payload_sha256 = models.CharField(_("SHA-256 nội dung"), max_length=64, blank=True)
    item = models.ForeignKey(
        FeedbackItem,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("góp ý tạo ra"),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("nhật ký kênh tiếp nhận")
        verbose_name_plural = _("nhật ký kênh tiếp nhận")

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.get_outcome_display()}"
