"""Feedback that arrives on the commune's Zalo Official Account and Facebook Page.

A webhook call is checked (the account is ours and active, the signature is the platform's,
the call is fresh), then each resident's message becomes an item through `feedback_submit`
with the message id as `external_id`, so a redelivery creates nothing new. The sender is
acknowledged with the tracking code on the same platform through the outbox (the zalo_oa and
facebook gateways). Every call leaves an InboundLog row: accepted, duplicate, ignored or
refused; a refused call is also logged as a warning.
"""

import logging
from dataclasses import dataclass

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.feedback.intake_services import (
    MAX_CONTENT_LENGTH,
    MIN_CONTENT_LENGTH,
    feedback_submit,
)
from thanthien.feedback.items import (
    Action,
    ChannelAccount,
    FeedbackEvent,
    FeedbackItem,
    InboundLog,
    ReplyChannel,
    Source,
)
from thanthien.feedback.platforms import (
    InboundMessage,
    PayloadError,
    facebook_parse,
    facebook_signature_valid,
    payload_sha256,
    timestamp_fresh,
    zalo_parse,
    zalo_signature_valid,
)
from thanthien.feedback.uploads import clean_upload

logger = logging.getLogger(__name__)
Outcome = InboundLog.Outcome

PLATFORM_SOURCE = {
    ChannelAccount.Platform.ZALO: Source.ZALO,
    ChannelAccount.Platform.FACEBOOK: Source.FACEBOOK,
}
PLATFORM_REPLY = {
    ChannelAccount.Platform.ZALO: ReplyChannel.ZALO_OA,
    ChannelAccount.Platform.FACEBOOK: ReplyChannel.FACEBOOK,
}
PLATFORM_NAME = {ChannelAccount.Platform.ZALO: "Zalo", ChannelAccount.Platform.FACEBOOK: "Facebook"}


@dataclass(frozen=True)
class WebhookAnswer:
    """What the view answers: 200 for an authentic call (whatever became of it), else 403."""

    accepted: bool
    logs: tuple[InboundLog, ...]


def inbound_log_write(
    *,
    source: str,
    outcome: str,
    reason: str = "",
    remote_addr: str | None = None,
    body: bytes = b"",
    commune=None,
    external_id: str = "",
    item: FeedbackItem | None = None,
) -> InboundLog:
    """One row of the channels' log; a refusal is also a warning in the server log."""
    row = InboundLog.objects.create(
        commune=commune,
        source=source,
        outcome=outcome,
        reason=reason[:255],
        remote_addr=remote_addr or None,
        external_id=external_id[:200],
        payload_sha256=payload_sha256(body) if body else "",
        item=item,
    )
    if outcome == Outcome.REFUSED:
        logger.warning(
            "feedback webhook refused: source=%s reason=%s remote_addr=%s sha256=%s",
            source,
            reason,
            remote_addr,
            row.payload_sha256,
        )
    return row


def _refuse(*, source: str, reason: str, remote_addr, body: bytes, commune=None) -> WebhookAnswer:
    row = inbound_log_write(
        source=source,
        outcome=Outcome.REFUSED,
        reason=reason,
        remote_addr=remote_addr,
        body=body,
        commune=commune,
    )
    return WebhookAnswer(accepted=False, logs=(row,))


def _max_skew() -> int:
    return int(settings.THANTHIEN_FEEDBACK_WEBHOOK_MAX_SKEW_SECONDS)


def reply_access_token(*, commune_id: int, platform: str) -> str:
    """The token the commune's active account on `platform` sends replies with ("" if none)."""
    account = (
        ChannelAccount.objects.filter(commune_id=commune_id, platform=platform, is_active=True)
        .exclude(access_token="")
        .order_by("pk")
        .first()
    )
    return account.access_token.strip() if account is not None else ""


def platform_image_download(url: str) -> ContentFile:
    """The photo at `url` (the platform's CDN), at most THANTHIEN_FEEDBACK_MAX_FILE_MB; raises
    ValueError with the reason when it cannot be had."""
    limit = settings.THANTHIEN_FEEDBACK_MAX_FILE_MB * 1024 * 1024
    timeout = float(settings.THANTHIEN_FEEDBACK_WEBHOOK_DOWNLOAD_TIMEOUT)
    try:
        with (
            httpx.Client(timeout=timeout, follow_redirects=True, max_redirects=3) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code != 200:
                raise ValueError(f"HTTP {response.status_code}")
            declared = response.headers.get("Content-Length", "")
            if declared.isdigit() and int(declared) > limit:
                raise ValueError("too large")
            data = bytearray()
            for chunk in response.iter_bytes():
                data.extend(chunk)
                if len(data) > limit:
                    raise ValueError("too large")
    except httpx.HTTPError as exc:
        raise ValueError(type(exc).__name__) from exc
    name = url.split("?", 1)[0].rsplit("/", 1)[-1][:100] or "anh"
    return ContentFile(bytes(data), name=name)


def _photos(urls: tuple[str, ...]) -> tuple[list[ContentFile], list[str]]:
    """The photos that could be fetched and are pictures; the reasons for the others."""
    files, problems = [], []
    for index, url in enumerate(urls[: settings.THANTHIEN_FEEDBACK_MAX_FILES], start=1):
        try:
            photo = platform_image_download(url)
            clean_upload(photo, index=index)
        except ValueError as exc:
            problems.append(f"{index}: {exc}")
            continue
        except ValidationError as exc:
            problems.append(f"{index}: {exc.code or 'invalid'}")
            continue
        files.append(photo)
    return files, problems


def platform_message_receive(
    *, account: ChannelAccount, message: InboundMessage, remote_addr: str | None, body: bytes
) -> InboundLog:
    """Make one resident's message an item (or find the item an earlier delivery made)."""
    source = PLATFORM_SOURCE[account.platform]
    log = {
        "source": source,
        "remote_addr": remote_addr,
        "body": body,
        "commune": account.commune,
        "external_id": message.message_id,
    }
    if not message.message_id or not message.sender_id:
        return inbound_log_write(
            outcome=Outcome.IGNORED, reason=_("Thiếu mã tin hoặc mã người gửi."), **log
        )
    earlier = FeedbackItem.objects.filter(
        commune=account.commune, source=source, external_id=message.message_id
    ).first()
    if earlier is not None:
        return inbound_log_write(
            outcome=Outcome.DUPLICATE,
            reason=_("Nền tảng gửi lại tin đã nhận."),
            item=earlier,
            **log,
        )
    text = message.text[:MAX_CONTENT_LENGTH]
    if len(text) < MIN_CONTENT_LENGTH and not message.image_urls:
        return inbound_log_write(
            outcome=Outcome.IGNORED,
            reason=_("Tin quá ngắn (%(n)s ký tự).") % {"n": len(text)},
            **log,
        )
    files, problems = _photos(message.image_urls)
    if len(text) < MIN_CONTENT_LENGTH:
        if not files:
            return inbound_log_write(
                outcome=Outcome.IGNORED,
                reason=_("Ảnh không kèm lời và không tải được: %(problems)s")
                % {"problems": "; ".join(problems)},
                **log,
            )
        text = " ".join(
            filter(
                None,
                [
                    text,
                    _("(Ảnh gửi qua %(platform)s, chưa kèm lời mô tả.)")
                    % {"platform": PLATFORM_NAME[account.platform]},
                ],
            )
        )
    try:
        with transaction.atomic():
            submitted = feedback_submit(
                commune=account.commune,
                content=text,
                source=source,
                external_id=message.message_id,
                sender_platform_id=message.sender_id,
                reply_channel=PLATFORM_REPLY[account.platform],
                # They wrote to us on this platform: a reply there is what they expect.
                consent_contact=True,
                submitted_ip=None,
                files=files,
            )
            if submitted.created and problems:
                FeedbackEvent.objects.create(
                    commune=account.commune,
                    item=submitted.item,
                    action=Action.NOTE,
                    from_status=submitted.item.status,
                    to_status=submitted.item.status,
                    at=timezone.now(),
                    note=_(
                        "Người gửi có kèm %(count)s ảnh nhưng không tải về được; xin hỏi lại "
                        "người gửi qua %(platform)s."
                    )
                    % {"count": len(problems), "platform": PLATFORM_NAME[account.platform]},
                )
    except ValidationError as exc:
        # An authentic call with content we cannot take: answered 200 so it is not resent.
        return inbound_log_write(
            outcome=Outcome.IGNORED, reason="; ".join(exc.messages)[:255], **log
        )
    if not submitted.created:
        return inbound_log_write(
            outcome=Outcome.DUPLICATE,
            reason=_("Trùng với góp ý đã nhận."),
            item=submitted.item,
            **log,
        )
    reason = ""
    if problems:
        reason = _("Không tải được ảnh: %(problems)s") % {"problems": "; ".join(problems)}
    return inbound_log_write(outcome=Outcome.ACCEPTED, reason=reason, item=submitted.item, **log)


def _account(platform: str, account_id: str) -> ChannelAccount | None:
    if not account_id:
        return None
    return (
        ChannelAccount.objects.select_related("commune")
        .filter(platform=platform, account_id=account_id, is_active=True)
        .first()
    )


def zalo_webhook_receive(*, body: bytes, signature: str, remote_addr: str | None) -> WebhookAnswer:
    """Check and take one Zalo OA webhook call."""
    source = Source.ZALO
    try:
        call = zalo_parse(body)
    except PayloadError:
        return _refuse(
            source=source,
            reason=_("Nội dung không đúng định dạng của nền tảng."),
            remote_addr=remote_addr,
            body=body,
        )
    account = _account(ChannelAccount.Platform.ZALO, call.account_id)
    if account is None:
        return _refuse(
            source=source,
            reason=_("Không có OA đang dùng với mã “%(id)s”.") % {"id": call.account_id[:100]},
            remote_addr=remote_addr,
            body=body,
        )
    refuse = {
        "source": source,
        "remote_addr": remote_addr,
        "body": body,
        "commune": account.commune,
    }
    if not signature:
        return _refuse(reason=_("Thiếu chữ ký."), **refuse)
    if not zalo_signature_valid(
        signature,
        app_id=account.app_id or call.app_id,
        body=body,
        timestamp=call.timestamp,
        secret=account.app_secret,
    ):
        return _refuse(reason=_("Chữ ký sai."), **refuse)
    if not timestamp_fresh(call.timestamp, now=timezone.now(), max_skew_seconds=_max_skew()):
        return _refuse(
            reason=_("Thời điểm gửi lệch quá %(seconds)s giây.") % {"seconds": _max_skew()},
            **refuse,
        )
    if call.message is None:
        row = inbound_log_write(
            source=source,
            outcome=Outcome.IGNORED,
            reason=_("Sự kiện %(event)s, không phải tin nhắn.")
            % {"event": call.event_name[:60] or "?"},
            remote_addr=remote_addr,
            body=body,
            commune=account.commune,
        )
        return WebhookAnswer(accepted=True, logs=(row,))
    row = platform_message_receive(
        account=account, message=call.message, remote_addr=remote_addr, body=body
    )
    return WebhookAnswer(accepted=True, logs=(row,))


def facebook_webhook_verify(*, mode: str, token: str, challenge: str) -> str | None:
    """The challenge to echo when Meta registers the webhook with one of our verify tokens."""
    if mode != "subscribe" or not token or not challenge:
        return None
    known = ChannelAccount.objects.filter(
        platform=ChannelAccount.Platform.FACEBOOK, verify_token=token, is_active=True
    ).exists()
    return challenge if known else None


def facebook_webhook_receive(
    *, body: bytes, signature: str, remote_addr: str | None
) -> WebhookAnswer:
    """Check and take one Messenger webhook call (a batch of entries, one per page)."""
    source = Source.FACEBOOK
    try:
        call = facebook_parse(body)
    except PayloadError:
        return _refuse(
            source=source,
            reason=_("Nội dung không đúng định dạng của nền tảng."),
            remote_addr=remote_addr,
            body=body,
        )
    accounts = {
        account.account_id: account
        for account in ChannelAccount.objects.select_related("commune").filter(
            platform=ChannelAccount.Platform.FACEBOOK,
            account_id__in=call.account_ids,
            is_active=True,
        )
    }
    unknown = [page for page in call.account_ids if page not in accounts]
    if not call.account_ids or unknown:
        return _refuse(
            source=source,
            reason=_("Không có trang đang dùng với mã “%(id)s”.")
            % {"id": (unknown or [""])[0][:100]},
            remote_addr=remote_addr,
            body=body,
        )
    first = accounts[call.account_ids[0]]
    refuse = {"source": source, "remote_addr": remote_addr, "body": body, "commune": first.commune}
    if not signature:
        return _refuse(reason=_("Thiếu chữ ký."), **refuse)
    # Every page of the batch belongs to the app that signed it.
    if not all(
        facebook_signature_valid(signature, body=body, secret=account.app_secret)
        for account in accounts.values()
    ):
        return _refuse(reason=_("Chữ ký sai."), **refuse)
    now = timezone.now()
    if not call.times or not all(
        timestamp_fresh(at, now=now, max_skew_seconds=_max_skew()) for at in call.times
    ):
        return _refuse(
            reason=_("Thời điểm gửi lệch quá %(seconds)s giây.") % {"seconds": _max_skew()},
            **refuse,
        )
    rows = [
        platform_message_receive(
            account=accounts.get(message.account_id, first),
            message=message,
            remote_addr=remote_addr,
            body=body,
        )
        for message in call.messages
    ]
    if call.ignored or not rows:
        # Receipts, echoes, or a batch with no messaging events at all (e.g. "standby").
        events = ", ".join(sorted(set(call.ignored)))[:200] or "—"
        rows.append(
            inbound_log_write(
                source=source,
                outcome=Outcome.IGNORED,
                reason=_("Sự kiện %(event)s, không phải tin nhắn.") % {"event": events},
                remote_addr=remote_addr,
                body=body,
                commune=first.commune,
            )
        )
    return WebhookAnswer(accepted=True, logs=tuple(rows))
