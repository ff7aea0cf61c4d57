"""Ceremonies and visits (lễ trao, thăm hỏi) that go with the letters.

A marriage certificate is handed over at a small ceremony at the office; a birth certificate
and the child's health-insurance card are taken to the family's home; a death is followed by a
condolence visit. Each is planned (by hand or drafted when the registration dossier is
returned), then recorded as done — who went, what happened, photos — or cancelled. A ceremony
is linked to its letters and to the dossier that called for it.
"""

from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thanthien.core.fields import hamlet_reference, user_reference
from thanthien.core.images import PICTURE_EXTENSIONS
from thanthien.core.models import CommuneScopedModel
from thanthien.core.storage import private_storage
from thanthien.letters.models import validate_photo

__all__ = ["Ceremony", "CeremonyKind", "CeremonyPhoto"]


class CeremonyKind(models.TextChoices):
    MARRIAGE = "marriage", _("Trao giấy chứng nhận kết hôn tại trụ sở")
    HOME_DELIVERY = "home_delivery", _("Trao giấy khai sinh và thẻ BHYT tại nhà")
    CONDOLENCE = "condolence", _("Thăm viếng, chia buồn")
    OTHER = "other", _("Thăm hỏi khác")


class Ceremony(CommuneScopedModel):
    """One ceremony at the office or one visit to a home, from its plan to its record."""

    class State(models.TextChoices):
        PLANNED = "planned", _("Đã lên lịch")
        DONE = "done", _("Đã thực hiện")
        CANCELLED = "cancelled", _("Đã hủy")

    kind = models.CharField(_("loại"), max_length=20, choices=CeremonyKind.choices)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=State.choices, default=State.PLANNED
    )
    starts_at = models.DateTimeField(_("thời gian"))
    place = models.CharField(_("địa điểm"), max_length=300)
    recipient_name = models.CharField(_("gia đình, người nhận"), max_length=200)
    recipient_address = models.CharField(_("địa chỉ"), max_length=300, blank=True)
    hamlet = hamlet_reference()
    officials = models.ManyToManyField(
        "people.Official", blank=True, related_name="+", verbose_name=_("cán bộ đi")
    )
    letters = models.ManyToManyField(
        "letters.Letter", blank=True, related_name="ceremonies", verbose_name=_("thư kèm theo")
    )
    source_dossier = models.ForeignKey(
        "onestop.Dossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ceremonies",
        verbose_name=_("hồ sơ gốc"),
    )
    outcome = models.TextField(_("kết quả"), blank=True)
    done_at = models.DateTimeField(_("ghi nhận lúc"), null=True, blank=True)
    cancel_reason = models.TextField(_("lý do hủy"), blank=True)
    created_by = user_reference(_("người lập"))

    class Meta:
        ordering = ["starts_at", "pk"]
        constraints = [
            # A replayed dossier event plans nothing more: one ceremony of each kind.
            models.UniqueConstraint(
                fields=["source_dossier", "kind"],
                condition=Q(source_dossier__isnull=False),
                name="uniq_ceremony_per_dossier_kind",
            ),
            models.CheckConstraint(
                condition=~Q(state="done") | Q(done_at__isnull=False),
                name="ceremony_done_has_time",
            ),
        ]
        indexes = [models.Index(fields=["commune", "starts_at"], name="ceremony_day_idx")]
        permissions = [("record_ceremony", _("Ghi nhận kết quả lễ trao, thăm hỏi"))]
        verbose_name = _("lễ trao, thăm hỏi")
        verbose_name_plural = _("lễ trao, thăm hỏi")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.recipient_name}"


class CeremonyPhoto(CommuneScopedModel):
    """A photo taken at a ceremony or visit (evidence for the letter register and scoring)."""

    ceremony = models.ForeignKey(
        Ceremony, on_delete=models.CASCADE, related_name="photos", verbose_name=_("buổi lễ")
    )
    image = models.ImageField(
        _("ảnh"),
        upload_to="ceremonies/%Y/",
        storage=private_storage,
        validators=[FileExtensionValidator(PICTURE_EXTENSIONS), validate_photo],
    )

    class Meta:
        ordering = ["pk"]
        verbose_name = _("ảnh buổi lễ")
        verbose_name_plural = _("ảnh buổi lễ")

    def __str__(self) -> str:
        return f"{self.ceremony} · {self.pk}"
