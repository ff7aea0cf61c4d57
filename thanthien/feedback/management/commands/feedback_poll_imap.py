"""Read new mail from the commune's feedback mailbox over IMAP and register each message.

    manage.py feedback_poll_imap            # once (cron, or Celery beat)
    manage.py feedback_poll_imap --every 60 # keep polling every 60 seconds

Settings THANTHIEN_FEEDBACK_IMAP_* (host, port, SSL, user, password, mailbox, commune).
Only UNSEEN messages are read, with BODY.PEEK so a failure leaves them unseen for the next
run; a message is marked \\Seen once it is stored (or refused or ignored, which is logged).
The Message-ID makes a second reading of the same message the same item.
"""

import contextlib
import imaplib
import logging
import ssl
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from thanthien.feedback.mail_intake import mail_deliver_from_mailbox

logger = logging.getLogger("thanthien.feedback.mail")


def imap_connect() -> imaplib.IMAP4:
    host = settings.THANTHIEN_FEEDBACK_IMAP_HOST
    if not host:
        raise CommandError(_("Chưa cấu hình THANTHIEN_FEEDBACK_IMAP_HOST."))
    port = settings.THANTHIEN_FEEDBACK_IMAP_PORT
    timeout = settings.THANTHIEN_FEEDBACK_IMAP_TIMEOUT
    if settings.THANTHIEN_FEEDBACK_IMAP_SSL:
        client = imaplib.IMAP4_SSL(
            host, port, ssl_context=ssl.create_default_context(), timeout=timeout
        )
    else:
        client = imaplib.IMAP4(host, port, timeout=timeout)
        if "STARTTLS" in client.capabilities:
            client.starttls(ssl_context=ssl.create_default_context())
    client.login(settings.THANTHIEN_FEEDBACK_IMAP_USER, settings.THANTHIEN_FEEDBACK_IMAP_PASSWORD)
    return client


def _raw_of(fetched) -> bytes | None:
    """The message bytes out of imaplib's FETCH answer (a list of tuples and bytes)."""
    for part in fetched or ():
        if isinstance(part, tuple) and len(part) == 2:
            return part[1]
    return None


def imap_poll_once(client: imaplib.IMAP4, *, mailbox: str) -> dict[str, int]:
    """Store every unseen message of `mailbox`; counts by outcome (and "failed")."""
    status, _data = client.select(mailbox)
    if status != "OK":
        raise CommandError(_("Không mở được hộp thư %(mailbox)s.") % {"mailbox": mailbox})
    status, data = client.uid("SEARCH", None, "UNSEEN")
    if status != "OK":
        raise CommandError(_("Máy chủ IMAP không trả lời lệnh tìm thư mới."))
    counts: dict[str, int] = {}
    for uid in (data[0] or b"").split():
        status, fetched = client.uid("FETCH", uid, "(BODY.PEEK[])")
        raw = _raw_of(fetched) if status == "OK" else None
        if raw is None:
            counts["failed"] = counts.get("failed", 0) + 1
            continue
        try:
            close_old_connections()
            results = mail_deliver_from_mailbox(raw=raw)
        except Exception:
            # Left unseen: the next run tries again (Message-ID keeps it one item).
            logger.exception("Feedback mail: IMAP message %s could not be stored", uid)
            counts["failed"] = counts.get("failed", 0) + 1
            continue
        for result in results or ():
            counts[result.outcome] = counts.get(result.outcome, 0) + 1
        if not results:
            counts["no_commune"] = counts.get("no_commune", 0) + 1
        client.uid("STORE", uid, "+FLAGS", "(\\Seen)")
    return counts


class Command(BaseCommand):
    help = gettext_lazy("Đọc thư góp ý mới từ hộp thư IMAP của xã và tạo phản ánh.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=float,
            default=0,
            help=gettext_lazy("Lặp lại sau chừng này giây (0: chạy một lần)."),
        )

    def handle(self, *args, every: float, **options):
        while True:
            client = imap_connect()
            try:
                counts = imap_poll_once(client, mailbox=settings.THANTHIEN_FEEDBACK_IMAP_MAILBOX)
            finally:
                with contextlib.suppress(imaplib.IMAP4.error, OSError):
                    client.logout()
            summary = ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())) or "0"
            self.stdout.write(_("Thư góp ý đã đọc — %(summary)s.") % {"summary": summary})
            if every <= 0:
                return
            time.sleep(every)
