"""Staff pages for the procedure catalogue."""

urlpatterns: list = []
