"""The test suite: real database (SQLite by default, PostgreSQL through DATABASE_URL)."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
SECRET_KEY = "test-only-secret-key-not-for-production-use-0123456789"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MEDIA_ROOT = BASE_DIR / "var" / "test-media"
PRIVATE_MEDIA_ROOT = BASE_DIR / "var" / "test-private"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Notifications: no network unless a test points a gateway at a local server.
THANTHIEN_NOTIFY_GATEWAYS = {
    channel: os.environ.get(f"THANTHIEN_NOTIFY_{channel.upper()}_GATEWAY", "console")
    for channel in ("sms", "zalo", "email", "zalo_oa", "facebook")
}
THANTHIEN_NOTIFY_OUTBOX_LOG = os.environ.get(
    "THANTHIEN_NOTIFY_OUTBOX_LOG", str(BASE_DIR / "var" / "test-outbox.log")
)
