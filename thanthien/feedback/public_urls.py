"""Public feedback pages (namespace "feedback"), mounted at the site root before the portal.

Each area keeps its own list; they are joined here so every name is `feedback:<name>`.
"""

from thanthien.feedback import (
    dialogue_public_urls,
    handling_public_urls,
    intake_public_urls,
    reception_public_urls,
    webhook_urls,
)

app_name = "feedback"

urlpatterns = [
    *intake_public_urls.urlpatterns,
    *handling_public_urls.urlpatterns,
    *reception_public_urls.urlpatterns,
    *dialogue_public_urls.urlpatterns,
    *webhook_urls.urlpatterns,
]
