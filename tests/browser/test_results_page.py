"""A campaign's public results page on a 360 px phone: readable, accessible, no sideways scroll."""

import pytest
from playwright.sync_api import expect

from tests.factories import CommuneFactory, HamletFactory
from tests.factories_campaigns import CampaignFactory
from tests.test_results import SIPAS, build_responses
from thanthien.surveys.models import Campaign, ResponseChannel

pytestmark = pytest.mark.browser


def test_public_results_page_fits_a_phone_and_is_accessible(
    live_server, transactional_db, page, assert_accessible
):
    commune = CommuneFactory(name="Xã Kiến Minh", slug="xa-kien-minh")
    east = HamletFactory(commune=commune, name="Thôn Đông")
    west = HamletFactory(commune=commune, name="Thôn Tây")
    campaign = CampaignFactory(
        commune=commune,
        title="Khảo sát SIPAS 2026",
        definition=SIPAS,
        state=Campaign.State.CLOSED,
        results_public=True,
        target_per_hamlet={str(east.pk): 20, str(west.pk): 20},
    )
    build_responses(
        campaign,
        [
            {
                "hamlet": (east, west)[i % 2],
                "channel": (ResponseChannel.ONLINE, ResponseChannel.PHONE)[i % 2],
                "answers": {
                    "access_satisfaction": 1 + i % 4,
                    "officials_satisfaction": 3 + i % 2,
                    "overall_satisfaction": 4,
                    "gender": ("female", "male")[i % 2],
                },
            }
            for i in range(24)
        ],
    )
    page.goto(f"{live_server.url}/khao-sat/{campaign.public_code}/ket-qua/")
    expect(
        page.get_by_role("heading", name="Kết quả khảo sát: Khảo sát SIPAS 2026")
    ).to_be_visible()
    expect(page.get_by_role("img", name="Theo yếu tố — tỷ lệ hài lòng")).to_be_visible()
    assert_accessible(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the results page scrolls sideways at 360 px: scrollWidth is {width}"
