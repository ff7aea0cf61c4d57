"""thanthien.core.compiled.CompiledRead: the SQL compiled once gives the QuerySet's own rows."""

from datetime import datetime

import pytest
from django.db import connection
from django.db.models import OuterRef, Subquery
from django.test.utils import CaptureQueriesContext

from tests.dossier_helpers import TZ
from tests.factories_dossiers import DossierFactory, DossierSupplementFactory
from thanthien.core.compiled import CompiledRead
from thanthien.onestop.models import Dossier, DossierEvent, DossierSupplement

pytestmark = pytest.mark.django_db


def by_code(code):
    return Dossier.objects.filter(code=code).values_list(
        "code", "received_at", "result_ready_day", "documents_received", "commune__name"
    )


def test_rows_are_the_querysets_rows_for_each_calls_values(commune_a):
    ready = datetime(2025, 3, 5, 0, 30, tzinfo=TZ)
    first = DossierFactory(commune=commune_a, result_ready_at=ready, documents_received=["A"])
    second = DossierFactory(commune=commune_a)
    read = CompiledRead(Dossier, by_code, "<code>")
    for dossier in (first, second, first):
        with CaptureQueriesContext(connection) as queries:
            rows = read.rows(dossier.code)
        assert [tuple(r) for r in rows] == list(by_code(dossier.code))
        assert len(queries) == 1
    # Converted as the ORM converts them: an aware datetime, a date, decoded JSON.
    _code, received_at, day, documents, commune = read.rows(first.code)[0]
    assert received_at == first.received_at and received_at.tzinfo is not None
    assert day == ready.date()
    assert documents == ["A"]
    assert commune == commune_a.name
    assert read.rows("KHONG-CO") == []


def test_a_subquery_json_column_comes_back_decoded(commune_a):
    supplement = DossierSupplementFactory(commune=commune_a, items=["Giấy chứng sinh"])

    def with_items(code):
        items = DossierSupplement.objects.filter(dossier=OuterRef("pk")).values("items")[:1]
        return (
            Dossier.objects.filter(code=code)
            .annotate(missing=Subquery(items))
            .values_list("code", "missing")
        )

    rows = CompiledRead(Dossier, with_items, "<code>").rows(supplement.dossier.code)
    assert [tuple(r) for r in rows] == [(supplement.dossier.code, ["Giấy chứng sinh"])]


def test_a_query_with_a_parameter_besides_its_markers_is_refused(commune_a):
    DossierFactory(commune=commune_a)

    def with_a_constant(code):
        return Dossier.objects.filter(code=code, processing_days__gt=1).values_list("code")

    with pytest.raises(ValueError, match="markers"):
        CompiledRead(Dossier, with_a_constant, "<code>").rows("X")
    with pytest.raises(TypeError):
        CompiledRead(Dossier, by_code, "<code>").rows("a", "b")
    with pytest.raises(TypeError):
        CompiledRead(DossierEvent, by_code, "<code>").rows("X")
