"""Staff pages of paper surveys, under /staff/khao-sat/<campaign>/phieu-giay/: print numbered
copies (A4, one copy per page) and type in returned copies with the keyboard alone."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from thanthien.core.qr import qr_svg
from thanthien.core.staff import register_scoped_view, staff_required
from thanthien.onestop.dossier_selectors import today_local
from thanthien.surveys import paper_selectors as selectors
from thanthien.surveys import paper_services as services
from thanthien.surveys.campaign_selectors import campaign_public_url
from thanthien.surveys.campaign_views import campaign_or_404
from thanthien.surveys.models import Campaign, PaperForm
from thanthien.surveys.paper_forms import PaperAnswersForm, PaperNumberForm, PaperPrintForm

for _name in ("staff:paper_print", "staff:paper_sheets", "staff:paper_entry"):
    register_scoped_view(_name, "surveys.Campaign")


def qr_text(request, campaign: Campaign, number: str) -> str:
    """What a copy's QR code encodes: the online link, carrying the copy's number."""
    return f"{campaign_public_url(campaign, request=request)}?phieu={number}"


def _language() -> str:
    return (get_language() or "vi").split("-")[0]


@staff_required(services.PAPER_ROLES)
def paper_print(request, pk: int):
    """Choose how many copies (and for which hamlet), then print them."""
    campaign = campaign_or_404(request, pk, perm="surveys.add_paperform")
    form = PaperPrintForm(request.POST or None, campaign=campaign)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            printed = services.paper_forms_print(
                user=request.user,
                campaign=campaign,
                copies=form.cleaned_data["copies"],
                hamlet=form.cleaned_data["hamlet"],
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            url = reverse("staff:paper_sheets", args=[campaign.pk])
            return redirect(f"{url}?tu={printed[0].pk}&den={printed[-1].pk}")
    counts = PaperForm.objects.filter(campaign=campaign).aggregate(
        printed=Count("pk"), entered=Count("response")
    )
    context = {
        "campaign": campaign,
        "form": form,
        "error": error,
        "counts": counts,
        "entry_url": reverse("staff:paper_entry", args=[campaign.pk]),
    }
    return render(request, "surveys/paper/print_setup.html", context)


def _int_param(request, name: str) -> int:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() else 0


@staff_required(services.PAPER_ROLES)
def paper_sheets(request, pk: int):
    """The A4 print pages of one print run: one copy per page."""
    campaign = campaign_or_404(request, pk, perm="surveys.view_paperform")
    copies = selectors.paper_forms_printed(
        campaign=campaign,
        first_pk=_int_param(request, "tu"),
        last_pk=_int_param(request, "den"),
        limit=services.MAX_COPIES,
    )
    layout = selectors.paper_layout(campaign, language=_language())
    link = campaign_public_url(campaign, request=request)
    sheets = [
        {
            "form": copy,
            "qr": qr_svg(qr_text(request, campaign, copy.number), scale=3),
        }
        for copy in copies
    ]
    context = {
        "campaign": campaign,
        "commune": campaign.commune,
        "layout": layout,
        "sheets": sheets,
        "online_url": link,
        "today": today_local(),
        "back_url": reverse("staff:paper_print", args=[campaign.pk]),
    }
    return render(request, "surveys/paper/sheets.html", context)


def _count_key(campaign: Campaign) -> str:
    return f"paper_entry_count_{campaign.pk}"


def _entry_page(request, campaign, *, number_form, answers_form=None, paper_form=None, errors=()):
    context = {
        "campaign": campaign,
        "number_form": number_form,
        "answers_form": answers_form,
        "paper_form": paper_form,
        "errors": list(errors),
        "entered_count": request.session.get(_count_key(campaign), 0),
        "print_url": reverse("staff:paper_print", args=[campaign.pk]),
    }
    return render(request, "surveys/paper/entry.html", context)


@staff_required(services.PAPER_ROLES)
def paper_entry(request, pk: int):
    """Type in returned copies: the number, then the answers, then the next number."""
    campaign = campaign_or_404(request, pk, perm="surveys.add_response")
    if request.method != "POST":
        return _entry_page(request, campaign, number_form=PaperNumberForm())
    number_form = PaperNumberForm(request.POST)
    if not number_form.is_valid():
        return _entry_page(request, campaign, number_form=number_form)
    paper_form, problem = selectors.paper_form_lookup(
        user=request.user, campaign=campaign, raw_number=number_form.cleaned_data["number"]
    )
    if paper_form is None:
        number_form.add_error("number", problem)
        return _entry_page(request, campaign, number_form=number_form)
    layout = selectors.paper_layout(campaign, language=_language())
    if request.POST.get("step") != "answers":
        answers_form = PaperAnswersForm(layout=layout)
        number_form = PaperNumberForm(initial={"number": paper_form.number})
        return _entry_page(
            request,
            campaign,
            number_form=number_form,
            answers_form=answers_form,
            paper_form=paper_form,
        )
    answers_form = PaperAnswersForm(request.POST, layout=layout)
    errors = []
    if answers_form.is_valid():
        try:
            services.paper_form_enter(
                user=request.user, paper_form=paper_form, answers=answers_form.answers()
            )
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                errors = answers_form.add_answer_errors(exc.message_dict)
            else:
                errors = exc.messages
        else:
            key = _count_key(campaign)
            request.session[key] = request.session.get(key, 0) + 1
            messages.success(
                request, _("Đã lưu phiếu số %(number)s.") % {"number": paper_form.number}
            )
            return redirect("staff:paper_entry", pk=campaign.pk)
    return _entry_page(
        request,
        campaign,
        number_form=PaperNumberForm(initial={"number": paper_form.number}),
        answers_form=answers_form,
        paper_form=paper_form,
        errors=errors,
    )
