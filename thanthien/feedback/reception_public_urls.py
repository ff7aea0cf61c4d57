"""Public URLs of citizen reception (joined in public_urls.py, namespace "feedback")."""

from django.urls import path

from thanthien.feedback import reception_views as views

urlpatterns = [
    path("<slug:slug>/tiep-cong-dan/dat-lich/", views.reception_book, name="reception_book"),
    path("tiep-cong-dan/lich-hen/<str:code>/", views.reception_booked, name="reception_booked"),
]
