"""The daily jobs (setting THANTHIEN_DAILY_JOBS): the overdue watches, the greetings' drafts.

Run once a local day by `manage.py dispatch_notifications --loop`, or by the Celery beat
(`notify.daily_jobs`, thanthien/notify/tasks.py). Each job is idempotent per day, so a restart
or both runners on the same day send nothing twice.
"""

import logging

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


def daily_jobs_run() -> dict[str, str]:
    """Run every job; a failing job is logged and does not stop the others."""
    results = {}
    for path in settings.THANTHIEN_DAILY_JOBS:
        try:
            results[path] = str(import_string(path)())
        except Exception as exc:  # one failing job must not stop the others
            logger.exception("daily job %s failed", path)
            results[path] = f"failed: {exc!r}"
    return results
