"""Portal URLs of dialogue conferences (namespace "feedback"): the published plans and
results, and the form residents send a question with before the conference."""

from django.urls import path

from thanthien.feedback import dialogue_views as views

urlpatterns = [
    path("<slug:slug>/doi-thoai/", views.public_dialogues, name="dialogues"),
    path("<slug:slug>/doi-thoai/<int:pk>/", views.public_dialogue, name="dialogue"),
]
