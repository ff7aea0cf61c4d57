"""Apology slips (Phiếu xin lỗi và hẹn lại ngày trả kết quả, form 04 of TT 01/2018).

Imported at the end of thanthien/onestop/models.py. A slip is issued with a reschedule
(dossier_reschedule) or drafted by the overdue watch for a dossier that is already late; a
leader completes the draft (reason, new return date) and issues it, or drops it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thanthien.core.models import CommuneScopedModel

__all__ = ["ApologySlip"]


class ApologySlip(CommuneScopedModel):
    """An apology to an applicant whose result is, or will be, later than promised."""

    class Kind(models.TextChoices):
        RESCHEDULE = "reschedule", _("Hẹn lại trước hạn")
        LATE = "late", _("Hồ sơ đã quá hạn")

    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo, chờ lãnh đạo")
        ISSUED = "issued", _("Đã ban hành")
        DROPPED = "dropped", _("Không ban hành")

    dossier = models.ForeignKey(
        "onestop.Dossier",
        on_delete=models.CASCADE,
        related_name="apologies",
        verbose_name=_("hồ sơ"),
    )
    kind = models.CharField(_("trường hợp"), max_length=12, choices=Kind.choices)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    # The sequence number of issued slips, per commune and year ("Số: 12/PXL").
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    number = models.PositiveIntegerField(_("số phiếu"), null=True, blank=True)
    reason = models.TextField(_("lý do chậm trả"), blank=True)
    original_due_date = models.DateField(_("ngày hẹn trả ban đầu"))
    new_due_date = models.DateField(_("ngày hẹn trả mới"), null=True, blank=True)
    drafted_at = models.DateTimeField(_("dự thảo lúc"))
    issued_at = models.DateTimeField(_("ban hành lúc"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("người ban hành"),
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["-drafted_at", "-pk"]
        constraints = [
            # The watch runs daily: it drafts one slip per late dossier, never two.
            models.UniqueConstraint(fields=["dossier", "kind"], name="uniq_apology_per_kind"),
            models.UniqueConstraint(
                fields=["commune", "year", "number"],
                condition=Q(number__isnull=False),
                name="uniq_apology_number",
            ),
            models.CheckConstraint(
                condition=~Q(state="issued")
                | (Q(issued_at__isnull=False) & Q(number__isnull=False) & ~Q(reason="")),
                name="apology_issued_complete",
            ),
        ]
        indexes = [models.Index(fields=["commune", "state"], name="apology_state_idx")]
        verbose_name = _("phiếu xin lỗi và hẹn lại")
        verbose_name_plural = _("phiếu xin lỗi và hẹn lại")

    def __str__(self) -> str:
        if self.number:
            return f"{self.number}/{self.year} — {self.dossier_id}"
        return f"{self.get_state_display()} — {self.dossier_id}"
