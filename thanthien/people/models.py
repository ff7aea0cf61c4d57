"""Users and roles, and the officials a commune publishes (positions and offices as data)."""

from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thanthien.core.models import CommuneScopedModel, TimeStampedModel
from thanthien.people.roles import ADMIN_SITE_ROLES, COMMUNE_ROLES, PROVINCE_ROLES, Role

vn_phone_validator = RegexValidator(
    r"^(0\d{9}|0\d{2,3}\.?\d{3}\.?\d{3,4}|1[89]00\d{4,6})$",
    _("Số điện thoại gồm 10 chữ số bắt đầu bằng 0 (ví dụ 0912345678), hoặc số tổng đài 1800/1900."),
)


class User(AbstractUser):
    """A person who signs in: commune staff, province staff or the Front's boards."""

    full_name = models.CharField(_("họ và tên"), max_length=150, blank=True)
    role = models.CharField(_("vai trò"), max_length=32, choices=Role.choices, blank=True)
    commune = models.ForeignKey(
        "places.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("xã"),
    )
    province = models.ForeignKey(
        "places.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        verbose_name=_("tỉnh"),
    )
    official = models.OneToOneField(
        "people.Official",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="user",
        verbose_name=_("hồ sơ cán bộ"),
    )

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=Q(role="")
                | Q(role__in=sorted(COMMUNE_ROLES), commune__isnull=False, province__isnull=True)
                | Q(role__in=sorted(PROVINCE_ROLES), province__isnull=False, commune__isnull=True),
                name="user_role_matches_scope",
                violation_error_message=_(
                    "Vai trò cấp xã cần chọn một xã; vai trò cấp tỉnh cần chọn một tỉnh."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.full_name or self.username

    def save(self, *args, **kwargs):
        # Only administrators configure through the Django admin; is_staff follows the role.
        self.is_staff = self.is_superuser or self.role in ADMIN_SITE_ROLES
        super().save(*args, **kwargs)

    def get_additional_data(self) -> dict:
        return {"commune_id": self.commune_id, "province_id": self.province_id}


class Position(TimeStampedModel):
    """A position an official may hold (Chủ tịch UBND, công chức Tư pháp–Hộ tịch…): data."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên chức vụ"), max_length=150)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=150, blank=True)
    is_leadership = models.BooleanField(_("thuộc lãnh đạo"), default=False)
    rank = models.PositiveSmallIntegerField(
        _("thứ tự hiển thị"), default=100, help_text=_("Số nhỏ hiển thị trước.")
    )

    class Meta:
        ordering = ["rank", "name"]
        verbose_name = _("chức vụ")
        verbose_name_plural = _("chức vụ")

    def __str__(self) -> str:
        return self.name


class Office(CommuneScopedModel):
    """An office or department of the commune (Văn phòng HĐND–UBND, Công an xã…)."""

    name = models.CharField(_("tên cơ quan, bộ phận"), max_length=150)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=150, blank=True)
    phone = models.CharField(
        _("điện thoại"), max_length=20, blank=True, validators=[vn_phone_validator]
    )
    location = models.CharField(_("vị trí"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        ordering = ["commune", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="uniq_office_name_per_commune")
        ]
        verbose_name = _("cơ quan, bộ phận")
        verbose_name_plural = _("cơ quan, bộ phận")

    def __str__(self) -> str:
        return self.name


class Official(CommuneScopedModel):
    """A commune official (cán bộ, công chức) as shown in the public directory."""

    full_name = models.CharField(_("họ và tên"), max_length=150)
    position = models.ForeignKey(
        Position, on_delete=models.PROTECT, related_name="officials", verbose_name=_("chức vụ")
    )
    office = models.ForeignKey(
        Office,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="officials",
        verbose_name=_("cơ quan, bộ phận"),
    )
    phone = models.CharField(
        _("điện thoại"), max_length=20, blank=True, validators=[vn_phone_validator]
    )
    phone_published = models.BooleanField(
        _("công khai số điện thoại"),
        default=True,
        help_text=_("Số điện thoại hiện trên trang công khai để người dân gọi."),
    )
    email = models.EmailField(_("thư điện tử"), blank=True)
    photo = models.ImageField(_("ảnh"), upload_to="officials/", blank=True)
    badge_number = models.CharField(_("số thẻ công chức"), max_length=30, blank=True)
    is_active = models.BooleanField(_("đang công tác"), default=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        ordering = ["commune", "position__rank", "order", "full_name"]
        verbose_name = _("cán bộ, công chức")
        verbose_name_plural = _("cán bộ, công chức")

    def __str__(self) -> str:
        return f"{self.full_name} ({self.position})"
