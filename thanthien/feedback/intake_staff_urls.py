"""Staff intake URLs (namespace "staff:feedback"): the official's entry and the QR posters."""

from django.urls import path

from thanthien.feedback import intake_views

urlpatterns = [
    path("nhap/", intake_views.enter, name="enter"),
    path("ma-qr/", intake_views.qr_posters, name="qr_posters"),
]
