"""Feedback intake pages: the public form (and the desk QR that pre-fills it), its thank-you
page, the public status page, the official's desk entry and the QR posters.

Public pages need no sign-in and no JavaScript. The form is rate-limited per client address
(THANTHIEN_FEEDBACK_RATE) and per phone number (THANTHIEN_FEEDBACK_PHONE_RATE); a filled-in
honeypot gets the thank-you page and nothing is stored; each rendering carries an idempotency
token, so a double click or a resubmission after "back" gives the same item.
"""

import random
from ipaddress import ip_address

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from thanthien.core import ratelimit
from thanthien.core.forms import errors_into
from thanthien.core.qr import qr_svg
from thanthien.core.staff import require_perm, staff_required
from thanthien.core.workdays import LOCAL_TZ
from thanthien.feedback import intake_selectors as selectors
from thanthien.feedback.intake_forms import (
    DeskEntryForm,
    PosterForm,
    PublicFeedbackForm,
    StatusLookupForm,
)
from thanthien.feedback.intake_limits import submission_allowed
from thanthien.feedback.intake_services import feedback_submit, normalized_phone
from thanthien.feedback.items import FeedbackItem, Source
from thanthien.feedback.links import item_token, item_token_matches, status_path, status_url
from thanthien.people.roles import COMMUNE_ROLES
from thanthien.places.models import Hamlet
from thanthien.portal import selectors as portal_selectors

STATUS_RATE_SCOPE = "feedback-status"
DESK_CATEGORY = "thu_tuc_hanh_chinh"


def _commune_page_or_404(slug: str):
    page = portal_selectors.commune_public_page(slug)
    if page is None:
        raise Http404(_("Không có xã, phường nào ở địa chỉ này."))
    return page


def _private(response: HttpResponse) -> HttpResponse:
    # One resident's business: not for search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


# --- The public form -------------------------------------------------------------------------


def _desk(commune, data) -> tuple:
    """The counter and procedure the desk QR names (only the commune's own; others ignored)."""
    counter = selectors.counter_by_number(commune, data.get("quay", ""))
    procedure = selectors.procedure_by_code(
        commune, data.get("thu-tuc", "") or data.get("thu_tuc", "")
    )
    return counter, procedure


def _form_page(request, page, form, *, counter, procedure, status: int = 200, **extra):
    context = {
        "commune": page.commune,
        "profile": page.profile,
        "section": "channels",
        "form": form,
        "counter": counter,
        "procedure": procedure,
        "had_files": bool(request.FILES),
        "max_files": settings.THANTHIEN_FEEDBACK_MAX_FILES,
        "max_mb": settings.THANTHIEN_FEEDBACK_MAX_FILE_MB,
        **extra,
    }
    return _private(render(request, "feedback/intake/submit.html", context, status=status))


def _limited(request, page, form, verdict, *, counter, procedure):
    minutes = max(1, -(-verdict.retry_after // 60))
    response = _form_page(
        request,
        page,
        form,
        counter=counter,
        procedure=procedure,
        status=429,
        limited=True,
        retry_minutes=minutes,
    )
    response["Retry-After"] = str(verdict.retry_after)
    return response


def _thanks_redirect(item: FeedbackItem):
    path = reverse("feedback:submitted", kwargs={"slug": item.commune.slug, "code": item.code})
    response = redirect(f"{path}?k={item_token(item.code)}")
    response.status_code = 303  # See Other: a reload of the thanks page does not resubmit
    return response


def _decoy_code(commune) -> str:
    """A code shaped like a real one, for the robot that filled in the honeypot."""
    year = timezone.now().astimezone(LOCAL_TZ).year % 100
    return f"PA-{commune.code}-{year:02d}-{random.randint(1, 99999):05d}"  # noqa: S311


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def submit(request, slug: str):
    page = _commune_page_or_404(slug)
    commune = page.commune
    hamlets = Hamlet.objects.filter(commune=commune).order_by("name")
    if request.method != "POST":
        counter, procedure = _desk(commune, request.GET)
        initial = {
            "quay": counter.number if counter else "",
            "thu_tuc": procedure.code if procedure else "",
        }
        if procedure is not None:
            # The QR of a procedure: the item is most likely about that procedure.
            initial["category"] = DESK_CATEGORY
        form = PublicFeedbackForm(hamlets=hamlets, initial=initial)
        return _form_page(request, page, form, counter=counter, procedure=procedure)

    form = PublicFeedbackForm(request.POST, request.FILES, hamlets=hamlets)
    counter, procedure = _desk(commune, request.POST)
    if form.is_spam():
        # Same page as a real submission, nothing stored, nothing counted.
        return _private(
            render(
                request,
                "feedback/intake/thanks.html",
                {
                    "commune": commune,
                    "profile": page.profile,
                    "section": "channels",
                    "code": _decoy_code(commune),
                    "status_link": "",
                    "item": None,
                },
            )
        )
    if not form.is_valid():
        return _form_page(request, page, form, counter=counter, procedure=procedure, status=400)
    token = form.cleaned_data["token"]
    key = f"web:{token}" if token else ""
    if key:
        earlier = FeedbackItem.objects.filter(commune=commune, idempotency_key=key).first()
        if earlier is not None:  # a double click or "back" and send again: not counted
            return _thanks_redirect(earlier)
    verdict = submission_allowed(request, phone=normalized_phone(form.cleaned_data["sender_phone"]))
    if not verdict.allowed:
        return _limited(request, page, form, verdict, counter=counter, procedure=procedure)
    try:
        submitted = feedback_submit(
            commune=commune,
            source=Source.QR if (counter or procedure) else Source.WEB,
            counter=counter,
            procedure=procedure,
            idempotency_key=key,
            submitted_ip=ratelimit.client_ip(request) if _is_ip(request) else None,
            **form.submit_arguments(),
        )
    except ValidationError as error:
        errors_into(form, error)
        return _form_page(request, page, form, counter=counter, procedure=procedure, status=400)
    return _thanks_redirect(submitted.item)


def _is_ip(request) -> bool:
    try:
        ip_address(ratelimit.client_ip(request))
    except ValueError:
        return False
    return True


@never_cache
@require_http_methods(["GET", "HEAD"])
def submitted(request, slug: str, code: str):
    """The thank-you page: the tracking code, large, and the signed status link."""
    page = _commune_page_or_404(slug)
    token = request.GET.get("k", "").strip()
    item = (
        FeedbackItem.objects.filter(commune=page.commune, code=code).first()
        if item_token_matches(code, token)
        else None
    )
    if item is None:
        raise Http404(_("Không có góp ý nào ở địa chỉ này."))
    context = {
        "commune": page.commune,
        "profile": page.profile,
        "section": "channels",
        "code": item.code,
        "item": item,
        "status_link": status_url(item.code, request=request),
    }
    return _private(render(request, "feedback/intake/thanks.html", context))


# --- The public status page -----------------------------------------------------------------


def _status_page(request, *, form, code: str, item=None, problem: str = "", status=200, **extra):
    context = {"form": form, "code_value": code, "item": item, "problem": problem, **extra}
    return _private(render(request, "feedback/intake/status.html", context, status=status))


def _status_limited(request, code: str, verdict):
    response = _status_page(
        request,
        form=StatusLookupForm(),
        code=code,
        problem="limited",
        status=429,
        retry_minutes=max(1, -(-verdict.retry_after // 60)),
    )
    response["Retry-After"] = str(verdict.retry_after)
    return response


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def status(request, code: str = ""):
    """/gop-y/theo-doi/<code>/: with the link's token, the status at once; without it, a form
    for the code and four digits of the phone. Wrong code and wrong digits answer alike."""
    code = selectors.normalize_code(code)
    if request.method == "POST":
        form = StatusLookupForm(request.POST)
        if not form.is_valid():
            typed = selectors.normalize_code(request.POST.get("code", "")) or code
            return _status_page(request, form=form, code=typed, problem="invalid", status=400)
        typed = form.cleaned_data["code"]
        verdict = ratelimit.hit(
            request, scope=STATUS_RATE_SCOPE, rate=settings.THANTHIEN_LOOKUP_RATE
        )
        if not verdict.allowed:
            return _status_limited(request, typed, verdict)
        found = selectors.item_status(typed, phone_last4=form.cleaned_data["phone_last4"])
        if found is None:
            return _status_page(
                request, form=StatusLookupForm(), code=typed, problem="not_found", status=404
            )
        response = redirect(status_path(found.code))
        response.status_code = 303
        return response

    token = request.GET.get("k", "").strip()
    if not token:
        return _status_page(request, form=StatusLookupForm(), code=code)
    verdict = ratelimit.hit(request, scope=STATUS_RATE_SCOPE, rate=settings.THANTHIEN_LOOKUP_RATE)
    if not verdict.allowed:
        return _status_limited(request, code, verdict)
    found = selectors.item_status(code, token=token)
    if found is None:
        return _status_page(
            request, form=StatusLookupForm(), code=code, problem="not_found", status=404
        )
    return _status_page(request, form=None, code=found.code, item=found)


# --- Staff: the official's entry ------------------------------------------------------------


def _item_page(item: FeedbackItem) -> str:
    try:
        return item.get_absolute_url()
    except NoReverseMatch:  # the item page is another area's; until it exists, back here
        return reverse("staff:feedback:enter")


@staff_required(COMMUNE_ROLES)
@require_http_methods(["GET", "HEAD", "POST"])
def enter(request):
    """/staff/gop-y/nhap/: what came by phone, hotline, the box, a visit or an email."""
    require_perm(request.user, "feedback.add_feedbackitem")
    if request.method != "POST":
        form = DeskEntryForm(user=request.user)
        return render(request, "feedback/intake/enter.html", {"form": form})
    form = DeskEntryForm(request.POST, request.FILES, user=request.user)
    if form.is_valid():
        commune = form.chosen_commune()
        if commune is None:
            raise PermissionDenied
        token = form.cleaned_data["token"]
        try:
            submitted = feedback_submit(
                commune=commune,
                entered_by=request.user,
                idempotency_key=f"desk:{token}" if token else "",
                **form.submit_arguments(),
            )
        except ValidationError as error:
            errors_into(form, error)
        else:
            item = submitted.item
            if submitted.created:
                messages.success(
                    request,
                    _("Đã nhập %(kind)s, mã theo dõi %(code)s. Hạn trả lời: %(due)s.")
                    % {
                        "kind": item.get_kind_display().lower(),
                        "code": item.code,
                        "due": f"{item.due_date:%d/%m/%Y}" if item.due_date else "—",
                    },
                )
            else:
                messages.info(
                    request,
                    _("Ý kiến này đã được nhập trước đó, mã theo dõi %(code)s.")
                    % {"code": item.code},
                )
            return redirect(_item_page(item))
    context = {"form": form, "had_files": bool(request.FILES)}
    return render(request, "feedback/intake/enter.html", context, status=400)


# --- Staff: the QR posters for the desk ----------------------------------------------------


@staff_required()
@require_http_methods(["GET", "HEAD"])
def qr_posters(request):
    """/staff/gop-y/ma-qr/: one printable QR poster per counter (and per chosen procedure)
    that opens the feedback form with the counter and the procedure filled in."""
    require_perm(request.user, "feedback.view_feedbackitem")
    form = PosterForm(request.GET or None, user=request.user)
    commune = None
    chosen_procedures = []
    size = "a4"
    if form.is_bound and form.is_valid():
        commune = form.chosen_commune()
        size = form.cleaned_data.get("size") or "a4"
        chosen_procedures = [
            p for p in form.cleaned_data["procedures"] if commune and p.commune_id == commune.pk
        ]
    elif not form.is_bound:
        commune = form.single_commune
    posters = []
    if commune is not None:
        for counter in selectors.poster_counters(commune):
            url = selectors.public_form_url(commune, counter=counter, request=request)
            posters.append(
                {
                    "title": _("Quầy số %(number)s") % {"number": counter.number},
                    "subtitle": counter.name,
                    "url": url,
                    "qr": qr_svg(
                        url,
                        scale=8,
                        title=_("Mã QR gửi góp ý về quầy số %(number)s")
                        % {"number": counter.number},
                    ),
                }
            )
        for procedure in chosen_procedures:
            url = selectors.public_form_url(commune, procedure=procedure, request=request)
            posters.append(
                {
                    "title": procedure.name,
                    "subtitle": _("Thủ tục %(code)s") % {"code": procedure.code},
                    "url": url,
                    "qr": qr_svg(
                        url,
                        scale=8,
                        title=_("Mã QR gửi góp ý về thủ tục %(code)s") % {"code": procedure.code},
                    ),
                }
            )
        if not posters:
            url = selectors.public_form_url(commune, request=request)
            posters.append(
                {
                    "title": _("Góp ý, phản ánh"),
                    "subtitle": commune.name,
                    "url": url,
                    "qr": qr_svg(url, scale=8, title=_("Mã QR gửi góp ý cho xã")),
                }
            )
    context = {"form": form, "commune": commune, "posters": posters, "size": size}
    return render(request, "feedback/intake/qr_posters.html", context)
