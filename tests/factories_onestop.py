"""Factories for the one-stop desk (collected into tests.factories.FACTORIES)."""

import factory

from tests.factories import CommuneFactory
from thanthien.onestop.models import Procedure, ProcedureField, RequiredDocument


class ProcedureFieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureField
        django_get_or_create = ("code",)

    code = "ho-tich"
    name = "Hộ tịch"


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure

    commune = factory.SubFactory(CommuneFactory)
    code = factory.Sequence(lambda n: f"1.{n:06d}")
    name = factory.Sequence(lambda n: f"Đăng ký khai sinh {n}")
    field = factory.SubFactory(ProcedureFieldFactory)
    processing_days = 3
    fee_amount = 0


class RequiredDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RequiredDocument

    procedure = factory.SubFactory(ProcedureFactory)
    name = "Tờ khai đăng ký khai sinh theo mẫu"
    copies = 1
