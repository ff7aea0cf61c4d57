"""A real Celery worker, fed through Redis, sends the outbox the way the dispatcher does.

The worker runs in its own process against a copy of the test database (SQLite) or the test
database itself (PostgreSQL); the task goes through the Redis broker on a queue of its own,
so parallel runs on the same Redis do not take each other's tasks.
"""

import os
import signal
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from tests.factories_notify import MessageFactory
from tests.notify_servers import GatewayServer
from tests.subprocess_db import Outbox, wait_for

ROOT = Path(__file__).resolve().parent.parent


def redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(settings.CELERY_BROKER_URL, socket_timeout=1).ping())
    except redis.exceptions.ConnectionError:
        return False


@pytest.mark.django_db(transaction=True)
def test_celery_worker_sends_queued_messages_through_redis(commune_a, tmp_path):
    if not redis_reachable():
        if os.environ.get("CI"):
            pytest.fail(f"Redis is not reachable at {settings.CELERY_BROKER_URL}")
        pytest.skip("Redis is not running")
    ids = {str(MessageFactory(commune=commune_a).provider_request_id) for _ in range(3)}
    outbox = Outbox(tmp_path)
    queue = f"thanthien-test-{uuid.uuid4().hex[:8]}"
    log = tmp_path / "worker.log"
    with GatewayServer() as server, log.open("ab") as out:
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "thanthien.notify.tasks",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-Q",
                queue,
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env={
                **os.environ,
                **server.env(),
                "DJANGO_SETTINGS_MODULE": "thanthien.settings.test",
                "DATABASE_URL": outbox.url,
                "THANTHIEN_NOTIFY_SMS_GATEWAY": "esms",
                "PYTHONUNBUFFERED": "1",
            },
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        try:
            from thanthien.notify.tasks import dispatch_notifications_batch

            dispatch_notifications_batch.apply_async(queue=queue)
            wait_for(
                lambda: outbox.statuses().get("sent", 0) == len(ids),
                timeout=60,
                what=f"the worker to send the outbox (log: {log.read_text(errors='replace')})",
            )
        finally:
            worker.send_signal(signal.SIGTERM)
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait(timeout=10)

    assert set(server.delivered["esms"]) == ids
    assert "notify.dispatch_batch" in log.read_text(errors="replace")
