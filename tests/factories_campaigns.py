"""Factories for survey campaigns, paper forms and responses (collected into tests.factories)."""

from datetime import timedelta

import factory
from django.utils import timezone

from tests.factories import CommuneFactory, UserFactory
from thanthien.surveys.models import Campaign, PaperForm, Response, ResponseChannel

# The smallest valid questionnaire: one satisfaction question on the shared 4-point scale.
MINIMAL_DEFINITION = {
    "format": 1,
    "id": "thu-nghiem",
    "version": 1,
    "title": {"vi": "Khảo sát thử", "en": "Test survey"},
    "sections": [],
}


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign

    commune = factory.SubFactory(CommuneFactory)
    title = factory.Sequence(lambda n: f"Đợt khảo sát {n}")
    questionnaire_id = "thu-nghiem"
    questionnaire_version = 1
    definition = factory.LazyFunction(lambda: dict(MINIMAL_DEFINITION))
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=30))
    channels = factory.LazyFunction(lambda: [ResponseChannel.ONLINE, ResponseChannel.PAPER])
    public_code = factory.Sequence(lambda n: f"ks{n:06d}")
    created_by = factory.SubFactory(UserFactory, commune=factory.SelfAttribute("..commune"))


class PaperFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PaperForm

    commune = factory.SubFactory(CommuneFactory)
    campaign = factory.SubFactory(CampaignFactory, commune=factory.SelfAttribute("..commune"))
    number = factory.Sequence(lambda n: f"P-{n:06d}")
    printed_at = factory.LazyFunction(timezone.now)


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    commune = factory.SubFactory(CommuneFactory)
    campaign = factory.SubFactory(CampaignFactory, commune=factory.SelfAttribute("..commune"))
    channel = ResponseChannel.ONLINE
    submitted_at = factory.LazyFunction(timezone.now)
