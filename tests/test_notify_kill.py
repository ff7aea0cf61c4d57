"""A dispatcher killed mid-batch and restarted sends every message exactly once.

A real process runs `manage.py dispatch_notifications --loop` against a slow local eSMS
server; it is killed with SIGKILL while the server holds a message it has already taken
(delivered, but the dispatcher has not recorded it) and while other messages of the batch
are claimed but not sent. A second dispatcher then finishes the outbox: the claimed
messages are picked up again when their lease runs out, and the one the provider already
had is resent with the same RequestId, which the provider drops as a duplicate.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from tests.factories_notify import MessageFactory
from tests.notify_servers import GatewayServer
from thanthien.notify.models import Message

ROOT = Path(__file__).resolve().parent.parent
COUNT = 8


def wait_for(condition, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


class Outbox:
    """The test database as the dispatcher subprocess sees it."""

    def __init__(self, tmp_path: Path):
        settings = connection.settings_dict
        self.sqlite_path = None
        if connection.vendor == "sqlite":
            # The test database lives in memory: hand the subprocess a file copy of it.
            self.sqlite_path = tmp_path / "outbox.sqlite3"
            connection.ensure_connection()
            target = sqlite3.connect(self.sqlite_path)
            connection.connection.backup(target)
            target.close()
            self.url = f"sqlite:///{self.sqlite_path}"
        else:
            self.url = (
                f"postgres://{settings['USER']}:{settings['PASSWORD'] or ''}@"
                f"{settings['HOST'] or '127.0.0.1'}:{settings['PORT'] or 5432}/{settings['NAME']}"
            )

    def rows(self, sql: str) -> list[tuple]:
        if self.sqlite_path is None:
            with connection.cursor() as cursor:
                cursor.execute(sql)
                return cursor.fetchall()
        db = sqlite3.connect(self.sqlite_path, timeout=5)
        try:
            return db.execute(sql).fetchall()
        finally:
            db.close()

    def statuses(self) -> dict[str, int]:
        return dict(self.rows("SELECT status, COUNT(*) FROM notify_message GROUP BY status"))


def start_dispatcher(outbox: Outbox, server: GatewayServer, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        **server.env(),
        "DJANGO_SETTINGS_MODULE": "thanthien.settings.test",
        "DATABASE_URL": outbox.url,
        "THANTHIEN_NOTIFY_SMS_GATEWAY": "esms",
        "THANTHIEN_NOTIFY_LEASE_SECONDS": "2",
        "THANTHIEN_NOTIFY_HTTP_TIMEOUT": "1.5",
        "THANTHIEN_NOTIFY_BATCH_SIZE": "4",
        "PYTHONUNBUFFERED": "1",
    }
    with log.open("ab") as out:
        return subprocess.Popen(
            [sys.executable, "manage.py", "dispatch_notifications", "--loop", "--poll", "0.2"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )


@pytest.mark.django_db(transaction=True)
def test_dispatcher_killed_mid_batch_never_sends_a_message_twice(commune_a, tmp_path):
    ids = {str(MessageFactory(commune=commune_a).provider_request_id) for _ in range(COUNT)}
    outbox = Outbox(tmp_path)
    log = tmp_path / "dispatcher.log"
    with GatewayServer() as server:
        server.delay = 0.3
        first = start_dispatcher(outbox, server, log)
        try:
            # Mid-batch: one message taken by the provider and not yet answered.
            wait_for(
                lambda: server.total_delivered("esms") >= 2 and server.in_flight >= 1,
                timeout=30,
                what=f"the first dispatcher to send (log: {log.read_text(errors='replace')})",
            )
            os.kill(first.pid, signal.SIGKILL)
        finally:
            first.kill()
            first.wait(timeout=10)
        at_kill = outbox.statuses()
        assert at_kill.get("sending", 0) >= 1, at_kill  # claimed, never recorded
        assert at_kill.get("queued", 0) >= 1, at_kill  # the rest not even claimed

        second = start_dispatcher(outbox, server, log)
        try:
            wait_for(
                lambda: outbox.statuses().get("sent", 0) == COUNT,
                timeout=40,
                what=f"the outbox to drain (log: {log.read_text(errors='replace')})",
            )
        finally:
            second.send_signal(signal.SIGTERM)
            second.wait(timeout=10)
        assert second.returncode == 0, log.read_text(errors="replace")

    # Every message reached the handset exactly once, as the provider counts it...
    assert set(server.delivered["esms"]) == ids
    assert all(server.deliveries[("esms", i)] == 1 for i in ids)
    # ...although one was sent twice: the provider dropped the resend by its RequestId.
    assert server.requests["esms"] > COUNT
    duplicates = outbox.rows("SELECT COUNT(*) FROM notify_messageattempt WHERE status_code='124'")
    assert duplicates[0][0] >= 1
    if outbox.sqlite_path is None:
        assert Message.objects.filter(status=Message.Status.SENT).count() == COUNT
