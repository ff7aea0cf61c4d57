"""Province campaigns: one questionnaire put by the province admin to several communes, one
ordinary commune campaign each; results per commune and overall, counted in SQL; who sees
what (an evaluator of province P never sees province Q's campaigns, a commune only its own)."""

import json
from datetime import date
from io import BytesIO

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import CommuneFactory, HamletFactory
from tests.factories_province_campaigns import ProvinceCampaignFactory
from thanthien.people.roles import Role
from thanthien.surveys import campaign_services
from thanthien.surveys.definitions import SHIPPED_DIR, parse_definition
from thanthien.surveys.models import (
    Campaign,
    ProvinceCampaign,
    Response,
    ResponseChannel,
    ResponseScore,
)
from thanthien.surveys.province_campaign_selectors import province_results
from thanthien.surveys.province_campaign_services import (
    province_campaign_close,
    province_campaign_create,
    province_campaign_open,
)

SIPAS = json.loads((SHIPPED_DIR / "sipas-xa.json").read_text(encoding="utf-8"))
QUESTIONNAIRE = parse_definition(SIPAS)
SIPAS_KEY = f"{QUESTIONNAIRE.id}:{QUESTIONNAIRE.version}"


@pytest.fixture
def province_admin(make_user, province_p):
    return make_user(Role.PROVINCE_ADMIN, province=province_p)


@pytest.fixture
def evaluator_p(make_user, province_p):
    return make_user(Role.PROVINCE_EVALUATOR, province=province_p)


@pytest.fixture
def communes(province_p, commune_a):
    """Commune A and two more communes of province P."""
    return [
        commune_a,
        CommuneFactory(name="Xã Cát", province=province_p),
        CommuneFactory(name="Xã Đồng", province=province_p),
    ]


def create(actor, province, **overrides):
    values = {
        "questionnaire": SIPAS_KEY,
        "title": "Khảo sát SIPAS toàn tỉnh 2026",
        "starts_on": date(2026, 3, 1),
        "ends_on": date(2026, 4, 30),
        "channels": [ResponseChannel.ONLINE, ResponseChannel.PAPER],
        "satisfaction_target": "0.85",
    }
    values.update(overrides)
    return province_campaign_create(actor=actor, province=province, **values)


def add_responses(campaign, keys_per_response, *, phone=""):
    """Responses with the given satisfaction answers, as the response service writes them:
    each `keys` is a list of (question id, index key) pairs."""
    responses = Response.objects.bulk_create(
        [
            Response(
                commune=campaign.commune,
                campaign=campaign,
                channel=ResponseChannel.ONLINE,
                answers={},
                submitted_at=campaign.created_at,
                consent_contact=bool(phone),
                contact_phone=phone,
            )
            for _keys in keys_per_response
        ]
    )
    ResponseScore.objects.bulk_create(
        [
            ResponseScore(
                response=response,
                campaign=campaign,
                channel=response.channel,
                submitted_at=response.submitted_at,
                question_id=question_id,
                factor=QUESTIONNAIRE.question(question_id).factor or "",
                key=key,
            )
            for response, keys in zip(responses, keys_per_response, strict=True)
            for question_id, key in keys
        ]
    )


# --- Creating, opening, closing -------------------------------------------------------------


def test_create_makes_one_draft_campaign_per_chosen_commune(province_admin, province_p, communes):
    parent = create(province_admin, province_p, communes=communes[:2])
    linked = list(parent.campaigns.order_by("commune__name"))
    assert [c.commune for c in linked] == sorted(communes[:2], key=lambda c: c.name)
    for campaign in linked:
        assert campaign.state == Campaign.State.DRAFT
        assert campaign.questionnaire_id == "sipas-xa"
        assert campaign.definition == SIPAS == parent.definition
        assert (campaign.title, campaign.starts_on, campaign.ends_on) == (
            "Khảo sát SIPAS toàn tỉnh 2026",
            date(2026, 3, 1),
            date(2026, 4, 30),
        )
        assert campaign.channels == ["online", "paper"]
        assert str(campaign.satisfaction_target) == "0.850"
        assert campaign.target_per_hamlet == {}
        assert campaign.public_code
    assert len({c.public_code for c in linked}) == 2
    # Bulk inserts are audited explicitly, one entry per commune campaign.
    entries = LogEntry.objects.get_for_model(Campaign).filter(
        action=LogEntry.Action.CREATE, object_id__in=[c.pk for c in linked]
    )
    assert entries.count() == 2
    assert {e.additional_data["commune_id"] for e in entries} == {c.pk for c in communes[:2]}


def test_a_double_submit_creates_one_province_campaign(province_admin, province_p, communes):
    first = create(province_admin, province_p)
    again = create(province_admin, province_p)
    assert again.pk == first.pk
    assert ProvinceCampaign.objects.count() == 1
    assert Campaign.objects.count() == len(communes)
    # A different campaign is not a duplicate.
    create(province_admin, province_p, title="Đợt thứ hai")
    assert ProvinceCampaign.objects.count() == 2


def test_create_without_a_choice_covers_every_commune_of_the_province(
    province_admin, province_p, communes, commune_b
):
    parent = create(province_admin, province_p)
    assert set(parent.campaigns.values_list("commune_id", flat=True)) == {c.pk for c in communes}


def test_create_refuses_another_provinces_commune_and_bad_fields(
    province_admin, province_p, communes, commune_b
):
    with pytest.raises(ValidationError) as error:
        create(province_admin, province_p, communes=[communes[0], commune_b])
    assert "communes" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        create(
            province_admin,
            province_p,
            title=" ",
            channels=[],
            starts_on=date(2026, 5, 1),
            ends_on=date(2026, 4, 1),
        )
    assert {"title", "channels", "ends_on"} <= set(error.value.message_dict)
    with pytest.raises(ValidationError):
        create(province_admin, province_p, questionnaire="khong-co:1")
    assert not ProvinceCampaign.objects.exists()
    assert not Campaign.objects.exists()


def test_only_the_provinces_own_admin_creates(
    make_user, province_p, province_q, communes, evaluator_p, admin_a
):
    admin_q = make_user(Role.PROVINCE_ADMIN, province=province_q)
    for actor in (evaluator_p, admin_a, admin_q):
        with pytest.raises(PermissionDenied):
            create(actor, province_p)
    assert not ProvinceCampaign.objects.exists()


def test_open_and_close_all_move_every_commune_and_are_audited(
    province_admin, province_p, communes, evaluator_p
):
    parent = create(province_admin, province_p)
    one = parent.campaigns.get(commune=communes[0])
    one.state = Campaign.State.OPEN  # a commune opened its own already
    one.save()
    with pytest.raises(PermissionDenied):
        province_campaign_open(actor=evaluator_p, province_campaign=parent)
    assert province_campaign_open(actor=province_admin, province_campaign=parent) == 2
    assert set(parent.campaigns.values_list("state", flat=True)) == {"open"}
    with pytest.raises(ValidationError):
        province_campaign_open(actor=province_admin, province_campaign=parent)
    assert province_campaign_close(actor=province_admin, province_campaign=parent) == 3
    assert set(parent.campaigns.values_list("state", flat=True)) == {"closed"}
    updates = LogEntry.objects.get_for_model(Campaign).filter(action=LogEntry.Action.UPDATE)
    assert updates.count() == 1 + 2 + 3  # the commune's own save, then the two bulk moves


def test_each_commune_sets_its_own_hamlet_targets_but_not_the_provinces_fields(
    province_admin, province_p, communes, admin_a
):
    parent = create(province_admin, province_p)
    campaign = parent.campaigns.get(commune=communes[0])
    east = HamletFactory(commune=communes[0], name="Thôn Đông")
    campaign_services.campaign_update(
        actor=admin_a,
        campaign=campaign,
        title="Tên khác",
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 12, 31),
        channels=[ResponseChannel.PHONE],
        target_per_hamlet={str(east.pk): 40},
        satisfaction_target="0.95",
        results_public=True,
    )
    campaign.refresh_from_db()
    assert campaign.target_per_hamlet == {str(east.pk): 40}
    assert str(campaign.satisfaction_target) == "0.950"
    assert campaign.results_public
    # Title, period and channels stay as the province set them.
    assert campaign.title == "Khảo sát SIPAS toàn tỉnh 2026"
    assert (campaign.starts_on, campaign.ends_on) == (date(2026, 3, 1), date(2026, 4, 30))
    assert campaign.channels == ["online", "paper"]
    # Another commune's campaign is untouched, and commune A cannot edit it.
    other = parent.campaigns.get(commune=communes[1])
    with pytest.raises(PermissionDenied):
        campaign_services.campaign_update(
            actor=admin_a,
            campaign=other,
            title="x",
            starts_on=date(2026, 3, 1),
            ends_on=date(2026, 4, 30),
            channels=["online"],
            target_per_hamlet={},
        )


def test_commune_edit_page_locks_the_provinces_fields(
    client, province_admin, province_p, communes, admin_a
):
    parent = create(province_admin, province_p)
    campaign = parent.campaigns.get(commune=communes[0])
    east = HamletFactory(commune=communes[0], name="Thôn Đông")
    client.force_login(admin_a)
    url = reverse("staff:campaign_edit", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert 'name="title"' in page and "disabled" in page
    response = client.post(
        url,
        {
            "title": "Bị đổi",
            "starts_on": "2026-01-01",
            "ends_on": "2026-01-02",
            "channels": ["phone"],
            "satisfaction_target": "80",
            f"target_{east.pk}": "25",
        },
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.target_per_hamlet == {str(east.pk): 25}
    assert campaign.title == "Khảo sát SIPAS toàn tỉnh 2026"
    assert campaign.channels == ["online", "paper"]
    detail = client.get(reverse("staff:campaign_detail", args=[campaign.pk])).content.decode()
    assert "Đợt khảo sát của tỉnh" in detail


# --- Results --------------------------------------------------------------------------------


@pytest.fixture
def answered(province_admin, province_p, communes):
    parent = create(province_admin, province_p)
    province_campaign_open(actor=province_admin, province_campaign=parent)
    by_commune = {c.commune_id: c for c in parent.campaigns.all()}
    a, cat, _dong = (by_commune[c.pk] for c in communes)
    # Commune A: 3 of 4 answers satisfied (75%); Cát: 1 of 2 (50%); Đồng: no answers.
    add_responses(
        a,
        [
            [("access_satisfaction", "very_satisfied"), ("officials_satisfaction", "satisfied")],
            [("access_satisfaction", "satisfied"), ("officials_satisfaction", "dissatisfied")],
        ],
        phone="0912345678",
    )
    add_responses(
        cat, [[("access_satisfaction", "neutral")], [("result_satisfaction", "satisfied")]]
    )
    return parent


def test_results_per_commune_and_overall(answered, communes):
    results = province_results(answered)
    assert results.responses == 4
    assert [row.commune_name for row in results.communes] == ["Xã An", "Xã Cát", "Xã Đồng"]
    a = results.commune(communes[0].pk)
    cat = results.commune(communes[1].pk)
    dong = results.commune(communes[2].pk)
    assert (a.responses, a.overall.index.n, a.overall.index.share) == (2, 4, 0.75)
    assert (cat.overall.index.n, cat.overall.index.share) == (2, 0.5)
    # No answers: n = 0 gives share None, not an error.
    assert (dong.overall.index.n, dong.overall.index.share) == (0, None)
    assert dong.overall.verdict_label == "Chưa có số liệu"
    factors_a = {row.key: row for row in a.factors}
    assert factors_a["access"].index.share == 1.0
    assert factors_a["officials"].index.share == 0.5
    assert factors_a["feedback"].index.share is None
    # Overall pools every answer of every commune: 4 of 6.
    assert results.overall.index.n == 6
    assert results.overall.index.share == pytest.approx(4 / 6)
    factors = {row.key: row for row in results.factors}
    assert factors["access"].index.n == 3 and factors["access"].index.positive == 2
    assert factors["result"].index.share == 1.0
    assert float(results.target) == 0.85


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_results_page_query_count_does_not_grow_with_communes_or_responses(
    client, evaluator_p, province_admin, province_p, commune_a, django_assert_num_queries
):
    parent = create(province_admin, province_p)  # commune A only
    add_responses(parent.campaigns.get(), [[("access_satisfaction", "satisfied")]] * 3)
    client.force_login(evaluator_p)
    url = reverse("staff:province_campaign_results", args=[parent.pk])
    small = count_queries(client, url)

    bigger = create(
        province_admin,
        province_p,
        title="Đợt lớn",
        communes=[commune_a, *CommuneFactory.create_batch(6, province=province_p)],
    )
    for campaign in bigger.campaigns.all():
        add_responses(
            campaign,
            [[("access_satisfaction", "satisfied"), ("procedure_satisfaction", "neutral")]] * 20,
        )
    big_url = reverse("staff:province_campaign_results", args=[bigger.pk])
    with django_assert_num_queries(small):
        page = client.get(big_url)
    assert "140 phiếu trả lời" in page.content.decode()


def test_results_page_shows_each_commune_chart_and_export_link(client, evaluator_p, answered):
    client.force_login(evaluator_p)
    response = client.get(reverse("staff:province_campaign_results", args=[answered.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Xã An" in page and "Xã Cát" in page and "Xã Đồng" in page
    assert "75%" in page or "75,0%" in page
    assert page.count('class="chart" role="img"') == 2
    assert reverse("staff:province_campaign_results_xlsx", args=[answered.pk]) in page
    assert "0912345678" not in page


def test_xlsx_has_every_commune_and_no_phone(client, evaluator_p, answered):
    client.force_login(evaluator_p)
    response = client.get(reverse("staff:province_campaign_results_xlsx", args=[answered.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == ["Tổng hợp", "Theo xã", "Theo yếu tố"]
    rows = list(book["Theo xã"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["Xã An", "Xã Cát", "Xã Đồng"]
    an = rows[1]
    assert an[2] == 2 and an[4] == 4 and an[6] == 0.75
    assert rows[3][6] is None  # Đồng: no answers, no share
    everything = " ".join(
        str(cell) for sheet in book for row in sheet.iter_rows(values_only=True) for cell in row
    )
    assert "0912345678" not in everything


# --- Who sees what --------------------------------------------------------------------------


def test_evaluator_of_p_never_sees_province_qs_campaign(
    client, evaluator_p, province_q, province_p, province_admin, commune_a, commune_b
):
    mine = create(province_admin, province_p, title="Đợt của tỉnh P")
    theirs = ProvinceCampaignFactory(commune=commune_b, title="Đợt của tỉnh Q")
    assert theirs.province == province_q
    assert list(ProvinceCampaign.objects.visible_to(evaluator_p)) == [mine]
    client.force_login(evaluator_p)
    listing = client.get(reverse("staff:province_campaign_list")).content.decode()
    assert "Đợt của tỉnh P" in listing and "Đợt của tỉnh Q" not in listing
    for name in (
        "staff:province_campaign_detail",
        "staff:province_campaign_results",
        "staff:province_campaign_results_xlsx",
    ):
        assert client.get(reverse(name, args=[theirs.pk])).status_code == 404
        assert client.get(reverse(name, args=[mine.pk])).status_code == 200
    # Reading is not managing: an evaluator cannot open the communes' campaigns.
    assert client.post(reverse("staff:province_campaign_open", args=[mine.pk])).status_code == 403
    assert client.get(reverse("staff:province_campaign_create")).status_code == 403


def test_commune_users_see_only_their_own_communes_campaign(
    client, province_admin, province_p, communes, make_user
):
    parent = create(province_admin, province_p)
    leader_a = make_user(Role.COMMUNE_LEADER, commune=communes[0])
    client.force_login(leader_a)
    for name in ("staff:province_campaign_detail", "staff:province_campaign_results"):
        assert client.get(reverse(name, args=[parent.pk])).status_code == 403
    assert client.get(reverse("staff:province_campaign_list")).status_code == 403
    own = parent.campaigns.get(commune=communes[0])
    other = parent.campaigns.get(commune=communes[1])
    assert client.get(reverse("staff:campaign_detail", args=[own.pk])).status_code == 200
    assert client.get(reverse("staff:campaign_detail", args=[other.pk])).status_code == 404
    listing = client.get(reverse("staff:campaign_list")).content.decode()
    assert listing.count(reverse("staff:campaign_detail", args=[own.pk])) == 1
    assert reverse("staff:campaign_detail", args=[other.pk]) not in listing


def test_province_admin_creates_and_opens_through_the_pages(
    client, province_admin, province_p, communes
):
    client.force_login(province_admin)
    page = client.get(reverse("staff:province_campaign_create")).content.decode()
    assert "Xã Cát" in page and "Xã An" in page
    # A form with no commune chosen and "all" unticked keeps what was typed.
    response = client.post(
        reverse("staff:province_campaign_create"),
        {
            "questionnaire": SIPAS_KEY,
            "title": "Đợt tỉnh",
            "starts_on": "2026-03-01",
            "ends_on": "2026-04-30",
            "channels": ["online"],
            "satisfaction_target": "90",
        },
    )
    assert response.status_code == 200
    assert "Chọn ít nhất một xã" in response.content.decode()
    assert 'value="Đợt tỉnh"' in response.content.decode()
    response = client.post(
        reverse("staff:province_campaign_create"),
        {
            "questionnaire": SIPAS_KEY,
            "title": "Đợt tỉnh",
            "starts_on": "2026-03-01",
            "ends_on": "2026-04-30",
            "channels": ["online", "paper"],
            "satisfaction_target": "90",
            "communes": [communes[1].pk, communes[2].pk],
        },
    )
    parent = ProvinceCampaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("staff:province_campaign_detail", args=[parent.pk])
    assert parent.campaigns.count() == 2
    detail = client.get(response["Location"]).content.decode()
    assert "Xã Cát" in detail and "Xã Đồng" in detail and "Xã An" not in detail
    open_url = reverse("staff:province_campaign_open", args=[parent.pk])
    assert client.get(open_url).status_code == 405
    client.post(open_url)
    assert set(parent.campaigns.values_list("state", flat=True)) == {"open"}
    listing = client.get(reverse("staff:province_campaign_list")).content.decode()
    assert "Đợt tỉnh" in listing


def test_list_keeps_a_fixed_number_of_queries(
    client, evaluator_p, province_admin, province_p, communes, django_assert_num_queries
):
    create(province_admin, province_p)
    client.force_login(evaluator_p)
    url = reverse("staff:province_campaign_list")
    small = count_queries(client, url)
    for n in range(3):
        parent = create(province_admin, province_p, title=f"Đợt {n}")
        add_responses(parent.campaigns.first(), [[("access_satisfaction", "satisfied")]] * 2)
    with django_assert_num_queries(small):
        page = client.get(url).content.decode()
    assert all(f"Đợt {n}" in page for n in range(3))


@pytest.mark.parametrize(
    "role",
    [
        Role.COMMUNE_OFFICIAL,
        Role.COMMUNE_LEADER,
        Role.COMMUNE_ADMIN,
        Role.PROVINCE_EVALUATOR,
        Role.PROVINCE_ADMIN,
    ],
)
def test_pk_pages_deny_another_provinces_records_as_test_tenancy_walks_them(
    client, make_user, role, commune_a, commune_b, province_p
):
    """The walk of tests/test_tenancy.py over this area's pk pages, on its own: a user of
    commune A or province P gets 403 or 404 for every record of commune B in province Q."""
    from tests.factories import FACTORIES
    from thanthien.core.staff import SCOPED_VIEWS

    reverse("staff:dashboard")  # loads the URLs, whose views register themselves
    names = [
        name
        for name in SCOPED_VIEWS
        if name.startswith("staff:province_campaign") or name == "staff:kiosk_sign_out"
    ]
    assert len(names) == 6
    if role in (Role.PROVINCE_EVALUATOR, Role.PROVINCE_ADMIN):
        user = make_user(role, province=province_p)
    else:
        user = make_user(role, commune=commune_a)
    client.force_login(user)
    for name in names:
        victim = FACTORIES[SCOPED_VIEWS[name]](commune=commune_b)
        url = reverse(name, kwargs={"pk": victim.pk})
        assert client.get(url).status_code in {403, 404}, url
        assert client.post(url, {}).status_code in {403, 404}, url
    assert ProvinceCampaign.objects.filter(province=commune_b.province).exists()
    assert not Campaign.objects.filter(commune=commune_b).exclude(state="draft").exists()
