"""The staff workspace: dashboard warnings and admin forms kept inside the commune."""

import pytest
from django.urls import reverse

from tests.factories import OfficialFactory, ReceptionSlotFactory
from thanthien.people.roles import Role
from thanthien.portal.models import ReceptionSlot

WARNING = "ngày tiếp công dân mỗi tuần"


@pytest.fixture
def admin_a(make_user, commune_a):
    return make_user(Role.COMMUNE_ADMIN, commune=commune_a)


@pytest.mark.django_db
def test_dashboard_warns_when_no_reception_day_is_scheduled(client, admin_a, commune_a):
    client.force_login(admin_a)
    page = client.get(reverse("staff:dashboard")).content.decode()
    assert WARNING in page
    assert "Xã An mới có 0 ngày" in page


@pytest.mark.django_db
def test_dashboard_has_no_warning_once_a_weekly_reception_is_scheduled(client, admin_a, commune_a):
    ReceptionSlotFactory(commune=commune_a)
    client.force_login(admin_a)
    assert WARNING not in client.get(reverse("staff:dashboard")).content.decode()


@pytest.mark.django_db
def test_an_inactive_slot_does_not_count_as_a_reception_day(client, admin_a, commune_a):
    ReceptionSlotFactory(commune=commune_a, is_active=False)
    client.force_login(admin_a)
    assert WARNING in client.get(reverse("staff:dashboard")).content.decode()


@pytest.mark.django_db
def test_reception_admin_list_warns_the_commune_administrator(client, admin_a):
    client.force_login(admin_a)
    response = client.get(reverse("admin:portal_receptionslot_changelist"))
    assert response.status_code == 200
    assert WARNING in response.content.decode()


@pytest.mark.django_db
def test_admin_form_offers_only_the_communes_own_officials_and_fixes_the_commune(
    client, admin_a, commune_a, commune_b
):
    mine = OfficialFactory(commune=commune_a, full_name="Cán Bộ Xã An")
    theirs = OfficialFactory(commune=commune_b, full_name="Cán Bộ Xã Bình")
    client.force_login(admin_a)
    add_url = reverse("admin:portal_receptionslot_add")
    form_html = client.get(add_url).content.decode()
    assert "Cán Bộ Xã An" in form_html
    assert "Cán Bộ Xã Bình" not in form_html

    slot = {"weekday": 3, "start_time": "07:30", "end_time": "11:00", "is_active": "on"}
    # Another commune's official is refused, and so is a forged commune in the POST.
    response = client.post(add_url, {**slot, "host": theirs.pk, "commune": commune_b.pk})
    assert response.status_code == 200
    assert not ReceptionSlot.objects.exists()
    response = client.post(add_url, {**slot, "host": mine.pk, "commune": commune_b.pk})
    assert response.status_code == 302
    assert ReceptionSlot.objects.get().commune == commune_a


@pytest.mark.django_db
def test_staff_login_page_signs_in_and_lands_on_the_dashboard(client, make_user, commune_a):
    make_user(Role.COMMUNE_OFFICIAL, commune=commune_a, username="canbo.an")
    response = client.post(
        reverse("staff:login"),
        {"username": "canbo.an", "password": "mat-khau-thu-nghiem"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("staff:dashboard")
    assert "Xã An" in response.content.decode()
