"""An inbound mail server for the communes' feedback addresses (SMTP, or LMTP behind Postfix).

    manage.py feedback_mail_server --host 0.0.0.0 --port 2525
    manage.py feedback_mail_server --lmtp --port 2424   # Postfix: mailbox_transport = lmtp:...

A recipient that is no commune's CommuneProfile.feedback_email is refused with 550 at RCPT;
a message larger than THANTHIEN_FEEDBACK_MAIL_MAX_MB is refused with 552; every accepted
message becomes a feedback item through thanthien.feedback.mail_intake. A database failure
answers 451 so the sending server tries again later (the Message-ID keeps it one item).

SMTP replies are protocol text read by mail servers and shown in bounces: plain ASCII.
"""

import asyncio
import logging
import signal
import threading

from aiosmtpd.controller import Controller
from aiosmtpd.lmtp import LMTP
from aiosmtpd.smtp import SMTP
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import close_old_connections, connection
from django.utils.translation import gettext_lazy as _

from thanthien.feedback.items import InboundLog
from thanthien.feedback.mail_intake import (
    commune_for_address,
    mail_deliver,
    mail_recipient_refuse,
)

logger = logging.getLogger("thanthien.feedback.mail")

OK = "250 2.0.0 OK: feedback received"
UNKNOWN_RECIPIENT = "550 5.1.1 <{address}>: not a feedback address of any commune"
UNREADABLE = "550 5.6.0 Message has no feedback text we can read"
TRY_LATER = "451 4.3.0 Temporary failure, please try again later"


def max_bytes() -> int:
    return int(settings.THANTHIEN_FEEDBACK_MAIL_MAX_MB) * 1024 * 1024


def _with_db(function, *args, **kwargs):
    """Run in a worker thread with a fresh database connection, closed afterwards (a mail
    server lives for months; a connection idle between messages would be dropped anyway)."""
    close_old_connections()
    try:
        return function(*args, **kwargs)
    finally:
        connection.close()


class FeedbackMailHandler:
    """aiosmtpd handler: commune addresses only, each message through mail_intake."""

    def __init__(self, *, lmtp: bool = False):
        self.lmtp = lmtp

    async def _db(self, function, *args, **kwargs):
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(None, lambda: _with_db(function, *args, **kwargs))

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        peer = session.peer[0] if session.peer else None
        try:
            commune = await self._db(commune_for_address, address)
            if commune is None:
                await self._db(mail_recipient_refuse, address=address, remote_addr=peer)
                return UNKNOWN_RECIPIENT.format(address=address)
        except Exception:
            logger.exception("Feedback mail: recipient check failed for %s", address)
            return TRY_LATER
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or b""
        peer = session.peer[0] if session.peer else None
        try:
            if self.lmtp:
                # LMTP answers once per recipient, in the order they were given.
                replies = []
                for address in envelope.rcpt_tos:
                    results = await self._db(
                        mail_deliver,
                        raw=raw,
                        recipients=[address],
                        mail_from=envelope.mail_from,
                        remote_addr=peer,
                    )
                    replies.append(_reply(results))
                return "\r\n".join(replies)
            results = await self._db(
                mail_deliver,
                raw=raw,
                recipients=list(envelope.rcpt_tos),
                mail_from=envelope.mail_from,
                remote_addr=peer,
            )
        except Exception:
            logger.exception("Feedback mail: delivery failed")
            return TRY_LATER
        return _reply(results)


def _reply(results) -> str:
    if results and all(r.outcome == InboundLog.Outcome.REFUSED for r in results):
        return UNREADABLE
    return OK if results else TRY_LATER


class FeedbackMailController(Controller):
    """aiosmtpd's Controller (its own thread and event loop) serving SMTP or LMTP."""

    def __init__(self, *, hostname: str = "127.0.0.1", port: int = 2525, lmtp: bool = False):
        self.lmtp = lmtp
        super().__init__(
            FeedbackMailHandler(lmtp=lmtp),
            hostname=hostname,
            port=port,
            data_size_limit=max_bytes(),
            ident="Than Thien feedback",
        )

    def factory(self):
        server_class = LMTP if self.lmtp else SMTP
        return server_class(self.handler, **self.SMTP_kwargs)


class Command(BaseCommand):
    help = _("Máy chủ nhận thư góp ý (SMTP hoặc LMTP) cho địa chỉ thư góp ý của các xã.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.THANTHIEN_FEEDBACK_MAIL_HOST)
        parser.add_argument("--port", type=int, default=settings.THANTHIEN_FEEDBACK_MAIL_PORT)
        parser.add_argument(
            "--lmtp", action="store_true", help=_("Nói LMTP (sau Postfix) thay vì SMTP.")
        )

    def handle(self, *args, host, port, lmtp, **options):
        controller = FeedbackMailController(hostname=host, port=port, lmtp=lmtp)
        stop = threading.Event()
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, lambda *_args: stop.set())
        controller.start()
        self.stdout.write(
            _("Đang nhận thư góp ý qua %(protocol)s tại %(host)s:%(port)s.")
            % {"protocol": "LMTP" if lmtp else "SMTP", "host": host, "port": port}
        )
        try:
            stop.wait()
        finally:
            controller.stop()
