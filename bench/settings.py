"""Settings of the dossier benchmarks (`python -m bench.dossiers`), also for its gunicorn.

The test settings (no network, console gateways) with the bench's URLs, persistent database
connections as a production deployment has them, and the public lookup's per-IP rate limit
raised so far that it never answers 429: the load comes from one address. The limit is still
counted on every request (Django's local-memory cache), so its cost stays in the numbers.
"""

from thanthien.settings.test import *  # noqa: F403
from thanthien.settings.test import DATABASES

ROOT_URLCONF = "bench.urls"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
DATABASES["default"]["CONN_MAX_AGE"] = 600
THANTHIEN_LOOKUP_RATE = "1000000000/1s"
# The public survey results page (bench.surveys): never 429, and never served from its
# results cache, so that every timed view measures the full count (the cache-miss case).
THANTHIEN_SURVEY_RESULTS_RATE = "1000000000/1s"
THANTHIEN_SURVEY_RESULTS_CACHE_SECONDS = 0
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
