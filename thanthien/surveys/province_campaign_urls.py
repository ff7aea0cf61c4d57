"""Staff pages of province campaigns, under /staff/khao-sat/tinh/ (namespace "staff")."""

from django.urls import path

from thanthien.surveys import province_campaign_views as views

urlpatterns = [
    path("", views.province_campaign_list, name="province_campaign_list"),
    path("tao-moi/", views.province_campaign_create, name="province_campaign_create"),
    path("<int:pk>/", views.province_campaign_detail, name="province_campaign_detail"),
    path("<int:pk>/mo/", views.province_campaign_open, name="province_campaign_open"),
    path("<int:pk>/ket-thuc/", views.province_campaign_close, name="province_campaign_close"),
    path("<int:pk>/ket-qua/", views.province_campaign_results, name="province_campaign_results"),
    path(
        "<int:pk>/ket-qua/xlsx/",
        views.province_campaign_results_export,
        name="province_campaign_results_xlsx",
    ),
]
