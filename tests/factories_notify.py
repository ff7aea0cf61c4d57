"""Factories for notifications (collected into tests.factories.FACTORIES)."""

import factory
from django.utils import timezone

from tests.factories import CommuneFactory
from thanthien.notify.models import Channel, Event, Message, MessageAttempt, MessageTemplate


class MessageTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MessageTemplate
        django_get_or_create = ("commune", "event", "channel")

    commune = factory.SubFactory(CommuneFactory)
    event = Event.DOSSIER_RECEIVED
    channel = Channel.SMS
    body = "{commune}: ho so {code} da duoc tiep nhan, hen tra ngay {due_date}."
    strip_diacritics = True


class MessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Message

    commune = factory.SubFactory(CommuneFactory)
    event = Event.DOSSIER_RECEIVED
    channel = Channel.SMS
    recipient_name = "Trần Văn Bình"
    phone = factory.Sequence(lambda n: f"09{n % 100_000_000:08d}")
    body = factory.Sequence(lambda n: f"Ho so 000.{n:05d} da duoc tiep nhan.")
    context = factory.LazyAttribute(lambda o: {"name": o.recipient_name})
    dedupe_key = factory.Sequence(lambda n: f"test-message-{n}")
    next_attempt_at = factory.LazyFunction(timezone.now)


class MessageAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MessageAttempt

    message = factory.SubFactory(MessageFactory)
    number = 1
    started_at = factory.LazyFunction(timezone.now)
    finished_at = factory.SelfAttribute("started_at")
    gateway = "esms"
    outcome = MessageAttempt.Outcome.ACCEPTED
