"""Factories for letters (collected into tests.factories.FACTORIES)."""

import io
from datetime import date

import factory
from PIL import Image

from tests.dossier_helpers import at
from tests.factories import CommuneFactory, OfficialFactory, PositionFactory
from thanthien.letters.models import Letter, LetterTemplate, LetterType, Occasion
from thanthien.onestop import dossier_services


def chairman_of(commune):
    """The commune's chairman, who signs its letters."""
    return OfficialFactory(
        commune=commune, full_name="Trần Văn Chủ Tịch", position=PositionFactory()
    )


def returned_dossier(official, procedure, receive):
    """A dossier received through `receive`, ready on Wed 05/03/2025 and returned on Thursday
    06/03/2025."""
    dossier = receive(procedure=procedure)
    dossier = dossier_services.dossier_result_ready(
        actor=official, dossier=dossier, at=at(date(2025, 3, 5), 14)
    )
    return dossier_services.dossier_return(
        actor=official, dossier=dossier, at=at(date(2025, 3, 6), 9)
    )


def png_bytes(size=(20, 20)) -> bytes:
    """A small white PNG picture."""
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, format="PNG")
    return out.getvalue()


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
