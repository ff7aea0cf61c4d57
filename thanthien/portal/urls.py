"""Public portal pages: find a commune, then its pages under /<slug>/."""

from django.urls import path

from thanthien.onestop import lookup_views
from thanthien.onestop import public_views as onestop_views
from thanthien.portal import news_views, views

app_name = "portal"

urlpatterns = [
    path("", views.find_commune, name="find_commune"),
    # Dossier codes are unique across communes; "tra-cuu" is no commune's slug.
    path("tra-cuu/", lookup_views.dossier_lookup, name="dossier_lookup"),
    path("<slug:slug>/", views.commune_home, name="commune_home"),
    path("<slug:slug>/can-bo/", views.officials, name="officials"),
    path("<slug:slug>/lich-tiep-cong-dan/", views.reception, name="reception"),
    path("<slug:slug>/quy-tac-ung-xu/", views.conduct, name="conduct"),
    path("<slug:slug>/quy-tac-ung-xu/in/", views.conduct_poster, name="conduct_poster"),
    path("<slug:slug>/thu-tuc/", onestop_views.procedure_list, name="procedure_list"),
    path("<slug:slug>/thu-tuc/in/", onestop_views.procedure_print, name="procedure_print"),
    path(
        "<slug:slug>/thu-tuc/<str:code>/", onestop_views.procedure_detail, name="procedure_detail"
    ),
    path("<slug:slug>/tin-tuc/", news_views.news_list, name="news_list"),
    path("<slug:slug>/tin-tuc/atom.xml", news_views.NewsFeed(), name="news_feed"),
    path("<slug:slug>/tin-tuc/<slug:post_slug>/", news_views.news_detail, name="news_detail"),
    path("<slug:slug>/thu-chuc-mung/", news_views.greetings, name="greetings"),
    path("<slug:slug>/cam-ket/", news_views.pledge, name="pledge"),
    path("<slug:slug>/cam-ket/in/", news_views.pledge_poster, name="pledge_poster"),
    path("<slug:slug>/gop-y/", views.channels, name="channels"),
    path("<slug:slug>/ma-qr/", views.qr_poster, name="qr_poster"),
    path("<slug:slug>/ma-qr.svg", views.commune_qr_svg, name="commune_qr_svg"),
]
