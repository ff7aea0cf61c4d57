"""Staff page of the feedback channels (joined in staff_urls.py, namespace "staff:feedback")."""

from django.urls import path

from thanthien.feedback import channel_views

urlpatterns = [
    path("kenh/", channel_views.channel_log, name="channel_log"),
]
