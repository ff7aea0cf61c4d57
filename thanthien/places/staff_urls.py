"""Staff pages for places: hamlets and their import."""

urlpatterns: list = []
