"""Provinces, communes (the tenants), groups of communes and hamlets."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thanthien.core.models import CommuneScopedModel, TimeStampedModel
from thanthien.core.text import fold


class Province(TimeStampedModel):
    code = models.PositiveSmallIntegerField(_("mã"), unique=True)
    name = models.CharField(_("tên"), max_length=100)
    division_type = models.CharField(_("loại"), max_length=40)
    codename = models.CharField(_("tên mã"), max_length=100)
    slug = models.SlugField(_("đường dẫn"), max_length=100, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tỉnh, thành phố")
        verbose_name_plural = _("tỉnh, thành phố")

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        return {"province_id": self.pk}


class Commune(TimeStampedModel):
    """A commune-level unit (xã, phường, đặc khu): the tenant of the platform."""

    class DivisionType(models.TextChoices):
        XA = "xa", _("Xã")
        PHUONG = "phuong", _("Phường")
        DAC_KHU = "dac_khu", _("Đặc khu")

    code = models.PositiveIntegerField(_("mã"), unique=True)
    name = models.CharField(_("tên"), max_length=120)
    division_type = models.CharField(_("loại"), max_length=10, choices=DivisionType.choices)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="communes", verbose_name=_("tỉnh")
    )
    codename = models.CharField(_("tên mã"), max_length=120)
    slug = models.SlugField(_("đường dẫn"), max_length=160, unique=True)
    search_name = models.CharField(
        _("tên không dấu"), max_length=120, db_index=True, editable=False
    )
    is_remote_area = models.BooleanField(
        _("vùng sâu, vùng xa"),
        default=False,
        help_text=_("Kéo dài thời hạn giải quyết khiếu nại theo luật."),
    )

    class Meta:
        ordering = ["province__name", "name"]
        verbose_name = _("xã, phường, đặc khu")
        verbose_name_plural = _("xã, phường, đặc khu")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:commune_home", kwargs={"slug": self.slug})

    def get_additional_data(self) -> dict:
        return {"commune_id": self.pk}


class CommuneGroup(TimeStampedModel):
    """An optional group of communes (e.g. a former district) for rollouts and dashboards."""

    name = models.CharField(_("tên nhóm"), max_length=150)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="commune_groups", verbose_name=_("tỉnh")
    )
    communes = models.ManyToManyField(
        Commune, related_name="groups", blank=True, verbose_name=_("các xã")
    )
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["province__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["province", "name"], name="uniq_commune_group_name")
        ]
        verbose_name = _("nhóm xã")
        verbose_name_plural = _("nhóm xã")

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        return {"province_id": self.province_id}


class Hamlet(CommuneScopedModel):
    """A hamlet or residential group below the commune (thôn, xóm, tổ dân phố…)."""

    class Kind(models.TextChoices):
        THON = "thon", _("Thôn")
        XOM = "xom", _("Xóm")
        TO_DAN_PHO = "to_dan_pho", _("Tổ dân phố")
        AP = "ap", _("Ấp")
        BAN = "ban", _("Bản")
        KHU_PHO = "khu_pho", _("Khu phố")
        BUON = "buon", _("Buôn")

    name = models.CharField(_("tên"), max_length=120)
    kind = models.CharField(_("loại"), max_length=12, choices=Kind.choices, default=Kind.THON)
    head_name = models.CharField(_("trưởng thôn / tổ trưởng"), max_length=120, blank=True)
    household_count = models.PositiveIntegerField(_("số hộ"), default=0)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["commune", "order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="uniq_hamlet_name_per_commune")
        ]
        verbose_name = _("thôn, tổ dân phố")
        verbose_name_plural = _("thôn, tổ dân phố")

    def __str__(self) -> str:
        return self.name
