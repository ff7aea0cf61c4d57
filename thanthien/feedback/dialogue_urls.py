"""Staff URLs of dialogue conferences (namespace "staff:feedback"), under /staff/gop-y/."""

from django.urls import path

from thanthien.feedback import dialogue_views as views

urlpatterns = [
    path("doi-thoai/", views.dialogue_list, name="dialogues"),
    path("doi-thoai/moi/", views.dialogue_new, name="dialogue_new"),
    path("doi-thoai/<int:pk>/", views.dialogue_detail, name="dialogue"),
    path("doi-thoai/<int:pk>/sua/", views.dialogue_edit, name="dialogue_edit"),
    path(
        "doi-thoai/<int:pk>/cong-khai-ke-hoach/",
        views.dialogue_publish_plan,
        name="dialogue_publish_plan",
    ),
    path("doi-thoai/<int:pk>/huy/", views.dialogue_cancel, name="dialogue_cancel"),
    path("doi-thoai/<int:pk>/da-to-chuc/", views.dialogue_hold, name="dialogue_hold"),
    path(
        "doi-thoai/<int:pk>/cong-khai-ket-qua/",
        views.dialogue_publish_results,
        name="dialogue_publish_results",
    ),
    path("doi-thoai/<int:pk>/cau-hoi/", views.dialogue_question_add, name="dialogue_question_add"),
    path(
        "doi-thoai/<int:pk>/tu-gop-y/",
        views.dialogue_question_from_feedback,
        name="dialogue_question_from_feedback",
    ),
    path(
        "doi-thoai/<int:pk>/cau-hoi.xlsx",
        views.dialogue_questions_xlsx,
        name="dialogue_questions_xlsx",
    ),
    path("doi-thoai/<int:pk>/bien-ban/", views.dialogue_minutes, name="dialogue_minutes"),
    path(
        "doi-thoai/<int:pk>/bien-ban.docx",
        views.dialogue_minutes_docx,
        name="dialogue_minutes_docx",
    ),
    path(
        "doi-thoai/<int:pk>/phieu-cau-hoi/", views.dialogue_paper_form, name="dialogue_paper_form"
    ),
    path(
        "doi-thoai/<int:pk>/phieu-cau-hoi.docx",
        views.dialogue_paper_form_docx,
        name="dialogue_paper_form_docx",
    ),
    path("doi-thoai/cau-hoi/<int:pk>/", views.dialogue_question, name="dialogue_question"),
    path(
        "doi-thoai/cau-hoi/<int:pk>/cam-ket/",
        views.dialogue_commitment_add,
        name="dialogue_commitment_add",
    ),
    path("doi-thoai/cam-ket/", views.commitments, name="commitments"),
    path("doi-thoai/cam-ket/xlsx/", views.commitments_export, name="commitments_export"),
    path(
        "doi-thoai/cam-ket/<int:pk>/hoan-thanh/",
        views.commitment_complete,
        name="commitment_complete",
    ),
    path(
        "doi-thoai/cam-ket/<int:pk>/khong-thuc-hien/",
        views.commitment_drop,
        name="commitment_drop",
    ),
]
