"""Every staff change is audited (who, when, from which IP, what) and readable per commune."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from tests.factories import HamletFactory
from thanthien.people.roles import Role
from thanthien.places.models import Hamlet


@pytest.fixture
def admin_a(make_user, commune_a):
    return make_user(Role.COMMUNE_ADMIN, commune=commune_a, username="admin.a")


@pytest.mark.django_db
def test_change_through_admin_records_actor_ip_and_changed_fields(client, admin_a, commune_a):
    hamlet = HamletFactory(commune=commune_a, name="Thôn Đông", household_count=100)
    client.force_login(admin_a)
    url = reverse("admin:places_hamlet_change", args=[hamlet.pk])
    response = client.post(
        url,
        {
            "commune": commune_a.pk,
            "name": "Thôn Đông",
            "kind": "thon",
            "head_name": "Nguyễn Văn Hải",
            "household_count": 135,
            "order": 0,
        },
        REMOTE_ADDR="203.0.113.7",
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = LogEntry.objects.get_for_object(hamlet).filter(action=LogEntry.Action.UPDATE).get()
    assert entry.actor == admin_a
    assert entry.remote_addr == "203.0.113.7"
    assert entry.changes_dict["household_count"] == ["100", "135"]
    assert entry.additional_data == {"commune_id": commune_a.pk}


@pytest.mark.django_db
def test_create_and_delete_are_audited(client, admin_a, commune_a):
    client.force_login(admin_a)
    client.post(
        reverse("admin:places_hamlet_add"),
        {
            "commune": commune_a.pk,
            "name": "Thôn Mới",
            "kind": "thon",
            "household_count": 10,
            "order": 0,
        },
    )
    hamlet = Hamlet.objects.get(name="Thôn Mới")
    client.post(reverse("admin:places_hamlet_delete", args=[hamlet.pk]), {"post": "yes"})
    actions = set(
        LogEntry.objects.filter(object_repr="Thôn Mới", actor=admin_a).values_list(
            "action", flat=True
        )
    )
    assert actions == {LogEntry.Action.CREATE, LogEntry.Action.DELETE}
    assert not Hamlet.objects.filter(pk=hamlet.pk).exists()


@pytest.mark.django_db
def test_commune_admin_reads_own_communes_log_only(client, admin_a, commune_a, commune_b):
    HamletFactory(commune=commune_a, name="Thôn Của An")
    HamletFactory(commune=commune_b, name="Thôn Của Bình")
    client.force_login(admin_a)
    page = client.get(reverse("staff:audit_log")).content.decode()
    assert "Thôn Của An" in page
    assert "Thôn Của Bình" not in page
    theirs = LogEntry.objects.get(object_repr="Thôn Của Bình")
    assert client.get(reverse("staff:audit_entry", args=[theirs.pk])).status_code == 404
    mine = LogEntry.objects.get(object_repr="Thôn Của An")
    detail = client.get(reverse("staff:audit_entry", args=[mine.pk]))
    assert detail.status_code == 200
    assert "Thôn Của An" in detail.content.decode()


@pytest.mark.django_db
def test_audit_log_search_filters_by_object_name(client, admin_a, commune_a):
    HamletFactory(commune=commune_a, name="Thôn Bắc")
    HamletFactory(commune=commune_a, name="Thôn Nam")
    client.force_login(admin_a)
    page = client.get(reverse("staff:audit_log"), {"q": "Bắc"}).content.decode()
    assert "Thôn Bắc" in page
    assert "Thôn Nam" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.COMMUNE_OFFICIAL, Role.COMMUNE_LEADER])
def test_audit_log_is_for_administrators(client, make_user, commune_a, role):
    client.force_login(make_user(role, commune=commune_a))
    assert client.get(reverse("staff:audit_log")).status_code == 403
