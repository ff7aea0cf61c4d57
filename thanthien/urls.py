"""URL layout: /admin/ configuration, /staff/ workspace, /i18n/ language switch, /api/v1/ the
REST API, then the portal.

The portal comes last because a commune's home page sits at the root: /<slug>/.
"""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from thanthien.api import api
from thanthien.feedback.open311 import open311_api

admin.site.site_header = _("Thân Thiện — quản trị")
admin.site.site_title = _("Thân Thiện")
admin.site.index_title = _("Cấu hình")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("staff/", include("thanthien.core.staff_urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("open311/v2/", open311_api.urls),
    path("", include("thanthien.surveys.urls")),
    path("", include("thanthien.feedback.public_urls")),
    path("", include("thanthien.portal.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
