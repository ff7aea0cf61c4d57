"""The volunteers' duty roster at the desk (namespace "staff", under /staff/mot-cua/)."""

from django.urls import path

from thanthien.onestop import volunteer_views as views

urlpatterns = [
    path("lich-truc/", views.volunteer_roster, name="volunteer_roster"),
    path("lich-truc/in/", views.volunteer_roster_print, name="volunteer_roster_print"),
    path("lich-truc/them/", views.volunteer_shift_add, name="volunteer_shift_add"),
    path("lich-truc/<int:pk>/xoa/", views.volunteer_shift_remove, name="volunteer_shift_remove"),
]
