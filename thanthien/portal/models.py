"""What a commune publishes on its portal: contacts, reception schedule, code of conduct."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from thanthien.core.models import CommuneScopedModel
from thanthien.people.models import vn_phone_validator


class CommuneProfile(CommuneScopedModel):
    """The commune's public contact details and feedback channels (T2)."""

    commune = models.OneToOneField(
        "places.Commune", on_delete=models.PROTECT, related_name="profile", verbose_name=_("xã")
    )
    address = models.CharField(_("địa chỉ trụ sở"), max_length=255, blank=True)
    office_hours = models.CharField(
        _("giờ làm việc"),
        max_length=255,
        blank=True,
        default="Sáng 7h30–11h30, chiều 13h30–17h00, thứ Hai đến thứ Sáu",
    )
    intro = models.TextField(_("giới thiệu"), blank=True)
    hotline = models.CharField(
        _("đường dây nóng"), max_length=20, blank=True, validators=[vn_phone_validator]
    )
    feedback_email = models.EmailField(_("thư điện tử nhận góp ý"), blank=True)
    zalo_url = models.URLField(_("Zalo Official Account"), blank=True)
    facebook_url = models.URLField(_("trang Facebook"), blank=True)
    suggestion_box_location = models.CharField(
        _("vị trí hòm thư góp ý"), max_length=255, blank=True
    )
    reception_place = models.CharField(_("địa điểm tiếp công dân"), max_length=255, blank=True)
    reception_rules = models.TextField(
        _("nội quy tiếp công dân"),
        blank=True,
        help_text=_("Mỗi dòng là một điều; trang công khai hiển thị thành danh sách."),
    )
    satisfaction_target = models.PositiveSmallIntegerField(
        _("mục tiêu tỷ lệ hài lòng (%)"),
        default=90,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Chỉ số hài lòng của người dân được so với mục tiêu này (ví dụ 90%)."),
    )

    class Meta:
        verbose_name = _("thông tin công khai của xã")
        verbose_name_plural = _("thông tin công khai của xã")

    def __str__(self) -> str:
        return str(self.commune)

    def reception_rule_lines(self) -> list[str]:
        return [line.strip() for line in self.reception_rules.splitlines() if line.strip()]


class ReceptionSlot(CommuneScopedModel):
    """A weekly slot when a leader receives citizens (Law on Citizen Reception art. 15)."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Thứ Hai")
        TUESDAY = 1, _("Thứ Ba")
        WEDNESDAY = 2, _("Thứ Tư")
        THURSDAY = 3, _("Thứ Năm")
        FRIDAY = 4, _("Thứ Sáu")
        SATURDAY = 5, _("Thứ Bảy")
        SUNDAY = 6, _("Chủ Nhật")

    weekday = models.PositiveSmallIntegerField(_("thứ"), choices=Weekday.choices)
    start_time = models.TimeField(_("từ giờ"))
    end_time = models.TimeField(_("đến giờ"))
    host = models.ForeignKey(
        "people.Official",
        on_delete=models.PROTECT,
        related_name="reception_slots",
        verbose_name=_("người tiếp"),
    )
    place = models.CharField(_("địa điểm"), max_length=255, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        ordering = ["commune", "weekday", "start_time"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__gt=models.F("start_time")),
                name="reception_slot_ends_after_start",
            )
        ]
        verbose_name = _("lịch tiếp công dân")
        verbose_name_plural = _("lịch tiếp công dân")

    def __str__(self) -> str:
        # Times may still be strings right after create(); the audit log reads str() then.
        start, end = (str(t)[:5] for t in (self.start_time, self.end_time))
        return f"{self.get_weekday_display()} {start}–{end}"

    def clean(self):
        if self.start_time and self.end_time and self.end_time <= self.start_time:
            raise ValidationError({"end_time": _("Giờ kết thúc phải sau giờ bắt đầu.")})
        if self.host_id and self.commune_id and self.host.commune_id != self.commune_id:
            raise ValidationError({"host": _("Người tiếp phải là cán bộ của xã này.")})


class ConductItem(CommuneScopedModel):
    """One line of the code of conduct "4 xin, 4 luôn, 5 không" (C1) as the commune posts it."""

    class Group(models.TextChoices):
        XIN = "xin", _("4 xin")
        LUON = "luon", _("4 luôn")
        KHONG = "khong", _("5 không")

    group = models.CharField(_("nhóm"), max_length=8, choices=Group.choices)
    text = models.CharField(_("nội dung"), max_length=255)
    text_en = models.CharField(_("nội dung tiếng Anh"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["commune", "group", "order"]
        verbose_name = _("quy tắc ứng xử")
        verbose_name_plural = _("quy tắc ứng xử")

    def __str__(self) -> str:
        return self.text


from thanthien.portal.posts import *  # noqa: E402, F403  (news posts, pledge: P1, P2)
