"""Staff URLs of citizen reception (joined in staff_urls.py, namespace "staff:feedback")."""

from django.urls import path

from thanthien.feedback import reception_views as views

urlpatterns = [
    path("tiep-cong-dan/", views.reception, name="reception"),
    path("tiep-cong-dan/dat-lich/", views.reception_book_phone, name="reception_book_phone"),
    path(
        "tiep-cong-dan/lich-hen/<int:pk>/huy/",
        views.reception_booking_cancel,
        name="reception_booking_cancel",
    ),
    path(
        "tiep-cong-dan/lich-hen/<int:pk>/khong-den/",
        views.reception_booking_no_show,
        name="reception_booking_no_show",
    ),
    path("tiep-cong-dan/so/", views.reception_register, name="reception_register"),
    path(
        "tiep-cong-dan/so/xuat-xlsx/",
        views.reception_register_export,
        name="reception_register_export",
    ),
    path("tiep-cong-dan/so/in/", views.reception_register_print, name="reception_register_print"),
    path("tiep-cong-dan/so/them/", views.reception_visit_new, name="reception_visit_new"),
    path("tiep-cong-dan/so/<int:pk>/", views.reception_visit, name="reception_visit"),
]
