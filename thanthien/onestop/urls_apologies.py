"""The leader's queue of apology slips (under /staff/mot-cua/xin-loi/, namespace "staff")."""

from django.urls import path

from thanthien.onestop import apology_views as views

urlpatterns = [
    path("xin-loi/", views.apology_list, name="apology_list"),
    path("xin-loi/<int:pk>/ban-hanh/", views.apology_issue, name="apology_issue"),
    path("xin-loi/<int:pk>/khong-ban-hanh/", views.apology_drop, name="apology_drop"),
]
