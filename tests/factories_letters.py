"""Factories for letters (collected into tests.factories.FACTORIES)."""

import factory

from tests.factories import CommuneFactory
from thanthien.letters.models import Letter, LetterTemplate, LetterType, Occasion


class LetterTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LetterTemplate
        django_get_or_create = ("commune", "occasion")

    commune = factory.SubFactory(CommuneFactory)
    occasion = Occasion.THANKS
    title = "Thư cảm ơn"
    body = "Xin cảm ơn ông/bà {recipient} vì {contribution}."


class LetterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Letter

    commune = factory.SubFactory(CommuneFactory)
    type = LetterType.THANKS
    occasion = Occasion.THANKS
    recipient_name = factory.Sequence(lambda n: f"Người nhận thư số {n}")
    title = "Thư cảm ơn"
    body = "Xin chân thành cảm ơn."
