"""Shared fixtures: two communes in two provinces and a user of each role."""

import pytest
from django.conf import settings
from django.utils import translation

from tests.factories import CommuneFactory, ProvinceFactory, ProvinceUserFactory, UserFactory
from thanthien.people.roles import Role


@pytest.fixture(autouse=True)
def default_language():
    """A request in English leaves English active in the thread; each test starts in Vietnamese."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def province_p(db):
    return ProvinceFactory(name="Tỉnh P")


@pytest.fixture
def province_q(db):
    return ProvinceFactory(name="Tỉnh Q")


@pytest.fixture
def commune_a(province_p):
    return CommuneFactory(name="Xã An", province=province_p)


@pytest.fixture
def commune_b(province_q):
    return CommuneFactory(name="Xã Bình", province=province_q)


@pytest.fixture
def make_user(db):
    def make(role: str, *, commune=None, province=None, **kwargs):
        if role in (Role.PROVINCE_EVALUATOR, Role.PROVINCE_ADMIN):
            return ProvinceUserFactory(role=role, province=province, **kwargs)
        return UserFactory(role=role, commune=commune, **kwargs)

    return make
