"""Public portal pages."""

from django.urls import path

from thanthien.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.find_commune, name="find_commune"),
    path("<slug:slug>/", views.commune_home, name="commune_home"),
]
