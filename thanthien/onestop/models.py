"""The one-stop desk: the commune's catalogue of administrative procedures (TTHC).

Dossier models join this module with the dossier workflow.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from thanthien.core.models import CommuneScopedModel, TimeStampedModel
from thanthien.core.text import fold


class ProcedureField(TimeStampedModel):
    """A field of procedures (lĩnh vực: hộ tịch, chứng thực, đất đai…): national data."""

    code = models.SlugField(_("mã"), max_length=60, unique=True)
    name = models.CharField(_("tên lĩnh vực"), max_length=150)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=150, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=100)

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("lĩnh vực thủ tục")
        verbose_name_plural = _("lĩnh vực thủ tục")

    def __str__(self) -> str:
        return self.name


class Procedure(CommuneScopedModel):
    """An administrative procedure as the commune publishes and handles it."""

    class OnlineLevel(models.TextChoices):
        FULL = "full", _("Trực tuyến toàn trình")
        PARTIAL = "partial", _("Trực tuyến một phần")
        IN_PERSON = "in_person", _("Trực tiếp")

    code = models.CharField(
        _("mã thủ tục"), max_length=30, help_text=_("Mã trên Cơ sở dữ liệu quốc gia về TTHC.")
    )
    name = models.CharField(_("tên thủ tục"), max_length=300)
    search_name = models.CharField(_("tên không dấu"), max_length=300, editable=False)
    field = models.ForeignKey(
        ProcedureField,
        on_delete=models.PROTECT,
        related_name="procedures",
        verbose_name=_("lĩnh vực"),
    )
    processing_days = models.PositiveSmallIntegerField(
        _("thời hạn giải quyết (ngày làm việc)"), help_text=_("0 nghĩa là giải quyết trong ngày.")
    )
    fee_amount = models.PositiveIntegerField(
        _("phí, lệ phí (đồng)"),
        null=True,
        blank=True,
        help_text=_("Để trống nếu tính theo ghi chú."),
    )
    fee_note = models.CharField(_("ghi chú phí, lệ phí"), max_length=255, blank=True)
    steps = models.TextField(_("trình tự thực hiện"), blank=True, help_text=_("Mỗi bước một dòng."))
    legal_basis = models.TextField(
        _("căn cứ pháp lý"), blank=True, help_text=_("Mỗi văn bản một dòng.")
    )
    result_document = models.CharField(_("kết quả giải quyết"), max_length=255, blank=True)
    online_level = models.CharField(
        _("mức độ trực tuyến"),
        max_length=10,
        choices=OnlineLevel.choices,
        default=OnlineLevel.IN_PERSON,
    )
    postal_return = models.BooleanField(_("trả kết quả qua bưu chính"), default=False)
    source_url = models.URLField(_("nguồn công khai"), max_length=500, blank=True)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        ordering = ["commune", "field__order", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "code"], name="uniq_procedure_code_per_commune"
            )
        ]
        indexes = [models.Index(fields=["commune", "search_name"], name="procedure_search_idx")]
        verbose_name = _("thủ tục hành chính")
        verbose_name_plural = _("thủ tục hành chính")

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_name = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse(
            "portal:procedure_detail", kwargs={"slug": self.commune.slug, "code": self.code}
        )

    def step_lines(self) -> list[str]:
        return [line.strip() for line in self.steps.splitlines() if line.strip()]

    def legal_basis_lines(self) -> list[str]:
        return [line.strip() for line in self.legal_basis.splitlines() if line.strip()]


class RequiredDocument(models.Model):
    """A paper the applicant must bring for a procedure (thành phần hồ sơ)."""

    procedure = models.ForeignKey(
        Procedure, on_delete=models.CASCADE, related_name="documents", verbose_name=_("thủ tục")
    )
    name = models.CharField(_("tên giấy tờ"), max_length=500)
    copies = models.PositiveSmallIntegerField(_("số bản"), default=1)
    original_required = models.BooleanField(_("cần bản chính"), default=False)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["procedure", "order", "pk"]
        verbose_name = _("thành phần hồ sơ")
        verbose_name_plural = _("thành phần hồ sơ")

    def __str__(self) -> str:
        return self.name

    def get_additional_data(self) -> dict:
        return {"commune_id": self.procedure.commune_id}


from thanthien.onestop.apologies import *  # noqa: E402,F403
from thanthien.onestop.dossiers import *  # noqa: E402,F403
from thanthien.onestop.volunteers import *  # noqa: E402,F403
