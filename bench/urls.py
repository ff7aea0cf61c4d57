"""The project's URLs plus the baselines the benchmarks compare with: a bare Django view,
and a bare view doing one indexed lookup of a dossier by its code."""

from django.http import Http404, HttpResponse, JsonResponse
from django.urls import path

from thanthien.onestop.models import Dossier
from thanthien.urls import urlpatterns as project_urlpatterns


def bare(request):
    return HttpResponse("ok")


def bare_dossier(request, code):
    """One query on the unique index of Dossier.code, nothing else."""
    row = Dossier.objects.filter(code=code).values_list("state", "due_date").first()
    if row is None:
        raise Http404
    return JsonResponse({"code": code, "state": row[0], "due_date": row[1].isoformat()})


urlpatterns = [
    path("__bench__/bare/", bare),
    path("__bench__/dossiers/<str:code>/", bare_dossier),
    *project_urlpatterns,
]
