"""Dossier.result_ready_day: the Vietnamese day of result_ready_at, stored beside it by every
writer (the services, the province import, the migration's backfill), and kept null together
with it by the database."""

import importlib
from datetime import date, datetime
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction

from tests.dossier_helpers import TZ, receive_dossier
from tests.factories_dossiers import DossierFactory
from tests.test_province_import import HEADER, row, run
from tests.uploads import csv_upload
from thanthien.onestop import dossier_services as services
from thanthien.onestop.models import Dossier

pytestmark = pytest.mark.django_db

MIGRATION = importlib.import_module("thanthien.onestop.migrations.0005_dossier_result_ready_day")


def received(official, procedure):
    return receive_dossier(
        actor=official, procedure=procedure, notify_channel=Dossier.NotifyChannel.NONE
    )


def test_the_service_stores_the_vietnamese_day_of_the_result(official, procedure):
    # 00:30 on Wednesday 05/03 in Vietnam is still Tuesday 04/03 in UTC.
    early_morning = received(official, procedure)
    services.dossier_result_ready(
        actor=official, dossier=early_morning, at=datetime(2025, 3, 5, 0, 30, tzinfo=TZ)
    )
    # 23:30 on Wednesday 05/03 in Vietnam is 16:30 UTC the same day.
    late_evening = received(official, procedure)
    services.dossier_result_ready(
        actor=official, dossier=late_evening, at=datetime(2025, 3, 5, 23, 30, tzinfo=TZ)
    )
    for dossier in (early_morning, late_evening):
        dossier.refresh_from_db()
        assert dossier.result_ready_day == date(2025, 3, 5)
    assert received(official, procedure).result_ready_day is None


def test_the_database_keeps_the_day_null_exactly_when_the_moment_is(commune_a):
    ready = datetime(2025, 3, 5, 10, 0, tzinfo=TZ)
    with pytest.raises(IntegrityError), transaction.atomic():
        DossierFactory(commune=commune_a, result_ready_at=ready, result_ready_day=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        DossierFactory(commune=commune_a, result_ready_at=None, result_ready_day=date(2025, 3, 5))
    made = DossierFactory(commune=commune_a, result_ready_at=ready)
    assert made.result_ready_day == date(2025, 3, 5)


def test_the_migration_fills_the_day_of_every_result_already_recorded(commune_a):
    # Rows as a database holds them before the migration: a day that says nothing yet.
    after_midnight = DossierFactory(
        commune=commune_a,
        result_ready_at=datetime(2025, 3, 5, 0, 30, tzinfo=TZ),
        result_ready_day=date(2000, 1, 1),
    )
    evening = DossierFactory(
        commune=commune_a,
        result_ready_at=datetime(2025, 3, 5, 23, 30, tzinfo=TZ),
        result_ready_day=date(2000, 1, 1),
    )
    running = DossierFactory(commune=commune_a)

    MIGRATION.fill_result_ready_day(apps, SimpleNamespace(connection=connection))

    days = dict(Dossier.objects.values_list("pk", "result_ready_day"))
    assert days == {
        after_midnight.pk: date(2025, 3, 5),
        evening.pk: date(2025, 3, 5),
        running.pk: None,
    }


def test_the_province_import_stores_the_day_and_updates_it(commune_a, leader_a, procedure):
    first = [HEADER, row("H27-0101", ready="05/03/2025 00:20", state="Có kết quả, chờ trả")]
    assert run(leader_a, commune_a, csv_upload(first)).created == 1
    dossier = Dossier.objects.get(code="H27-0101")
    assert dossier.result_ready_at == datetime(2025, 3, 5, 0, 20, tzinfo=TZ)
    assert dossier.result_ready_day == date(2025, 3, 5)

    again = [HEADER, row("H27-0101", ready="06/03/2025 16:00", state="Có kết quả, chờ trả")]
    assert run(leader_a, commune_a, csv_upload(again)).updated == 1
    dossier.refresh_from_db()
    assert dossier.result_ready_day == date(2025, 3, 6)
    assert run(leader_a, commune_a, csv_upload(again)).unchanged == 1
