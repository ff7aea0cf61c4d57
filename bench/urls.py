"""The project's URLs plus a bare Django view, the baseline every page is compared with."""

from django.http import HttpResponse
from django.urls import path

from thanthien.urls import urlpatterns as project_urlpatterns


def bare(request):
    return HttpResponse("ok")


urlpatterns = [path("__bench__/bare/", bare), *project_urlpatterns]
