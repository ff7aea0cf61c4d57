"""The public results page of a campaign: its computed indices are cached for a few minutes
(no aggregation query on a second view), dropped as soon as a response arrives or the campaign
changes, and views are rate-limited per client address."""

import json
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.factories import HamletFactory
from tests.factories_campaigns import CampaignFactory
from thanthien.surveys.definitions import SHIPPED_DIR, parse_definition
from thanthien.surveys.models import Campaign, ResponseChannel
from thanthien.surveys.response_services import response_submit
from thanthien.surveys.results_cache import cached_campaign_results

_SIPAS = json.loads((SHIPPED_DIR / "sipas-xa.json").read_text(encoding="utf-8"))
# The shipped SIPAS questionnaire cut to its access section: one required satisfaction
# question on the shared 4-point scale.
SIPAS = {
    **_SIPAS,
    "id": "sipas-rut-gon",
    "sections": [
        {
            "id": "access",
            "title": {"vi": "Tiếp cận dịch vụ", "en": "Access"},
            "factor": "access",
            "questions": [
                next(
                    q
                    for section in _SIPAS["sections"]
                    for q in section["questions"]
                    if q["id"] == "access_satisfaction"
                )
            ],
        }
    ],
}
AGGREGATING = ("surveys_responsescore", "surveys_response")


@pytest.fixture(autouse=True)
def _fresh_cache(empty_cache):
    """Cached results and rate-limit counts live in the cache: every test starts empty."""


@pytest.fixture
def campaign(commune_a):
    HamletFactory(commune=commune_a, name="Thôn Đông")
    return CampaignFactory(
        commune=commune_a,
        title="Khảo sát công khai",
        definition=SIPAS,
        questionnaire_id="sipas-rut-gon",
        state=Campaign.State.OPEN,
        results_public=True,
        channels=[ResponseChannel.ONLINE],
        starts_on=date(2026, 1, 1),
        ends_on=date(2099, 12, 31),
    )


def answer(campaign, score: int):
    return response_submit(
        campaign=campaign,
        channel=ResponseChannel.ONLINE,
        answers={"access_satisfaction": score},
    )


def view(client, campaign):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("surveys:campaign_results", args=[campaign.public_code]))
    assert response.status_code == 200
    aggregating = [q["sql"] for q in queries if any(table in q["sql"] for table in AGGREGATING)]
    return response.content.decode(), aggregating


def test_second_view_makes_no_aggregation_queries(client, campaign):
    answer(campaign, 4)
    first, first_queries = view(client, campaign)
    assert first_queries  # counted the first time
    second, second_queries = view(client, campaign)
    assert second_queries == []
    assert "1 phiếu trả lời" in first and "1 phiếu trả lời" in second


def test_a_new_response_shows_at_once(client, campaign):
    answer(campaign, 4)
    page, _queries = view(client, campaign)
    assert "1 phiếu trả lời" in page and "100%" in page
    answer(campaign, 1)  # the service saves the response: the cached results are dropped
    page, queries = view(client, campaign)
    assert queries
    assert "2 phiếu trả lời" in page and "50%" in page


def test_a_campaign_change_shows_at_once(client, campaign):
    view(client, campaign)
    campaign.title = "Khảo sát công khai (đã sửa)"
    campaign.save()
    page, queries = view(client, campaign)
    assert "Khảo sát công khai (đã sửa)" in page
    assert queries
    # Unpublished: gone from the portal at once.
    campaign.results_public = False
    campaign.save()
    url = reverse("surveys:campaign_results", args=[campaign.public_code])
    assert client.get(url).status_code == 404


def test_each_language_is_cached_on_its_own(campaign):
    answer(campaign, 3)
    with translation.override("vi"):
        vietnamese = cached_campaign_results(campaign)
    with translation.override("en"):
        english = cached_campaign_results(campaign)
    question = parse_definition(SIPAS).question("access_satisfaction")
    assert vietnamese.breakdown("question").rows[0].label == question.text.get("vi")
    assert english.breakdown("question").rows[0].label == question.text.get("en")
    with translation.override("vi"):
        again = cached_campaign_results(campaign)
    assert again.breakdown("question").rows[0].label == question.text.get("vi")


def test_cache_can_be_turned_off(client, campaign, settings):
    settings.THANTHIEN_SURVEY_RESULTS_CACHE_SECONDS = 0
    view(client, campaign)
    _page, queries = view(client, campaign)
    assert queries


def test_views_are_rate_limited_per_address(client, campaign, settings):
    settings.THANTHIEN_SURVEY_RESULTS_RATE = "3/10m"
    url = reverse("surveys:campaign_results", args=[campaign.public_code])
    for _ in range(3):
        assert client.get(url, REMOTE_ADDR="203.0.113.5").status_code == 200
    refused = client.get(url, REMOTE_ADDR="203.0.113.5")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert "Xin chờ khoảng" in refused.content.decode()
    # Another address is not affected.
    assert client.get(url, REMOTE_ADDR="203.0.113.6").status_code == 200
