"""Where files that are not for the public are kept: outside MEDIA_ROOT, with no URL.

MEDIA_ROOT holds what the portal shows anyone (news pictures, officials' photos) and may be
served straight by the reverse proxy at /media/. Evidence photos of letters and ceremonies and
the files residents attach to feedback carry personal data: they live under
PRIVATE_MEDIA_ROOT, which no proxy serves, and reach a browser only through a staff view that
checks the user's role and commune (or, for an answer published on the portal, a public view
that checks the file was made public).
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """A file system storage under PRIVATE_MEDIA_ROOT without a base URL."""

    def __init__(self):
        super().__init__(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)

    def url(self, name):
        raise ValueError(
            "Private files have no public URL; serve them through a view that checks access."
        )


def private_storage() -> PrivateStorage:
    """The storage of private files (a callable, so tests and settings may move the root)."""
    return PrivateStorage()
