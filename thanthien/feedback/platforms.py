"""What the Zalo Official Account and Facebook Page webhooks send, and their signature checks.

Zalo OA (developers.zalo.me, "Webhook"): a POST with a JSON body such as
    {"app_id": "…", "event_name": "user_send_text", "timestamp": "1732200000000",
     "sender": {"id": "<user id>"}, "recipient": {"id": "<OA id>"},
     "message": {"msg_id": "…", "text": "…", "attachments": [{"type": "image",
                 "payload": {"url": "…", "thumbnail": "…"}}]}}
and the header X-ZEvent-Signature: "mac=" + hex(sha256(app_id + raw body + timestamp +
OA secret key)). The OA secret key is the one shown when the OA is linked to the app, not the
app's own secret. Events about the OA itself (oa_send_*, user_seen_message…) name the OA as
the sender; "follow"/"unfollow" carry it in "oa_id".

Facebook Messenger Platform (developers.facebook.com/docs/messenger-platform/webhooks): a GET
with hub.mode=subscribe, hub.verify_token and hub.challenge when the webhook is registered
(answer the challenge), then POSTs of
    {"object": "page", "entry": [{"id": "<page id>", "time": 1732200000000, "messaging": [
        {"sender": {"id": "<PSID>"}, "recipient": {"id": "<page id>"}, "timestamp": …,
         "message": {"mid": "…", "text": "…", "attachments": [{"type": "image",
                     "payload": {"url": "…"}}]}}]}]}
signed in X-Hub-Signature-256: "sha256=" + hex(HMAC-SHA256(app secret, raw body)).

Nothing here touches the database: views and services call these with the raw body.
"""

import hashlib
import hmac
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime

from thanthien.notify.gateways.webhook import sign

ZALO_SIGNATURE_HEADER = "X-ZEvent-Signature"
FACEBOOK_SIGNATURE_HEADER = "X-Hub-Signature-256"
# The Zalo events that carry a resident's message to the OA (others are logged and ignored).
ZALO_MESSAGE_EVENTS = frozenset({"user_send_text", "user_send_image"})


class PayloadError(ValueError):
    """The body is not the JSON the platform documents."""


@dataclass(frozen=True)
class InboundMessage:
    """One message a resident sent to the commune's account on a platform."""

    account_id: str  # the OA id / the page id it was sent to
    sender_id: str  # Zalo user id / Facebook page-scoped id (PSID)
    message_id: str  # Zalo msg_id / Facebook mid
    text: str = ""
    image_urls: tuple[str, ...] = ()


@dataclass(frozen=True)
class ZaloCall:
    event_name: str
    account_id: str
    app_id: str
    timestamp: str  # milliseconds since the epoch, exactly as sent (it is part of the MAC)
    message: InboundMessage | None  # None for events that are not a resident's message


@dataclass(frozen=True)
class FacebookCall:
    account_ids: tuple[str, ...]  # every page named in the batch
    times: tuple[int, ...]  # each entry's time, in milliseconds
    messages: tuple[InboundMessage, ...]
    ignored: tuple[str, ...] = field(default=())  # kinds of the events that are not messages


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def payload_sha256(body: bytes) -> str:
    """The fingerprint kept in the inbound log instead of the body (personal data)."""
    return _sha256_hex(body)


def zalo_signature(*, app_id: str, body: bytes, timestamp: str, secret: str) -> str:
    """The X-ZEvent-Signature Zalo sends with this body."""
    return "mac=" + _sha256_hex(app_id.encode() + body + timestamp.encode() + secret.encode())


def zalo_signature_valid(
    header: str, *, app_id: str, body: bytes, timestamp: str, secret: str
) -> bool:
    if not header or not secret:
        return False
    expected = zalo_signature(app_id=app_id, body=body, timestamp=timestamp, secret=secret)
    return hmac.compare_digest(header.strip().encode(), expected.encode())


def facebook_signature(*, body: bytes, secret: str) -> str:
    """The X-Hub-Signature-256 Meta sends with this body (the same HMAC our own SMS webhook
    signs with)."""
    return sign(secret, body)


def facebook_signature_valid(header: str, *, body: bytes, secret: str) -> bool:
    if not header or not secret:
        return False
    expected = facebook_signature(body=body, secret=secret)
    return hmac.compare_digest(header.strip().encode(), expected.encode())


def _json(body: bytes) -> dict:
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise PayloadError("body is not JSON") from exc
    if not isinstance(data, dict):
        raise PayloadError("body is not a JSON object")
    return data


def _text(value) -> str:
    return value if isinstance(value, str) else ""


def _id(value) -> str:
    """Ids come as strings; very long numbers sometimes as numbers. Never as a float."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | str):
        return str(value).strip()
    return ""


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _image_urls(attachments) -> tuple[str, ...]:
    urls = []
    for attachment in attachments if isinstance(attachments, list) else ():
        attachment = _dict(attachment)
        url = _text(_dict(attachment.get("payload")).get("url")).strip()
        if attachment.get("type") == "image" and url.startswith(("https://", "http://")):
            urls.append(url)
    return tuple(urls)


def zalo_parse(body: bytes) -> ZaloCall:
    """Read a Zalo OA webhook body (before its signature is checked: it names the OA)."""
    data = _json(body)
    event_name = _text(data.get("event_name"))
    sender, recipient = _dict(data.get("sender")), _dict(data.get("recipient"))
    if _id(data.get("oa_id")):
        account_id = _id(data.get("oa_id"))
    elif event_name.startswith("user_"):
        account_id = _id(recipient.get("id"))
    else:
        account_id = _id(sender.get("id"))
    message = None
    if event_name in ZALO_MESSAGE_EVENTS:
        raw = _dict(data.get("message"))
        message = InboundMessage(
            account_id=account_id,
            sender_id=_id(sender.get("id")),
            message_id=_id(raw.get("msg_id")),
            text=_text(raw.get("text")).strip(),
            image_urls=_image_urls(raw.get("attachments")),
        )
    timestamp = data.get("timestamp")
    return ZaloCall(
        event_name=event_name,
        account_id=account_id,
        app_id=_id(data.get("app_id")),
        timestamp=_id(timestamp),
        message=message,
    )


def facebook_parse(body: bytes) -> FacebookCall:
    """Read a Messenger webhook body: the pages it names, the messages, the other events."""
    data = _json(body)
    if data.get("object") != "page" or not isinstance(data.get("entry"), list):
        raise PayloadError("not a page webhook")
    accounts, times, messages, ignored = [], [], [], []
    for entry in data["entry"]:
        entry = _dict(entry)
        page_id = _id(entry.get("id"))
        if page_id and page_id not in accounts:
            accounts.append(page_id)
        if isinstance(entry.get("time"), int):
            times.append(entry["time"])
        for event in entry.get("messaging") if isinstance(entry.get("messaging"), list) else ():
            event = _dict(event)
            message = _dict(event.get("message"))
            if not message or message.get("is_echo"):
                # Delivery and read receipts, postbacks, and the page's own messages (our
                # replies come back as echoes).
                kind = (
                    "echo"
                    if message
                    else next(
                        (k for k in event if k not in ("sender", "recipient", "timestamp")), "?"
                    )
                )
                ignored.append(kind)
                continue
            messages.append(
                InboundMessage(
                    account_id=_id(_dict(event.get("recipient")).get("id")) or page_id,
                    sender_id=_id(_dict(event.get("sender")).get("id")),
                    message_id=_id(message.get("mid")),
                    text=_text(message.get("text")).strip(),
                    image_urls=_image_urls(message.get("attachments")),
                )
            )
    return FacebookCall(
        account_ids=tuple(accounts),
        times=tuple(times),
        messages=tuple(messages),
        ignored=tuple(ignored),
    )


def timestamp_fresh(milliseconds: str | int, *, now: datetime, max_skew_seconds: int) -> bool:
    """Whether a platform's timestamp (ms since the epoch) is within the allowed skew of now."""
    try:
        at = datetime.fromtimestamp(int(milliseconds) / 1000, tz=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return False
    return abs((now - at).total_seconds()) <= max_skew_seconds
