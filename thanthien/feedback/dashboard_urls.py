"""The feedback dashboard (staff:feedback:dashboard) and its XLSX export."""

from django.urls import path

from thanthien.feedback import dashboard_views as views

urlpatterns = [
    path("bang-dieu-khien/", views.feedback_dashboard_page, name="dashboard"),
    path("bang-dieu-khien.xlsx", views.feedback_dashboard_xlsx, name="dashboard_xlsx"),
]
