"""Files residents attach to feedback: the type is read from the content, not the name; the
size is limited; pictures are re-encoded, which drops EXIF (GPS location, phone model).
"""

import io
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

PICTURE_TYPES = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "WEBP": ("image/webp", "webp"),
}
# Longest side of a stored picture: a phone photo of 4000 px is more than an official needs.
MAX_PICTURE_SIDE = 2560
# A picture of more pixels is refused before it is decoded (a small file can claim a huge
# size and fill the memory when unpacked); 50 megapixels is past any phone camera.
MAX_PICTURE_PIXELS = 50_000_000


class PictureTooLarge(Exception):
    pass


@dataclass(frozen=True)
class CleanFile:
    """A checked file, ready to store: its bytes, its real type and a safe name."""

    content: bytes
    content_type: str
    name: str
    original_name: str

    @property
    def size(self) -> int:
        return len(self.content)

    def as_django_file(self) -> ContentFile:
        return ContentFile(self.content, name=self.name)


def max_bytes() -> int:
    return settings.THANTHIEN_FEEDBACK_MAX_FILE_MB * 1024 * 1024


def _read(file) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    if hasattr(file, "chunks"):
        return b"".join(file.chunks())
    return file.read()


def _clean_picture(data: bytes) -> tuple[bytes, str, str] | None:
    """The picture re-encoded without metadata, or None when `data` is not a picture."""
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            pixels = probe.width * probe.height
            probe.verify()
    except Image.DecompressionBombError as exc:
        raise PictureTooLarge from exc
    except Exception:  # Pillow raises many kinds for a file that is not a picture
        return None
    if pixels > MAX_PICTURE_PIXELS:
        raise PictureTooLarge
    if kind not in PICTURE_TYPES:
        return None
    with Image.open(io.BytesIO(data)) as picture:
        # Apply the EXIF orientation before the EXIF block is dropped, so the photo stays upright.
        upright = ImageOps.exif_transpose(picture)
        upright.thumbnail((MAX_PICTURE_SIDE, MAX_PICTURE_SIDE))
        if kind == "JPEG" and upright.mode not in ("RGB", "L"):
            upright = upright.convert("RGB")
        out = io.BytesIO()
        # No exif=, no icc_profile=, no pnginfo=: nothing of the original metadata is written.
        upright.save(out, format=kind, quality=85) if kind != "PNG" else upright.save(out, "PNG")
    content_type, extension = PICTURE_TYPES[kind]
    return out.getvalue(), content_type, extension


def _document_type(data: bytes) -> tuple[str, str] | None:
    if data.startswith(b"%PDF-"):
        return "application/pdf", "pdf"
    if data.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            return None
        if "word/document.xml" in names:
            return (
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                "docx",
            )
    return None


def clean_upload(file, *, index: int = 1) -> CleanFile:
    """Check one uploaded file; a ValidationError in Vietnamese names the file and the fault."""
    original = (getattr(file, "name", "") or f"tep-{index}").rsplit("/", 1)[-1][:255]
    size = getattr(file, "size", None)
    limit = max_bytes()
    if size is not None and size > limit:
        raise ValidationError(
            _("Tệp “%(name)s” lớn hơn %(mb)s MB."),
            code="file_size",
            params={"name": original, "mb": settings.THANTHIEN_FEEDBACK_MAX_FILE_MB},
        )
    data = _read(file)
    if len(data) > limit:
        raise ValidationError(
            _("Tệp “%(name)s” lớn hơn %(mb)s MB."),
            code="file_size",
            params={"name": original, "mb": settings.THANTHIEN_FEEDBACK_MAX_FILE_MB},
        )
    if not data:
        raise ValidationError(
            _("Tệp “%(name)s” rỗng."), code="file_empty", params={"name": original}
        )
    try:
        picture = _clean_picture(data)
    except PictureTooLarge:
        raise ValidationError(
            _("Ảnh “%(name)s” có kích thước quá lớn; xin chụp lại hoặc gửi ảnh nhỏ hơn."),
            code="picture_pixels",
            params={"name": original},
        ) from None
    if picture is not None:
        content, content_type, extension = picture
    else:
        document = _document_type(data)
        if document is None:
            raise ValidationError(
                _("Tệp “%(name)s” không phải ảnh (JPEG, PNG, WebP), PDF hay Word (DOCX)."),
                code="file_type",
                params={"name": original},
            )
        content, (content_type, extension) = data, document
    return CleanFile(
        content=content,
        content_type=content_type,
        name=f"gop-y-{index}.{extension}",
        original_name=original,
    )


def clean_uploads(files) -> list[CleanFile]:
    """Check every file (at most THANTHIEN_FEEDBACK_MAX_FILES); all faults in one error."""
    files = [f for f in files or () if f]
    if len(files) > settings.THANTHIEN_FEEDBACK_MAX_FILES:
        raise ValidationError(
            _("Chỉ gửi được tối đa %(n)s tệp."),
            code="file_count",
            params={"n": settings.THANTHIEN_FEEDBACK_MAX_FILES},
        )
    cleaned, errors = [], []
    for index, file in enumerate(files, start=1):
        try:
            cleaned.append(clean_upload(file, index=index))
        except ValidationError as exc:
            errors.append(exc)
    if errors:
        raise ValidationError(errors)
    return cleaned
