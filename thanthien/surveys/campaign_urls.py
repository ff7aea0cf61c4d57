"""Staff pages of survey campaigns, under /staff/khao-sat/ (namespace "staff")."""

from django.urls import include, path

from thanthien.surveys import campaign_views

urlpatterns = [
    path("", campaign_views.campaign_list, name="campaign_list"),
    path("tao-moi/", campaign_views.campaign_create, name="campaign_create"),
    path("<int:pk>/", campaign_views.campaign_detail, name="campaign_detail"),
    path("<int:pk>/sua/", campaign_views.campaign_edit, name="campaign_edit"),
    path("<int:pk>/mo/", campaign_views.campaign_open, name="campaign_open"),
    path("<int:pk>/ket-thuc/", campaign_views.campaign_close, name="campaign_close"),
    path("<int:pk>/ap-phich/", campaign_views.campaign_poster, name="campaign_poster"),
    path("<int:pk>/phong-van/", campaign_views.campaign_phone, name="campaign_phone"),
    path("", include("thanthien.surveys.paper_urls")),
    path("tinh/", include("thanthien.surveys.province_campaign_urls")),
]
