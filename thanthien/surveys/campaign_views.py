"""Staff pages of survey campaigns, under /staff/khao-sat/: the list with progress, create and
edit (commune admin and leader), open and close, the QR poster of the online link, and the
phone interview page where an official types in the answers heard by phone."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from thanthien.core.forms import errors_into
from thanthien.core.qr import qr_svg
from thanthien.core.staff import (
    post_decision,
    register_scoped_view,
    require_perm,
    scoped_or_404,
    staff_required,
)
from thanthien.places.models import Hamlet
from thanthien.surveys import campaign_selectors as selectors
from thanthien.surveys import campaign_services as services
from thanthien.surveys.campaign_forms import CampaignForm
from thanthien.surveys.models import Campaign, ResponseChannel
from thanthien.surveys.survey_views import survey_form_step

for _name in (
    "campaign_detail",
    "campaign_edit",
    "campaign_open",
    "campaign_close",
    "campaign_poster",
    "campaign_phone",
):
    register_scoped_view(f"staff:{_name}", "surveys.Campaign")


def campaign_or_404(request, pk: int, *, perm: str) -> Campaign:
    """The campaign `pk` of the user's communes, after checking `perm` (403, else 404)."""
    return scoped_or_404(request.user, selectors.campaigns_visible_to(request.user), pk, perm=perm)


@staff_required()
def campaign_list(request):
    require_perm(request.user, "surveys.view_campaign")
    campaigns = list(selectors.campaigns_visible_to(request.user))
    progress = selectors.campaign_progress(campaigns)
    rows = [(campaign, progress[campaign.pk]) for campaign in campaigns]
    return render(
        request,
        "surveys/campaigns/list.html",
        {"rows": rows, "can_manage": request.user.has_perm("surveys.add_campaign")},
    )


@staff_required(services.MANAGER_ROLES)
def campaign_create(request):
    require_perm(request.user, "surveys.add_campaign")
    commune = request.user.commune
    if commune is None:
        raise PermissionDenied
    hamlets = Hamlet.objects.filter(commune=commune).order_by("order", "name")
    form = CampaignForm(request.POST or None, hamlets=hamlets)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.campaign_create(
                actor=request.user,
                commune=commune,
                questionnaire=form.cleaned_data["questionnaire"],
                **form.service_kwargs(),
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("Đã tạo đợt khảo sát. Kiểm tra lại rồi bấm Mở khảo sát."))
            return redirect("staff:campaign_detail", pk=campaign.pk)
    return render(request, "surveys/campaigns/form.html", {"form": form, "campaign": None})


@staff_required(services.MANAGER_ROLES)
def campaign_edit(request, pk: int):
    campaign = campaign_or_404(request, pk, perm="surveys.change_campaign")
    hamlets = Hamlet.objects.filter(commune_id=campaign.commune_id).order_by("order", "name")
    form = CampaignForm(
        request.POST or None,
        hamlets=hamlets,
        editing=True,
        locked=bool(campaign.province_campaign_id),
        initial=CampaignForm.initial_for(campaign),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.campaign_update(actor=request.user, campaign=campaign, **form.service_kwargs())
        except ValidationError as error:
            errors_into(form, error)
        else:
            messages.success(request, _("Đã lưu đợt khảo sát."))
            return redirect("staff:campaign_detail", pk=campaign.pk)
    return render(request, "surveys/campaigns/form.html", {"form": form, "campaign": campaign})


@staff_required()
def campaign_detail(request, pk: int):
    campaign = campaign_or_404(request, pk, perm="surveys.view_campaign")
    progress = selectors.campaign_progress([campaign])[campaign.pk]
    context = {
        "campaign": campaign,
        "progress": progress,
        "public_url": selectors.campaign_public_url(campaign, request=request),
        "can_manage": request.user.has_perm("surveys.change_campaign")
        and request.user.role in services.MANAGER_ROLES,
        "can_phone": (
            request.user.has_perm("surveys.add_response")
            and campaign.state == Campaign.State.OPEN
            and ResponseChannel.PHONE in (campaign.channels or [])
        ),
        "online": ResponseChannel.ONLINE in (campaign.channels or []),
    }
    return render(request, "surveys/campaigns/detail.html", context)


def _state_change(request, pk: int, service, done: str):
    campaign = campaign_or_404(request, pk, perm="surveys.change_campaign")
    # POST only, checked after the look-up: another commune's campaign is a 404.
    return post_decision(
        request,
        call=lambda: service(actor=request.user, campaign=campaign),
        done=done,
        to=reverse("staff:campaign_detail", args=[campaign.pk]),
    )


@staff_required(services.MANAGER_ROLES)
def campaign_open(request, pk: int):
    return _state_change(request, pk, services.campaign_open, _("Đã mở khảo sát."))


@staff_required(services.MANAGER_ROLES)
def campaign_close(request, pk: int):
    return _state_change(request, pk, services.campaign_close, _("Đã kết thúc khảo sát."))


@staff_required()
def campaign_poster(request, pk: int):
    """An A4 poster: the title, the period, the link and its QR code, to print and pin up."""
    campaign = campaign_or_404(request, pk, perm="surveys.view_campaign")
    url = selectors.campaign_public_url(campaign, request=request)
    context = {"campaign": campaign, "public_url": url, "qr": qr_svg(url, scale=10)}
    return render(request, "surveys/campaigns/poster.html", context)


@staff_required()
def campaign_phone(request, pk: int):
    """An official types in the answers of a phone interview (channel phone, entered_by)."""
    campaign = campaign_or_404(request, pk, perm="surveys.add_response")
    if campaign.state != Campaign.State.OPEN or ResponseChannel.PHONE not in (
        campaign.channels or []
    ):
        messages.error(request, _("Đợt khảo sát này không nhận phiếu phỏng vấn qua điện thoại."))
        return redirect("staff:campaign_detail", pk=campaign.pk)
    recorded, context = survey_form_step(
        request, campaign=campaign, channel=ResponseChannel.PHONE, entered_by=request.user
    )
    if recorded is not None:
        messages.success(request, _("Đã ghi phiếu phỏng vấn. Có thể nhập phiếu tiếp theo."))
        return redirect("staff:campaign_phone", pk=campaign.pk)
    context["action"] = reverse("staff:campaign_phone", args=[campaign.pk])
    context["submit_label"] = _("Ghi phiếu phỏng vấn")
    return render(request, "surveys/campaigns/phone.html", context)
