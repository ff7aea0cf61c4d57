"""Local development and the demo: SQLite under var/, debug on."""

import os

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = True
SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]"]
(BASE_DIR / "var").mkdir(exist_ok=True)
EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
WHITENOISE_AUTOREFRESH = True
WHITENOISE_USE_FINDERS = True

# Notifications: every channel goes to the console and var/outbox.log in the demo.
THANTHIEN_NOTIFY_GATEWAYS = {
    channel: os.environ.get(f"THANTHIEN_NOTIFY_{channel.upper()}_GATEWAY", "console")
    for channel in ("sms", "zalo", "email", "zalo_oa", "facebook")
}
THANTHIEN_NOTIFY_POLL_SECONDS = float(os.environ.get("THANTHIEN_NOTIFY_POLL_SECONDS", "2"))
# The demo's messages carry a working link to the status page (see `make demo`).
THANTHIEN_PUBLIC_BASE_URL = (
    os.environ.get("THANTHIEN_PUBLIC_BASE_URL", "") or "http://127.0.0.1:8000"
)
