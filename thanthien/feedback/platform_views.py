"""The Zalo OA and Facebook Page webhooks. Each parses the request, calls one service and
answers quickly: 200 for an authentic call, 403 for one that is refused (and logged)."""

import ipaddress

from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from thanthien.core.ratelimit import client_ip
from thanthien.feedback.platform_services import (
    WebhookAnswer,
    facebook_webhook_receive,
    facebook_webhook_verify,
    zalo_webhook_receive,
)
from thanthien.feedback.platforms import FACEBOOK_SIGNATURE_HEADER, ZALO_SIGNATURE_HEADER


def _answer(answer: WebhookAnswer) -> HttpResponse:
    if not answer.accepted:
        return HttpResponseForbidden("refused", content_type="text/plain")
    return JsonResponse({"ok": True, "outcomes": [row.outcome for row in answer.logs]})


def _remote_addr(request) -> str | None:
    address = client_ip(request)
    try:
        return str(ipaddress.ip_address(address))
    except ValueError:
        return None


@csrf_exempt
@require_POST
def zalo_webhook(request):
    """Events of the commune's Zalo Official Account."""
    answer = zalo_webhook_receive(
        body=request.body,
        signature=request.headers.get(ZALO_SIGNATURE_HEADER, ""),
        remote_addr=_remote_addr(request),
    )
    return _answer(answer)


def _facebook_verify(request):
    challenge = facebook_webhook_verify(
        mode=request.GET.get("hub.mode", ""),
        token=request.GET.get("hub.verify_token", ""),
        challenge=request.GET.get("hub.challenge", ""),
    )
    if challenge is None:
        return HttpResponseForbidden("refused", content_type="text/plain")
    return HttpResponse(challenge, content_type="text/plain")


@csrf_exempt
@require_http_methods(["GET", "POST"])
def facebook_webhook(request):
    """Messenger events of the commune's Facebook Page; GET is Meta's subscription check."""
    if request.method == "GET":
        return _facebook_verify(request)
    answer = facebook_webhook_receive(
        body=request.body,
        signature=request.headers.get(FACEBOOK_SIGNATURE_HEADER, ""),
        remote_addr=_remote_addr(request),
    )
    return _answer(answer)
