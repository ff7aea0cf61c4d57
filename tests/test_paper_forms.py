"""Paper surveys: numbered A4 copies with a QR code, and typing returned copies in."""

import json

import pytest
from django.urls import reverse

from tests.factories import HamletFactory
from tests.factories_campaigns import CampaignFactory
from tests.factories_onestop import ProcedureFactory
from thanthien.core.qr import qr_svg
from thanthien.onestop.models import Procedure
from thanthien.people.roles import Role
from thanthien.surveys.definitions import SHIPPED_DIR
from thanthien.surveys.models import Campaign, PaperForm, Response, ResponseChannel
from thanthien.surveys.paper_selectors import paper_layout
from thanthien.surveys.paper_services import paper_forms_print

SIPAS = json.loads((SHIPPED_DIR / "sipas-xa.json").read_text(encoding="utf-8"))
PASSWORD = "mat-khau-thu-nghiem"


def sipas_campaign(commune, **kwargs):
    return CampaignFactory(
        commune=commune,
        questionnaire_id="sipas-xa",
        definition=SIPAS,
        state=Campaign.State.OPEN,
        channels=[ResponseChannel.ONLINE, ResponseChannel.PAPER],
        **kwargs,
    )


@pytest.fixture
def campaign(commune_a):
    ProcedureFactory(commune=commune_a, name="Đăng ký khai sinh")
    return sipas_campaign(commune_a, public_code="AbC-12_x")


@pytest.fixture
def hamlet(commune_a):
    return HamletFactory(commune=commune_a, name="Thôn Đông")


def answers_post(campaign, number, **extra):
    """A complete answer to the SIPAS form, as the entry screen posts it ("no" feedback)."""
    procedure_id = str(
        Procedure.objects.filter(commune=campaign.commune).values_list("pk", flat=True)[0]
    )
    data = {
        "number": number,
        "step": "answers",
        "q-procedure_used": procedure_id,
        "q-submitted_how": "desk",
        "q-access_satisfaction": "3",
        "q-procedure_satisfaction": "4",
        "q-officials_satisfaction": "3",
        "q-result_satisfaction": "2",
        "q-feedback_given": "no",
        "q-feedback_why_not": ["how", "worried"],
        "q-overall_satisfaction": "3",
        "q-result_visits": "2",
    }
    data.update(extra)
    return data


# -- numbering ----------------------------------------------------------------------------------


def test_print_runs_number_copies_uniquely_and_in_sequence(official, campaign, hamlet):
    first = paper_forms_print(user=official, campaign=campaign, copies=3)
    second = paper_forms_print(user=official, campaign=campaign, copies=2, hamlet=hamlet)

    assert [form.number for form in first + second] == [f"AbC-12_x-{n:05d}" for n in range(1, 6)]
    assert PaperForm.objects.filter(campaign=campaign).count() == 5
    assert {form.hamlet_id for form in second} == {hamlet.pk}
    assert {form.hamlet_id for form in first} == {None}
    assert {form.commune_id for form in first + second} == {campaign.commune_id}


def test_numbering_continues_past_five_digits(official, campaign):
    PaperForm.objects.create(
        commune=campaign.commune,
        campaign=campaign,
        number="AbC-12_x-99999",
        printed_at=campaign.created_at,
    )
    PaperForm.objects.create(
        commune=campaign.commune,
        campaign=campaign,
        number="AbC-12_x-100000",
        printed_at=campaign.created_at,
    )
    (form,) = paper_forms_print(user=official, campaign=campaign, copies=1)
    assert form.number == "AbC-12_x-100001"


def test_printing_is_refused_for_another_commune_and_without_paper_channel(
    make_user, commune_b, campaign, official
):
    from django.core.exceptions import PermissionDenied, ValidationError

    other = make_user(Role.COMMUNE_OFFICIAL, commune=commune_b)
    with pytest.raises(PermissionDenied):
        paper_forms_print(user=other, campaign=campaign, copies=1)
    online_only = sipas_campaign(campaign.commune)
    online_only.channels = [ResponseChannel.ONLINE]
    online_only.save()
    with pytest.raises(ValidationError):
        paper_forms_print(user=official, campaign=online_only, copies=1)
    assert not PaperForm.objects.exists()


# -- the printed copies -------------------------------------------------------------------------


def test_print_page_has_every_question_boxes_number_and_qr_per_copy(
    client, official, campaign, hamlet, django_assert_max_num_queries
):
    client.force_login(official)
    response = client.post(
        reverse("staff:paper_print", args=[campaign.pk]), {"copies": 3, "hamlet": hamlet.pk}
    )
    assert response.status_code == 302
    with django_assert_max_num_queries(12):
        page = client.get(response["Location"])
    html = page.content.decode()
    forms = list(PaperForm.objects.filter(campaign=campaign).order_by("pk"))
    assert len(forms) == 3

    assert "@page { size: A4" in html and "Times New Roman" in html
    assert html.count('class="sheet"') == 3
    assert "page-break-after: always" in html
    assert campaign.commune.name in html and "Thôn Đông" in html
    layout = paper_layout(campaign)
    assert len(layout) == sum(len(s["questions"]) for s in SIPAS["sections"])
    for item in layout:
        assert html.count(f'data-question="{item.question.id}"') == 3
        assert f"Câu {item.number}. {item.question.text.vi}" in html
    boxes = sum(len(item.options) for item in layout if item.kind in ("choose", "multiple"))
    assert html.count("☐</span>") == 3 * boxes
    assert "☐</span> 4. Rất hài lòng" in html
    # The skip logic, written out (feedback_given is question 22; 23–25 only apply to "Có").
    assert "Nếu trả lời “Không” ở câu 22, chuyển sang câu 26." in html
    assert "Chỉ trả lời câu này nếu ở câu 22 trả lời “1. Có”." in html
    online = f"http://testserver/khao-sat/{campaign.public_code}/"
    for form in forms:
        assert form.number in html
        text = f"{online}?phieu={form.number}"
        assert qr_svg(text, scale=3) in html
        assert f"<title>{text}</title>" in html


def test_question_numbers_are_global_and_stable(campaign):
    numbers = [(item.number, item.question.id) for item in paper_layout(campaign)]
    assert numbers[0] == (1, "procedure_used")
    assert numbers[21] == (22, "feedback_given")
    assert [n for n, _ in numbers] == list(range(1, len(numbers) + 1))
    assert numbers == [(item.number, item.question.id) for item in paper_layout(campaign)]


# -- data entry ---------------------------------------------------------------------------------


def test_entry_writes_one_paper_response_with_the_forms_hamlet(client, official, campaign, hamlet):
    (form,) = paper_forms_print(user=official, campaign=campaign, copies=1, hamlet=hamlet)
    client.force_login(official)
    url = reverse("staff:paper_entry", args=[campaign.pk])

    found = client.post(url, {"number": "1"})  # the sequence alone is enough
    assert found.status_code == 200
    assert f"Phiếu số {form.number}" in found.content.decode()
    assert 'name="q-feedback_given"' in found.content.decode()

    saved = client.post(url, answers_post(campaign, form.number), follow=True)
    page = saved.content.decode()
    assert f"Đã lưu phiếu số {form.number}." in page
    assert "Đã nhập 1 phiếu" in page
    response = Response.objects.get()
    assert response.channel == ResponseChannel.PAPER
    assert response.paper_form == form
    assert response.entered_by == official
    assert response.hamlet == hamlet
    assert response.answers["feedback_why_not"] == ["how", "worried"]
    assert response.answers["access_satisfaction"] == 3
    assert response.scores.count() == 5


def test_answers_to_questions_skipped_on_paper_are_dropped(client, official, campaign):
    (form,) = paper_forms_print(user=official, campaign=campaign, copies=1)
    client.force_login(official)
    url = reverse("staff:paper_entry", args=[campaign.pk])
    client.post(url, answers_post(campaign, form.number, **{"q-feedback_answered": "late"}))
    assert "feedback_answered" not in Response.objects.get().answers


def test_missing_required_answer_is_shown_at_its_question(client, official, campaign):
    (form,) = paper_forms_print(user=official, campaign=campaign, copies=1)
    client.force_login(official)
    data = answers_post(campaign, form.number)
    del data["q-overall_satisfaction"]
    page = client.post(reverse("staff:paper_entry", args=[campaign.pk]), data)
    assert page.status_code == 200
    assert "Câu này cần được trả lời." in page.content.decode()
    assert not Response.objects.exists()


def test_a_form_number_is_entered_once(client, official, make_user, commune_a, campaign):
    (form,) = paper_forms_print(user=official, campaign=campaign, copies=1)
    client.force_login(official)
    url = reverse("staff:paper_entry", args=[campaign.pk])
    client.post(url, answers_post(campaign, form.number))

    other = make_user(Role.COMMUNE_LEADER, commune=commune_a)
    client.force_login(other)
    again = client.post(url, {"number": form.number}).content.decode()
    assert "đã được Lê Thị Tiếp Nhận nhập lúc" in again
    assert 'name="q-feedback_given"' not in again
    resent = client.post(url, answers_post(campaign, form.number)).content.decode()
    assert "mỗi phiếu chỉ nhập một lần" in resent
    assert Response.objects.count() == 1


def test_unknown_number_other_campaign_and_other_commune_are_refused(
    client, official, make_user, commune_b, campaign
):
    other_campaign = sipas_campaign(campaign.commune, public_code="khac0001")
    (elsewhere,) = paper_forms_print(user=official, campaign=other_campaign, copies=1)
    b_official = make_user(Role.COMMUNE_OFFICIAL, commune=commune_b)
    b_campaign = sipas_campaign(commune_b, public_code="binh0001")
    (b_form,) = paper_forms_print(user=b_official, campaign=b_campaign, copies=1)
    client.force_login(official)
    url = reverse("staff:paper_entry", args=[campaign.pk])

    unknown = client.post(url, {"number": "XYZ-00001"}).content.decode()
    assert "Không có phiếu số XYZ-00001" in unknown
    wrong = client.post(url, {"number": elsewhere.number}).content.decode()
    assert f"Phiếu số {elsewhere.number} thuộc đợt khảo sát “{other_campaign.title}”" in wrong
    foreign = client.post(url, answers_post(campaign, b_form.number)).content.decode()
    assert f"Phiếu số {b_form.number} không phải phiếu của xã mình." in foreign
    assert b_campaign.title not in foreign
    assert not Response.objects.exists()


def test_paper_pages_check_role_and_commune(client, make_user, commune_b, province_p, campaign):
    urls = [
        reverse("staff:paper_print", args=[campaign.pk]),
        reverse("staff:paper_sheets", args=[campaign.pk]),
        reverse("staff:paper_entry", args=[campaign.pk]),
    ]
    client.force_login(make_user(Role.COMMUNE_OFFICIAL, commune=commune_b))
    assert [client.get(url).status_code for url in urls] == [404, 404, 404]
    client.force_login(make_user(Role.PROVINCE_EVALUATOR, province=province_p))
    assert [client.get(url).status_code for url in urls] == [403, 403, 403]
    client.force_login(make_user(Role.COMMUNE_LEADER, commune=campaign.commune))
    assert [client.get(url).status_code for url in urls] == [200, 200, 200]
