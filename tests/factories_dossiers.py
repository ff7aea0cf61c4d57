"""Factories for dossiers (collected into tests.factories.FACTORIES).

They build rows directly, for tests that need data in a given shape; tests of the workflow
itself go through thanthien.onestop.dossier_services.
"""

from datetime import timedelta

import factory
from django.utils import timezone

from tests.factories import CommuneFactory, UserFactory
from tests.factories_onestop import ProcedureFactory
from thanthien.onestop.dossier_selectors import LOCAL_TZ
from thanthien.onestop.models import (
    ApologySlip,
    Dossier,
    DossierCounter,
    DossierEvent,
    DossierSupplement,
    Volunteer,
    VolunteerShift,
)


class DossierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Dossier

    commune = factory.SubFactory(CommuneFactory)
    code = factory.Sequence(lambda n: f"T-{n:06d}")
    procedure = factory.SubFactory(ProcedureFactory, commune=factory.SelfAttribute("..commune"))
    applicant_name = factory.Sequence(lambda n: f"Người Nộp Thử {n}")
    applicant_phone = factory.Sequence(lambda n: f"09{n % 100_000_000:08d}")
    processing_days = 3
    received_at = factory.LazyFunction(timezone.now)
    receipt_day = factory.LazyAttribute(lambda o: timezone.localdate(o.received_at))
    due_date = factory.LazyAttribute(lambda o: o.receipt_day + timedelta(days=5))
    state_changed_at = factory.SelfAttribute("received_at")
    result_ready_at = None
    # As the services write it: the Vietnamese day of result_ready_at.
    result_ready_day = factory.LazyAttribute(
        lambda o: o.result_ready_at.astimezone(LOCAL_TZ).date() if o.result_ready_at else None
    )
    created_by = factory.SubFactory(UserFactory, commune=factory.SelfAttribute("..commune"))


class DossierCounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DossierCounter

    commune = factory.SubFactory(CommuneFactory)
    day = factory.Sequence(lambda n: timezone.localdate() - timedelta(days=n))
    last = 1


class DossierEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DossierEvent

    class Params:
        commune = factory.SubFactory(CommuneFactory)

    dossier = factory.SubFactory(DossierFactory, commune=factory.SelfAttribute("..commune"))
    kind = "receive"
    at = factory.LazyFunction(lambda: timezone.now().replace(second=0, microsecond=0))
    actor = factory.SelfAttribute("dossier.created_by")
    to_state = Dossier.State.RECEIVED


class DossierSupplementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DossierSupplement

    class Params:
        commune = factory.SubFactory(CommuneFactory)

    dossier = factory.SubFactory(
        DossierFactory, commune=factory.SelfAttribute("..commune"), state="supplement"
    )
    items = factory.LazyFunction(lambda: ["Giấy xác nhận không có trong danh mục"])
    unlisted_items = factory.SelfAttribute("items")
    needs_leader_review = True
    requested_at = factory.LazyFunction(timezone.now)
    requested_by = factory.SelfAttribute("dossier.created_by")


class ApologySlipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ApologySlip

    commune = factory.SubFactory(CommuneFactory)
    dossier = factory.SubFactory(DossierFactory, commune=factory.SelfAttribute("..commune"))
    kind = ApologySlip.Kind.LATE
    original_due_date = factory.SelfAttribute("dossier.due_date")
    drafted_at = factory.LazyFunction(timezone.now)


class VolunteerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Volunteer

    commune = factory.SubFactory(CommuneFactory)
    name = factory.Sequence(lambda n: f"Đoàn Viên Thử {n}")
    phone = factory.Sequence(lambda n: f"08{n % 100_000_000:08d}")


class VolunteerShiftFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VolunteerShift

    commune = factory.SubFactory(CommuneFactory)
    volunteer = factory.SubFactory(VolunteerFactory, commune=factory.SelfAttribute("..commune"))
    day = factory.LazyFunction(timezone.localdate)
