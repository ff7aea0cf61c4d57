"""Public handling URLs (namespace "feedback"): published answers, the rating of an answer,
and the SMS provider's callback with residents' replies."""

from django.urls import path

from thanthien.feedback import public_answer_views, sms_reply

urlpatterns = [
    path("gop-y/danh-gia/<str:code>/", public_answer_views.rate, name="rate"),
    path("gop-y/sms-tra-loi/<str:secret>/", sms_reply.sms_reply, name="sms_reply"),
    path("<slug:slug>/gop-y/tra-loi/", public_answer_views.answers, name="answers"),
    path("<slug:slug>/gop-y/tra-loi/<str:code>/", public_answer_views.answer, name="answer"),
    path(
        "<slug:slug>/gop-y/tra-loi/<str:code>/tep/<int:pk>/",
        public_answer_views.answer_file,
        name="answer_file",
    ),
]
