"""factory_boy factories for every model; FACTORIES maps a model label to its factory.

tests/test_tenancy.py builds one record of each commune-scoped model through FACTORIES:
a new commune-scoped model must add its factory here (the test says so when it is missing).
"""

import importlib
from datetime import time
from pathlib import Path

import factory
from faker import Faker

from thanthien.core.text import slugify_vi
from thanthien.people.models import Office, Official, Position, User
from thanthien.people.roles import Role
from thanthien.places.models import Commune, CommuneGroup, Hamlet, Province
from thanthien.portal.models import CommuneProfile, ConductItem, ReceptionSlot

fake = Faker("vi_VN")


class ProvinceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Province
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: 90 + n)
    name = factory.Sequence(lambda n: f"Tỉnh Thử Nghiệm {n}")
    division_type = "tỉnh"
    codename = factory.LazyAttribute(lambda o: slugify_vi(o.name).replace("-", "_"))
    slug = factory.LazyAttribute(lambda o: slugify_vi(o.name))


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commune
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: 900000 + n)
    name = factory.Sequence(lambda n: f"Xã Thử Nghiệm {n}")
    division_type = Commune.DivisionType.XA
    province = factory.SubFactory(ProvinceFactory)
    codename = factory.LazyAttribute(lambda o: slugify_vi(o.name).replace("-", "_"))
    slug = factory.LazyAttribute(lambda o: slugify_vi(o.name))


class CommuneGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommuneGroup

    name = factory.Sequence(lambda n: f"Nhóm xã {n}")
    province = factory.SubFactory(ProvinceFactory)


class HamletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hamlet

    commune = factory.SubFactory(CommuneFactory)
    name = factory.Sequence(lambda n: f"Thôn {n}")
    kind = Hamlet.Kind.THON
    head_name = factory.LazyFunction(fake.name)
    household_count = 120


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position
        django_get_or_create = ("code",)

    code = "chu-tich-ubnd"
    name = "Chủ tịch UBND"
    is_leadership = True
    rank = 50


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Office

    commune = factory.SubFactory(CommuneFactory)
    name = factory.Sequence(lambda n: f"Phòng {n}")


class OfficialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Official

    commune = factory.SubFactory(CommuneFactory)
    full_name = factory.LazyFunction(fake.name)
    position = factory.SubFactory(PositionFactory)
    office = factory.SubFactory(OfficeFactory, commune=factory.SelfAttribute("..commune"))
    phone = factory.Sequence(lambda n: f"09{n:08d}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    full_name = factory.LazyFunction(fake.name)
    role = Role.COMMUNE_OFFICIAL
    commune = factory.SubFactory(CommuneFactory)
    password = factory.django.Password("mat-khau-thu-nghiem")


class ProvinceUserFactory(UserFactory):
    role = Role.PROVINCE_EVALUATOR
    commune = None
    province = factory.SubFactory(ProvinceFactory)


class CommuneProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommuneProfile

    commune = factory.SubFactory(CommuneFactory)
    hotline = "0225123456"
    feedback_email = "gopy@example.vn"


class ReceptionSlotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReceptionSlot

    commune = factory.SubFactory(CommuneFactory)
    weekday = ReceptionSlot.Weekday.THURSDAY
    start_time = time(7, 30)
    end_time = time(11, 0)
    host = factory.SubFactory(OfficialFactory, commune=factory.SelfAttribute("..commune"))


class ConductItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConductItem

    commune = factory.SubFactory(CommuneFactory)
    group = ConductItem.Group.XIN
    text = "Xin chào"


def _collect_factories() -> dict:
    """Every DjangoModelFactory here and in tests/factories_*.py, by model label.

    Where several factories build one model, the most general (the base class) wins.
    """
    for path in sorted(Path(__file__).parent.glob("factories_*.py")):
        importlib.import_module(f"tests.{path.stem}")
    found: dict = {}
    queue = list(factory.django.DjangoModelFactory.__subclasses__())
    while queue:
        item = queue.pop(0)
        queue.extend(item.__subclasses__())
        model = item._meta.model
        if model is not None:
            found.setdefault(model._meta.label, item)
    return found


FACTORIES = _collect_factories()
