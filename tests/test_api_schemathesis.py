"""Property-based tests of every API operation from its OpenAPI schema (schemathesis): whatever
the input the schema allows — and many it does not — no operation answers with a server error.

Both schemas are read from the Django WSGI application itself: the REST API at /api/v1/ and
Open311 GeoReport v2 at /open311/v2/. The runs are bounded and derandomized, so the suite
stays fast and a failure repeats.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from tests.factories import CommuneProfileFactory
from tests.factories_feedback import AttachmentFactory, FeedbackItemFactory

app = get_wsgi_application()
api_schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
open311_schema = schemathesis.openapi.from_wsgi("/open311/v2/openapi.json", app)

BOUNDED = settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)


@pytest.fixture
def keep_connection():
    """Called through WSGI, Django closes the database connection after each request; the
    test's transaction lives on it. Django's test client disconnects these handlers too."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_data(db, keep_connection, commune_a, settings, empty_cache):
    """A commune with a few requests to read; limits high enough that every case is served."""
    settings.THANTHIEN_OPEN311_RATE = "100000/1m"
    settings.THANTHIEN_LOOKUP_RATE = "100000/1m"
    settings.THANTHIEN_NOTIFY_ESMS_CALLBACK_SECRET = "bi-mat"
    CommuneProfileFactory(commune=commune_a)
    for status in ("new", "answered"):
        item = FeedbackItemFactory(
            commune=commune_a,
            status=status,
            category="moi_truong",
            is_published=status == "answered",
            consent_publish=status == "answered",
            public_summary="Rác ở bờ kênh." if status == "answered" else "",
        )
        AttachmentFactory(commune=commune_a, item=item, is_public=True, role="answer")
    return commune_a


@api_schema.parametrize()
@BOUNDED
def test_rest_api_never_answers_with_a_server_error(case, api_data):
    case.call_and_validate(checks=[schemathesis.checks.not_a_server_error])


@open311_schema.parametrize()
@BOUNDED
def test_open311_never_answers_with_a_server_error(case, api_data):
    case.call_and_validate(checks=[schemathesis.checks.not_a_server_error])
