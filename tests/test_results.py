"""Results of campaigns and ratings (thanthien.surveys.results): the numbers, the fixed query
count, the public page, commune isolation, who sees which ratings, and the XLSX export."""

import json
from datetime import UTC, date, datetime
from io import BytesIO

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import HamletFactory, OfficialFactory
from tests.factories_campaigns import CampaignFactory
from tests.factories_onestop import ProcedureFactory
from tests.factories_surveys import CounterFactory, RatingFactory
from thanthien.core.charts import IndexBar, index_chart
from thanthien.people.roles import Role
from thanthien.surveys.definitions import SHIPPED_DIR, parse_definition
from thanthien.surveys.indices import TargetVerdict, satisfaction_index
from thanthien.surveys.models import Campaign, Response, ResponseChannel, ResponseScore
from thanthien.surveys.results import campaign_results, rating_indices

SIPAS = json.loads((SHIPPED_DIR / "sipas-xa.json").read_text(encoding="utf-8"))
QUESTIONNAIRE = parse_definition(SIPAS)


def at(year, month, day, hour=3):
    return datetime(year, month, day, hour, tzinfo=UTC)


def build_responses(campaign, specs):
    """Responses and their ResponseScore rows, written with bulk_create as the service would:
    one score per answered satisfaction question, keyed by the question's index key."""
    responses = Response.objects.bulk_create(
        [
            Response(
                commune=campaign.commune,
                campaign=campaign,
                channel=spec.get("channel", ResponseChannel.ONLINE),
                hamlet=spec.get("hamlet"),
                answers=spec["answers"],
                submitted_at=spec.get("at", at(2026, 1, 10)),
                consent_contact=bool(spec.get("phone")),
                contact_phone=spec.get("phone", ""),
            )
            for spec in specs
        ]
    )
    scores = []
    for response in responses:
        for question_id, value in response.answers.items():
            question = QUESTIONNAIRE.question(question_id)
            if question.aspect != "satisfaction":
                continue
            scores.append(
                ResponseScore(
                    response=response,
                    campaign=campaign,
                    hamlet=response.hamlet,
                    channel=response.channel,
                    submitted_at=response.submitted_at,
                    question_id=question_id,
                    factor=question.factor or "",
                    key=question.index_key(value),
                )
            )
    ResponseScore.objects.bulk_create(scores)
    return responses


@pytest.fixture
def hamlets(commune_a):
    return HamletFactory(commune=commune_a, name="Thôn Đông"), HamletFactory(
        commune=commune_a, name="Thôn Tây"
    )


@pytest.fixture
def campaign(commune_a, hamlets):
    east, west = hamlets
    return CampaignFactory(
        commune=commune_a,
        title="Khảo sát SIPAS 2026",
        definition=SIPAS,
        questionnaire_id="sipas-xa",
        state=Campaign.State.CLOSED,
        satisfaction_target=0.9,
        target_per_hamlet={str(east.pk): 10, str(west.pk): 5},
        starts_on=date(2026, 1, 1),
        ends_on=date(2026, 2, 28),
    )


@pytest.fixture
def hand_built(campaign, hamlets):
    east, west = hamlets
    build_responses(
        campaign,
        [
            {
                "hamlet": east,
                "answers": {
                    "access_satisfaction": 4,
                    "procedure_satisfaction": 3,
                    "overall_satisfaction": 4,
                    "gender": "female",
                    "comment": "Cán bộ Nguyễn Văn Bí Mật rất chậm",
                },
                "phone": "0912345678",
            },
            {
                "hamlet": west,
                "channel": ResponseChannel.PHONE,
                "answers": {
                    "access_satisfaction": 2,
                    "procedure_satisfaction": 1,
                    "gender": "male",
                },
            },
            # 31/01 20:00 UTC is 01/02 03:00 in Việt Nam: a February answer.
            {"hamlet": east, "answers": {"access_satisfaction": 3}, "at": at(2026, 1, 31, 20)},
        ],
    )
    return campaign


def rows_by_key(breakdown):
    return {row.key: row for row in breakdown.rows}


def test_campaign_indices_are_right_for_a_hand_built_set(hand_built, hamlets):
    east, west = hamlets
    results = campaign_results(hand_built)
    assert results.responses == 3

    # Overall: every satisfaction answer: 2 very satisfied, 2 satisfied, 1 neutral, 1 not.
    expected = satisfaction_index(
        {"very_satisfied": 2, "satisfied": 2, "neutral": 1, "dissatisfied": 1}
    )
    assert results.overall.index == expected
    assert (expected.n, expected.positive) == (6, 4)
    # 66.7% is below 90%, but six answers cannot tell: the interval reaches 90.3%.
    assert results.overall.meets is False
    assert results.overall.verdict == TargetVerdict.INCONCLUSIVE

    factors = rows_by_key(results.breakdown("factor"))
    assert list(factors) == ["access", "procedure", "officials", "result", "feedback"]
    assert factors["access"].index == satisfaction_index(
        {"very_satisfied": 1, "satisfied": 1, "neutral": 1}
    )
    assert factors["procedure"].index == satisfaction_index({"satisfied": 1, "dissatisfied": 1})
    assert factors["officials"].index.n == 0
    assert factors["officials"].verdict == TargetVerdict.NO_DATA
    assert factors["officials"].share_text == "—"

    questions = rows_by_key(results.breakdown("question"))
    assert questions["overall_satisfaction"].index == satisfaction_index({"very_satisfied": 1})

    by_hamlet = rows_by_key(results.breakdown("hamlet"))
    assert by_hamlet[east.pk].index == satisfaction_index({"very_satisfied": 2, "satisfied": 2})
    assert by_hamlet[east.pk].label == "Thôn Đông"
    assert by_hamlet[west.pk].index == satisfaction_index({"neutral": 1, "dissatisfied": 1})
    assert by_hamlet[west.pk].verdict == TargetVerdict.BELOW

    by_channel = rows_by_key(results.breakdown("channel"))
    assert by_channel["online"].index.n == 4
    assert by_channel["phone"].index == satisfaction_index({"neutral": 1, "dissatisfied": 1})

    by_month = rows_by_key(results.breakdown("month"))
    assert set(by_month) == {date(2026, 1, 1), date(2026, 2, 1)}
    assert by_month[date(2026, 1, 1)].index == satisfaction_index(
        {"very_satisfied": 2, "satisfied": 1, "neutral": 1, "dissatisfied": 1}
    )
    assert by_month[date(2026, 2, 1)].index == satisfaction_index({"satisfied": 1})
    assert by_month[date(2026, 2, 1)].label == "02/2026"

    counts = {row.hamlet_id: row for row in results.hamlet_counts}
    assert (counts[east.pk].responses, counts[east.pk].target) == (2, 10)
    assert counts[east.pk].percent_of_target == 20
    assert (counts[west.pk].responses, counts[west.pk].target) == (1, 5)

    distributions = {q.question_id: q for q in results.questions}
    gender = {o.value: (o.count, o.percent) for o in distributions["gender"].options}
    assert distributions["gender"].n == 2
    assert gender == {"female": (1, 50.0), "male": (1, 50.0), "not_say": (0, 0.0)}
    access = {o.value: o.count for o in distributions["access_satisfaction"].options}
    assert access == {1: 0, 2: 1, 3: 1, 4: 1}
    # Free text, multiple choice and options from the campaign are not counted.
    assert "comment" not in distributions
    assert "access_expectation" not in distributions
    assert "hamlet" not in distributions


def test_a_campaign_without_answers_reports_no_data(campaign):
    results = campaign_results(campaign)
    assert results.responses == 0
    assert results.overall.index.share is None
    assert results.overall.verdict == TargetVerdict.NO_DATA
    assert all(row.index.n == 0 for row in results.breakdown("factor").rows)


def many(campaign, hamlets, count):
    answers = [
        {"access_satisfaction": 1 + i % 4, "officials_satisfaction": 4, "gender": "male"}
        for i in range(count)
    ]
    build_responses(
        campaign,
        [
            {
                "hamlet": hamlets[i % 2],
                "answers": a,
                "channel": ResponseChannel.PHONE if i % 3 else ResponseChannel.ONLINE,
                "at": at(2026, 1 + i % 2, 1 + i % 28),
            }
            for i, a in enumerate(answers)
        ],
    )


def count_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_results_page_keeps_the_same_query_count_for_10_and_500_responses(
    client, leader_a, campaign, hamlets, commune_a, django_assert_num_queries
):
    url = reverse("staff:campaign_results", args=[campaign.pk])
    client.force_login(leader_a)
    many(campaign, hamlets, 10)
    small = count_queries(client, url)
    # Session, user, permissions, the campaign, the staff menu's counts, then the 8 queries
    # of campaign_results.
    assert small <= 15
    many(campaign, hamlets, 490)
    assert Response.objects.filter(campaign=campaign).count() == 500
    with django_assert_num_queries(small):
        page = client.get(url)
    assert "500 phiếu trả lời" in page.content.decode()
    campaign.results_public = True
    campaign.save()
    public_url = reverse("surveys:campaign_results", args=[campaign.public_code])
    # The public page caches its results (tests/test_results_cache.py): count them afresh.
    cache.clear()
    public_small = count_queries(client, public_url)
    many(campaign, hamlets, 50)
    cache.clear()
    with django_assert_num_queries(public_small):
        client.get(public_url)


def test_staff_page_shows_charts_tables_and_links_the_export(client, leader_a, hand_built):
    client.force_login(leader_a)
    response = client.get(reverse("staff:campaign_results", args=[hand_built.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count('<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img"') == 6
    assert "Tiếp cận dịch vụ" in page and "Thôn Đông" in page
    assert "66,7%" in page  # 4 of 6 answers
    assert reverse("staff:campaign_results_xlsx", args=[hand_built.pk]) in page
    assert "@media print" in page


def test_public_page_is_404_unless_results_are_public(client, hand_built):
    url = reverse("surveys:campaign_results", args=[hand_built.public_code])
    assert url == f"/khao-sat/{hand_built.public_code}/ket-qua/"
    assert client.get(url).status_code == 404
    hand_built.results_public = True
    hand_built.save()
    response = client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Khảo sát SIPAS 2026" in page and "66,7%" in page
    # No personal data, no free text on the public page.
    assert "0912345678" not in page
    assert "Bí Mật" not in page
    assert client.get("/khao-sat/khong-co/ket-qua/").status_code == 404


def test_public_page_of_a_draft_campaign_is_404(client, campaign):
    campaign.results_public = True
    campaign.state = Campaign.State.DRAFT
    campaign.save()
    url = reverse("surveys:campaign_results", args=[campaign.public_code])
    assert client.get(url).status_code == 404


def test_staff_results_of_another_commune_are_404(client, make_user, commune_b, hand_built):
    other = make_user(Role.COMMUNE_LEADER, commune=commune_b)
    client.force_login(other)
    for name in ("staff:campaign_results", "staff:campaign_results_xlsx"):
        assert client.get(reverse(name, args=[hand_built.pk])).status_code == 404


def test_results_page_needs_a_staff_login(client, hand_built):
    response = client.get(reverse("staff:campaign_results", args=[hand_built.pk]))
    assert response.status_code in (302, 403)


def test_xlsx_reads_back_with_one_sheet_per_breakdown_and_no_phone(client, leader_a, hand_built):
    client.force_login(leader_a)
    response = client.get(reverse("staff:campaign_results_xlsx", args=[hand_built.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    assert book.sheetnames == [
        "Tổng hợp",
        "Theo yếu tố",
        "Theo câu hỏi về mức hài lòng",
        "Theo thôn, tổ dân phố",
        "Theo hình thức khảo sát",
        "Theo tháng",
        "Số phiếu theo thôn",
        "Phân bố câu trả lời",
    ]
    factors = {row[0]: row for row in book["Theo yếu tố"].iter_rows(min_row=2, values_only=True)}
    access = satisfaction_index({"very_satisfied": 1, "satisfied": 1, "neutral": 1})
    assert factors["Tiếp cận dịch vụ"][1:6] == (3, 2, access.share, access.low, access.high)
    assert book["Theo yếu tố"]["D2"].number_format == "0.0%"
    summary = dict(book["Tổng hợp"].iter_rows(values_only=True))
    assert summary["Số phiếu trả lời"] == 3
    assert summary["Tỷ lệ hài lòng chung"] == pytest.approx(4 / 6)
    cells = [
        str(value)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value is not None
    ]
    assert not any("0912345678" in cell or "Bí Mật" in cell for cell in cells)


# --- Ratings of transactions ----------------------------------------------------------------


@pytest.fixture
def rated(commune_a, commune_b, official):
    handler = OfficialFactory(commune=commune_a, full_name="Trần Văn Xử Lý")
    colleague = OfficialFactory(commune=commune_a, full_name="Phạm Thị Đồng Nghiệp")
    official.official = handler
    official.save()
    birth = ProcedureFactory(commune=commune_a, name="Đăng ký khai sinh")
    counter = CounterFactory(commune=commune_a, number=1, name="Tư pháp")
    when = datetime(2026, 3, 10, 3, tzinfo=UTC)
    for service, own in [(4, 4), (3, 3), (1, 2)]:
        RatingFactory(
            commune=commune_a,
            official=handler,
            procedure=birth,
            counter=counter,
            service_score=service,
            official_score=own,
            submitted_at=when,
        )
    RatingFactory(
        commune=commune_a,
        official=colleague,
        service_score=2,
        submitted_at=datetime(2026, 4, 2, 3, tzinfo=UTC),
    )
    RatingFactory(commune=commune_b, service_score=4, submitted_at=when)
    return handler, colleague, birth, counter


PERIOD = {"start": date(2026, 1, 1), "end": date(2026, 12, 31)}


def test_official_sees_the_indices_of_their_own_ratings_only(rated, official):
    handler, _colleague, birth, counter = rated
    result = rating_indices(official, **PERIOD)
    assert result.own_only
    assert result.overall.service.index == satisfaction_index(
        {"very_satisfied": 1, "satisfied": 1, "dissatisfied": 1}
    )
    assert result.overall.official.index == satisfaction_index(
        {"very_satisfied": 1, "satisfied": 1, "neutral": 1}
    )
    assert set(rows_by_key(result.breakdown("official"))) == {handler.pk}
    assert rows_by_key(result.breakdown("procedure"))[birth.pk].label == "Đăng ký khai sinh"
    assert rows_by_key(result.breakdown("counter"))[counter.pk].service.index.n == 3


def test_leader_sees_everyones_indices_in_their_commune_only(rated, leader_a):
    handler, colleague, _birth, _counter = rated
    result = rating_indices(leader_a, **PERIOD)
    assert not result.own_only
    assert result.overall.service.index.n == 4
    officials = rows_by_key(result.breakdown("official"))
    assert set(officials) == {handler.pk, colleague.pk}
    assert officials[colleague.pk].service.index == satisfaction_index({"neutral": 1})
    assert officials[colleague.pk].official.index.n == 0
    procedures = rows_by_key(result.breakdown("procedure"))
    assert procedures[None].label == "Không ghi nhận"
    months = rows_by_key(result.breakdown("month"))
    assert [row.label for row in result.breakdown("month").rows] == ["03/2026", "04/2026"]
    assert months[date(2026, 3, 1)].service.index.n == 3


def test_ratings_period_is_counted_in_vietnamese_days(rated, leader_a):
    # 02/04/2026 03:00 UTC is 02/04 10:00 in Việt Nam; a period ending 01/04 leaves it out.
    result = rating_indices(leader_a, start=date(2026, 3, 1), end=date(2026, 4, 1))
    assert result.overall.service.index.n == 3


def test_ratings_page_query_count_is_fixed_and_the_export_reads_back(
    client, rated, leader_a, commune_a, django_assert_num_queries
):
    client.force_login(leader_a)
    url = reverse("staff:rating_indices") + "?tu_ngay=01/01/2026&den_ngay=31/12/2026&muc_tieu=80"
    small = count_queries(client, url)
    for _i in range(40):
        RatingFactory(
            commune=commune_a,
            official=OfficialFactory(commune=commune_a),
            procedure=ProcedureFactory(commune=commune_a),
            service_score=3,
            submitted_at=datetime(2026, 5, 5, tzinfo=UTC),
        )
    with django_assert_num_queries(small):
        page = client.get(url).content.decode()
    assert "Trần Văn Xử Lý" in page and "mục tiêu 80,0%" in page

    export = client.get(
        reverse("staff:rating_indices_xlsx") + "?tu_ngay=01/01/2026&den_ngay=31/12/2026&muc_tieu=80"
    )
    book = load_workbook(BytesIO(export.content))
    assert book.sheetnames == ["Chung", "Theo thủ tục", "Theo cán bộ", "Theo quầy", "Theo tháng"]
    overall = next(book["Chung"].iter_rows(min_row=2, max_row=2, values_only=True))
    assert overall[0:2] == ("Chung", 44)
    officials = {r[0]: r for r in book["Theo cán bộ"].iter_rows(min_row=2, values_only=True)}
    assert officials["Trần Văn Xử Lý"][1] == 3
    assert officials["Trần Văn Xử Lý"][2] == pytest.approx(2 / 3)


def test_ratings_page_reads_against_the_target_the_commune_set(client, rated, leader_a):
    from tests.factories import CommuneProfileFactory

    client.force_login(leader_a)
    page = client.get(reverse("staff:rating_indices")).content.decode()
    assert 'name="muc_tieu" value="90"' in page  # no target set: 90%
    CommuneProfileFactory(commune=leader_a.commune, satisfaction_target=85)
    page = client.get(reverse("staff:rating_indices")).content.decode()
    assert 'name="muc_tieu" value="85"' in page
    assert 'name="muc_tieu" value="90"' not in page


def test_ratings_page_for_an_official_says_it_is_their_own(client, rated, official):
    client.force_login(official)
    page = client.get(reverse("staff:rating_indices")).content.decode()
    assert "việc ông/bà phục vụ" in page
    assert "Phạm Thị Đồng Nghiệp" not in page


# --- The chart ------------------------------------------------------------------------------


def test_index_chart_draws_whiskers_target_and_describes_every_number():
    import xml.etree.ElementTree as ET

    index = satisfaction_index({"very_satisfied": 8, "neutral": 2})
    svg = index_chart(
        title="Theo yếu tố",
        bars=[
            IndexBar("Thủ tục", index.n, index.share, index.low, index.high),
            IndexBar("Cán bộ <b>", 0, None, None, None),
        ],
        target=0.9,
    )
    root = ET.fromstring(svg)  # noqa: S314 — our own output
    ns = "{http://www.w3.org/2000/svg}"
    assert root.get("role") == "img"
    desc = root.find(f"{ns}desc").text
    assert "Mục tiêu 90,0%" in desc
    assert "Thủ tục: 80,0% hài lòng trên 10 câu trả lời" in desc
    assert "Cán bộ <b>: chưa có số liệu." in desc
    assert "<b>" not in svg
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert "80,0% · n = 10" in texts
    assert any(line.get("stroke-dasharray") == "6 3" for line in root.iter(f"{ns}line"))


def test_a_hamlet_name_typed_as_a_formula_stays_text_in_the_xlsx(
    client, leader_a, hand_built, hamlets
):
    east, _west = hamlets
    east.name = '=HYPERLINK("http://x.example","bấm")'
    east.save()
    client.force_login(leader_a)
    response = client.get(reverse("staff:campaign_results_xlsx", args=[hand_built.pk]))
    book = load_workbook(BytesIO(response.content))
    cells = [c for row in book["Theo thôn, tổ dân phố"].iter_rows() for c in row]
    typed = [c for c in cells if str(c.value or "").startswith("=HYPERLINK")]
    assert typed and all(c.data_type == "s" for c in typed)
