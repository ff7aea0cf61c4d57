"""Public intake URLs (namespace "feedback"): the form, its thank-you page, the status page."""

from django.urls import path

from thanthien.feedback import intake_views

urlpatterns = [
    path("<slug:slug>/gop-y/gui/", intake_views.submit, name="submit"),
    path("<slug:slug>/gop-y/da-gui/<str:code>/", intake_views.submitted, name="submitted"),
    path("gop-y/theo-doi/", intake_views.status, name="status_lookup"),
    path("gop-y/theo-doi/<str:code>/", intake_views.status, name="status"),
]
