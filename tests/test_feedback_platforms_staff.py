"""The staff page of the feedback channels: accounts and the log of webhook calls."""

import pytest
from django.urls import reverse

from tests.factories_feedback import (
    ChannelAccountFactory,
    FeedbackItemFactory,
    InboundLogFactory,
)
from thanthien.feedback.models import InboundLog

URL = reverse("staff:feedback:channel_log")
Outcome = InboundLog.Outcome


@pytest.mark.django_db
def test_leader_sees_the_own_communes_accounts_and_log_only(client, leader_a, commune_a, commune_b):
    ChannelAccountFactory(commune=commune_a, platform="zalo", account_id="oa-cua-xa-an")
    ChannelAccountFactory(commune=commune_b, platform="zalo", account_id="oa-cua-xa-binh")
    InboundLogFactory(commune=commune_a, reason="bad signature")
    InboundLogFactory(commune=commune_b, reason="cua xa binh")
    InboundLogFactory(commune=None, reason="unknown or inactive OA '1'")
    client.force_login(leader_a)
    page = client.get(URL).content.decode()
    assert "oa-cua-xa-an" in page and "http://testserver/webhooks/zalo/" in page
    assert "bad signature" in page
    assert "oa-cua-xa-binh" not in page and "cua xa binh" not in page
    assert "unknown or inactive" not in page


@pytest.mark.django_db
def test_desk_official_may_not_read_the_channel_log(client, official):
    client.force_login(official)
    assert client.get(URL).status_code == 403


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and "dang-nhap" in response["Location"]


@pytest.mark.django_db
def test_channel_log_filters_by_outcome_source_and_code(client, admin_a, commune_a):
    item = FeedbackItemFactory(commune=commune_a, code="PA-TEST-LOG-1")
    InboundLogFactory(commune=commune_a, outcome=Outcome.ACCEPTED, reason="ok-zalo", item=item)
    InboundLogFactory(
        commune=commune_a, source="facebook", outcome=Outcome.REFUSED, reason="fb-sai"
    )
    InboundLogFactory(commune=commune_a, outcome=Outcome.IGNORED, reason="event follow")
    client.force_login(admin_a)
    refused = client.get(URL, {"outcome": "refused"}).content.decode()
    assert "fb-sai" in refused and "ok-zalo" not in refused and "event follow" not in refused
    zalo = client.get(URL, {"source": "zalo"}).content.decode()
    assert "ok-zalo" in zalo and "fb-sai" not in zalo
    by_code = client.get(URL, {"q": "pa-test-log-1"}).content.decode()
    assert "ok-zalo" in by_code and "event follow" not in by_code
    assert item.get_absolute_url() in by_code


@pytest.mark.django_db
def test_channel_log_query_count_does_not_grow_with_rows(
    client, admin_a, commune_a, django_assert_max_num_queries
):
    client.force_login(admin_a)
    ChannelAccountFactory(commune=commune_a)
    InboundLogFactory(commune=commune_a, item=FeedbackItemFactory(commune=commune_a))
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for _ in range(30):
        InboundLogFactory(commune=commune_a, item=FeedbackItemFactory(commune=commune_a))
    ChannelAccountFactory.create_batch(3, commune=commune_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)
    assert response.status_code == 200
    assert response.content.decode().count("PA-TEST-") == 31
