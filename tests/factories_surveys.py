"""Factories for ratings, counters and kiosk sessions (collected into tests.factories)."""

import hashlib

import factory
from django.utils import timezone

from tests.factories import CommuneFactory, OfficialFactory, UserFactory
from thanthien.surveys.models import Counter, KioskSession, Rating, Score


class CounterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Counter

    commune = factory.SubFactory(CommuneFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Quầy {n + 1}")


class KioskSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KioskSession

    commune = factory.SubFactory(CommuneFactory)
    counter = factory.SubFactory(CounterFactory, commune=factory.SelfAttribute("..commune"))
    official = factory.SubFactory(OfficialFactory, commune=factory.SelfAttribute("..commune"))
    signed_in_by = factory.SubFactory(UserFactory, commune=factory.SelfAttribute("..commune"))
    signed_in_at = factory.LazyFunction(timezone.now)
    token_hash = factory.Sequence(lambda n: hashlib.sha256(f"kiosk-{n}".encode()).hexdigest())


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    commune = factory.SubFactory(CommuneFactory)
    channel = Rating.Channel.KIOSK
    service_score = Score.SATISFIED
    submitted_at = factory.LazyFunction(timezone.now)
