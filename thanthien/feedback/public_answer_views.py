"""Public pages of answered feedback: the commune's published answers, one answer with its
evidence photos, and the sender's rating of the answer by the signed link.

No sign-in and no JavaScript. Published pages never show the sender's name, phone or address:
the official writes the public summary, and the answer's text is shown with the sender's name
and any phone number masked (selectors.public_answer_text). The rating page opens only with
the link's token (links.rating_url); a wrong code and a wrong token answer alike.

Rating rule: one rating per item; the sender may change it while the item is answered and not
yet closed; a closed item takes one rating if it had none. Not satisfied, the sender gives a
reason and may ask to reopen the item within THANTHIEN_FEEDBACK_REOPEN_DAYS.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from thanthien.core import ratelimit
from thanthien.feedback import selectors
from thanthien.feedback import workflow_services as services
from thanthien.feedback.categories import category_choices, category_label
from thanthien.feedback.items import FeedbackItem
from thanthien.feedback.links import RATING_PURPOSE, item_token_matches, status_path
from thanthien.portal import selectors as portal_selectors

PAGE_SIZE = 20
RATE_TEMPLATE = "feedback/public/rate.html"
RATE_SCOPE = "feedback-rate"


def _page_or_404(slug: str):
    page = portal_selectors.commune_public_page(slug)
    if page is None:
        raise Http404(_("Không có xã, phường nào ở địa chỉ này."))
    return page


def _context(commune_page, **extra) -> dict:
    return {
        "commune": commune_page.commune,
        "profile": commune_page.profile,
        "section": "channels",
        **extra,
    }


def answers(request, slug: str):
    """/<slug>/gop-y/tra-loi/: published answers, newest first, by category."""
    page = _page_or_404(slug)
    chosen = request.GET.get("linh-vuc", "")
    known = dict(category_choices())
    if chosen not in known:
        chosen = ""
    items = selectors.published_answers(commune=page.commune, category=chosen)
    listing = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [{"item": item, "answer": selectors.public_answer_text(item)} for item in listing]
    context = _context(
        page,
        page=listing,
        rows=rows,
        chosen=chosen,
        categories=[
            (code, category_label(code))  # in the page's language
            for code in selectors.published_categories(commune=page.commune)
            if code in known
        ],
    )
    return render(request, "feedback/public/answers.html", context)


def answer(request, slug: str, code: str):
    """/<slug>/gop-y/tra-loi/<code>/: one published answer with its public evidence."""
    page = _page_or_404(slug)
    item = selectors.published_answer(commune=page.commune, code=code.strip().upper())
    if item is None:
        raise Http404(_("Không có câu trả lời công khai với mã này."))
    context = _context(
        page,
        item=item,
        answer=selectors.public_answer_text(item),
        files=item.public_files,
    )
    return render(request, "feedback/public/answer.html", context)


def answer_file(request, slug: str, code: str, pk: int):
    """A public evidence file of a published answer (media is not served publicly)."""
    page = _page_or_404(slug)
    item = selectors.published_answer(commune=page.commune, code=code.strip().upper())
    found = next((f for f in (item.public_files if item else []) if f.pk == pk), None)
    if found is None or not found.file:
        raise Http404
    return FileResponse(found.file.open("rb"), content_type=found.content_type)


# --- the rating --------------------------------------------------------------------------


def _noindex(response):
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _rated_item(code: str, token: str) -> FeedbackItem | None:
    item = (
        FeedbackItem.objects.select_related("commune", "commune__province")
        .filter(code=code)
        .first()
        if code
        else None
    )
    if item is None or not item_token_matches(item.code, token, purpose=RATING_PURPOSE):
        return None
    return item


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def rate(request, code: str):
    """/gop-y/danh-gia/<code>/?k=<token>: satisfied or not (with a reason), by the sender."""
    token = (request.POST.get("k") or request.GET.get("k", "")).strip()
    verdict = ratelimit.hit(request, scope=RATE_SCOPE, rate=settings.THANTHIEN_FEEDBACK_RATING_RATE)
    if not verdict.allowed:
        minutes = max(1, -(-verdict.retry_after // 60))
        response = render(
            request, RATE_TEMPLATE, {"problem": "limited", "retry_minutes": minutes}, status=429
        )
        response["Retry-After"] = str(verdict.retry_after)
        return _noindex(response)
    item = _rated_item(code.strip().upper(), token)
    if item is None:
        return _noindex(render(request, RATE_TEMPLATE, {"problem": "not_found"}, status=404))
    context = {
        "item": item,
        "commune": item.commune,
        "token": token,
        "status_path": status_path(item.code),
        "category": category_label(item.category) if item.category else "",
        "can_reopen": services.can_sender_reopen(item),
        "reopen_days": settings.THANTHIEN_FEEDBACK_REOPEN_DAYS,
        "values": {},
    }
    status = 200
    if request.method == "POST":
        choice = request.POST.get("satisfied", "")
        values = {
            "satisfied": choice,
            "reason": request.POST.get("reason", ""),
            "reopen": bool(request.POST.get("reopen")),
        }
        if choice not in ("1", "0"):
            context.update(values=values, error=_("Xin chọn Hài lòng hoặc Chưa hài lòng."))
            status = 400
        else:
            try:
                services.feedback_rate(
                    item=item,
                    satisfied=choice == "1",
                    reason=values["reason"],
                    reopen=values["reopen"],
                    channel="link",
                )
            except ValidationError as error:
                context.update(values=values, error=" ".join(error.messages))
                status = 400
            else:
                return redirect(f"{request.path}?k={token}&xong=1")
        item.refresh_from_db()
    context.update(
        rateable=services.can_rate(item),
        answered=item.status in services.RATEABLE or bool(item.answer),
        thanks=request.GET.get("xong") == "1" and item.rated_at is not None,
    )
    if not context["values"] and item.rated_at is not None:
        context["values"] = {
            "satisfied": "1" if item.satisfied else "0",
            "reason": item.rating_reason,
        }
    return _noindex(render(request, RATE_TEMPLATE, context, status=status))
