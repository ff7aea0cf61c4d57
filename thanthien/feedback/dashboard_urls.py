"""URLs of one area of the feedback app, joined in public_urls.py / staff_urls.py."""

urlpatterns: list = []
