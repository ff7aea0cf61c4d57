"""Dossiers from the province's one-stop system (namespace "staff", under /staff/mot-cua/)."""

from django.urls import path

from thanthien.onestop import province_import_views as views

urlpatterns = [
    path("nhap-ho-so/", views.dossier_import, name="dossier_import"),
    path("nhap-ho-so/mau.xlsx", views.dossier_import_template, name="dossier_import_template"),
    path("nhap-ho-so/xuat.xlsx", views.dossier_export_xlsx, name="dossier_export_xlsx"),
    path("nhap-ho-so/xuat.csv", views.dossier_export_csv, name="dossier_export_csv"),
]
