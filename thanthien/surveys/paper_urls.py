"""Staff pages of paper surveys, under /staff/khao-sat/ (namespace "staff")."""

from django.urls import path

from thanthien.surveys import paper_views

urlpatterns = [
    path("<int:pk>/phieu-giay/", paper_views.paper_print, name="paper_print"),
    path("<int:pk>/phieu-giay/in/", paper_views.paper_sheets, name="paper_sheets"),
    path("<int:pk>/phieu-giay/nhap/", paper_views.paper_entry, name="paper_entry"),
]
