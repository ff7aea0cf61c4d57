"""Public rating pages: /danh-gia/ (a dossier's rating link) and /kiosk/<counter>/."""

from django.urls import path

from thanthien.surveys import public_views, results_views, survey_views

app_name = "surveys"

urlpatterns = [
    # "danh-gia" and "kiosk" are no commune's slug (the portal's /<slug>/ comes after).
    path("danh-gia/", public_views.rate, name="rate"),
    path("kiosk/<int:counter_id>/", public_views.kiosk, name="kiosk"),
    path("kiosk/<int:counter_id>/gui/", public_views.kiosk_submit, name="kiosk_submit"),
    path(
        "khao-sat/<str:public_code>/ket-qua/",
        results_views.public_campaign_results,
        name="campaign_results",
    ),
    # Answering a campaign online (the link and QR poster of campaign_views).
    path("khao-sat/<str:public_code>/", survey_views.survey_answer, name="survey_answer"),
    path("khao-sat/<str:public_code>/cam-on/", survey_views.survey_thanks, name="survey_thanks"),
]
