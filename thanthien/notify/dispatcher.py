"""The outbox dispatcher: claims due messages, sends them, records every attempt.

State machine of Message.status:

    queued ──claim──► sending ──accepted──► sent ──delivery report──► delivered
                        │  ▲   ──delivered (console)──────────────────► delivered
                        │  └──claim (when next_attempt_at is due)── retry
                        ├──temporary failure──► retry (next_attempt_at = now + backoff)
                        ├──temporary failure, attempts used up──► failed
                        └──permanent failure──► failed (Zalo: + an SMS copy if consented)
    sending whose lease has run out (the dispatcher died) ──claim──► sending (resend)

Never sending twice: a claim commits status=sending, a lease (lease_until) and a claim
token before anything is sent; a message whose lease is still running is never claimed
again. Each message carries a provider_request_id (uuid) made at enqueue and sent as the
provider's request or tracking id (eSMS RequestId, ZNS tracking_id, webhook id, email
Message-ID), so if the process dies after the provider took a message but before the
result was recorded, the resend after the lease runs out is dropped by the provider as a
duplicate (eSMS answers 124, counted as accepted) instead of reaching the citizen twice.

On PostgreSQL the claim uses SELECT … FOR UPDATE SKIP LOCKED, so several dispatchers (or
Celery workers) share the outbox. SQLite has no row locks: run a single dispatcher there.
"""

import logging
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from thanthien.notify.gateways import SendResult, gateway_for
from thanthien.notify.models import Channel, Message, MessageAttempt
from thanthien.notify.services import message_sms_fallback_enqueue

logger = logging.getLogger(__name__)
Status = Message.Status
Outcome = MessageAttempt.Outcome


@dataclass
class BatchResult:
    claimed: int = 0
    outcomes: dict[str, int] = field(default_factory=dict)

    def count(self, outcome: str) -> None:
        self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1


def backoff_delay(attempt: int) -> timedelta:
    """Exponential: base, 2×base, 4×base… after attempt 1, 2, 3…, capped."""
    base = float(settings.THANTHIEN_NOTIFY_BACKOFF_BASE_SECONDS)
    cap = float(settings.THANTHIEN_NOTIFY_BACKOFF_MAX_SECONDS)
    return timedelta(seconds=min(cap, base * 2 ** max(0, attempt - 1)))


def _lease() -> timedelta:
    return timedelta(seconds=float(settings.THANTHIEN_NOTIFY_LEASE_SECONDS))


def due_messages(now: datetime):
    return Message.objects.filter(
        Q(status__in=[Status.QUEUED, Status.RETRY], next_attempt_at__lte=now)
        | Q(status=Status.SENDING, lease_until__lt=now)
    )


def messages_claim(*, limit: int, now: datetime) -> tuple[list[int], uuid.UUID]:
    """Mark up to `limit` due messages as ours (status sending, lease, token) and commit."""
    token = uuid.uuid4()
    with transaction.atomic():
        candidates = due_messages(now).order_by("next_attempt_at", "pk")
        if connection.features.has_select_for_update_skip_locked:
            candidates = candidates.select_for_update(skip_locked=True)
        pks = list(candidates.values_list("pk", flat=True)[:limit])
        if pks:
            Message.objects.filter(pk__in=pks).update(
                status=Status.SENDING,
                lease_until=now + _lease(),
                lease_token=token,
                attempt_count=F("attempt_count") + 1,
                updated_at=now,
            )
    return pks, token


def message_send_claimed(*, pk: int, token: uuid.UUID, now: datetime | None = None) -> str | None:
    """Send one claimed message and record the attempt; None when the claim was lost."""
    now = now or timezone.now()
    # Renew the lease right before sending; a row no longer ours is left to its new owner.
    if not Message.objects.filter(pk=pk, status=Status.SENDING, lease_token=token).update(
        lease_until=now + _lease()
    ):
        return None
    message = Message.objects.select_related("commune").get(pk=pk)
    started = timezone.now()
    try:
        gateway = gateway_for(message.channel)
        gateway_name = gateway.name
        result = gateway.send(message)
    except Exception as exc:  # a bug or misconfiguration must not stop the whole batch
        logger.exception("notify: gateway crashed on message %s", pk)
        gateway_name = "?"
        result = SendResult(outcome=Outcome.TEMPORARY, error=f"{type(exc).__name__}: {exc}")
    message_attempt_record(
        message=message,
        token=token,
        result=result,
        gateway=gateway_name,
        started=started,
        now=now,
    )
    return result.outcome


def message_attempt_record(
    *, message: Message, token: uuid.UUID, result: SendResult, gateway: str, started, now
) -> None:
    """Write the attempt and move the message to its next state, in one transaction."""
    finished = timezone.now()
    fallback_needed = False
    with transaction.atomic():
        MessageAttempt.objects.create(
            message=message,
            number=message.attempt_count,
            started_at=started,
            finished_at=finished,
            gateway=gateway,
            request_summary=result.request,
            status_code=result.status_code,
            response_summary=result.response,
            outcome=result.outcome,
            error=result.error,
        )
        changes: dict = {"lease_until": None, "lease_token": None, "updated_at": now}
        if result.outcome in (Outcome.ACCEPTED, Outcome.DELIVERED):
            changes |= {"status": Status.SENT, "sent_at": finished, "last_error": ""}
            if result.outcome == Outcome.DELIVERED:
                changes |= {"status": Status.DELIVERED, "delivered_at": finished}
            if result.provider_message_id:
                changes["provider_message_id"] = result.provider_message_id
        elif result.outcome == Outcome.TEMPORARY and message.attempt_count < int(
            settings.THANTHIEN_NOTIFY_MAX_ATTEMPTS
        ):
            changes |= {
                "status": Status.RETRY,
                "next_attempt_at": now + backoff_delay(message.attempt_count),
                "last_error": result.error,
            }
        else:
            changes |= {"status": Status.FAILED, "last_error": result.error}
            fallback_needed = result.outcome == Outcome.PERMANENT
        updated = Message.objects.filter(
            pk=message.pk, status=Status.SENDING, lease_token=token
        ).update(**changes)
        if updated and fallback_needed and message.channel == Channel.ZALO:
            message_sms_fallback_enqueue(message=message)
    if not updated:
        logger.warning("notify: message %s changed hands while sending", message.pk)


def dispatch_batch(*, batch_size: int | None = None, now: datetime | None = None) -> BatchResult:
    """Claim and send one batch of due messages (`now` pins the clock, for tests)."""
    limit = batch_size or int(settings.THANTHIEN_NOTIFY_BATCH_SIZE)
    pks, token = messages_claim(limit=limit, now=now or timezone.now())
    result = BatchResult(claimed=len(pks))
    for pk in pks:
        outcome = message_send_claimed(pk=pk, token=token, now=now)
        result.count(outcome or "lost")
    return result


def pending_count() -> int:
    """Messages not yet in a final state."""
    return Message.objects.filter(status__in=[Status.QUEUED, Status.RETRY, Status.SENDING]).count()
