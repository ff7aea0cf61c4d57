"""Base models every app builds on: timestamps, commune tenancy, working-day overrides."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)

    class Meta:
        abstract = True


class CommuneScopedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Rows of the communes this user may see (none for an anonymous user)."""
        from thanthien.core.tenancy import visible_commune_ids

        ids = visible_commune_ids(user)
        if ids is None:
            return self
        return self.filter(commune_id__in=ids)


class CommuneScopedModel(TimeStampedModel):
    """An operational record that belongs to one commune, the tenant."""

    commune = models.ForeignKey(
        "places.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã")
    )

    objects = CommuneScopedQuerySet.as_manager()

    class Meta:
        abstract = True

    def get_additional_data(self) -> dict:
        """Stored with each audit entry so a commune administrator sees their commune's log."""
        return {"commune_id": self.commune_id}


class WorkdayOverride(TimeStampedModel):
    """A date whose status wins over the holiday calendar (a decision the package lags)."""

    date = models.DateField(_("ngày"), unique=True)
    is_working_day = models.BooleanField(
        _("là ngày làm việc"),
        help_text=_("Đánh dấu nếu là ngày làm bù; bỏ đánh dấu nếu là ngày nghỉ."),
    )
    reason = models.CharField(_("lý do / căn cứ"), max_length=255)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày làm việc/nghỉ điều chỉnh")
        verbose_name_plural = _("ngày làm việc/nghỉ điều chỉnh")

    def __str__(self) -> str:
        kind = _("làm việc") if self.is_working_day else _("nghỉ")
        return f"{self.date:%d/%m/%Y} — {kind}: {self.reason}"
