"""What the commune tells residents on its portal (P1, P2): news posts and its pledge.

A `Post` is plain text (paragraphs separated by a blank line); the templates escape it, so no
HTML a user typed ever reaches a page or the Atom feed as markup. `Pledge` is the commune's
own wording of the friendly-government pledge; without one the default in
portal/data/pledge.json is printed.
"""

from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from thanthien.core.images import PICTURE_EXTENSIONS, check_picture
from thanthien.core.models import CommuneScopedModel

__all__ = ["Pledge", "Post", "validate_post_image"]

IMAGE_MAX_BYTES = 3 * 1024 * 1024


def validate_post_image(image) -> None:
    """A JPEG, PNG or WebP picture of at most 3 MB that Pillow can open."""
    check_picture(
        image, max_bytes=IMAGE_MAX_BYTES, too_large=_("Ảnh quá lớn: tối đa 3 MB."), code="image"
    )


class Post(CommuneScopedModel):
    """A news post of the commune's portal."""

    class Kind(models.TextChoices):
        NEWS = "news", _("Tin tức")
        GOOD_PRACTICE = "good_practice", _("Cách làm hay")
        PROGRESS = "progress", _("Tiến độ xây dựng chính quyền thân thiện")
        LEGAL = "legal", _("Văn bản pháp luật")

    title = models.CharField(_("tiêu đề"), max_length=200)
    slug = models.SlugField(_("đường dẫn"), max_length=120, allow_unicode=False)
    summary = models.CharField(_("tóm tắt"), max_length=400, blank=True)
    body = models.TextField(
        _("nội dung"), help_text=_("Văn bản thường; mỗi đoạn cách nhau một dòng trống.")
    )
    kind = models.CharField(_("loại tin"), max_length=20, choices=Kind.choices, default=Kind.NEWS)
    published_at = models.DateTimeField(_("ngày đăng"), default=timezone.now)
    is_published = models.BooleanField(_("đã đăng"), default=False)
    image = models.ImageField(
        _("ảnh minh họa"),
        upload_to="portal/posts/%Y/",
        blank=True,
        validators=[FileExtensionValidator(PICTURE_EXTENSIONS), validate_post_image],
    )
    image_alt = models.CharField(_("mô tả ảnh"), max_length=200, blank=True)

    class Meta:
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "slug"], name="uniq_post_slug_per_commune")
        ]
        indexes = [
            models.Index(fields=["commune", "is_published", "published_at"], name="post_public_idx")
        ]
        verbose_name = _("tin bài")
        verbose_name_plural = _("tin bài")

    def __str__(self) -> str:
        return self.title

    def paragraphs(self) -> list[str]:
        return [p.strip() for p in self.body.replace("\r\n", "\n").split("\n\n") if p.strip()]


class Pledge(CommuneScopedModel):
    """The commune's own wording of the friendly-government pledge (cam kết), for its poster."""

    commune = models.OneToOneField(
        "places.Commune", on_delete=models.PROTECT, related_name="+", verbose_name=_("xã")
    )
    title = models.CharField(_("tiêu đề"), max_length=200)
    intro = models.TextField(_("lời mở đầu"), blank=True)
    items = models.TextField(_("các điều cam kết"), help_text=_("Mỗi dòng là một điều cam kết."))

    class Meta:
        verbose_name = _("cam kết chính quyền thân thiện")
        verbose_name_plural = _("cam kết chính quyền thân thiện")

    def __str__(self) -> str:
        return self.title

    def item_lines(self) -> list[str]:
        return [line.strip() for line in self.items.splitlines() if line.strip()]
