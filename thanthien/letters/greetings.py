"""The chairman's greetings to all residents (S7): New Year, Tết and the national holidays.

A `Greeting` is drafted ahead of each holiday of the working-day calendar (the `holidays`
package, as thanthien.core.workdays uses it) and of each `GreetingOccasion` the commune adds,
from the default texts in letters/data/default_greetings.json. A leader approves (or edits,
or drops) it; an approved greeting is shown on the portal, exported as a post for the
commune's Zalo/Facebook page, and read on the loudspeakers (đài truyền thanh) of each hamlet
at the times of its `BroadcastSlot` rows.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from thanthien.core.fields import official_reference, user_reference
from thanthien.core.models import CommuneScopedModel

__all__ = ["BroadcastSlot", "Greeting", "GreetingOccasion", "HolidayKind"]


class HolidayKind(models.TextChoices):
    """The holidays a greeting is written for; each has its own default text."""

    NEW_YEAR = "new_year", _("Tết Dương lịch")
    TET = "tet", _("Tết Nguyên đán")
    REUNIFICATION = "reunification", _("Ngày Giải phóng miền Nam, thống nhất đất nước 30/4")
    LABOUR = "labour", _("Ngày Quốc tế Lao động 1/5")
    NATIONAL_DAY = "national_day", _("Ngày Quốc khánh 2/9")
    OTHER = "other", _("Ngày lễ khác của xã")


class GreetingOccasion(CommuneScopedModel):
    """A day of the commune's own (a festival, a founding anniversary) that gets a greeting."""

    name = models.CharField(_("tên ngày lễ"), max_length=120)
    month = models.PositiveSmallIntegerField(
        _("tháng"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    day = models.PositiveSmallIntegerField(
        _("ngày"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        ordering = ["commune", "month", "day"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="uniq_greeting_occasion_name")
        ]
        verbose_name = _("ngày lễ của xã")
        verbose_name_plural = _("ngày lễ của xã")

    def __str__(self) -> str:
        return f"{self.name} ({self.day:02d}/{self.month:02d})"


class Greeting(CommuneScopedModel):
    """The chairman's greeting for one holiday of one year, from its draft to its publication."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo, chờ lãnh đạo duyệt")
        APPROVED = "approved", _("Đã duyệt, đã đăng")
        DROPPED = "dropped", _("Không gửi")

    # One greeting per commune, holiday and year: `holiday_key` is the HolidayKind value, or
    # "occasion-<pk>" for a day the commune added.
    holiday_key = models.CharField(_("mã ngày lễ"), max_length=40)
    kind = models.CharField(_("ngày lễ"), max_length=20, choices=HolidayKind.choices)
    occasion = models.ForeignKey(
        GreetingOccasion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="greetings",
        verbose_name=_("ngày lễ của xã"),
    )
    holiday_name = models.CharField(_("tên ngày lễ"), max_length=160)
    holiday_date = models.DateField(_("ngày lễ"))
    year = models.PositiveSmallIntegerField(_("năm"))
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    body = models.TextField(_("nội dung"))
    signer = official_reference(_("người ký"))
    approved_by = user_reference(_("người duyệt"))
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    show_until = models.DateField(_("hiện trên cổng đến ngày"), null=True, blank=True)

    class Meta:
        ordering = ["-holiday_date", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "holiday_key", "year"], name="uniq_greeting_per_holiday_year"
            ),
            models.CheckConstraint(
                condition=~models.Q(state="approved") | models.Q(approved_at__isnull=False),
                name="greeting_approved_has_time",
            ),
        ]
        indexes = [models.Index(fields=["commune", "state"], name="greeting_state_idx")]
        verbose_name = _("thư chúc mừng ngày lễ")
        verbose_name_plural = _("thư chúc mừng ngày lễ")

    def __str__(self) -> str:
        return f"{self.holiday_name} {self.year} · {self.commune}"


class BroadcastSlot(CommuneScopedModel):
    """When a greeting is read on one hamlet's loudspeakers."""

    greeting = models.ForeignKey(
        Greeting, on_delete=models.CASCADE, related_name="slots", verbose_name=_("thư chúc mừng")
    )
    hamlet = models.ForeignKey(
        "places.Hamlet", on_delete=models.PROTECT, related_name="+", verbose_name=_("thôn")
    )
    date = models.DateField(_("ngày phát"))
    time = models.TimeField(_("giờ phát"))

    class Meta:
        ordering = ["date", "time", "hamlet__order", "hamlet__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["greeting", "hamlet", "date", "time"], name="uniq_broadcast_slot"
            )
        ]
        verbose_name = _("lịch phát thanh")
        verbose_name_plural = _("lịch phát thanh")

    def __str__(self) -> str:
        return f"{self.hamlet} {self.date:%d/%m/%Y} {self.time:%H:%M}"
