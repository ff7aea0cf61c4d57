"""Factories for province campaigns (collected into tests.factories).

`ProvinceCampaignFactory(commune=c)` builds a province campaign of c's province with one
linked commune campaign for c (tests/test_tenancy.py builds "a record of commune B" this way).
"""

from datetime import timedelta

import factory
from django.utils import timezone

from tests.factories import ProvinceFactory, ProvinceUserFactory
from tests.factories_campaigns import MINIMAL_DEFINITION, CampaignFactory
from thanthien.people.roles import Role
from thanthien.surveys.models import ProvinceCampaign, ResponseChannel


class ProvinceCampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProvinceCampaign

    # Not a field: the commune whose linked campaign to build with it (see _create).
    commune = None

    province = factory.LazyAttribute(
        lambda o: o.commune.province if o.commune is not None else ProvinceFactory()
    )
    title = factory.Sequence(lambda n: f"Khảo sát của tỉnh {n}")
    questionnaire_id = "thu-nghiem"
    questionnaire_version = 1
    definition = factory.LazyFunction(lambda: dict(MINIMAL_DEFINITION))
    starts_on = factory.LazyFunction(timezone.localdate)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + timedelta(days=30))
    channels = factory.LazyFunction(lambda: [ResponseChannel.ONLINE, ResponseChannel.PAPER])
    created_by = factory.LazyAttribute(
        lambda o: ProvinceUserFactory(role=Role.PROVINCE_ADMIN, province=o.province)
    )

    @classmethod
    def _create(cls, model_class, *args, commune=None, **kwargs):
        obj = super()._create(model_class, *args, **kwargs)
        if commune is not None:
            CampaignFactory(
                commune=commune,
                province_campaign=obj,
                title=obj.title,
                questionnaire_id=obj.questionnaire_id,
                definition=obj.definition,
                starts_on=obj.starts_on,
                ends_on=obj.ends_on,
            )
        return obj
