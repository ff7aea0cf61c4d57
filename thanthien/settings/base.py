"""Settings shared by every environment; dev, test and prod adjust them."""

import os
from datetime import time
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
PACKAGE_DIR = BASE_DIR / "thanthien"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
DEBUG = False
ALLOWED_HOSTS: list[str] = []

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "auditlog",
    # The API docs page (/api/v1/docs) serves Swagger UI from ninja's own static files.
    "ninja",
    "thanthien.core",
    "thanthien.places",
    "thanthien.people",
    "thanthien.portal",
    "thanthien.onestop",
    "thanthien.notify",
    "thanthien.surveys",
    "thanthien.letters",
    "thanthien.feedback",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
]

ROOT_URLCONF = "thanthien.urls"
WSGI_APPLICATION = "thanthien.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "thanthien.core.context_processors.staff_menu",
            ],
        },
    },
]

# SQLite file under the project by default; DATABASE_URL selects PostgreSQL.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "0")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "people.User"
AUTHENTICATION_BACKENDS = ["thanthien.people.backends.RoleBackend"]
LOGIN_URL = "staff:login"
LOGIN_REDIRECT_URL = "staff:dashboard"
LOGOUT_REDIRECT_URL = "portal:find_commune"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first. Source strings are Vietnamese; locale/en holds English.
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Tiếng Việt")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Files with personal data (evidence photos, residents' attachments): never under MEDIA_ROOT,
# never served by the proxy; staff views check access (thanthien/core/storage.py).
PRIVATE_MEDIA_ROOT = Path(os.environ.get("PRIVATE_MEDIA_ROOT", BASE_DIR / "var" / "private"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Audit: every model is tracked unless excluded; the log shows who, when, from which IP.
AUDITLOG_INCLUDE_ALL_MODELS = True
AUDITLOG_EXCLUDE_TRACKING_MODELS = (
    "sessions",
    "contenttypes",
    "admin.logentry",
    "auditlog.logentry",
    "auth.permission",
)
AUDITLOG_EXCLUDE_TRACKING_FIELDS = ("password", "last_login", "updated_at")
# A denouncer's identity is confidential (Law on Denunciations art. 47): the log of complaints
# and denunciations never stores the person's fields (feedback/complaint_selectors.py).
AUDITLOG_INCLUDE_TRACKING_MODELS = (
    {
        "model": "feedback.complaint",
        "exclude_fields": [
            "person_name",
            "person_phone",
            "person_address",
            "person_id_number",
            "hamlet",
        ],
        "m2m_fields": ["assignees"],
    },
    # A visit may be a denouncer's: their identity stays out of the log (the register shows
    # it only to those who may see it, thanthien/feedback/reception_selectors.py).
    {
        "model": "feedback.receptionvisit",
        "exclude_fields": [
            "citizen_name",
            "citizen_address",
            "citizen_id_number",
            "citizen_phone",
            "hamlet",
        ],
    },
)

# Law as data: values from DOMAIN.md as defaults, each overridable by environment.
# A dossier received at or after this local time counts from the next working day.
THANTHIEN_RECEIPT_CUTOFF = time.fromisoformat(os.environ.get("THANTHIEN_RECEIPT_CUTOFF", "15:00"))
# Law on Citizen Reception 2013 art. 15: the chairman receives citizens >= 1 day a week.
THANTHIEN_MIN_RECEPTION_DAYS_PER_WEEK = int(
    os.environ.get("THANTHIEN_MIN_RECEPTION_DAYS_PER_WEEK", "1")
)
# Country whose `holidays` calendar gives the public holidays and make-up working days.
THANTHIEN_HOLIDAY_COUNTRY = "VN"
# Public site address used in QR codes and printed posters (falls back to the request host).
THANTHIEN_PUBLIC_BASE_URL = os.environ.get("THANTHIEN_PUBLIC_BASE_URL", "")
# The desk's printed forms (titles, numbers, paper) from onestop/data/desk_forms.json:
# "tt01_2018" (TT 01/2018/TT-VPCP, verified) or "tt03_2025" (TT 03/2025/TT-VPCP, replaces it
# under ND 118/2025, but only its titles are confirmed, from a secondary source: DOMAIN.md
# rates it medium-low). The 2018 set stays the default until the 2025 appendix is checked.
THANTHIEN_DESK_FORM_SET = os.environ.get("THANTHIEN_DESK_FORM_SET", "tt01_2018")
# Public status lookup (/tra-cuu/ and GET /api/v1/dossiers/{code}): attempts allowed per
# client address and window ("20/10m" = 20 per 10 minutes), counted in the cache.
THANTHIEN_LOOKUP_RATE = os.environ.get("THANTHIEN_LOOKUP_RATE", "20/10m")
# Ratings of a transaction (surveys app): a rating can be changed for this many hours; the
# public rating page and the kiosk endpoint are limited per client address; the kiosk thanks
# the resident, then resets after this many seconds.
THANTHIEN_RATING_CHANGE_HOURS = int(os.environ.get("THANTHIEN_RATING_CHANGE_HOURS", "24"))
THANTHIEN_RATING_RATE = os.environ.get("THANTHIEN_RATING_RATE", "30/10m")
THANTHIEN_KIOSK_RATE = os.environ.get("THANTHIEN_KIOSK_RATE", "600/10m")
# Answers to a public survey campaign, per client address.
THANTHIEN_SURVEY_RATE = os.environ.get("THANTHIEN_SURVEY_RATE", "30/10m")
# The public results page of a campaign: views per client address, and how many seconds
# its computed indices are kept in the cache (dropped at once when a response arrives).
THANTHIEN_SURVEY_RESULTS_RATE = os.environ.get("THANTHIEN_SURVEY_RESULTS_RATE", "60/10m")
THANTHIEN_SURVEY_RESULTS_CACHE_SECONDS = int(
    os.environ.get("THANTHIEN_SURVEY_RESULTS_CACHE_SECONDS", "300")
)
THANTHIEN_KIOSK_RESET_SECONDS = int(os.environ.get("THANTHIEN_KIOSK_RESET_SECONDS", "30"))
# The client address for rate limits: REMOTE_ADDR, or behind our own reverse proxy the last
# X-Forwarded-For entry (the one the proxy wrote). On in prod (see docs/DEPLOYMENT.md).
THANTHIEN_TRUST_X_FORWARDED_FOR = os.environ.get("THANTHIEN_TRUST_X_FORWARDED_FOR", "") == "1"

# Feedback (thanthien.feedback): góp ý, phản ánh, kiến nghị from every channel.
# Working days to answer, per category code (feedback/data/categories.json); "default" for
# the rest. Acknowledge within this many working hours (8 = one working day).
THANTHIEN_FEEDBACK_RESPONSE_WORKING_DAYS = {
    "default": int(os.environ.get("THANTHIEN_FEEDBACK_RESPONSE_WORKING_DAYS", "10"))
}
THANTHIEN_FEEDBACK_ACK_WORKING_HOURS = int(
    os.environ.get("THANTHIEN_FEEDBACK_ACK_WORKING_HOURS", "8")
)
# Remind the assignee this many working days before the deadline; after it, tell the leader.
THANTHIEN_FEEDBACK_REMIND_WORKING_DAYS = int(
    os.environ.get("THANTHIEN_FEEDBACK_REMIND_WORKING_DAYS", "2")
)
# The sender may reopen an answered item within this many days of the answer.
THANTHIEN_FEEDBACK_REOPEN_DAYS = int(os.environ.get("THANTHIEN_FEEDBACK_REOPEN_DAYS", "30"))
# The secret in the address the SMS provider calls with residents' replies ("<code> 1",
# "<code> 2 <reason>"): /gop-y/sms-tra-loi/<secret>/. Empty: every call is refused.
THANTHIEN_FEEDBACK_SMS_REPLY_SECRET = os.environ.get("THANTHIEN_FEEDBACK_SMS_REPLY_SECRET", "")
# Ratings of answers by the signed link, per client address.
THANTHIEN_FEEDBACK_RATING_RATE = os.environ.get("THANTHIEN_FEEDBACK_RATING_RATE", "30/10m")
# The same content from the same sender within this many minutes is one item (double-click).
THANTHIEN_FEEDBACK_DEDUPE_MINUTES = int(os.environ.get("THANTHIEN_FEEDBACK_DEDUPE_MINUTES", "10"))
# Public submissions allowed per client address and per phone number.
THANTHIEN_FEEDBACK_RATE = os.environ.get("THANTHIEN_FEEDBACK_RATE", "10/10m")
THANTHIEN_FEEDBACK_PHONE_RATE = os.environ.get("THANTHIEN_FEEDBACK_PHONE_RATE", "5/1h")
# Files a resident may attach: how many, how large each, which types (checked by content).
THANTHIEN_FEEDBACK_MAX_FILES = int(os.environ.get("THANTHIEN_FEEDBACK_MAX_FILES", "5"))
THANTHIEN_FEEDBACK_MAX_FILE_MB = int(os.environ.get("THANTHIEN_FEEDBACK_MAX_FILE_MB", "8"))
# Zalo OA / Facebook webhooks: a signed call whose timestamp is further than this from now is
# refused (a replayed call); photos a resident sends are fetched with this timeout.
THANTHIEN_FEEDBACK_WEBHOOK_MAX_SKEW_SECONDS = int(
    os.environ.get("THANTHIEN_FEEDBACK_WEBHOOK_MAX_SKEW_SECONDS", "300")
)
THANTHIEN_FEEDBACK_WEBHOOK_DOWNLOAD_TIMEOUT = float(
    os.environ.get("THANTHIEN_FEEDBACK_WEBHOOK_DOWNLOAD_TIMEOUT", "5")
)
# Feedback by email (feedback/mail_intake.py): the inbound SMTP/LMTP server
# (manage.py feedback_mail_server) listens here and refuses larger messages; the IMAP
# poller (manage.py feedback_poll_imap) reads a mailbox instead when the commune's address
# lives at a mail provider. IMAP_COMMUNE (a commune code) names the commune when the
# message's headers name no commune's feedback address.
THANTHIEN_FEEDBACK_MAIL_HOST = os.environ.get("THANTHIEN_FEEDBACK_MAIL_HOST", "127.0.0.1")
THANTHIEN_FEEDBACK_MAIL_PORT = int(os.environ.get("THANTHIEN_FEEDBACK_MAIL_PORT", "2525"))
THANTHIEN_FEEDBACK_MAIL_MAX_MB = int(os.environ.get("THANTHIEN_FEEDBACK_MAIL_MAX_MB", "25"))
THANTHIEN_FEEDBACK_IMAP_HOST = os.environ.get("THANTHIEN_FEEDBACK_IMAP_HOST", "")
THANTHIEN_FEEDBACK_IMAP_PORT = int(os.environ.get("THANTHIEN_FEEDBACK_IMAP_PORT", "993"))
THANTHIEN_FEEDBACK_IMAP_SSL = os.environ.get("THANTHIEN_FEEDBACK_IMAP_SSL", "1") == "1"
THANTHIEN_FEEDBACK_IMAP_USER = os.environ.get("THANTHIEN_FEEDBACK_IMAP_USER", "")
THANTHIEN_FEEDBACK_IMAP_PASSWORD = os.environ.get("THANTHIEN_FEEDBACK_IMAP_PASSWORD", "")
THANTHIEN_FEEDBACK_IMAP_MAILBOX = os.environ.get("THANTHIEN_FEEDBACK_IMAP_MAILBOX", "INBOX")
THANTHIEN_FEEDBACK_IMAP_COMMUNE = os.environ.get("THANTHIEN_FEEDBACK_IMAP_COMMUNE", "")
THANTHIEN_FEEDBACK_IMAP_TIMEOUT = float(os.environ.get("THANTHIEN_FEEDBACK_IMAP_TIMEOUT", "30"))
# Open311 GeoReport v2 (/open311/v2/, feedback/open311.py): requests allowed per client
# address; API keys (comma-separated) a client must send with a new request — none: open.
THANTHIEN_OPEN311_RATE = os.environ.get("THANTHIEN_OPEN311_RATE", "10/10m")
THANTHIEN_OPEN311_API_KEYS = [
    key.strip()
    for key in os.environ.get("THANTHIEN_OPEN311_API_KEYS", "").split(",")
    if key.strip()
]
# Law on Complaints 2011 and Law on Denunciations 2018 (DOMAIN.md), each as
# (number, "days" | "working_days"). Remote-area and complex variants as the laws give them.
THANTHIEN_COMPLAINT_DEADLINES = {
    "complaint_limitation": (90, "days"),
    "complaint_accept": (10, "days"),
    "complaint_first": (30, "days"),
    "complaint_first_complex": (45, "days"),
    "complaint_first_remote": (45, "days"),
    "complaint_first_remote_complex": (60, "days"),
    "complaint_second": (45, "days"),
    "complaint_second_complex": (60, "days"),
    "complaint_second_remote": (60, "days"),
    "complaint_second_remote_complex": (70, "days"),
    "denunciation_accept": (7, "working_days"),
    "denunciation_accept_extended": (10, "working_days"),
    "denunciation_transfer": (5, "working_days"),
    "denunciation_resolve": (30, "days"),
    "denunciation_extension": (30, "days"),
    "denunciation_max_extensions": (1, "count"),
    "denunciation_max_extensions_complex": (2, "count"),
}
# Art. 32, Law on Grassroots Democracy: at least this many dialogue conferences a year.
THANTHIEN_MIN_DIALOGUES_PER_YEAR = int(os.environ.get("THANTHIEN_MIN_DIALOGUES_PER_YEAR", "1"))
# Residents may book a reception slot up to this many weeks ahead; places per slot.
THANTHIEN_RECEPTION_BOOKING_WEEKS = int(os.environ.get("THANTHIEN_RECEPTION_BOOKING_WEEKS", "4"))
THANTHIEN_RECEPTION_PLACES_PER_SLOT = int(
    os.environ.get("THANTHIEN_RECEPTION_PLACES_PER_SLOT", "8")
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Notifications (thanthien.notify): the outbox, its dispatcher and the gateways.
# Gateway per channel: sms = esms | webhook | console; zalo = zns | console;
# email = smtp (Django's EMAIL_BACKEND) | console (prints and appends to the outbox log).
THANTHIEN_NOTIFY_GATEWAYS = {
    "sms": os.environ.get("THANTHIEN_NOTIFY_SMS_GATEWAY", "esms"),
    "zalo": os.environ.get("THANTHIEN_NOTIFY_ZALO_GATEWAY", "zns"),
    "email": os.environ.get("THANTHIEN_NOTIFY_EMAIL_GATEWAY", "smtp"),
    "zalo_oa": os.environ.get("THANTHIEN_NOTIFY_ZALO_OA_GATEWAY", "zalo_oa"),
    "facebook": os.environ.get("THANTHIEN_NOTIFY_FACEBOOK_GATEWAY", "facebook"),
}
THANTHIEN_NOTIFY_MAX_ATTEMPTS = int(os.environ.get("THANTHIEN_NOTIFY_MAX_ATTEMPTS", "6"))
# Retry n waits base × 2^(n-1) seconds, at most the maximum.
THANTHIEN_NOTIFY_BACKOFF_BASE_SECONDS = float(
    os.environ.get("THANTHIEN_NOTIFY_BACKOFF_BASE_SECONDS", "60")
)
THANTHIEN_NOTIFY_BACKOFF_MAX_SECONDS = float(
    os.environ.get("THANTHIEN_NOTIFY_BACKOFF_MAX_SECONDS", str(6 * 3600))
)
# A claimed message is not claimed again before its lease runs out; longer than a send.
THANTHIEN_NOTIFY_LEASE_SECONDS = float(os.environ.get("THANTHIEN_NOTIFY_LEASE_SECONDS", "120"))
THANTHIEN_NOTIFY_HTTP_TIMEOUT = float(os.environ.get("THANTHIEN_NOTIFY_HTTP_TIMEOUT", "20"))
THANTHIEN_NOTIFY_BATCH_SIZE = int(os.environ.get("THANTHIEN_NOTIFY_BATCH_SIZE", "50"))
THANTHIEN_NOTIFY_POLL_SECONDS = float(os.environ.get("THANTHIEN_NOTIFY_POLL_SECONDS", "5"))
# Personal data: bodies of finished messages are blanked after this many days.
THANTHIEN_NOTIFY_BODY_RETENTION_DAYS = int(
    os.environ.get("THANTHIEN_NOTIFY_BODY_RETENTION_DAYS", "30")
)
THANTHIEN_NOTIFY_OUTBOX_LOG = os.environ.get(
    "THANTHIEN_NOTIFY_OUTBOX_LOG", str(BASE_DIR / "var" / "outbox.log")
)
THANTHIEN_SMS_COST_PER_PART = int(os.environ.get("THANTHIEN_SMS_COST_PER_PART", "800"))
THANTHIEN_NOTIFY_ESMS_URL = os.environ.get(
    "THANTHIEN_NOTIFY_ESMS_URL",
    "https://rest.esms.vn/MainService.svc/json/SendMultipleMessage_V4_post_json/",
)
THANTHIEN_NOTIFY_ESMS_API_KEY = os.environ.get("THANTHIEN_NOTIFY_ESMS_API_KEY", "")
THANTHIEN_NOTIFY_ESMS_SECRET_KEY = os.environ.get("THANTHIEN_NOTIFY_ESMS_SECRET_KEY", "")
THANTHIEN_NOTIFY_ESMS_BRANDNAME = os.environ.get("THANTHIEN_NOTIFY_ESMS_BRANDNAME", "")
THANTHIEN_NOTIFY_ESMS_SANDBOX = os.environ.get("THANTHIEN_NOTIFY_ESMS_SANDBOX", "") == "1"
THANTHIEN_NOTIFY_ESMS_CALLBACK_URL = os.environ.get("THANTHIEN_NOTIFY_ESMS_CALLBACK_URL", "")
# The secret in the delivery-report address eSMS calls back:
# THANTHIEN_NOTIFY_ESMS_CALLBACK_URL = https://<host>/api/v1/notify/esms/delivery/<secret>
# Empty: every callback is refused.
THANTHIEN_NOTIFY_ESMS_CALLBACK_SECRET = os.environ.get("THANTHIEN_NOTIFY_ESMS_CALLBACK_SECRET", "")
THANTHIEN_NOTIFY_WEBHOOK_URL = os.environ.get("THANTHIEN_NOTIFY_WEBHOOK_URL", "")
THANTHIEN_NOTIFY_WEBHOOK_SECRET = os.environ.get("THANTHIEN_NOTIFY_WEBHOOK_SECRET", "")
# Replies to residents who wrote to the commune's Zalo OA / Facebook Page (feedback app); the
# access token is the commune's, stored on its feedback ChannelAccount.
THANTHIEN_NOTIFY_ZALO_OA_URL = os.environ.get(
    "THANTHIEN_NOTIFY_ZALO_OA_URL", "https://openapi.zalo.me/v3.0/oa/message/cs"
)
THANTHIEN_NOTIFY_FACEBOOK_URL = os.environ.get(
    "THANTHIEN_NOTIFY_FACEBOOK_URL", "https://graph.facebook.com/v21.0/me/messages"
)
THANTHIEN_NOTIFY_ZNS_URL = os.environ.get(
    "THANTHIEN_NOTIFY_ZNS_URL", "https://business.openapi.zalo.me/message/template"
)
THANTHIEN_NOTIFY_ZNS_ACCESS_TOKEN = os.environ.get("THANTHIEN_NOTIFY_ZNS_ACCESS_TOKEN", "")
# Celery (optional: a worker runs dispatcher batches; see thanthien/notify/tasks.py).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = TIME_ZONE
# Jobs `dispatch_notifications --loop` runs once per local day (at start, then after each
# midnight), so a small deployment needs no cron; a Celery deployment runs them from beat.
THANTHIEN_DAILY_JOBS = (
    "thanthien.onestop.watch.dossiers_watch",
    # Drafts the chairman's greetings 14 days ahead of each holiday (letters, S7).
    "thanthien.letters.greeting_services.greetings_draft_all",
    # Reminds officials of feedback due soon, tells the leader of overdue feedback.
    "thanthien.feedback.watch.feedback_watch",
    # The same for complaints' and denunciations' stages and dialogue commitments.
    "thanthien.feedback.deadline_watch.deadlines_watch",
)
# Local time the Celery beat runs the daily jobs above (thanthien/notify/tasks.py).
THANTHIEN_WATCH_AT = time.fromisoformat(os.environ.get("THANTHIEN_WATCH_AT", "06:30"))
