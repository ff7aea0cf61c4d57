"""`manage.py load_demo`: Kiến Minh, the same people on every run, nothing new the second time."""

import re
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db.models import Max

from thanthien.core.demo import DEMO_COMMUNE_CODE
from thanthien.people.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from thanthien.people.models import Official, User
from thanthien.places.models import Commune, Hamlet
from thanthien.portal.models import CommuneProfile, ConductItem, ReceptionSlot

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def people(commune) -> list[tuple]:
    return list(
        Official.objects.filter(commune=commune)
        .order_by("badge_number")
        .values_list("full_name", "position__code", "phone", "phone_published", "badge_number")
    )


def database_state() -> dict[str, tuple]:
    """Per model: how many rows, and when the latest one was saved (a save moves it)."""
    state = {}
    for model in apps.get_models():
        fields = {f.name for f in model._meta.concrete_fields}
        latest = (
            model.objects.aggregate(latest=Max("updated_at"))["latest"]
            if "updated_at" in fields
            else None
        )
        state[model._meta.label] = (model.objects.count(), latest)
    return state


def test_demo_loads_kien_minh_with_its_officials_hamlets_and_reception():
    load_demo()
    commune = Commune.objects.get(code=DEMO_COMMUNE_CODE)
    assert commune.slug == "xa-kien-minh"
    assert commune.province.name == "Thành phố Hải Phòng"
    assert Commune.objects.count() > 3000

    officials = Official.objects.filter(commune=commune)
    assert officials.count() >= 20
    chairmen = officials.filter(position__code="chu-tich-ubnd")
    assert chairmen.count() == 1
    chairman = chairmen.get()
    assert chairman.phone_published
    assert re.fullmatch(r"0[35789]\d{8}", chairman.phone)
    for code in ("bi-thu", "pho-bi-thu", "chu-tich-hdnd", "pho-chu-tich-hdnd", "chu-tich-mttq"):
        assert officials.filter(position__code=code).exists(), code
    assert officials.filter(position__code="pho-chu-tich-ubnd").count() == 2
    assert all(
        re.fullmatch(r"0[35789]\d{8}", phone) for phone in officials.values_list("phone", flat=True)
    )
    assert officials.filter(phone_published=False).exists()
    assert officials.exclude(badge_number="").count() == officials.count()

    assert Hamlet.objects.filter(commune=commune, household_count__gt=0).count() >= 5
    profile = CommuneProfile.objects.get(commune=commune)
    assert re.fullmatch(r"0\d{9}", profile.hotline)
    assert profile.feedback_email and profile.reception_rule_lines()
    slots = ReceptionSlot.objects.filter(commune=commune)
    assert slots.filter(host=chairman).exists()
    assert ConductItem.objects.filter(commune=commune).count() == 13


def test_demo_prints_logins_that_work(client):
    output = load_demo()
    commune = Commune.objects.get(code=DEMO_COMMUNE_CODE)
    assert "http://127.0.0.1:8000/staff/" in output
    for account in DEMO_ACCOUNTS:
        assert f"tài khoản {account.username} / mật khẩu {DEMO_PASSWORD}" in output
        assert client.login(username=account.username, password=DEMO_PASSWORD), account.username
        client.logout()
    admin = User.objects.get(username="admin.kienminh")
    assert admin.commune == commune and admin.is_staff
    evaluator = User.objects.get(username="thamdinh.haiphong")
    assert evaluator.province == commune.province and evaluator.commune is None


def test_second_load_creates_and_changes_nothing():
    load_demo()
    commune = Commune.objects.get(code=DEMO_COMMUNE_CODE)
    before, before_people = database_state(), people(commune)

    output = load_demo()

    assert database_state() == before
    assert people(commune) == before_people
    assert "không thay đổi" in output


def test_demo_people_are_the_same_on_every_fresh_load():
    load_demo()
    commune = Commune.objects.get(code=DEMO_COMMUNE_CODE)
    first = people(commune)
    ReceptionSlot.objects.filter(commune=commune).delete()
    Official.objects.filter(commune=commune).delete()

    load_demo()

    assert people(commune) == first
