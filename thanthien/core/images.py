"""Pictures staff upload (a letter's evidence photo, a ceremony's photos, a news image)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PICTURE_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
PICTURE_FORMATS = frozenset({"JPEG", "PNG", "WEBP"})


def check_picture(file, *, max_bytes: int, too_large: str, code: str) -> None:
    """A JPEG, PNG or WebP picture of at most `max_bytes` that Pillow can open.

    `too_large` is the message for a file over the size; the errors' codes are
    "<code>_size" and "<code>_type". The file is left where it was read from.
    """
    if not file:
        return
    if file.size > max_bytes:
        raise ValidationError(too_large, code=f"{code}_size")
    from PIL import Image

    try:
        position = file.tell() if hasattr(file, "tell") else 0
        with Image.open(file) as picture:
            kind = picture.format
            picture.verify()
        file.seek(position)
    except Exception as exc:  # Pillow raises many kinds for a file that is not a picture
        raise ValidationError(
            _("Tệp không phải là ảnh đọc được (JPEG, PNG hoặc WebP)."), code=f"{code}_type"
        ) from exc
    if kind not in PICTURE_FORMATS:
        raise ValidationError(_("Chỉ nhận ảnh JPEG, PNG hoặc WebP."), code=f"{code}_type")
