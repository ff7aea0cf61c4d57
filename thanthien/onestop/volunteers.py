"""Union members and volunteers on duty at the desk (requirement S1).

Imported at the end of thanthien/onestop/models.py. They welcome residents, show them where
to go and help them fill forms; the desk screen shows who is on duty today.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from thanthien.core.models import CommuneScopedModel

__all__ = ["Volunteer", "VolunteerShift"]


class Volunteer(CommuneScopedModel):
    """A union member or volunteer who can take a turn at the desk."""

    class Organisation(models.TextChoices):
        YOUTH_UNION = "youth_union", _("Đoàn Thanh niên")
        WOMEN_UNION = "women_union", _("Hội Liên hiệp Phụ nữ")
        VETERANS = "veterans", _("Hội Cựu chiến binh")
        FARMERS = "farmers", _("Hội Nông dân")
        FRONT = "front", _("Mặt trận Tổ quốc")
        OTHER = "other", _("Tình nguyện viên khác")

    name = models.CharField(_("họ và tên"), max_length=150)
    organisation = models.CharField(
        _("tổ chức"), max_length=20, choices=Organisation.choices, default=Organisation.YOUTH_UNION
    )
    phone = models.CharField(_("số điện thoại"), max_length=10, blank=True)
    active = models.BooleanField(_("đang tham gia"), default=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("tình nguyện viên")
        verbose_name_plural = _("tình nguyện viên")

    def __str__(self) -> str:
        return self.name


class VolunteerShift(CommuneScopedModel):
    """One turn of duty: a volunteer at the desk on a day, morning or afternoon."""

    class Period(models.TextChoices):
        MORNING = "morning", _("Buổi sáng")
        AFTERNOON = "afternoon", _("Buổi chiều")
        FULL_DAY = "full_day", _("Cả ngày")

    volunteer = models.ForeignKey(
        Volunteer, on_delete=models.CASCADE, related_name="shifts", verbose_name=_("người trực")
    )
    day = models.DateField(_("ngày trực"))
    period = models.CharField(
        _("buổi"), max_length=10, choices=Period.choices, default=Period.MORNING
    )
    task = models.CharField(
        _("nhiệm vụ"),
        max_length=200,
        blank=True,
        help_text=_("Ví dụ: đón tiếp, hướng dẫn kê khai, hỗ trợ nộp trực tuyến."),
    )

    class Meta:
        ordering = ["day", "period", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["volunteer", "day", "period"], name="uniq_volunteer_shift"
            )
        ]
        indexes = [models.Index(fields=["commune", "day"], name="volunteer_shift_day_idx")]
        verbose_name = _("ca trực tình nguyện")
        verbose_name_plural = _("lịch trực tình nguyện")

    def __str__(self) -> str:
        return f"{self.volunteer} — {self.day:%d/%m/%Y} ({self.get_period_display()})"
