"""Staff pages for the procedure catalogue (namespace "staff", under /staff/mot-cua/thu-tuc/)."""

from django.urls import path

from thanthien.onestop import views_catalogue

urlpatterns = [
    path("", views_catalogue.procedure_list, name="procedure_list"),
    path("nhap/", views_catalogue.procedure_import, name="procedure_import"),
    path("mau.xlsx", views_catalogue.procedure_template, name="procedure_template"),
    path("xuat.xlsx", views_catalogue.procedure_export_xlsx, name="procedure_export_xlsx"),
    path("xuat.csv", views_catalogue.procedure_export_csv, name="procedure_export_csv"),
]
