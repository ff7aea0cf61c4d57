"""Staff pages of the one-stop desk, under /staff/mot-cua/."""

from django.urls import include, path

urlpatterns = [
    path("thu-tuc/", include("thanthien.onestop.urls_catalogue")),
    path("", include("thanthien.onestop.urls_desk")),
]
