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
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories_notify import MessageFactory
from tests.notify_servers import GatewayServer
from tests.subprocess_db import Outbox, wait_for
from thanthien.notify.models import Message

ROOT = Path(__file__).resolve().parent.parent
COUNT = 8


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
