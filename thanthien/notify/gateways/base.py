"""What every gateway returns, and the HTTP plumbing the HTTP gateways share."""

from dataclasses import dataclass

import httpx
from django.conf import settings

from thanthien.notify.models import MessageAttempt

Outcome = MessageAttempt.Outcome


@dataclass
class SendResult:
    outcome: str
    request: str = ""  # a summary: where, to whom, which ids; never the text or the keys
    status_code: str = ""
    response: str = ""
    provider_message_id: str = ""
    error: str = ""


class Gateway:
    """Hands one message to a provider. Must never raise for a provider's answer."""

    name = "gateway"

    def send(self, message) -> SendResult:
        raise NotImplementedError


class HttpGateway(Gateway):
    def post_json(self, url: str, *, body: bytes, headers: dict) -> httpx.Response:
        timeout = float(settings.THANTHIEN_NOTIFY_HTTP_TIMEOUT)
        with httpx.Client(timeout=timeout) as client:
            return client.post(
                url, content=body, headers={"Content-Type": "application/json", **headers}
            )

    @staticmethod
    def transport_failure(request: str, exc: Exception) -> SendResult:
        # No answer (refused, reset, timed out): the provider may or may not have the
        # request; a retry carries the same request id, so the provider drops a duplicate.
        return SendResult(
            outcome=Outcome.TEMPORARY, request=request, error=f"{type(exc).__name__}: {exc}"
        )

    @staticmethod
    def short(text: str, limit: int = 500) -> str:
        return text if len(text) <= limit else text[:limit] + "…"
