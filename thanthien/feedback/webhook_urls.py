"""The Zalo OA and Facebook Page webhooks (public, signed by the platforms)."""

from django.urls import path

from thanthien.feedback import platform_views

urlpatterns = [
    path("webhooks/zalo/", platform_views.zalo_webhook, name="zalo_webhook"),
    path("webhooks/facebook/", platform_views.facebook_webhook, name="facebook_webhook"),
]
