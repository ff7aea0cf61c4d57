"""A resident on a cheap phone finds the chairman's number and the day he receives citizens."""

from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import assert_fits_phone_width, link_labelled
from thanthien.core.demo import DEMO_COMMUNE_CODE
from thanthien.people.models import Official
from thanthien.places.models import Commune
from thanthien.portal.models import ReceptionSlot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def kien_minh(transactional_db) -> Commune:
    call_command("load_demo", stdout=StringIO())
    return Commune.objects.get(code=DEMO_COMMUNE_CODE)


@pytest.fixture
def requested_hosts(page) -> set[str]:
    """Every host the page sends a request to, for the whole visit."""
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    return hosts


def test_resident_finds_chairman_phone_and_reception_day_on_a_phone(
    live_server, kien_minh, page, requested_hosts, artifacts
):
    chairman = Official.objects.get(commune=kien_minh, position__code="chu-tich-ubnd")
    slot = ReceptionSlot.objects.filter(commune=kien_minh, host=chairman).first()
    assert slot is not None, "the demo schedules no reception day for the chairman"
    day = str(slot.get_weekday_display())

    page.goto(f"{live_server.url}/xa-kien-minh/")
    expect(page.get_by_role("heading", level=1)).to_have_text(kien_minh.name)
    assert_fits_phone_width(page)
    page.screenshot(path=artifacts / "kien-minh-home-360.png", full_page=True)

    link_labelled(page, "Danh bạ cán bộ").click()
    expect(page).to_have_url(f"{live_server.url}/xa-kien-minh/can-bo/")
    card = page.locator(".person", has_text=chairman.full_name)
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Chủ tịch UBND")
    assert card.locator("a[href^='tel:']").get_attribute("href") == f"tel:{chairman.phone}"
    assert_fits_phone_width(page)
    page.screenshot(path=artifacts / "kien-minh-officials-360.png", full_page=True)

    page.go_back()
    expect(page).to_have_url(f"{live_server.url}/xa-kien-minh/")
    link_labelled(page, "Lịch tiếp công dân").click()
    expect(page).to_have_url(f"{live_server.url}/xa-kien-minh/lich-tiep-cong-dan/")
    chairman_slot = page.locator(".slots li", has_text=chairman.full_name)
    expect(chairman_slot).to_contain_text(day)
    expect(chairman_slot).to_contain_text(f"{slot.start_time:%H:%M}")
    assert_fits_phone_width(page)
    page.screenshot(path=artifacts / "kien-minh-reception-360.png", full_page=True)

    assert requested_hosts == {urlsplit(live_server.url).netloc}, (
        f"the pages asked other hosts than the site: {sorted(requested_hosts)}"
    )


@pytest.mark.parametrize("path", ["/xa-kien-minh/", "/xa-kien-minh/can-bo/"])
def test_home_and_directory_have_no_serious_accessibility_violations(
    live_server, kien_minh, page, requested_hosts, assert_accessible, path
):
    page.goto(f"{live_server.url}{path}")

    assert_accessible(page)
    assert requested_hosts == {urlsplit(live_server.url).netloc}, sorted(requested_hosts)
