"""Public status lookup page (/tra-cuu/): no sign-in, no JavaScript.

Two ways in:
- the form: the dossier code and the last four digits of the phone, sent by POST (the
  digits never appear in an address, so not in a proxy's or browser's history); when they
  match, the browser is sent on to the status address with the receipt's token;
- the receipt's QR code or the SMS link, /tra-cuu/?ma=<code>&k=<token>: the status at once.

A wrong phone suffix or token answers exactly like an unknown code. Every attempt counts
against the client's rate limit (THANTHIEN_LOOKUP_RATE), shared with the API.
"""

from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from thanthien.core import ratelimit
from thanthien.onestop.lookup import lookup_allowed, normalize_code, public_status, status_path
from thanthien.onestop.lookup_forms import CODE_EXAMPLE, LookupForm

TEMPLATE = "onestop/lookup/lookup.html"


def _page(
    request, *, form, code: str, status=None, problem: str = "", http_status: int = 200, **extra
):
    context = {
        "form": form,
        "code_value": code,
        "status": status,
        "problem": problem,
        "code_example": CODE_EXAMPLE,
        **extra,
    }
    response = render(request, TEMPLATE, context, status=http_status)
    # A status page is one resident's business: not for search engines.
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _limited(request, verdict: ratelimit.Verdict, code: str):
    minutes = max(1, -(-verdict.retry_after // 60))
    response = _page(
        request,
        form=LookupForm(),
        code=code,
        problem="limited",
        http_status=429,
        retry_minutes=minutes,
    )
    response["Retry-After"] = str(verdict.retry_after)
    return response


def _not_found(request, code: str):
    # The same answer for an unknown code, a wrong phone suffix and a wrong token.
    return _page(request, form=LookupForm(), code=code, problem="not_found", http_status=404)


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def dossier_lookup(request):
    if request.method == "POST":
        form = LookupForm(request.POST)
        if not form.is_valid():
            # Show what was typed, except the digits of the phone.
            code = normalize_code(request.POST.get("code", ""))
            return _page(request, form=form, code=code, problem="invalid")
        code = form.cleaned_data["code"]
        verdict = lookup_allowed(request)
        if not verdict.allowed:
            return _limited(request, verdict, code)
        status = public_status(code, phone_last4=form.cleaned_data["phone_last4"])
        if status is None:
            return _not_found(request, code)
        # Post/Redirect/Get: the status has its own address (with the token, never the digits)
        # that survives a reload and can be kept.
        response = redirect(status_path(status.code))
        response.status_code = 303  # See Other: the browser follows with a GET
        return response

    code = normalize_code(request.GET.get("ma", ""))
    token = request.GET.get("k", "").strip()
    if not (code and token):
        # A link with only the code (a poster, a letter) fills it in and asks for the digits.
        return _page(request, form=LookupForm(), code=code)
    verdict = lookup_allowed(request)
    if not verdict.allowed:
        return _limited(request, verdict, code)
    status = public_status(code, token=token)
    if status is None:
        return _not_found(request, code)
    return _page(request, form=LookupForm(), code=status.code, status=status)
