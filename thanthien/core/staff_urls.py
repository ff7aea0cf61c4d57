"""The staff workspace. Each app adds its pages here under its own prefix.

Every URL here is walked by tests/test_tenancy.py: a URL that takes an object id must name
its model in `thanthien.core.staff.SCOPED_VIEWS` so the test can prove commune isolation.
"""

from django.contrib.auth import views as auth_views
from django.urls import include, path

from thanthien.core import staff_views

app_name = "staff"

urlpatterns = [
    path(
        "dang-nhap/",
        auth_views.LoginView.as_view(
            template_name="staff/login.html", redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("", staff_views.dashboard, name="dashboard"),
    path("nhat-ky/", staff_views.audit_log, name="audit_log"),
    path("nhat-ky/<int:pk>/", staff_views.audit_entry, name="audit_entry"),
    path("dia-ban/", include("thanthien.places.staff_urls")),
    path("mot-cua/", include("thanthien.onestop.staff_urls")),
    path("thu/", include("thanthien.letters.urls")),
    path("danh-gia/", include("thanthien.surveys.staff_urls")),
    path("", include("thanthien.surveys.results_urls")),
    path("khao-sat/", include("thanthien.surveys.campaign_urls")),
    path("gop-y/", include("thanthien.feedback.staff_urls")),
    path("tin-bai/", include("thanthien.portal.post_urls")),
]
