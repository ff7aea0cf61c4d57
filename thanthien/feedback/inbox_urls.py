"""Staff inbox URLs (joined in staff_urls.py, namespace "staff:feedback")."""

from django.urls import path

from thanthien.feedback import inbox_views as views

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("xuat-xlsx/", views.inbox_export, name="inbox_export"),
    path("<int:pk>/", views.item, name="item"),
    path("<int:pk>/in/", views.item_print, name="item_print"),
    path("<int:pk>/docx/", views.item_docx, name="item_docx"),
    path("<int:pk>/phan-loai/", views.item_classify, name="item_classify"),
    path("<int:pk>/giao/", views.item_assign, name="item_assign"),
    path("<int:pk>/bat-dau/", views.item_start, name="item_start"),
    path("<int:pk>/tra-loi/", views.item_answer, name="item_answer"),
    path("<int:pk>/cong-khai/", views.item_publish, name="item_publish"),
    path("<int:pk>/thoi-cong-khai/", views.item_unpublish, name="item_unpublish"),
    path("<int:pk>/dong/", views.item_close, name="item_close"),
    path("<int:pk>/mo-lai/", views.item_reopen, name="item_reopen"),
    path("<int:pk>/gop/", views.item_merge, name="item_merge"),
    path("<int:pk>/chuyen-huong/", views.item_redirect, name="item_redirect"),
    path("<int:pk>/ghi-chu/", views.item_note, name="item_note"),
    path("tep/<int:pk>/", views.attachment, name="attachment"),
]
