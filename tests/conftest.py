"""Shared fixtures: two communes in two provinces and a user of each role."""

import pytest
from django.conf import settings
from django.core.cache import cache
from django.utils import translation

from tests.dossier_helpers import receive_dossier
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


@pytest.fixture
def official(make_user, commune_a):
    """A desk official of commune A."""
    return make_user(Role.COMMUNE_OFFICIAL, commune=commune_a, full_name="Lê Thị Tiếp Nhận")


@pytest.fixture
def leader_a(make_user, commune_a):
    return make_user(Role.COMMUNE_LEADER, commune=commune_a)


@pytest.fixture
def admin_a(make_user, commune_a):
    return make_user(Role.COMMUNE_ADMIN, commune=commune_a)


@pytest.fixture
def empty_cache():
    """Rate-limit counts live in the cache: the test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def procedure(commune_a):
    """Birth registration in commune A: 3 working days, two required documents."""
    from tests.factories_onestop import ProcedureFactory, RequiredDocumentFactory

    procedure = ProcedureFactory(
        commune=commune_a, code="1.001193", name="Đăng ký khai sinh", processing_days=3
    )
    RequiredDocumentFactory(procedure=procedure, name="Tờ khai đăng ký khai sinh theo mẫu")
    RequiredDocumentFactory(procedure=procedure, name="Giấy chứng sinh")
    return procedure


@pytest.fixture
def receive(official, procedure):
    """receive(**overrides): a dossier of `procedure` received by `official` through the
    service (tests/dossier_helpers.receive_dossier), the applicant agreeing to SMS."""

    def make(**overrides):
        values = {"actor": official, "procedure": procedure, "consent_sms": True}
        return receive_dossier(**{**values, **overrides})

    return make
