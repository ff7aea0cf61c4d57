"""Helpers for the feedback handling tests (H4): items made through the intake service, and
staff of a commune with an office."""

from datetime import datetime

from tests.factories import OfficeFactory, OfficialFactory, UserFactory
from thanthien.core.workdays import LOCAL_TZ
from thanthien.feedback.intake_services import feedback_submit
from thanthien.people.roles import Role


def submit(commune, **overrides):
    """A web item from a resident who wants the answer by SMS and agrees to publication."""
    values = {
        "commune": commune,
        "content": "Đèn chiếu sáng đường thôn Đông bị hỏng ba hôm nay, buổi tối rất tối.",
        "source": "web",
        "sender_name": "Nguyễn Văn Phản Ánh",
        "sender_phone": "0912345678",
        "reply_channel": "sms",
        "consent_contact": True,
        "consent_publish": True,
    }
    return feedback_submit(**{**values, **overrides}).item


def local(year, month, day, hour=9, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=LOCAL_TZ)


def staff(commune, role=Role.COMMUNE_OFFICIAL, *, office=None, phone="0987000111", **kwargs):
    """A user of `commune` with an Official record (its office, a mobile phone)."""
    official = OfficialFactory(
        commune=commune, office=office or OfficeFactory(commune=commune), phone=phone
    )
    return UserFactory(role=role, commune=commune, official=official, **kwargs)


def jpeg_upload(name: str = "anh.jpg", size=(40, 30)):
    """A small JPEG as a phone uploads it."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
