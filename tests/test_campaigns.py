"""Campaigns: staff create, edit, open and close them; residents answer online (no
JavaScript, skip logic on the server); officials type in phone interviews."""

import copy
from datetime import timedelta
from decimal import Decimal

import pytest
from auditlog.models import LogEntry
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.factories import HamletFactory
from tests.factories_campaigns import CampaignFactory, ResponseFactory
from tests.test_responses import DEFINITION
from thanthien.people.roles import Role
from thanthien.surveys import campaign_services as services
from thanthien.surveys.campaign_selectors import campaign_progress
from thanthien.surveys.models import Campaign, Response, ResponseScore

PASSWORD = "mat-khau-thu-nghiem"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def hamlets(commune_a):
    return [
        HamletFactory(commune=commune_a, name="Thôn Đông", order=1),
        HamletFactory(commune=commune_a, name="Thôn Tây", order=2),
    ]


@pytest.fixture
def open_campaign(commune_a, admin_a):
    return CampaignFactory(
        commune=commune_a,
        created_by=admin_a,
        title="Khảo sát thử năm 2026",
        definition=copy.deepcopy(DEFINITION),
        state=Campaign.State.OPEN,
        channels=["online", "phone"],
    )


def _create(actor, commune, **overrides):
    today = timezone.localdate()
    values = {
        "actor": actor,
        "commune": commune,
        "questionnaire": "sipas-xa:1",
        "title": "Khảo sát SIPAS 2026",
        "starts_on": today,
        "ends_on": today + timedelta(days=30),
        "channels": ["online", "paper"],
        "target_per_hamlet": {},
        "satisfaction_target": Decimal("0.85"),
    }
    return services.campaign_create(**{**values, **overrides})


# --- Services ------------------------------------------------------------------------------


def test_create_snapshots_the_shipped_questionnaire(admin_a, commune_a, hamlets):
    campaign = _create(
        admin_a,
        commune_a,
        target_per_hamlet={str(hamlets[0].pk): 40, str(hamlets[1].pk): 0},
    )
    assert campaign.state == Campaign.State.DRAFT
    assert (campaign.questionnaire_id, campaign.questionnaire_version) == ("sipas-xa", 1)
    assert campaign.definition["id"] == "sipas-xa"
    assert len(campaign.definition["sections"]) == 8
    assert campaign.target_per_hamlet == {str(hamlets[0].pk): 40}
    assert campaign.satisfaction_target == Decimal("0.85")
    assert 6 <= len(campaign.public_code) <= 12
    assert campaign.created_by == admin_a


def test_create_refuses_bad_fields(admin_a, commune_a, commune_b):
    stranger = HamletFactory(commune=commune_b)
    today = timezone.localdate()
    with pytest.raises(ValidationError) as caught:
        _create(
            admin_a,
            commune_a,
            title=" ",
            ends_on=today - timedelta(days=1),
            channels=[],
            target_per_hamlet={str(stranger.pk): 5},
            questionnaire="khong-co:1",
        )
    assert set(caught.value.message_dict) == {"title", "ends_on", "channels", "target_per_hamlet"}
    with pytest.raises(ValidationError) as caught:
        _create(admin_a, commune_a, questionnaire="khong-co:1")
    assert "questionnaire" in caught.value.message_dict


def test_only_the_communes_managers_manage(official, admin_a, commune_b, make_user):
    with pytest.raises(PermissionDenied):
        _create(official, official.commune)
    with pytest.raises(PermissionDenied):
        _create(admin_a, commune_b)
    leader = make_user(Role.COMMUNE_LEADER, commune=admin_a.commune)
    assert _create(leader, leader.commune).created_by == leader


def test_open_then_close_is_audited(admin_a, commune_a):
    campaign = _create(admin_a, commune_a)
    services.campaign_open(actor=admin_a, campaign=campaign)
    with pytest.raises(ValidationError):
        services.campaign_open(actor=admin_a, campaign=campaign)
    services.campaign_close(actor=admin_a, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.CLOSED
    with pytest.raises(ValidationError):
        services.campaign_update(
            actor=admin_a,
            campaign=campaign,
            title="x",
            starts_on=campaign.starts_on,
            ends_on=campaign.ends_on,
            channels=["online"],
        )
    states = [
        entry.changes_dict["state"][1]
        for entry in LogEntry.objects.get_for_object(campaign).order_by("pk")
        if "state" in entry.changes_dict
    ]
    assert states[-2:] == ["open", "closed"]


def test_progress_counts_per_hamlet_and_channel(open_campaign, hamlets, official):
    open_campaign.target_per_hamlet = {str(hamlets[0].pk): 4, str(hamlets[1].pk): 2}
    open_campaign.save()
    for channel, hamlet in [
        ("online", hamlets[0]),
        ("online", hamlets[0]),
        ("phone", hamlets[0]),
        ("online", hamlets[1]),
        ("online", None),
    ]:
        ResponseFactory(
            commune=open_campaign.commune, campaign=open_campaign, channel=channel, hamlet=hamlet
        )
    progress = campaign_progress([open_campaign])[open_campaign.pk]
    assert (progress.total, progress.target) == (5, 6)
    assert progress.by_channel == {"online": 4, "phone": 1}
    assert [(row.name, row.count, row.target, row.percent) for row in progress.hamlets] == [
        ("Thôn Đông", 3, 4, 75),
        ("Thôn Tây", 1, 2, 50),
        ("", 1, 0, None),
    ]


# --- Staff pages -----------------------------------------------------------------------------


def test_list_keeps_a_fixed_number_of_queries(
    client, admin_a, commune_a, hamlets, django_assert_max_num_queries
):
    for n in range(6):
        campaign = CampaignFactory(commune=commune_a, created_by=admin_a, title=f"Đợt {n}")
        for hamlet in hamlets:
            ResponseFactory(commune=commune_a, campaign=campaign, hamlet=hamlet)
    other = CampaignFactory(title="Đợt của xã khác")
    client.force_login(admin_a)
    with django_assert_max_num_queries(8):
        page = client.get(reverse("staff:campaign_list"))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Đợt 5" in html and other.title not in html


def test_admin_creates_opens_and_edits_through_the_pages(client, admin_a, hamlets):
    client.force_login(admin_a)
    today = timezone.localdate()
    page = client.post(
        reverse("staff:campaign_create"),
        {
            "questionnaire": "sipas-xa:1",
            "title": "Ý kiến người dân quý I",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=20)).isoformat(),
            "channels": ["online", "phone"],
            "satisfaction_target": "90",
            f"target_{hamlets[0].pk}": "30",
        },
    )
    campaign = Campaign.objects.get()
    assert page.status_code == 302
    assert page.url == reverse("staff:campaign_detail", args=[campaign.pk])
    assert campaign.target_per_hamlet == {str(hamlets[0].pk): 30}
    assert campaign.satisfaction_target == Decimal("0.9")
    assert client.get(reverse("staff:campaign_open", args=[campaign.pk])).status_code == 405
    client.post(reverse("staff:campaign_open", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.state == Campaign.State.OPEN
    page = client.get(reverse("staff:campaign_detail", args=[campaign.pk]))
    assert f"/khao-sat/{campaign.public_code}/" in page.content.decode()
    client.post(
        reverse("staff:campaign_edit", args=[campaign.pk]),
        {
            "title": "Ý kiến người dân quý I (sửa)",
            "starts_on": today.isoformat(),
            "ends_on": (today + timedelta(days=25)).isoformat(),
            "channels": ["online"],
            "satisfaction_target": "80",
            f"target_{hamlets[1].pk}": "12",
        },
    )
    campaign.refresh_from_db()
    assert campaign.title == "Ý kiến người dân quý I (sửa)"
    assert campaign.target_per_hamlet == {str(hamlets[1].pk): 12}
    assert campaign.channels == ["online"]


def test_official_sees_but_cannot_manage(client, official, open_campaign):
    client.force_login(official)
    assert client.get(reverse("staff:campaign_list")).status_code == 200
    assert client.get(reverse("staff:campaign_create")).status_code == 403
    page = client.post(reverse("staff:campaign_close", args=[open_campaign.pk]))
    assert page.status_code == 403
    open_campaign.refresh_from_db()
    assert open_campaign.state == Campaign.State.OPEN


def test_poster_has_the_qr_of_the_public_link(client, official, open_campaign):
    client.force_login(official)
    page = client.get(reverse("staff:campaign_poster", args=[open_campaign.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<svg" in html
    assert f"http://testserver/khao-sat/{open_campaign.public_code}/" in html


def test_phone_interview_is_entered_by_the_official(client, official, open_campaign):
    client.force_login(official)
    url = reverse("staff:campaign_phone", args=[open_campaign.pk])
    page = client.get(url)
    assert "Hài lòng với cán bộ?" in page.content.decode()
    page = client.post(
        url,
        {
            "shown": "gave_feedback,officials_sat,visits,hamlet",
            "key": "phone-1",
            "q-gave_feedback": "no",
            "q-officials_sat": "2",
        },
    )
    assert page.status_code == 302
    response = Response.objects.get()
    assert (response.channel, response.entered_by, response.answers) == (
        "phone",
        official,
        {"gave_feedback": "no", "officials_sat": 2},
    )


# --- Online answering ------------------------------------------------------------------------


def _answer_url(campaign):
    return reverse("surveys:survey_answer", args=[campaign.public_code])


def test_online_page_shows_visible_questions_only(client, open_campaign, hamlets):
    page = client.get(_answer_url(open_campaign))
    html = page.content.decode()
    assert page.status_code == 200
    assert "Đã góp ý chưa?" in html and "Hài lòng với cán bộ?" in html
    assert "Hài lòng với xử lý góp ý?" not in html  # shown only after "yes"
    assert "Thôn Đông" in html and "Thôn Tây" in html
    assert 'name="key"' in html


def test_online_page_in_english(client, open_campaign):
    page = client.get(_answer_url(open_campaign), HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert "Gave feedback?" in html and "Đã góp ý chưa?" not in html


def test_skip_logic_brings_new_questions_before_recording(client, open_campaign, hamlets):
    url = _answer_url(open_campaign)
    first = {
        "shown": "gave_feedback,officials_sat,visits,hamlet",
        "key": "abc",
        "q-gave_feedback": "yes",
        "q-officials_sat": "3",
        "q-hamlet": str(hamlets[1].pk),
    }
    page = client.post(url, first)
    html = page.content.decode()
    assert page.status_code == 200
    assert "Hài lòng với xử lý góp ý?" in html
    assert "mở thêm một số câu hỏi" in html
    assert not Response.objects.exists()
    second = {
        **first,
        "shown": "gave_feedback,feedback_sat,officials_sat,visits,hamlet",
        "q-feedback_sat": "4",
    }
    page = client.post(url, second)
    assert page.status_code == 302
    assert page.url == reverse("surveys:survey_thanks", args=[open_campaign.public_code])
    response = Response.objects.get()
    assert (response.channel, response.hamlet, response.entered_by) == ("online", hamlets[1], None)
    assert set(ResponseScore.objects.values_list("question_id", "key")) == {
        ("feedback_sat", "very_satisfied"),
        ("officials_sat", "satisfied"),
    }
    # The same form sent again (a double tap) records nothing more.
    assert client.post(url, second).status_code == 302
    assert Response.objects.count() == 1


def test_errors_are_shown_next_to_their_question(client, open_campaign):
    page = client.post(
        _answer_url(open_campaign),
        {"shown": "gave_feedback,officials_sat,visits,hamlet", "key": "k", "q-visits": "99"},
    )
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count("Câu này cần được trả lời.") == 2
    assert "Số phải không quá 10." in html
    assert 'id="e-visits"' in html
    assert not Response.objects.exists()


def test_contact_phone_only_with_consent(client, open_campaign):
    data = {
        "shown": "gave_feedback,officials_sat,visits,hamlet",
        "key": "k2",
        "q-gave_feedback": "no",
        "q-officials_sat": "4",
        "contact_phone": "0912345678",
    }
    page = client.post(_answer_url(open_campaign), data)
    assert "Chỉ ghi số điện thoại khi ông/bà đồng ý" in page.content.decode()
    assert not Response.objects.exists()
    page = client.post(_answer_url(open_campaign), {**data, "consent_contact": "on"})
    assert page.status_code == 302
    assert Response.objects.get().contact_phone == "0912345678"


@pytest.mark.parametrize(
    "change",
    [
        {"state": Campaign.State.CLOSED},
        {"state": Campaign.State.DRAFT},
        {"channels": ["phone"]},
        {"starts_on_shift": 2},
    ],
)
def test_not_answerable_outside_open_period_and_channel(client, open_campaign, change):
    if "starts_on_shift" in change:
        open_campaign.starts_on = timezone.localdate() + timedelta(days=change["starts_on_shift"])
    else:
        for name, value in change.items():
            setattr(open_campaign, name, value)
    open_campaign.save()
    page = client.post(
        _answer_url(open_campaign),
        {"shown": "gave_feedback,officials_sat", "q-gave_feedback": "no", "q-officials_sat": "4"},
    )
    assert "không nhận phiếu lúc này" in page.content.decode()
    assert not Response.objects.exists()


def test_unknown_code_is_404(client, db):
    assert client.get("/khao-sat/khong-co-ma/").status_code == 404


@override_settings(THANTHIEN_SURVEY_RATE="3/10m")
def test_posts_are_rate_limited_per_address(client, open_campaign):
    url = _answer_url(open_campaign)
    codes = [client.post(url, {"shown": ""}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert client.get(url).status_code == 200  # reading the form is not counted
