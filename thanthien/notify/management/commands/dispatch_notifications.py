"""Send due notifications from the outbox: one batch (--once) or keep polling (--loop).

With --loop it also runs the THANTHIEN_DAILY_JOBS (the overdue watch) once per local day.
"""

import signal
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from thanthien.notify.daily import daily_jobs_run
from thanthien.notify.dispatcher import dispatch_batch
from thanthien.notify.services import message_bodies_purge

PURGE_EVERY_SECONDS = 3600


class Command(BaseCommand):
    help = "Gửi các thông báo đến hạn trong hàng đợi (outbox)."

    def add_arguments(self, parser):
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--once", action="store_true", help="Gửi một lượt rồi dừng.")
        mode.add_argument("--loop", action="store_true", help="Gửi liên tục, chờ giữa các lượt.")
        parser.add_argument("--batch-size", type=int, default=None)
        parser.add_argument(
            "--poll", type=float, default=None, help="Số giây chờ khi không có tin đến hạn."
        )
        parser.add_argument(
            "--purge-only", action="store_true", help="Chỉ xoá nội dung tin đã quá hạn lưu."
        )

    def handle(self, *args, **options):
        if options["purge_only"]:
            self.purge()
            return
        if not options["loop"]:
            self.report(dispatch_batch(batch_size=options["batch_size"]))
            return
        poll = options["poll"] or float(settings.THANTHIEN_NOTIFY_POLL_SECONDS)
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            # Finish the message in hand, then stop; never leave mid-send by choice.
            signal.signal(sig, lambda *_: stop.set())
        self.stdout.write(f"dispatch_notifications: polling every {poll:g} s")
        last_purge = 0.0
        last_daily = None
        while not stop.is_set():
            if timezone.localdate() != last_daily:
                last_daily = timezone.localdate()
                self.run_daily_jobs()
            if time.monotonic() - last_purge > PURGE_EVERY_SECONDS:
                self.purge()
                last_purge = time.monotonic()
            result = dispatch_batch(batch_size=options["batch_size"])
            if result.claimed:
                self.report(result)
            else:
                stop.wait(poll)

    def run_daily_jobs(self):
        """Each job is idempotent per day: a restart the same day sends nothing twice."""
        for path, result in daily_jobs_run().items():
            out = self.stderr if result.startswith("failed: ") else self.stdout
            out.write(f"dispatch_notifications: {path}: {result}")

    def purge(self):
        count = message_bodies_purge()
        if count:
            self.stdout.write(f"dispatch_notifications: blanked {count} old message bodies")

    def report(self, result):
        outcomes = ", ".join(f"{k}={v}" for k, v in sorted(result.outcomes.items()))
        self.stdout.write(f"dispatch_notifications: {result.claimed} claimed ({outcomes})")
