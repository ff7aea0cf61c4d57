from django.urls import path

from thanthien.portal import post_views as views

urlpatterns = [
    path("", views.post_list, name="post_list"),
    path("viet-tin/", views.post_new, name="post_new"),
    path("cam-ket/", views.pledge_edit, name="pledge_edit"),
    path("<int:pk>/", views.post_edit, name="post_edit"),
    path("<int:pk>/xoa/", views.post_delete, name="post_delete"),
]
