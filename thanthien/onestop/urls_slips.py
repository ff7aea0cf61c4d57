"""The desk's printed forms, as print pages, DOCX and XLSX (under /staff/mot-cua/).

The receipt's print page itself is staff:dossier_receipt in urls_desk.py.
"""

from django.urls import path

from thanthien.onestop import slip_views as views

urlpatterns = [
    path("ho-so/<int:pk>/giay-tiep-nhan.docx", views.receipt_docx, name="dossier_receipt_docx"),
    path("ho-so/<int:pk>/phieu-tu-choi/", views.refusal_print, name="dossier_refusal_slip"),
    path(
        "ho-so/<int:pk>/phieu-tu-choi.docx",
        views.refusal_docx,
        name="dossier_refusal_slip_docx",
    ),
    path("ho-so/<int:pk>/phieu-kiem-soat/", views.control_print, name="dossier_control_slip"),
    path(
        "ho-so/<int:pk>/phieu-kiem-soat.docx",
        views.control_docx,
        name="dossier_control_slip_docx",
    ),
    # `pk` names the supplement request (a dossier may have several) or the apology slip.
    path("phieu-bo-sung/<int:pk>/", views.supplement_print, name="supplement_slip"),
    path("phieu-bo-sung/<int:pk>.docx", views.supplement_docx, name="supplement_slip_docx"),
    path("phieu-xin-loi/<int:pk>/", views.apology_print, name="apology_slip"),
    path("phieu-xin-loi/<int:pk>.docx", views.apology_docx, name="apology_slip_docx"),
    path("so-theo-doi/", views.register_print, name="dossier_register"),
    path("so-theo-doi.xlsx", views.register_xlsx, name="dossier_register_xlsx"),
    path("so-theo-doi.docx", views.register_docx, name="dossier_register_docx"),
]
