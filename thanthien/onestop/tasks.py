"""Celery tasks of the one-stop desk (found by the app's autodiscovery in notify/tasks.py)."""

from datetime import date

from thanthien.notify.tasks import app


@app.task(name="onestop.watch_dossiers", ignore_result=True)
def watch_dossiers(day: str | None = None) -> dict:
    """The daily overdue watch; the beat schedule in notify/tasks.py runs it every morning."""
    from thanthien.onestop.watch import dossiers_watch

    report = dossiers_watch(today=date.fromisoformat(day) if day else None)
    return report.as_dict()
