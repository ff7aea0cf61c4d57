"""Celery, for deployments that grow: a worker task runs one dispatcher batch.

The outbox does not depend on Celery: `manage.py dispatch_notifications --loop` does the
same work. Start a worker with `celery -A thanthien.notify.tasks worker --beat` (the beat
schedule below runs a batch every THANTHIEN_NOTIFY_POLL_SECONDS, and the daily jobs — the
overdue watches, the greetings' drafts — every morning at THANTHIEN_WATCH_AT).
"""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thanthien.settings.dev")

app = Celery("thanthien")
# CELERY_BROKER_URL and the other CELERY_* settings come from Django settings.
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each installed app's tasks.py registers its tasks here (e.g. thanthien/onestop/tasks.py).
app.autodiscover_tasks()


@app.task(name="notify.dispatch_batch", ignore_result=True)
def dispatch_notifications_batch(batch_size: int | None = None) -> dict:
    """One dispatcher batch; returns the counts (kept only when a result backend is set)."""
    from thanthien.notify.dispatcher import dispatch_batch

    result = dispatch_batch(batch_size=batch_size)
    return {"claimed": result.claimed, **result.outcomes}


@app.task(name="notify.daily_jobs", ignore_result=True)
def daily_jobs() -> dict:
    """Every THANTHIEN_DAILY_JOBS entry (watches of dossiers and feedback, greetings)."""
    from thanthien.notify.daily import daily_jobs_run

    return daily_jobs_run()


@app.on_after_finalize.connect
def schedule_batches(sender, **kwargs):
    from django.conf import settings

    sender.add_periodic_task(
        float(settings.THANTHIEN_NOTIFY_POLL_SECONDS), dispatch_notifications_batch.s()
    )
    # The daily jobs (the overdue watches of dossiers and feedback, the greetings' drafts),
    # every morning on local time (CELERY_TIMEZONE), as `dispatch_notifications --loop` does.
    watch_at = settings.THANTHIEN_WATCH_AT
    sender.add_periodic_task(
        crontab(hour=watch_at.hour, minute=watch_at.minute),
        daily_jobs.s(),
        name="notify.daily_jobs daily",
    )
