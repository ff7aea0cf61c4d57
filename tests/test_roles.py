"""Roles decide permissions (each app's permissions.py) and which communes a user sees."""

import pytest
from django.db import IntegrityError, transaction

from tests.factories import CommuneFactory, UserFactory
from thanthien.core.permissions import collect_role_permissions
from thanthien.people.roles import Role


@pytest.mark.django_db
def test_commune_admin_may_edit_hamlets_but_official_may_only_read(make_user, commune_a):
    admin = make_user(Role.COMMUNE_ADMIN, commune=commune_a)
    official = make_user(Role.COMMUNE_OFFICIAL, commune=commune_a)
    assert admin.has_perm("places.change_hamlet")
    assert official.has_perm("places.view_hamlet")
    assert not official.has_perm("places.change_hamlet")


@pytest.mark.django_db
def test_province_evaluator_reads_and_never_writes(make_user, province_p):
    evaluator = make_user(Role.PROVINCE_EVALUATOR, province=province_p)
    perms = evaluator.get_all_permissions()
    assert "places.view_hamlet" in perms
    assert not [p for p in perms if not p.split(".")[1].startswith("view_")]


@pytest.mark.django_db
def test_only_administrators_open_the_django_admin(make_user, commune_a, province_p):
    assert make_user(Role.COMMUNE_ADMIN, commune=commune_a).is_staff
    assert make_user(Role.PROVINCE_ADMIN, province=province_p).is_staff
    assert not make_user(Role.COMMUNE_OFFICIAL, commune=commune_a).is_staff
    assert not make_user(Role.PROVINCE_EVALUATOR, province=province_p).is_staff


@pytest.mark.django_db
def test_inactive_user_has_no_permission(make_user, commune_a):
    admin = make_user(Role.COMMUNE_ADMIN, commune=commune_a, is_active=False)
    assert not admin.has_perm("places.change_hamlet")


@pytest.mark.django_db
def test_commune_role_without_commune_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(role=Role.COMMUNE_ADMIN, commune=None)


@pytest.mark.django_db
def test_province_role_with_a_commune_is_refused_by_the_database(province_p):
    with pytest.raises(IntegrityError), transaction.atomic():
        UserFactory(role=Role.PROVINCE_EVALUATOR, commune=CommuneFactory(), province=province_p)


def test_every_app_declares_permissions_only_for_known_roles():
    table = collect_role_permissions()
    assert set(table) <= set(Role.values)
    assert table[Role.COMMUNE_ADMIN] >= {"places.add_hamlet", "people.change_official"}
