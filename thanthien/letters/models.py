"""Public letters (thư công, one of the 29 document types of ND 30/2020).

Seed 001 numbers the four kinds: Mẫu 01 thank-you, Mẫu 02 apology, Mẫu 03 congratulation
(marriage, birth), Mẫu 04 condolence. A letter is written for an *occasion* (the congratulation
has two: a marriage and a birth); each occasion has a national default text
(letters/data/default_templates.json) that a commune may replace with its own copy
(`LetterTemplate`). A `Letter` is drafted from an event (a returned dossier, an issued apology
slip) or by an official, approved and numbered by a leader, then delivered.
"""

from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from thanthien.core.fields import official_reference, user_reference
from thanthien.core.images import PICTURE_EXTENSIONS, check_picture
from thanthien.core.models import CommuneScopedModel
from thanthien.core.storage import private_storage

__all__ = ["Letter", "LetterTemplate", "LetterType", "Occasion", "validate_photo"]

PHOTO_MAX_BYTES = 5 * 1024 * 1024


class LetterType(models.TextChoices):
    """The four letters of seed 001, with their form numbers."""

    THANKS = "thanks", _("Mẫu 01 – Thư cảm ơn")
    APOLOGY = "apology", _("Mẫu 02 – Thư xin lỗi")
    CONGRATULATION = "congratulation", _("Mẫu 03 – Thư chúc mừng")
    CONDOLENCE = "condolence", _("Mẫu 04 – Thư chia buồn")


FORM_NUMBERS = {
    LetterType.THANKS: "01",
    LetterType.APOLOGY: "02",
    LetterType.CONGRATULATION: "03",
    LetterType.CONDOLENCE: "04",
}


class Occasion(models.TextChoices):
    """What a letter is written for: each has its own text and placeholders."""

    THANKS = "thanks", _("Cảm ơn người, tổ chức có đóng góp")
    APOLOGY = "apology", _("Xin lỗi vì trả kết quả muộn hoặc thiếu sót")
    MARRIAGE = "marriage", _("Chúc mừng đăng ký kết hôn")
    BIRTH = "birth", _("Chúc mừng em bé chào đời (kèm thẻ BHYT trẻ dưới 6 tuổi)")
    DEATH = "death", _("Chia buồn với gia đình có người mất")


OCCASION_TYPES = {
    Occasion.THANKS: LetterType.THANKS,
    Occasion.APOLOGY: LetterType.APOLOGY,
    Occasion.MARRIAGE: LetterType.CONGRATULATION,
    Occasion.BIRTH: LetterType.CONGRATULATION,
    Occasion.DEATH: LetterType.CONDOLENCE,
}


def validate_photo(photo) -> None:
    """A JPEG, PNG or WebP picture of at most 5 MB that Pillow can open."""
    check_picture(
        photo, max_bytes=PHOTO_MAX_BYTES, too_large=_("Ảnh quá lớn: tối đa 5 MB."), code="photo"
    )


class LetterTemplate(CommuneScopedModel):
    """A commune's own text for one occasion, replacing the national default."""

    occasion = models.CharField(_("dịp"), max_length=20, choices=Occasion.choices)
    title = models.CharField(_("tiêu đề thư"), max_length=120)
    body = models.TextField(
        _("nội dung"),
        help_text=_("Mỗi đoạn cách nhau một dòng trống. Dùng các trường như {recipient}."),
    )
    annex = models.TextField(
        _("phụ lục kèm theo"),
        blank=True,
        help_text=_("Với thư chia buồn: các quy định về tổ chức việc tang văn minh."),
    )
    updated_by = user_reference(_("người sửa"))

    class Meta:
        ordering = ["commune", "occasion"]
        constraints = [
            models.UniqueConstraint(
                fields=["commune", "occasion"], name="uniq_letter_template_per_commune"
            )
        ]
        verbose_name = _("mẫu thư")
        verbose_name_plural = _("mẫu thư")

    def __str__(self) -> str:
        return f"{self.get_occasion_display()} · {self.commune}"

    def clean(self):
        from thanthien.letters.texts import validate_template

        validate_template(occasion=self.occasion, title=self.title, body=self.body)

    def save(self, *args, **kwargs):
        # Whoever writes a template (admin, service, shell), its placeholders are checked.
        self.clean()
        super().save(*args, **kwargs)


class Letter(CommuneScopedModel):
    """One letter of the commune, from its draft to its delivery (the letter register)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Dự thảo, chờ lãnh đạo duyệt")
        APPROVED = "approved", _("Đã duyệt, chờ gửi")
        DELIVERED = "delivered", _("Đã gửi, trao")
        DROPPED = "dropped", _("Không gửi")

    class Delivery(models.TextChoices):
        CEREMONY = "ceremony", _("Trao tận tay tại buổi lễ")
        HOME = "home", _("Trao tại nhà")
        POST = "post", _("Gửi qua bưu điện")
        ZALO = "zalo", _("Gửi qua Zalo")

    type = models.CharField(_("loại thư"), max_length=20, choices=LetterType.choices)
    occasion = models.CharField(_("dịp"), max_length=20, choices=Occasion.choices)
    state = models.CharField(
        _("trạng thái"), max_length=10, choices=State.choices, default=State.DRAFT
    )
    # Numbered per commune and year when a leader approves it ("Số: 12/TC-UBND").
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    number = models.PositiveIntegerField(_("số thư"), null=True, blank=True)
    recipient_name = models.CharField(_("người nhận"), max_length=200)
    recipient_address = models.CharField(_("địa chỉ người nhận"), max_length=300, blank=True)
    salutation = models.CharField(_("lời kính gửi"), max_length=60, default="Kính gửi")
    title = models.CharField(_("tiêu đề thư"), max_length=120)
    body = models.TextField(_("nội dung"))
    annex = models.TextField(_("phụ lục kèm theo"), blank=True)
    event_details = models.JSONField(_("chi tiết sự kiện"), default=dict, blank=True)
    source_dossier = models.ForeignKey(
        "onestop.Dossier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="letters",
        verbose_name=_("hồ sơ gốc"),
    )
    signer = official_reference(_("người ký"))
    delivery_method = models.CharField(
        _("hình thức gửi"), max_length=10, choices=Delivery.choices, blank=True
    )
    delivered_at = models.DateTimeField(_("gửi, trao lúc"), null=True, blank=True)
    photo = models.ImageField(
        _("ảnh minh chứng"),
        upload_to="letters/%Y/",
        storage=private_storage,
        blank=True,
        validators=[FileExtensionValidator(PICTURE_EXTENSIONS), validate_photo],
    )
    created_by = user_reference(_("người lập"))
    approved_by = user_reference(_("người duyệt"))
    approved_at = models.DateTimeField(_("duyệt lúc"), null=True, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            # An event drafts one letter of each type, however often it is replayed.
            models.UniqueConstraint(
                fields=["source_dossier", "type"],
                condition=Q(source_dossier__isnull=False),
                name="uniq_letter_per_dossier_type",
            ),
            models.UniqueConstraint(
                fields=["commune", "year", "number"],
                condition=Q(number__isnull=False),
                name="uniq_letter_number",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["draft", "dropped"])
                | (Q(number__isnull=False) & Q(approved_at__isnull=False)),
                name="letter_approved_numbered",
            ),
        ]
        indexes = [models.Index(fields=["commune", "state"], name="letter_state_idx")]
        permissions = [("view_letter_counts", _("Xem số liệu thư công"))]
        verbose_name = _("thư công")
        verbose_name_plural = _("thư công")

    def __str__(self) -> str:
        if self.number:
            return f"{self.number}/{self.year} — {self.recipient_name}"
        return f"{self.get_type_display()} — {self.recipient_name}"

    @property
    def form_number(self) -> str:
        return FORM_NUMBERS[LetterType(self.type)]

    @property
    def number_text(self) -> str:
        return f"{self.number}/{self.year}" if self.number else ""


from thanthien.letters.ceremonies import *  # noqa: E402, F403  (ceremonies and visits)
from thanthien.letters.contributors import *  # noqa: E402, F403  (contributors, S8)
from thanthien.letters.greetings import *  # noqa: E402, F403  (greetings, S7)
