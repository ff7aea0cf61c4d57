"""Staff pages of ratings, under /staff/danh-gia/."""

from django.urls import path

from thanthien.surveys import staff_views

urlpatterns = [
    path("", staff_views.rating_list, name="rating_list"),
    path("may-tai-quay/", staff_views.kiosk_sign_in, name="kiosk_sign_in"),
    path("may-tai-quay/<int:pk>/ket-thuc/", staff_views.kiosk_sign_out, name="kiosk_sign_out"),
]
