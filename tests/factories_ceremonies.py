"""Factories for ceremonies, visits, contributors and the yearly meeting (collected into
tests.factories.FACTORIES)."""

from datetime import date, datetime

import factory

from tests.factories import CommuneFactory
from thanthien.letters.ceremonies import Ceremony, CeremonyKind, CeremonyPhoto
from thanthien.letters.contributors import Contribution, Contributor, YearlyMeeting
from thanthien.onestop.dossier_selectors import LOCAL_TZ


class CeremonyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ceremony

    commune = factory.SubFactory(CommuneFactory)
    kind = CeremonyKind.HOME_DELIVERY
    starts_at = datetime(2025, 3, 10, 9, 0, tzinfo=LOCAL_TZ)
    place = factory.Sequence(lambda n: f"Nhà số {n}, thôn Đông")
    recipient_name = factory.Sequence(lambda n: f"Gia đình ông Thử Nghiệm {n}")


class CeremonyPhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CeremonyPhoto

    commune = factory.SubFactory(CommuneFactory)
    ceremony = factory.SubFactory(CeremonyFactory, commune=factory.SelfAttribute("..commune"))
    image = factory.django.ImageField(filename="le-trao.png", format="PNG", width=20, height=20)


class ContributorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contributor

    commune = factory.SubFactory(CommuneFactory)
    name = factory.Sequence(lambda n: f"Người đóng góp thử {n}")
    kind = Contributor.Kind.CONTRIBUTOR
    address = "Thôn Đông"


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    commune = factory.SubFactory(CommuneFactory)
    contributor = factory.SubFactory(ContributorFactory, commune=factory.SelfAttribute("..commune"))
    description = factory.Sequence(lambda n: f"ủng hộ làm đường liên thôn đợt {n}")
    date = date(2025, 3, 3)
    value_dong = 5_000_000


class YearlyMeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = YearlyMeeting

    commune = factory.SubFactory(CommuneFactory)
    year = factory.Sequence(lambda n: 2000 + n)
    held_at = factory.LazyAttribute(lambda o: datetime(o.year, 12, 20, 8, 0, tzinfo=LOCAL_TZ))
    place = factory.Sequence(lambda n: f"Hội trường thử nghiệm {n}")
