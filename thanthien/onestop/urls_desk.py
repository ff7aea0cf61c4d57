"""Staff pages of the desk: receiving and handling dossiers (under /staff/mot-cua/)."""

from django.urls import include, path

from thanthien.onestop import desk_views as views

urlpatterns = [
    path("tiep-nhan/", views.desk_receive, name="desk_receive"),
    path("", include("thanthien.onestop.urls_dashboard")),
    path("", include("thanthien.onestop.urls_province_import")),
    path("", include("thanthien.onestop.urls_volunteers")),
    path("", include("thanthien.onestop.urls_apologies")),
    path("", include("thanthien.onestop.urls_slips")),
    path("ho-so/", views.dossier_list, name="dossier_list"),
    path("ho-so/<int:pk>/", views.dossier_detail, name="dossier_detail"),
    path("ho-so/<int:pk>/giay-tiep-nhan/", views.dossier_receipt, name="dossier_receipt"),
    path("ho-so/<int:pk>/chuyen/", views.dossier_handover, name="dossier_handover"),
    path(
        "ho-so/<int:pk>/yeu-cau-bo-sung/",
        views.dossier_request_supplement,
        name="dossier_request_supplement",
    ),
    path(
        "ho-so/<int:pk>/da-bo-sung/",
        views.dossier_complete_supplement,
        name="dossier_complete_supplement",
    ),
    path("ho-so/<int:pk>/tu-choi/", views.dossier_refuse, name="dossier_refuse"),
    path("ho-so/<int:pk>/rut/", views.dossier_withdraw, name="dossier_withdraw"),
    path("ho-so/<int:pk>/co-ket-qua/", views.dossier_result_ready, name="dossier_result_ready"),
    path("ho-so/<int:pk>/tra-ket-qua/", views.dossier_return, name="dossier_return"),
    path("ho-so/<int:pk>/hen-lai/", views.dossier_reschedule, name="dossier_reschedule"),
    path("can-lanh-dao-xem/", views.supplement_review_list, name="supplement_review_list"),
    path(
        "can-lanh-dao-xem/<int:pk>/da-xem/",
        views.supplement_review,
        name="supplement_review",
    ),
]
