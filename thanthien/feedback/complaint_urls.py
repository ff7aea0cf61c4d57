"""Staff URLs of complaints and denunciations (joined in staff_urls.py, "staff:feedback")."""

from django.urls import path

from thanthien.feedback import complaint_views as views

urlpatterns = [
    path("khieu-nai/", views.complaint_list, name="complaints"),
    path("khieu-nai/xuat-xlsx/", views.complaint_export, name="complaint_export"),
    path("khieu-nai/vao-so/", views.complaint_new, name="complaint_new"),
    path("khieu-nai/<int:pk>/", views.complaint_detail, name="complaint"),
    path("khieu-nai/<int:pk>/in/", views.complaint_print, name="complaint_print"),
    path("khieu-nai/<int:pk>/thu-ly/", views.complaint_accept, name="complaint_accept"),
    path("khieu-nai/<int:pk>/khong-thu-ly/", views.complaint_refuse, name="complaint_refuse"),
    path("khieu-nai/<int:pk>/chuyen-don/", views.complaint_transfer, name="complaint_transfer"),
    path("khieu-nai/<int:pk>/gia-han/", views.complaint_extend, name="complaint_extend"),
    path("khieu-nai/<int:pk>/giai-quyet/", views.complaint_resolve, name="complaint_resolve"),
    path("khieu-nai/<int:pk>/rut-don/", views.complaint_withdraw, name="complaint_withdraw"),
    path("khieu-nai/<int:pk>/giao/", views.complaint_assign, name="complaint_assign"),
]
