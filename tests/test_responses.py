"""response_submit: the one write path of survey responses (online, phone, paper)."""

import copy
import json

import pytest
from django.core.exceptions import ValidationError

from tests.factories import HamletFactory
from tests.factories_campaigns import CampaignFactory, PaperFormFactory
from thanthien.people.roles import Role
from thanthien.surveys.definitions import SHIPPED_DIR
from thanthien.surveys.models import Campaign, Response, ResponseChannel, ResponseScore
from thanthien.surveys.response_services import response_submit

SCALE = {
    "points": 4,
    "labels": [
        {"vi": "Không hài lòng", "en": "Dissatisfied"},
        {"vi": "Bình thường", "en": "Neutral"},
        {"vi": "Hài lòng", "en": "Satisfied"},
        {"vi": "Rất hài lòng", "en": "Very satisfied"},
    ],
    "index_keys": ["dissatisfied", "neutral", "satisfied", "very_satisfied"],
}

DEFINITION = {
    "format": 1,
    "id": "thu-nghiem",
    "version": 1,
    "title": {"vi": "Khảo sát thử", "en": "Test survey"},
    "scales": {"hai-long": SCALE},
    "sections": [
        {
            "id": "chung",
            "title": {"vi": "Phần chung", "en": "General"},
            "questions": [
                {
                    "id": "gave_feedback",
                    "type": "single",
                    "required": True,
                    "text": {"vi": "Đã góp ý chưa?", "en": "Gave feedback?"},
                    "options": [
                        {"value": "yes", "label": {"vi": "Có", "en": "Yes"}},
                        {"value": "no", "label": {"vi": "Chưa", "en": "No"}},
                    ],
                },
                {
                    "id": "feedback_sat",
                    "type": "likert",
                    "scale": "hai-long",
                    "required": True,
                    "factor": "feedback",
                    "aspect": "satisfaction",
                    "show_if": {"question": "gave_feedback", "equals": "yes"},
                    "text": {"vi": "Hài lòng với xử lý góp ý?", "en": "Satisfied?"},
                },
                {
                    "id": "officials_sat",
                    "type": "likert",
                    "scale": "hai-long",
                    "required": True,
                    "factor": "officials",
                    "aspect": "satisfaction",
                    "text": {"vi": "Hài lòng với cán bộ?", "en": "Officials?"},
                },
                {
                    "id": "visits",
                    "type": "number",
                    "integer": True,
                    "min": 1,
                    "max": 10,
                    "text": {"vi": "Số lần đi lại", "en": "Visits"},
                },
                {
                    "id": "hamlet",
                    "type": "single",
                    "options_from": "hamlets",
                    "text": {"vi": "Thôn", "en": "Hamlet"},
                },
            ],
        }
    ],
}


@pytest.fixture
def campaign(commune_a, admin_a):
    return CampaignFactory(
        commune=commune_a,
        created_by=admin_a,
        definition=copy.deepcopy(DEFINITION),
        state=Campaign.State.OPEN,
        channels=["online", "phone", "paper"],
    )


def test_writes_response_and_one_score_per_satisfaction_answer(campaign, commune_a):
    hamlet = HamletFactory(commune=commune_a, name="Thôn Đông")
    response = response_submit(
        campaign=campaign,
        channel="online",
        answers={
            "gave_feedback": "yes",
            "feedback_sat": "4",
            "officials_sat": 2,
            "visits": "2",
            "hamlet": str(hamlet.pk),
        },
    )
    assert response.answers == {
        "gave_feedback": "yes",
        "feedback_sat": 4,
        "officials_sat": 2,
        "visits": 2,
        "hamlet": str(hamlet.pk),
    }
    assert response.hamlet_id == hamlet.pk  # taken from the hamlet question
    assert response.commune_id == campaign.commune_id
    scores = set(
        ResponseScore.objects.values_list("question_id", "factor", "key", "hamlet_id", "channel")
    )
    assert scores == {
        ("feedback_sat", "feedback", "very_satisfied", hamlet.pk, "online"),
        ("officials_sat", "officials", "neutral", hamlet.pk, "online"),
    }
    assert all(s.submitted_at == response.submitted_at for s in response.scores.all())


def test_errors_are_keyed_by_question(campaign):
    with pytest.raises(ValidationError) as caught:
        response_submit(
            campaign=campaign,
            channel="online",
            answers={"gave_feedback": "yes", "visits": "11", "nonsense": "x"},
        )
    errors = caught.value.message_dict
    assert errors["feedback_sat"] == ["Câu này cần được trả lời."]
    assert errors["officials_sat"] == ["Câu này cần được trả lời."]
    assert errors["visits"] == ["Số phải không quá 10."]
    assert errors["nonsense"] == ["Phiếu không có câu hỏi này."]
    assert not Response.objects.exists()


def test_unknown_hamlet_is_refused(campaign, commune_b):
    other = HamletFactory(commune=commune_b)
    with pytest.raises(ValidationError) as caught:
        response_submit(
            campaign=campaign,
            channel="online",
            answers={"gave_feedback": "no", "officials_sat": 3, "hamlet": str(other.pk)},
        )
    assert "hamlet" in caught.value.message_dict


def test_hidden_answers_are_dropped_and_not_scored(campaign):
    response = response_submit(
        campaign=campaign,
        channel="online",
        answers={"gave_feedback": "no", "feedback_sat": 1, "officials_sat": 3},
    )
    assert response.answers == {"gave_feedback": "no", "officials_sat": 3}
    assert list(response.scores.values_list("question_id", "key")) == [
        ("officials_sat", "satisfied")
    ]


def test_same_idempotency_key_records_once(campaign):
    answers = {"gave_feedback": "no", "officials_sat": 3}
    first = response_submit(
        campaign=campaign, channel="online", answers=answers, idempotency_key="k-1"
    )
    again = response_submit(
        campaign=campaign, channel="online", answers=answers, idempotency_key="k-1"
    )
    assert again.pk == first.pk
    assert Response.objects.count() == 1
    assert ResponseScore.objects.count() == 1


@pytest.mark.parametrize("state", [Campaign.State.DRAFT, Campaign.State.CLOSED])
def test_campaign_not_open_is_refused(campaign, state):
    campaign.state = state
    campaign.save()
    with pytest.raises(ValidationError, match="không nhận phiếu"):
        response_submit(
            campaign=campaign,
            channel="online",
            answers={"gave_feedback": "no", "officials_sat": 3},
        )
    assert not Response.objects.exists()


def test_channel_the_campaign_does_not_use_is_refused(campaign):
    campaign.channels = ["online"]
    campaign.save()
    with pytest.raises(ValidationError) as caught:
        response_submit(
            campaign=campaign,
            channel="phone",
            answers={"gave_feedback": "no", "officials_sat": 3},
            entered_by=campaign.created_by,
        )
    assert "channel" in caught.value.message_dict


def test_paper_form_is_entered_once(campaign, official):
    form = PaperFormFactory(commune=campaign.commune, campaign=campaign, number="P-000777")
    answers = {"gave_feedback": "no", "officials_sat": 4}
    response = response_submit(
        campaign=campaign, channel="paper", answers=answers, paper_form=form, entered_by=official
    )
    assert (response.channel, response.entered_by, response.paper_form) == (
        "paper",
        official,
        form,
    )
    with pytest.raises(ValidationError) as caught:
        response_submit(
            campaign=campaign,
            channel="paper",
            answers=answers,
            paper_form=form,
            entered_by=official,
        )
    assert caught.value.message_dict["paper_form"] == ["Phiếu số P-000777 đã được nhập rồi."]
    assert Response.objects.count() == 1


def test_paper_form_of_another_campaign_is_refused(campaign, official, admin_a):
    other = CampaignFactory(commune=campaign.commune, created_by=admin_a)
    form = PaperFormFactory(commune=campaign.commune, campaign=other)
    with pytest.raises(ValidationError, match="thuộc một đợt khảo sát khác"):
        response_submit(
            campaign=campaign,
            channel="paper",
            answers={"gave_feedback": "no", "officials_sat": 4},
            paper_form=form,
            entered_by=official,
        )


def test_paper_without_form_is_refused(campaign, official):
    with pytest.raises(ValidationError) as caught:
        response_submit(
            campaign=campaign,
            channel="paper",
            answers={"gave_feedback": "no", "officials_sat": 4},
            entered_by=official,
        )
    assert "paper_form" in caught.value.message_dict


def test_phone_needs_consent(campaign):
    answers = {"gave_feedback": "no", "officials_sat": 4}
    with pytest.raises(ValidationError) as caught:
        response_submit(
            campaign=campaign, channel="online", answers=answers, contact_phone="0912345678"
        )
    assert "contact_phone" in caught.value.message_dict
    with pytest.raises(ValidationError):
        response_submit(
            campaign=campaign,
            channel="online",
            answers=answers,
            consent_contact=True,
            contact_phone="12345",
        )
    response = response_submit(
        campaign=campaign,
        channel="online",
        answers=answers,
        consent_contact=True,
        contact_phone="0912 345 678",
    )
    assert (response.consent_contact, response.contact_phone) == (True, "0912345678")


def test_phone_interview_records_who_entered(campaign, make_user, commune_a):
    caller = make_user(Role.COMMUNE_OFFICIAL, commune=commune_a)
    response = response_submit(
        campaign=campaign,
        channel=ResponseChannel.PHONE,
        answers={"gave_feedback": "no", "officials_sat": 1},
        entered_by=caller,
    )
    assert (response.channel, response.entered_by_id) == ("phone", caller.pk)
    assert response.scores.get().key == "dissatisfied"


def test_shipped_sipas_questionnaire_scores_every_factor(commune_a, admin_a, procedure):
    definition = json.loads((SHIPPED_DIR / "sipas-xa.json").read_text(encoding="utf-8"))
    campaign = CampaignFactory(
        commune=commune_a,
        created_by=admin_a,
        definition=definition,
        questionnaire_id="sipas-xa",
        state=Campaign.State.OPEN,
    )
    answers = {
        "procedure_used": "0",
        "submitted_how": "desk",
        "access_satisfaction": 4,
        "procedure_satisfaction": 3,
        "officials_satisfaction": 3,
        "result_satisfaction": 2,
        "feedback_given": "yes",
        "feedback_satisfaction": 1,
        "overall_satisfaction": 3,
    }
    with pytest.raises(ValidationError) as caught:  # no such procedure in the commune
        response_submit(campaign=campaign, channel="online", answers=answers)
    assert list(caught.value.message_dict) == ["procedure_used"]
    answers["procedure_used"] = str(procedure.pk)
    response = response_submit(campaign=campaign, channel="online", answers=answers)
    assert set(response.scores.values_list("factor", "key")) == {
        ("access", "very_satisfied"),
        ("procedure", "satisfied"),
        ("officials", "satisfied"),
        ("result", "neutral"),
        ("feedback", "dissatisfied"),
        ("", "satisfied"),
    }
