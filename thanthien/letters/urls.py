"""Staff pages of the letters, under /staff/thu/ (namespace "staff")."""

from django.urls import include, path

from thanthien.letters import views

urlpatterns = [
    path("chuc-mung/", include("thanthien.letters.greeting_urls")),
    path("", include("thanthien.letters.urls_closeness")),
    path("", views.letter_register, name="letter_register"),
    path("xuat-xlsx/", views.letter_export, name="letter_export"),
    path("cho-duyet/", views.letter_queue, name="letter_queue"),
    path("lap-thu/", views.letter_new, name="letter_new"),
    path("in-hang-loat/", views.batch_print, name="letter_batch_print"),
    path("in-hang-loat/docx/", views.batch_docx, name="letter_batch_docx"),
    path("mau-thu/", views.template_list, name="letter_templates"),
    path("mau-thu/sua/", views.template_edit, name="letter_template_edit"),
    path("so-lieu/", views.letter_counts, name="letter_counts"),
    path("<int:pk>/", views.letter_detail, name="letter_detail"),
    path("<int:pk>/sua/", views.letter_edit, name="letter_edit"),
    path("<int:pk>/thong-tin/", views.letter_details, name="letter_details"),
    path("<int:pk>/duyet/", views.letter_approve, name="letter_approve"),
    path("<int:pk>/khong-gui/", views.letter_drop, name="letter_drop"),
    path("<int:pk>/gui-thu/", views.letter_deliver, name="letter_deliver"),
    path("<int:pk>/anh/", views.letter_photo, name="letter_photo"),
    path("<int:pk>/in/", views.letter_print, name="letter_print"),
    path("<int:pk>/docx/", views.letter_docx, name="letter_docx"),
]
