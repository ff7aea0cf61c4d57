"""The test database as a subprocess (a dispatcher, a Celery worker) sees it."""

import sqlite3
import time
from pathlib import Path

from django.db import connection


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
