"""Staff pages of the greetings, under /staff/thu/chuc-mung/ (namespace "staff")."""

from django.urls import path

from thanthien.letters import greeting_views as views

urlpatterns = [
    path("", views.greeting_list, name="greeting_list"),
    path("lap-du-thao/", views.greeting_draft_now, name="greeting_draft_now"),
    path("<int:pk>/", views.greeting_detail, name="greeting_detail"),
    path("<int:pk>/sua/", views.greeting_edit, name="greeting_edit"),
    path("<int:pk>/duyet/", views.greeting_approve, name="greeting_approve"),
    path("<int:pk>/khong-gui/", views.greeting_drop, name="greeting_drop"),
    path("<int:pk>/lich-phat/them/", views.broadcast_slot_add, name="greeting_slot_add"),
    path("<int:pk>/bai-dang/", views.greeting_post, name="greeting_post"),
    path("<int:pk>/phat-thanh/", views.greeting_script, name="greeting_script"),
    path("lich-phat/<int:pk>/xoa/", views.broadcast_slot_delete, name="greeting_slot_delete"),
]
