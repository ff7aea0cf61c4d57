"""Staff pages for places: hamlets and their import (namespace "staff", under /staff/dia-ban/)."""

from django.urls import path

from thanthien.places import staff_views

urlpatterns = [
    path("thon/", staff_views.hamlet_list, name="hamlet_list"),
    path("thon/nhap/", staff_views.hamlet_import, name="hamlet_import"),
    path("thon/mau.xlsx", staff_views.hamlet_template, name="hamlet_template"),
    path("thon/xuat.xlsx", staff_views.hamlet_export, name="hamlet_export"),
]
