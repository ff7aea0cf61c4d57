"""The desk dashboard (under /staff/mot-cua/): the page and its XLSX export."""

from django.urls import path

from thanthien.onestop import dashboard_views as views

urlpatterns = [
    path("bang-dieu-khien/", views.desk_dashboard_page, name="desk_dashboard"),
    path("bang-dieu-khien.xlsx", views.desk_dashboard_xlsx, name="desk_dashboard_xlsx"),
]
