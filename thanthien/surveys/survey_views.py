"""Answering a campaign's questionnaire: online by residents (/khao-sat/<code>/) and by
phone, typed in by an official (the staff page in campaign_views). No JavaScript needed."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from thanthien.core import ratelimit
from thanthien.surveys.models import Campaign, ResponseChannel
from thanthien.surveys.response_services import (
    campaign_option_sources,
    campaign_questionnaire,
    response_submit,
)
from thanthien.surveys.survey_form import SHOWN_FIELD, build_form, read_answers

SURVEY_SCOPE = "survey"


def survey_rate() -> str:
    return settings.THANTHIEN_SURVEY_RATE


def campaign_accepts_online(campaign: Campaign) -> bool:
    today = timezone.localdate()
    return (
        campaign.state == Campaign.State.OPEN
        and ResponseChannel.ONLINE in (campaign.channels or [])
        and campaign.starts_on <= today <= campaign.ends_on
    )


def survey_form_step(request, *, campaign: Campaign, channel: str, entered_by=None):
    """Run the form: (response, context). `response` is set once recorded; otherwise the
    context renders the form (first view, new questions, or errors)."""
    questionnaire = campaign_questionnaire(campaign)
    sources = campaign_option_sources(campaign)
    consent = False
    phone = ""
    top_errors: list[str] = []
    phone_error = ""
    if request.method == "POST":
        answers = read_answers(questionnaire, request.POST)
        shown = [s for s in request.POST.get(SHOWN_FIELD, "").split(",") if s]
        key = request.POST.get("key", "")[:64] or secrets.token_urlsafe(16)
        consent = request.POST.get("consent_contact") == "on"
        phone = request.POST.get("contact_phone", "").strip()[:20]
        state = build_form(
            questionnaire, answers, sources=sources, previously_shown=shown, check_errors=True
        )
        if state.complete:
            try:
                response = response_submit(
                    campaign=campaign,
                    answers=answers,
                    channel=channel,
                    entered_by=entered_by,
                    idempotency_key=key,
                    consent_contact=consent,
                    contact_phone=phone,
                )
            except ValidationError as error:
                messages = error.message_dict if hasattr(error, "error_dict") else {}
                phone_error = " ".join(messages.pop("contact_phone", []))
                if not hasattr(error, "error_dict"):
                    top_errors = list(error.messages)
                for field_name, field_messages in messages.items():
                    for view in (q for s in state.sections for q in s.questions):
                        if view.id == field_name:
                            view.error = " ".join(field_messages)
                            break
                    else:
                        top_errors.extend(field_messages)
            else:
                return response, {}
    else:
        answers = {}
        key = secrets.token_urlsafe(16)
        state = build_form(questionnaire, answers, sources=sources)
    context = {
        "campaign": campaign,
        "questionnaire": questionnaire,
        "title": questionnaire.title.get(request.LANGUAGE_CODE),
        "description": (
            questionnaire.description.get(request.LANGUAGE_CODE)
            if questionnaire.description
            else ""
        ),
        "sections": state.sections,
        "shown": ",".join(state.shown),
        "key": key,
        "new_questions": bool(state.new_questions) and request.method == "POST",
        "first_new": state.new_questions[0] if state.new_questions else "",
        "has_errors": bool(state.errors or top_errors or phone_error),
        "top_errors": top_errors,
        "consent": consent,
        "phone": phone,
        "phone_error": phone_error,
    }
    return None, context


@never_cache
@require_http_methods(["GET", "POST"])
def survey_answer(request, public_code: str):
    campaign = get_object_or_404(Campaign, public_code=public_code)
    if not campaign_accepts_online(campaign):
        response = render(request, "surveys/public/survey_closed.html", {"campaign": campaign})
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response
    if request.method == "POST":
        verdict = ratelimit.hit(request, scope=SURVEY_SCOPE, rate=survey_rate())
        if not verdict.allowed:
            minutes = max(1, -(-verdict.retry_after // 60))
            response = render(
                request,
                "surveys/public/survey_limited.html",
                {"campaign": campaign, "retry_minutes": minutes},
                status=429,
            )
            response["Retry-After"] = str(verdict.retry_after)
            return response
    recorded, context = survey_form_step(request, campaign=campaign, channel=ResponseChannel.ONLINE)
    if recorded is not None:
        return redirect(reverse("surveys:survey_thanks", args=[campaign.public_code]))
    context["action"] = reverse("surveys:survey_answer", args=[campaign.public_code])
    context["submit_label"] = _("Gửi phiếu")
    response = render(request, "surveys/public/survey.html", context)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@never_cache
def survey_thanks(request, public_code: str):
    campaign = Campaign.objects.filter(public_code=public_code).first()
    if campaign is None:
        raise Http404
    return render(request, "surveys/public/survey_thanks.html", {"campaign": campaign})
