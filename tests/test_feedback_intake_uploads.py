"""Checks of the files residents attach (thanthien.feedback.uploads): the type read from the
content, metadata dropped from pictures, sizes and counts limited."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from thanthien.feedback.uploads import clean_upload, clean_uploads

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def picture_file(kind: str, *, size=(60, 40), name=None, orientation=None, mode="RGB"):
    picture = Image.new(mode, size, 0)
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[GPS_IFD] = {1: "N", 2: (21.0, 1.0, 30.0), 3: "E", 4: (105.0, 50.0, 10.0)}
    if orientation:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    picture.save(out, format=kind, exif=exif)
    out.seek(0)
    out.name = name or f"anh.{kind.lower()}"
    return out


def named(data: bytes, name: str) -> io.BytesIO:
    out = io.BytesIO(data)
    out.name = name
    return out


@pytest.mark.parametrize(
    ("kind", "content_type"),
    [("JPEG", "image/jpeg"), ("PNG", "image/png"), ("WEBP", "image/webp")],
)
def test_pictures_lose_their_gps_and_camera_metadata(kind, content_type):
    upload = picture_file(kind)
    assert Image.open(io.BytesIO(upload.getvalue())).getexif().get_ifd(GPS_IFD)
    clean = clean_upload(upload)
    assert clean.content_type == content_type
    stored = Image.open(io.BytesIO(clean.content))
    assert stored.format == kind
    assert not stored.getexif().get_ifd(GPS_IFD) and not dict(stored.getexif())
    assert b"PhoneMaker" not in clean.content


def test_the_type_comes_from_the_content_not_the_name():
    clean = clean_upload(picture_file("PNG", name="anh-chup.jpg"))
    assert clean.content_type == "image/png" and clean.name.endswith(".png")
    assert clean.original_name == "anh-chup.jpg"


def test_a_rotated_phone_photo_stays_upright():
    clean = clean_upload(picture_file("JPEG", size=(80, 40), orientation=6))
    assert Image.open(io.BytesIO(clean.content)).size == (40, 80)


def test_a_big_photo_is_scaled_down():
    clean = clean_upload(picture_file("JPEG", size=(4000, 3000)))
    assert max(Image.open(io.BytesIO(clean.content)).size) == 2560


def test_a_picture_claiming_too_many_pixels_is_refused():
    bomb = picture_file("PNG", size=(10_000, 6_000), mode="1", name="bom.png")
    with pytest.raises(ValidationError) as caught:
        clean_upload(bomb)
    assert caught.value.messages == [
        "Ảnh “bom.png” có kích thước quá lớn; xin chụp lại hoặc gửi ảnh nhỏ hơn."
    ]


def test_pdf_and_word_files_are_kept_as_sent():
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\n%%EOF\n"
    assert clean_upload(named(pdf, "don.pdf")).content == pdf
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    docx = clean_upload(named(buffer.getvalue(), "don.docx"))
    assert docx.content_type.endswith("wordprocessingml.document") and docx.name.endswith(".docx")


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"just text", "ghi-chu.jpg"),
        (b"MZ\x90\x00 a program", "anh.png"),
        (b"PK\x03\x04 broken zip", "don.docx"),
    ],
)
def test_other_content_is_refused_whatever_its_name(data, name):
    with pytest.raises(ValidationError) as caught:
        clean_upload(named(data, name))
    assert caught.value.messages == [
        f"Tệp “{name}” không phải ảnh (JPEG, PNG, WebP), PDF hay Word (DOCX)."
    ]


def test_an_empty_file_is_refused():
    with pytest.raises(ValidationError) as caught:
        clean_upload(named(b"", "rong.pdf"))
    assert caught.value.messages == ["Tệp “rong.pdf” rỗng."]


def test_every_faulty_file_is_named_at_once(settings):
    files = [named(b"x", "mot.jpg"), picture_file("JPEG"), named(b"y", "hai.pdf")]
    with pytest.raises(ValidationError) as caught:
        clean_uploads(files)
    assert len(caught.value.messages) == 2
    assert "mot.jpg" in caught.value.messages[0] and "hai.pdf" in caught.value.messages[1]


def test_the_number_of_files_is_limited(settings):
    settings.THANTHIEN_FEEDBACK_MAX_FILES = 1
    with pytest.raises(ValidationError) as caught:
        clean_uploads([picture_file("JPEG"), picture_file("PNG")])
    assert caught.value.messages == ["Chỉ gửi được tối đa 1 tệp."]
