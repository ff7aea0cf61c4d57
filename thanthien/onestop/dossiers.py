"""Dossiers (hồ sơ TTHC) received at the one-stop desk, their history and supplements.

Imported at the end of thanthien/onestop/models.py. Every write goes through
thanthien/onestop/dossier_services.py; the allowed moves are the TRANSITIONS table below.
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thanthien.core.models import CommuneScopedModel, TimeStampedModel

__all__ = [
    "TRANSITIONS",
    "Dossier",
    "DossierAction",
    "DossierCounter",
    "DossierEvent",
    "DossierSupplement",
    "Transition",
    "mask_id_number",
    "mask_phone",
]

PHONE_PATTERN = r"^0[0-9]{9}$"
ID_NUMBER_PATTERN = r"^[0-9]{12}$"

phone_validator = RegexValidator(
    PHONE_PATTERN, _("Số điện thoại gồm đúng 10 chữ số, bắt đầu bằng 0.")
)
id_number_validator = RegexValidator(
    ID_NUMBER_PATTERN, _("Số căn cước công dân gồm đúng 12 chữ số.")
)


def mask_phone(phone: str) -> str:
    """Shown on public pages: "0912345678" -> "091****678"."""
    if len(phone) < 7:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 6)}{phone[-3:]}"


def mask_id_number(number: str) -> str:
    """Shown on public pages: only the last three digits of a CCCD number."""
    if not number:
        return ""
    return "*" * max(len(number) - 3, 0) + number[-3:]


class DossierAction(models.TextChoices):
    """Every move of a dossier; each is one service and one kind of history row."""

    RECEIVE = "receive", _("Tiếp nhận")
    HANDOVER = "handover", _("Chuyển xử lý")
    REQUEST_SUPPLEMENT = "request_supplement", _("Yêu cầu bổ sung")
    COMPLETE_SUPPLEMENT = "complete_supplement", _("Đã bổ sung đủ")
    REFUSE = "refuse", _("Từ chối tiếp nhận")
    WITHDRAW = "withdraw", _("Rút hồ sơ")
    RESULT_READY = "result_ready", _("Có kết quả")
    RETURN = "return", _("Trả kết quả")
    RESCHEDULE = "reschedule", _("Hẹn lại ngày trả")


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    # None: the dossier keeps its state (a reschedule changes the date, not the state).
    target: str | None


class Dossier(CommuneScopedModel):
    """A citizen's dossier for one procedure, from receipt to the returned result."""

    class State(models.TextChoices):
        RECEIVED = "received", _("Đã tiếp nhận")
        IN_PROGRESS = "in_progress", _("Đang giải quyết")
        SUPPLEMENT = "supplement", _("Chờ bổ sung")
        RESULT_READY = "result_ready", _("Có kết quả, chờ trả")
        RETURNED = "returned", _("Đã trả kết quả")
        REFUSED = "refused", _("Từ chối tiếp nhận")
        WITHDRAWN = "withdrawn", _("Đã rút hồ sơ")

    class Channel(models.TextChoices):
        DESK = "desk", _("Trực tiếp tại bộ phận một cửa")
        ONLINE = "online", _("Trực tuyến")
        POST = "post", _("Qua bưu chính công ích")

    class ReturnMethod(models.TextChoices):
        DESK = "desk", _("Nhận tại bộ phận một cửa")
        POST = "post", _("Qua bưu chính công ích")

    class NotifyChannel(models.TextChoices):
        SMS = "sms", _("Tin nhắn SMS")
        ZALO = "zalo", _("Zalo")
        EMAIL = "email", _("Thư điện tử")
        NONE = "none", _("Không nhận thông báo")

    class Origin(models.TextChoices):
        HERE = "here", _("Tiếp nhận trên Thân Thiện")
        PROVINCE = "province", _("Nhập từ hệ thống một cửa của tỉnh")

    code = models.CharField(_("số hồ sơ"), max_length=40, unique=True)
    procedure = models.ForeignKey(
        "onestop.Procedure",
        on_delete=models.PROTECT,
        related_name="dossiers",
        verbose_name=_("thủ tục"),
    )
    applicant_name = models.CharField(_("họ và tên người nộp"), max_length=150)
    applicant_phone = models.CharField(
        _("số điện thoại"), max_length=10, validators=[phone_validator]
    )
    applicant_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    applicant_id_number = models.CharField(
        _("số căn cước công dân"), max_length=12, blank=True, validators=[id_number_validator]
    )
    channel = models.CharField(
        _("hình thức nộp"), max_length=10, choices=Channel.choices, default=Channel.DESK
    )
    return_method = models.CharField(
        _("hình thức nhận kết quả"),
        max_length=10,
        choices=ReturnMethod.choices,
        default=ReturnMethod.DESK,
    )
    appointment_at = models.DateTimeField(_("lịch hẹn đã đặt"), null=True, blank=True)
    notify_channel = models.CharField(
        _("nhận thông báo qua"),
        max_length=10,
        choices=NotifyChannel.choices,
        default=NotifyChannel.SMS,
    )
    consent_sms = models.BooleanField(_("đồng ý nhận SMS"), default=False)
    consent_zalo = models.BooleanField(_("đồng ý nhận tin Zalo"), default=False)
    consent_email = models.BooleanField(_("đồng ý nhận thư điện tử"), default=False)
    consent_recorded_at = models.DateTimeField(_("ghi nhận đồng ý lúc"), null=True, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    documents_received = models.JSONField(_("giấy tờ đã nhận"), default=list, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    processing_days = models.PositiveSmallIntegerField(
        _("thời hạn giải quyết (ngày làm việc)"),
        help_text=_("Thời hạn của thủ tục lúc tiếp nhận."),
    )
    received_at = models.DateTimeField(_("tiếp nhận lúc"))
    receipt_day = models.DateField(_("ngày tính tiếp nhận"))
    due_date = models.DateField(_("ngày hẹn trả"))
    original_due_date = models.DateField(
        _("ngày hẹn trả ban đầu"),
        null=True,
        blank=True,
        help_text=_("Chỉ có khi đã hẹn lại ngày trả."),
    )
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=State.choices, default=State.RECEIVED
    )
    state_changed_at = models.DateTimeField(_("đổi trạng thái lúc"))
    supplement_requested_at = models.DateTimeField(_("yêu cầu bổ sung lúc"), null=True, blank=True)
    supplement_completed_at = models.DateTimeField(_("bổ sung đủ lúc"), null=True, blank=True)
    result_ready_at = models.DateTimeField(_("có kết quả lúc"), null=True, blank=True)
    # The local day (Asia/Ho_Chi_Minh) of result_ready_at, written with it: the day a dossier
    # is judged early / on time / late on, stored so reports compare dates, not convert times.
    result_ready_day = models.DateField(_("ngày có kết quả"), null=True, blank=True, editable=False)
    returned_at = models.DateTimeField(_("trả kết quả lúc"), null=True, blank=True)
    refused_at = models.DateTimeField(_("từ chối lúc"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("rút hồ sơ lúc"), null=True, blank=True)
    rescheduled_at = models.DateTimeField(_("hẹn lại lúc"), null=True, blank=True)
    reschedule_reason = models.TextField(_("lý do hẹn lại"), blank=True)
    closing_reason = models.TextField(_("lý do từ chối / rút hồ sơ"), blank=True)
    handling_office = models.ForeignKey(
        "people.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("bộ phận đang xử lý"),
    )
    handling_official = models.ForeignKey(
        "people.Official",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="dossiers",
        verbose_name=_("cán bộ đang xử lý"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="received_dossiers",
        verbose_name=_("người tiếp nhận"),
    )
    origin = models.CharField(
        _("nguồn"), max_length=10, choices=Origin.choices, default=Origin.HERE, editable=False
    )
    # The receive form's hidden token: a double click or a resubmit finds the same dossier.
    idempotency_token = models.CharField(
        _("mã chống gửi trùng"), max_length=64, null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        ordering = ["-received_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(applicant_phone__regex=PHONE_PATTERN),
                name="dossier_phone_10_digits",
            ),
            models.CheckConstraint(
                condition=Q(applicant_id_number="")
                | Q(applicant_id_number__regex=ID_NUMBER_PATTERN),
                name="dossier_id_number_12_digits",
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=models.F("receipt_day")),
                name="dossier_due_not_before_receipt",
            ),
            models.CheckConstraint(
                condition=~Q(state="returned") | Q(returned_at__isnull=False),
                name="dossier_returned_has_time",
            ),
            models.CheckConstraint(
                condition=Q(original_due_date__isnull=True) | Q(rescheduled_at__isnull=False),
                name="dossier_original_due_only_when_rescheduled",
            ),
            models.CheckConstraint(
                condition=Q(result_ready_at__isnull=True, result_ready_day__isnull=True)
                | Q(result_ready_at__isnull=False, result_ready_day__isnull=False),
                name="dossier_ready_day_with_ready_time",
            ),
        ]
        indexes = [
            models.Index(fields=["commune", "state", "due_date"], name="dossier_state_due_idx"),
            models.Index(fields=["commune", "-received_at"], name="dossier_received_idx"),
            models.Index(fields=["commune", "applicant_phone"], name="dossier_phone_idx"),
        ]
        verbose_name = _("hồ sơ")
        verbose_name_plural = _("hồ sơ")

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("staff:dossier_detail", kwargs={"pk": self.pk})

    def masked_phone(self) -> str:
        return mask_phone(self.applicant_phone)

    def masked_id_number(self) -> str:
        return mask_id_number(self.applicant_id_number)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def allowed_actions(self) -> list[str]:
        """The moves the table allows from the current state (the reschedule rule aside)."""
        return [
            action
            for action, move in TRANSITIONS.items()
            if action != DossierAction.RECEIVE and self.state in move.sources
        ]


OPEN_STATES = frozenset(
    {Dossier.State.RECEIVED, Dossier.State.IN_PROGRESS, Dossier.State.SUPPLEMENT}
)
# The clock runs in these states; while waiting for a supplement it stops (ND 61 art. 19).
RUNNING_STATES = frozenset({Dossier.State.RECEIVED, Dossier.State.IN_PROGRESS})
FINISHED_STATES = frozenset({Dossier.State.RESULT_READY, Dossier.State.RETURNED})

# The one place that says which move is allowed from which state.
TRANSITIONS: dict[str, Transition] = {
    DossierAction.RECEIVE: Transition(frozenset(), Dossier.State.RECEIVED),
    DossierAction.HANDOVER: Transition(RUNNING_STATES, Dossier.State.IN_PROGRESS),
    DossierAction.REQUEST_SUPPLEMENT: Transition(RUNNING_STATES, Dossier.State.SUPPLEMENT),
    DossierAction.COMPLETE_SUPPLEMENT: Transition(
        frozenset({Dossier.State.SUPPLEMENT}), Dossier.State.IN_PROGRESS
    ),
    DossierAction.REFUSE: Transition(frozenset({Dossier.State.RECEIVED}), Dossier.State.REFUSED),
    DossierAction.WITHDRAW: Transition(OPEN_STATES, Dossier.State.WITHDRAWN),
    DossierAction.RESULT_READY: Transition(RUNNING_STATES, Dossier.State.RESULT_READY),
    DossierAction.RETURN: Transition(
        frozenset({Dossier.State.RESULT_READY}), Dossier.State.RETURNED
    ),
    DossierAction.RESCHEDULE: Transition(RUNNING_STATES, None),
}


class DossierCounter(CommuneScopedModel):
    """The last sequence number given to a commune's dossiers on one day (locked per receive)."""

    day = models.DateField(_("ngày"))
    last = models.PositiveIntegerField(_("số cuối"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "day"], name="uniq_dossier_counter_day")
        ]
        verbose_name = _("bộ đếm số hồ sơ")
        verbose_name_plural = _("bộ đếm số hồ sơ")

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y}: {self.last}"


class DossierEvent(models.Model):
    """One row of a dossier's history (and of its control slip): who moved it, when, to whom."""

    class StepResult(models.TextChoices):
        EARLY = "early", _("Trước hạn")
        ON_TIME = "on_time", _("Đúng hạn")
        LATE = "late", _("Quá hạn")

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="events", verbose_name=_("hồ sơ")
    )
    kind = models.CharField(_("loại"), max_length=30, choices=DossierAction.choices)
    at = models.DateTimeField(_("thời điểm"), help_text=_("Chính xác đến phút."))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người thực hiện"),
    )
    from_state = models.CharField(
        _("từ trạng thái"), max_length=20, choices=Dossier.State.choices, blank=True
    )
    to_state = models.CharField(_("sang trạng thái"), max_length=20, choices=Dossier.State.choices)
    from_office = models.ForeignKey(
        "people.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("từ bộ phận"),
    )
    from_official = models.ForeignKey(
        "people.Official",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("từ cán bộ"),
    )
    to_office = models.ForeignKey(
        "people.Office",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đến bộ phận"),
    )
    to_official = models.ForeignKey(
        "people.Official",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("đến cán bộ"),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    step_due_date = models.DateField(_("hạn của bước"), null=True, blank=True)
    step_result = models.CharField(
        _("kết quả bước"), max_length=10, choices=StepResult.choices, blank=True
    )
    step_finished_at = models.DateTimeField(_("bước kết thúc lúc"), null=True, blank=True)

    class Meta:
        ordering = ["dossier", "at", "pk"]
        constraints = [
            # ND 61 art. 19.9: the return date may be reset only once.
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(kind="reschedule"),
                name="dossier_rescheduled_at_most_once",
            )
        ]
        indexes = [models.Index(fields=["dossier", "at"], name="dossier_event_at_idx")]
        verbose_name = _("diễn biến hồ sơ")
        verbose_name_plural = _("diễn biến hồ sơ")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%d/%m/%Y %H:%M}"

    def get_additional_data(self) -> dict:
        return {"commune_id": self.dossier.commune_id}


class DossierSupplement(TimeStampedModel):
    """A request to supplement a dossier: what is missing, and whether it goes beyond the list.

    An item that is not among the procedure's required documents is flagged for a leader to
    review (requirement A2: no papers beyond what the procedure requires).
    """

    dossier = models.ForeignKey(
        Dossier, on_delete=models.CASCADE, related_name="supplements", verbose_name=_("hồ sơ")
    )
    items = models.JSONField(_("giấy tờ cần bổ sung"), default=list)
    unlisted_items = models.JSONField(_("giấy tờ ngoài thành phần hồ sơ"), default=list, blank=True)
    needs_leader_review = models.BooleanField(_("cần lãnh đạo xem"), default=False)
    requested_at = models.DateTimeField(_("yêu cầu lúc"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("người yêu cầu"),
    )
    note = models.TextField(_("ghi chú"), blank=True)
    completed_at = models.DateTimeField(_("bổ sung đủ lúc"), null=True, blank=True)
    reviewed_at = models.DateTimeField(_("lãnh đạo xem lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lãnh đạo đã xem"),
    )
    review_note = models.TextField(_("ý kiến lãnh đạo"), blank=True)

    class Meta:
        ordering = ["dossier", "requested_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["dossier"],
                condition=Q(completed_at__isnull=True),
                name="dossier_one_open_supplement",
            ),
        ]
        indexes = [
            models.Index(
                fields=["needs_leader_review", "reviewed_at"], name="supplement_review_idx"
            )
        ]
        verbose_name = _("yêu cầu bổ sung hồ sơ")
        verbose_name_plural = _("yêu cầu bổ sung hồ sơ")

    def __str__(self) -> str:
        return f"{self.dossier.code}: {', '.join(self.items)}"

    def get_additional_data(self) -> dict:
        return {"commune_id": self.dossier.commune_id}
