"""Staff pages of the desk: receiving and handling dossiers."""

urlpatterns: list = []
