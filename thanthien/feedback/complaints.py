"""Complaints (khiếu nại) and denunciations (tố cáo), registered apart from feedback.

Deadlines follow the Law on Complaints 2011 and the Law on Denunciations 2018; their numbers
and units are the setting THANTHIEN_COMPLAINT_DEADLINES (values in DOMAIN.md as defaults).
Every write goes through thanthien/feedback/complaint_services.py.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thanthien.core.models import CommuneScopedModel


class Complaint(CommuneScopedModel):
    """One complaint or denunciation and the dates of its stages."""

    class Kind(models.TextChoices):
        COMPLAINT = "complaint", _("Khiếu nại")
        DENUNCIATION = "denunciation", _("Tố cáo")

    class Round(models.IntegerChoices):
        FIRST = 1, _("Lần đầu")
        SECOND = 2, _("Lần hai")

    class Status(models.TextChoices):
        RECEIVED = "received", _("Đã nhận, chờ thụ lý")
        ACCEPTED = "accepted", _("Đã thụ lý, đang giải quyết")
        REFUSED = "refused", _("Không thụ lý")
        TRANSFERRED = "transferred", _("Đã chuyển cơ quan có thẩm quyền")
        RESOLVED = "resolved", _("Đã giải quyết")
        WITHDRAWN = "withdrawn", _("Đã rút")

    code = models.CharField(_("số đơn"), max_length=40, unique=True)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices)
    round = models.PositiveSmallIntegerField(
        _("lần giải quyết"), choices=Round.choices, default=Round.FIRST
    )
    is_complex = models.BooleanField(_("vụ việc phức tạp"), default=False)
    is_remote_area = models.BooleanField(
        _("vùng sâu, vùng xa"),
        default=False,
        help_text=_("Lấy theo xã khi vào sổ; kéo dài thời hạn theo luật."),
    )
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=Status.choices, default=Status.RECEIVED
    )

    # The person. For a denunciation only the assigned officials may see these fields.
    person_name = models.CharField(_("họ và tên"), max_length=150)
    person_phone = models.CharField(_("số điện thoại"), max_length=15, blank=True)
    person_address = models.CharField(_("địa chỉ"), max_length=255, blank=True)
    person_id_number = models.CharField(_("số căn cước"), max_length=12, blank=True)
    hamlet = models.ForeignKey(
        "places.Hamlet",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("thôn, tổ dân phố"),
    )

    subject = models.CharField(_("quyết định, hành vi bị khiếu nại / tố cáo"), max_length=255)
    respondent = models.CharField(
        _("người, cơ quan bị khiếu nại / tố cáo"), max_length=255, blank=True
    )
    content = models.TextField(_("nội dung"))
    learned_on = models.DateField(
        _("ngày biết quyết định, hành vi"),
        null=True,
        blank=True,
        help_text=_("Để tính thời hiệu khiếu nại (90 ngày)."),
    )

    # Stage dates and the deadlines computed from them (stored, so lists can sort on them).
    received_on = models.DateField(_("ngày nhận đơn"), db_index=True)
    accept_due = models.DateField(_("hạn thụ lý / xử lý ban đầu"), null=True, blank=True)
    accepted_on = models.DateField(_("ngày thụ lý"), null=True, blank=True)
    refused_on = models.DateField(_("ngày không thụ lý"), null=True, blank=True)
    refusal_reason = models.TextField(_("lý do không thụ lý"), blank=True)
    transferred_on = models.DateField(_("ngày chuyển đơn"), null=True, blank=True)
    transferred_to = models.CharField(_("chuyển đến"), max_length=255, blank=True)
    resolve_due = models.DateField(_("hạn giải quyết"), null=True, blank=True, db_index=True)
    resolved_on = models.DateField(_("ngày giải quyết"), null=True, blank=True)
    decision_number = models.CharField(_("số quyết định / kết luận"), max_length=60, blank=True)
    resolution = models.TextField(_("kết quả giải quyết"), blank=True)
    withdrawn_on = models.DateField(_("ngày rút đơn"), null=True, blank=True)

    assignees = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="assigned_complaints",
        verbose_name=_("cán bộ được giao"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người vào sổ"),
    )
    # Where it came from.
    feedback_item = models.ForeignKey(
        "feedback.FeedbackItem",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("chuyển từ góp ý, phản ánh"),
    )
    reception_visit = models.ForeignKey(
        "feedback.ReceptionVisit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("từ lượt tiếp công dân"),
    )

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(fields=["commune", "status", "resolve_due"], name="fb_complaint_due")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="complaint") | Q(round=1), name="complaint_round_only_complaints"
            ),
            models.CheckConstraint(
                condition=Q(accepted_on__isnull=True) | Q(accepted_on__gte=models.F("received_on")),
                name="complaint_accepted_after_received",
            ),
        ]
        verbose_name = _("khiếu nại, tố cáo")
        verbose_name_plural = _("khiếu nại, tố cáo")

    def __str__(self) -> str:
        return f"{self.code} — {self.get_kind_display()}"

    def get_absolute_url(self) -> str:
        return reverse("staff:feedback:complaint", kwargs={"pk": self.pk})


class ComplaintExtension(CommuneScopedModel):
    """A decision to extend a stage's deadline (denunciations: initial handling, resolution)."""

    class Stage(models.TextChoices):
        ACCEPT = "accept", _("Thụ lý / xử lý ban đầu")
        RESOLVE = "resolve", _("Giải quyết")

    complaint = models.ForeignKey(
        Complaint, on_delete=models.CASCADE, related_name="extensions", verbose_name=_("đơn")
    )
    stage = models.CharField(_("giai đoạn"), max_length=8, choices=Stage.choices)
    days = models.PositiveSmallIntegerField(_("số ngày gia hạn"))
    working_days = models.BooleanField(_("tính theo ngày làm việc"), default=False)
    previous_due = models.DateField(_("hạn cũ"))
    new_due = models.DateField(_("hạn mới"))
    reason = models.TextField(_("lý do"))
    decided_on = models.DateField(_("ngày quyết định gia hạn"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người quyết định"),
    )

    class Meta:
        ordering = ["complaint", "decided_on", "pk"]
        verbose_name = _("gia hạn giải quyết")
        verbose_name_plural = _("gia hạn giải quyết")

    def __str__(self) -> str:
        return f"{self.complaint.code}: +{self.days} ({self.get_stage_display()})"
