"""Staff pages of results: a campaign's indices and the indices of transaction ratings.

Included from thanthien/core/staff_urls.py at the workspace root (namespace "staff"), so the
campaign pages sit beside the campaigns' own pages under /staff/khao-sat/ and the ratings
indices beside the ratings list under /staff/danh-gia/.
"""

from django.urls import path

from thanthien.surveys import results_views

urlpatterns = [
    path("khao-sat/<int:pk>/ket-qua/", results_views.campaign_results, name="campaign_results"),
    path(
        "khao-sat/<int:pk>/ket-qua/xlsx/",
        results_views.campaign_results_export,
        name="campaign_results_xlsx",
    ),
    path("danh-gia/chi-so/", results_views.rating_indices, name="rating_indices"),
    path("danh-gia/chi-so/xlsx/", results_views.rating_indices_export, name="rating_indices_xlsx"),
]
