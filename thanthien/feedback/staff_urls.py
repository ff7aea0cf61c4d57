"""Staff pages of the feedback app, under /staff/gop-y/ (namespace "staff:feedback").

Every URL with a pk must be registered in thanthien.core.staff.SCOPED_VIEWS
(register_scoped_view) so tests/test_tenancy.py can prove commune isolation.
"""

from thanthien.feedback import (
    channel_urls,
    complaint_urls,
    dashboard_urls,
    dialogue_urls,
    inbox_urls,
    intake_staff_urls,
    reception_urls,
)

app_name = "feedback"

urlpatterns = [
    *inbox_urls.urlpatterns,
    *intake_staff_urls.urlpatterns,
    *complaint_urls.urlpatterns,
    *reception_urls.urlpatterns,
    *dialogue_urls.urlpatterns,
    *dashboard_urls.urlpatterns,
    *channel_urls.urlpatterns,
]
