"""Citizen reception (tiếp công dân): bookings of the weekly slots and the reception register.

The weekly slots are portal.ReceptionSlot (published on the portal). Every write goes through
thanthien/feedback/reception_services.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thanthien.core.models import CommuneScopedModel


class ReceptionBooking(CommuneScopedModel):
    """A resident's booking of a reception slot on one date, online or by phone."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("Đã đặt lịch")
        CANCELLED = "cancelled", _("Đã huỷ")
        ATTENDED = "attended", _("Đã đến, đã tiếp")
        NO_SHOW = "no_show", _("Không đến")

    class Source(models.TextChoices):
        ONLINE = "online", _("Trực tuyến")
        PHONE = "phone", _("Qua điện thoại (cán bộ đặt giúp)")
        DESK = "desk", _("Tại bộ phận một cửa")

    code = models.CharField(_("mã đặt lịch"), max_length=40, unique=True)
    slot = models.ForeignKey(
        "portal.ReceptionSlot",
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("buổi tiếp"),
    )
    date = models.DateField(_("ngày tiếp"), db_index=True)
    position = models.PositiveSmallIntegerField(_("số thứ tự trong buổi"), default=1)
    source = models.CharField(_("đặt qua"), max_length=8, choices=Source.choices)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=Status.choices, default=Status.BOOKED
    )
    name = models.CharField(_("họ và tên"), max_length=150)
    phone = models.CharField(_("số điện thoại"), max_length=15)
    address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    hamlet = models.ForeignKey(
        "places.Hamlet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thôn, tổ dân phố"),
    )
    matter = models.TextField(_("nội dung cần trình bày"))
    group_size = models.PositiveSmallIntegerField(_("số người cùng đến"), default=1)
    consent_sms = models.BooleanField(_("đồng ý nhận tin nhắn nhắc lịch"), default=False)
    idempotency_key = models.CharField(_("khoá chống trùng"), max_length=100, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("cán bộ đặt giúp"),
    )
    cancel_reason = models.CharField(_("lý do huỷ"), max_length=255, blank=True)

    class Meta:
        ordering = ["date", "slot__start_time", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "date", "position"],
                condition=~Q(status="cancelled"),
                name="uniq_reception_booking_position",
            ),
            models.UniqueConstraint(
                fields=["commune", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="uniq_reception_booking_idempotency",
            ),
        ]
        verbose_name = _("lịch hẹn tiếp công dân")
        verbose_name_plural = _("lịch hẹn tiếp công dân")

    def __str__(self) -> str:
        return f"{self.code} — {self.date:%d/%m/%Y}"


class ReceptionVisit(CommuneScopedModel):
    """One row of the reception register (sổ tiếp công dân)."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Khiếu nại")
        DENUNCIATION = "denunciation", _("Tố cáo")
        PETITION = "petition", _("Kiến nghị, phản ánh")
        PROCEDURE = "procedure", _("Hỏi về thủ tục hành chính")
        OTHER = "other", _("Khác")

    class Outcome(models.TextChoices):
        GUIDED = "guided", _("Hướng dẫn, giải thích")
        FEEDBACK = "feedback", _("Vào sổ góp ý, phản ánh")
        COMPLAINT = "complaint", _("Nhận đơn khiếu nại, tố cáo")
        DOSSIER = "dossier", _("Tiếp nhận hồ sơ thủ tục")
        TRANSFERRED = "transferred", _("Chuyển cơ quan có thẩm quyền")
        OTHER = "other", _("Khác")

    number = models.PositiveIntegerField(_("số thứ tự trong sổ"))
    year = models.PositiveSmallIntegerField(_("năm"))
    visited_at = models.DateTimeField(_("thời gian tiếp"), db_index=True)
    received_by = models.ForeignKey(
        "people.Official",
        on_delete=models.PROTECT,
        related_name="reception_visits",
        verbose_name=_("người tiếp"),
    )
    is_scheduled_session = models.BooleanField(
        _("trong buổi tiếp định kỳ của Chủ tịch"), default=False
    )
    booking = models.OneToOneField(
        ReceptionBooking,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="visit",
        verbose_name=_("lịch hẹn"),
    )
    citizen_name = models.CharField(_("họ tên người đến"), max_length=150)
    citizen_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    citizen_id_number = models.CharField(_("số căn cước"), max_length=12, blank=True)
    citizen_phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    hamlet = models.ForeignKey(
        "places.Hamlet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thôn, tổ dân phố"),
    )
    group_size = models.PositiveSmallIntegerField(_("số người"), default=1)
    kind = models.CharField(_("loại việc"), max_length=12, choices=Kind.choices)
    matter = models.TextField(_("nội dung"))
    outcome = models.CharField(_("hướng xử lý"), max_length=12, choices=Outcome.choices)
    outcome_note = models.TextField(_("ghi chú kết quả"), blank=True)
    # What was opened from the visit.
    feedback_item = models.ForeignKey(
        "feedback.FeedbackItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("góp ý, phản ánh đã mở"),
    )
    dossier = models.ForeignKey(
        "onestop.Dossier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("hồ sơ đã tiếp nhận"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ghi sổ"),
    )

    class Meta:
        ordering = ["-visited_at", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "year", "number"], name="uniq_reception_visit_number"
            )
        ]
        verbose_name = _("lượt tiếp công dân")
        verbose_name_plural = _("sổ tiếp công dân")

    def __str__(self) -> str:
        # Also the audit log's name for the row: a denouncer is not named there.
        if self.kind == self.Kind.DENUNCIATION:
            return f"{self.number}/{self.year} — {self.get_kind_display()}"
        return f"{self.number}/{self.year} — {self.citizen_name}"

    def get_absolute_url(self) -> str:
        return reverse("staff:feedback:reception_visit", kwargs={"pk": self.pk})
