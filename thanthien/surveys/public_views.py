"""Public pages of ratings: the one-tap rating of a dossier (/danh-gia/) and the counter kiosk.

The rating page works without JavaScript: each tap is a form button; the rating is recorded
at the first tap (the service), then the resident may rate the official who served, and at
Bình thường or below say why. It can be changed for THANTHIEN_RATING_CHANGE_HOURS.

The kiosk page (/kiosk/<counter>/) is a plain form that the kiosk script (static
surveys/kiosk.js) turns into full-screen steps and an offline queue. The queue posts JSON to
/kiosk/<counter>/gui/ with the device token in the X-Kiosk-Token header instead of Django's
CSRF token. Why that is safe: the endpoint authenticates by that header alone (never by a
cookie the browser attaches on its own), and another site can neither read the token nor send
a custom header cross-origin without a CORS preflight we never grant — the two things a
cross-site request forgery relies on. And why it is needed: a queued rating may be sent hours
later, after the CSRF cookie or the page's token has changed; the device token stays valid for
the whole kiosk session.
"""

import json
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from thanthien.onestop.lookup import normalize_code
from thanthien.onestop.models import Dossier
from thanthien.portal.selectors import conduct_code
from thanthien.surveys import rating_services as services
from thanthien.surveys.models import Rating, Score
from thanthien.surveys.rating_links import rating_token_matches
from thanthien.surveys.reasons import CONDUCT_GROUPS, rating_reasons

KIOSK_COOKIE = "thanthien_kiosk"
KIOSK_HEADER = "HTTP_X_KIOSK_TOKEN"
PUBLIC_CHANNELS = {Rating.Channel.QR, Rating.Channel.LINK, Rating.Channel.SMS}
SCORES = [(score.value, score.label) for score in Score]  # 4 … 1, best first


def _noindex(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _limited(request, verdict, template: str):
    minutes = max(1, -(-verdict.retry_after // 60))
    response = render(
        request, template, {"problem": "limited", "retry_minutes": minutes}, status=429
    )
    response["Retry-After"] = str(verdict.retry_after)
    return _noindex(response)


def _details(post) -> dict:
    return {
        "reasons": post.getlist("reasons"),
        "reason_other": post.get("reason_other", ""),
        "conduct": {g: post[f"conduct_{g}"] for g in CONDUCT_GROUPS if post.get(f"conduct_{g}")},
        "comment": post.get("comment", ""),
    }


def _error_text(error: ValidationError) -> str:
    return " ".join(str(message) for message in error.messages)


# --- The rating of a dossier --------------------------------------------------------------

RATE_TEMPLATE = "surveys/rate.html"


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def rate(request):
    data = request.POST if request.method == "POST" else request.GET
    code = normalize_code(data.get("ma", ""))
    token = data.get("k", "").strip()
    verdict = services.rating_allowed(request)
    if not verdict.allowed:
        return _limited(request, verdict, RATE_TEMPLATE)
    dossier = (
        Dossier.objects.select_related("procedure", "commune", "created_by")
        .filter(code=code)
        .first()
        if code
        else None
    )
    if dossier is None or not rating_token_matches(dossier.code, token):
        # The same answer for an unknown code and a wrong token.
        return _noindex(render(request, RATE_TEMPLATE, {"problem": "not_found"}, status=404))
    query = urlencode({"ma": dossier.code, "k": token})
    context = {"dossier": dossier, "query": query, "ma": dossier.code, "k": token}
    if dossier.state not in services.RATEABLE_STATES:
        return _noindex(render(request, RATE_TEMPLATE, {**context, "problem": "not_ready"}))
    rating = Rating.objects.filter(dossier=dossier).first()
    if request.method == "POST":
        step, error = _rate_post(request, dossier, rating)
        if error is None:
            return redirect(f"{request.path}?{query}&buoc={step}")
        rating = Rating.objects.filter(dossier=dossier).first()
        context["error"] = error
        status = 400
    else:
        step, status = request.GET.get("buoc", ""), 200
    can_change = rating is not None and services.rating_can_change(rating)
    if rating is None:
        step = "dich-vu"
    elif step not in ("dich-vu", "can-bo", "ly-do") or not can_change:
        step = "cam-on"
    context.update(
        rating=rating,
        step=step,
        can_change=can_change,
        scores=SCORES,
        reasons=rating_reasons(),
        conduct=conduct_code(dossier.commune) if step == "ly-do" else None,
        change_hours=settings.THANTHIEN_RATING_CHANGE_HOURS,
        channel=request.GET.get("kenh", ""),
    )
    return _noindex(render(request, RATE_TEMPLATE, context, status=status))


def _rate_post(request, dossier, rating) -> tuple[str, str | None]:
    """Do the tap; the next step, or the error to show."""
    action = request.POST.get("action", "")
    try:
        if action == "service":
            score = request.POST.get("score")
            if rating is None:
                channel = request.POST.get("kenh", "")
                rating = services.rating_submit(
                    channel=channel if channel in PUBLIC_CHANNELS else Rating.Channel.LINK,
                    dossier=dossier,
                    service_score=score,
                )
            else:
                services.rating_change(rating=rating, service_score=score)
            return "can-bo", None
        if rating is None:
            return "dich-vu", _("Xin chọn mức hài lòng với dịch vụ trước.")
        if action == "official":
            rating = services.rating_change(rating=rating, official_score=request.POST.get("score"))
            return ("ly-do" if rating.is_low else "cam-on"), None
        if action == "details":
            services.rating_change(rating=rating, **_details(request.POST))
            return "cam-on", None
    except ValidationError as error:
        return "", _error_text(error)
    return "", _("Yêu cầu không hợp lệ.")


# --- The counter kiosk --------------------------------------------------------------------

KIOSK_TEMPLATE = "surveys/kiosk.html"


def _kiosk_context(request, session, **extra) -> dict:
    import uuid

    return {
        "session": session,
        "counter": session.counter,
        "scores": SCORES,
        "reasons": rating_reasons(),
        "conduct": conduct_code(session.counter.commune),
        "idempotency_key": uuid.uuid4().hex,
        "device_token": request.COOKIES.get(KIOSK_COOKIE, ""),
        "reset_seconds": settings.THANTHIEN_KIOSK_RESET_SECONDS,
        **extra,
    }


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def kiosk(request, counter_id: int):
    session = services.kiosk_session_for(
        counter_id=counter_id, token=request.COOKIES.get(KIOSK_COOKIE, "")
    )
    if session is None:
        return _noindex(render(request, "surveys/kiosk_closed.html", status=403))
    if request.method == "POST":  # the form without JavaScript
        try:
            services.rating_submit(
                channel=Rating.Channel.KIOSK,
                kiosk_session=session,
                service_score=request.POST.get("service_score"),
                official_score=request.POST.get("official_score"),
                idempotency_key=request.POST.get("idempotency_key"),
                **_details(request.POST),
            )
        except ValidationError as error:
            context = _kiosk_context(request, session, error=_error_text(error))
            return _noindex(render(request, KIOSK_TEMPLATE, context, status=400))
        context = _kiosk_context(request, session, thanks=True)
        return _noindex(render(request, KIOSK_TEMPLATE, context))
    return _noindex(render(request, KIOSK_TEMPLATE, _kiosk_context(request, session)))


def _rated_at(text) -> datetime | None:
    """When the resident tapped (the queue may send it later); now when absent or absurd."""
    now = timezone.now()
    at = parse_datetime(text) if isinstance(text, str) else None
    if at is None or timezone.is_naive(at) or not now - timedelta(days=7) <= at <= now:
        return None
    return at


@csrf_exempt  # authenticated by the X-Kiosk-Token header, see the module docstring
@require_POST
def kiosk_submit(request, counter_id: int):
    delivering = services.kiosk_session_by_token(
        counter_id=counter_id, token=request.META.get(KIOSK_HEADER, "")
    )
    if delivering is None:
        return JsonResponse({"error": "kiosk_not_signed_in"}, status=403)
    verdict = services.rating_allowed(request, kiosk=True)
    if not verdict.allowed:
        response = JsonResponse({"error": "rate_limited"}, status=429)
        response["Retry-After"] = str(verdict.retry_after)
        return response
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return JsonResponse({"error": "invalid_json"}, status=400)
    if not isinstance(body, dict) or not body.get("key"):
        return JsonResponse({"error": "key_required"}, status=400)
    at = _rated_at(body.get("at"))
    # A rating queued offline belongs to the session it was tapped in (see kiosk_attribution).
    session, attribute_official = services.kiosk_attribution(session=delivering, at=at)
    if session is None:
        # Sent again after the sign-out, though already stored: the answer it missed.
        stored = Rating.objects.filter(
            idempotency_key=str(body["key"]).strip()[:64], kiosk_session__counter_id=counter_id
        ).first()
        if stored is not None:
            return JsonResponse({"id": stored.pk, "key": stored.idempotency_key}, status=201)
        return JsonResponse({"error": "kiosk_signed_out"}, status=403)
    conduct = body.get("conduct") if isinstance(body.get("conduct"), dict) else {}
    reasons = body.get("reasons") if isinstance(body.get("reasons"), list) else []
    try:
        rating = services.rating_submit(
            channel=Rating.Channel.KIOSK,
            kiosk_session=session,
            service_score=body.get("service_score"),
            official_score=body.get("official_score"),
            reasons=[str(code) for code in reasons],
            conduct={str(k): str(v) for k, v in conduct.items()},
            idempotency_key=str(body["key"]),
            at=at,
            attribute_official=attribute_official,
        )
    except ValidationError as error:
        return JsonResponse({"error": "invalid", "messages": error.messages}, status=400)
    return JsonResponse({"id": rating.pk, "key": rating.idempotency_key}, status=201)
