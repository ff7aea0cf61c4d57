"""Feedback that arrives by email: one MIME message becomes one item of each commune whose
feedback address (portal.CommuneProfile.feedback_email) it was sent to.

Both mail paths end here: the inbound SMTP/LMTP server (management command
feedback_mail_server) and the IMAP poller (feedback_poll_imap). The subject becomes the title,
the plain text (or the HTML with its tags stripped) the content, the attachments go through
the same checks as the public form's files (a refused file is noted on the item, the text is
kept), the Message-ID is the item's external id so a redelivered message stays one item, and
the sender is answered by email: they wrote to us by email, which is their consent.

Automatic mail (bounces, out-of-office replies, lists) is logged and ignored, so our own
acknowledgement never starts a loop with a sender's auto-responder.
"""

import hashlib
import re
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import getaddresses, parseaddr
from html.parser import HTMLParser

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from thanthien.feedback.intake_services import (
    MAX_CONTENT_LENGTH,
    MIN_CONTENT_LENGTH,
    feedback_submit,
)
from thanthien.feedback.items import (
    Action,
    FeedbackEvent,
    FeedbackItem,
    InboundLog,
    ReplyChannel,
    Source,
)
from thanthien.feedback.uploads import clean_upload

EXTERNAL_ID_LENGTH = 200
AUTOMATIC_PRECEDENCE = {"bulk", "junk", "list", "auto_reply"}
# Headers a mail server writes with the envelope recipient, read by the IMAP poller.
RECIPIENT_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "To", "Cc")


@dataclass
class MailResult:
    """What became of one message for one commune."""

    outcome: str  # an InboundLog.Outcome value
    item: FeedbackItem | None = None
    reason: str = ""
    refused_files: list[str] = field(default_factory=list)


class _TextFromHtml(HTMLParser):
    """The readable text of an HTML mail: no tags, no scripts or styles, paragraphs kept."""

    BLOCKS = {"p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head", "title"):
            self.skip += 1
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head", "title"):
            self.skip = max(0, self.skip - 1)
        elif tag in self.BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)

    def text(self) -> str:
        lines = (" ".join(line.split()) for line in "".join(self.parts).splitlines())
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_text(html: str) -> str:
    parser = _TextFromHtml()
    parser.feed(html)
    parser.close()
    return parser.text()


def parse_message(raw: bytes) -> EmailMessage:
    return BytesParser(policy=policy.default).parsebytes(raw)


def _header(message: EmailMessage, name: str) -> str:
    """A header as text; a malformed header gives its raw value rather than an error."""
    try:
        value = message.get(name, "")
    except Exception:  # the email package raises many kinds on broken headers
        value = ""
    return " ".join(str(value or "").split())


def message_body(message: EmailMessage) -> str:
    """The text of the message: its text/plain part, else its HTML without tags."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AssertionError):
        payload = part.get_payload(decode=True) or b""
        content = payload.decode("utf-8", errors="replace")
    if not isinstance(content, str):
        return ""
    if part.get_content_subtype() == "html":
        return html_to_text(content)
    return content.replace("\r\n", "\n").strip()


def message_files(message: EmailMessage) -> list[ContentFile]:
    """Each attached file (inline pictures included) as a named file object."""
    files = []
    for index, part in enumerate(message.iter_attachments(), start=1):
        if part.is_multipart() or part.get_content_type() == "message/rfc822":
            continue
        data = part.get_payload(decode=True) or b""
        name = part.get_filename() or f"tep-{index}"
        files.append(ContentFile(data, name=name))
    return files


def is_automatic(message: EmailMessage, *, mail_from: str | None) -> bool:
    """A bounce, an auto-reply or list mail (RFC 3834): never answered, never an item."""
    if mail_from is not None and mail_from.strip() in ("", "<>"):
        return True
    auto = _header(message, "Auto-Submitted").lower()
    if auto and auto != "no":
        return True
    if _header(message, "Precedence").lower() in AUTOMATIC_PRECEDENCE:
        return True
    return bool(_header(message, "X-Autoreply") or _header(message, "List-Id"))


def sender_of(message: EmailMessage, *, mail_from: str | None = None) -> tuple[str, str]:
    """(name, email) of who wrote: the From header, else the envelope sender; "" if invalid."""
    name, address = parseaddr(_header(message, "From"))
    if not address and mail_from:
        address = mail_from.strip("<>")
    address = address.strip().lower()
    try:
        validate_email(address)
    except ValidationError:
        address = ""
    return name.strip(), address


def external_id_of(message: EmailMessage, raw: bytes) -> str:
    """The Message-ID, or — for a message without one — a digest of its bytes, so the same
    message delivered twice is still recognised."""
    message_id = _header(message, "Message-ID").strip()
    if message_id:
        return message_id[:EXTERNAL_ID_LENGTH]
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def addresses_in(message: EmailMessage) -> list[str]:
    """Every address the headers say the message was delivered to, lower case."""
    values = []
    for name in RECIPIENT_HEADERS:
        values.extend(str(v) for v in message.get_all(name, failobj=[]))
    return [address.lower() for _name, address in getaddresses(values) if address]


def commune_for_address(address: str):
    """The commune whose feedback address this is, or None."""
    from thanthien.portal.models import CommuneProfile

    address = (address or "").strip().strip("<>").lower()
    if not address:
        return None
    profile = (
        CommuneProfile.objects.select_related("commune")
        .filter(feedback_email__iexact=address)
        .first()
    )
    return profile.commune if profile is not None else None


def communes_for(addresses: list[str]) -> list:
    """The communes behind these addresses, each once, in order."""
    from thanthien.portal.models import CommuneProfile

    wanted = {a.strip().strip("<>").lower() for a in addresses if a}
    if not wanted:
        return []
    match = Q()
    for address in sorted(wanted):
        match |= Q(feedback_email__iexact=address)
    profiles = CommuneProfile.objects.select_related("commune").filter(match).order_by("pk")
    found = {}
    for profile in profiles:
        found.setdefault(profile.commune_id, profile.commune)
    return list(found.values())


def _split_files(files: list[ContentFile]) -> tuple[list[ContentFile], list[str]]:
    """Files that pass the checks, and a line for each refused one (why it was refused)."""
    good, refused = [], []
    for index, file in enumerate(files, start=1):
        if len(good) >= settings.THANTHIEN_FEEDBACK_MAX_FILES:
            refused.append(
                _("Tệp “%(name)s”: thư có quá %(n)s tệp.")
                % {"name": file.name, "n": settings.THANTHIEN_FEEDBACK_MAX_FILES}
            )
            continue
        try:
            clean_upload(file, index=index)
        except ValidationError as exc:
            refused.extend(exc.messages)
        else:
            file.seek(0)
            good.append(file)
    return good, refused


def _content(*, subject: str, body: str, has_files: bool) -> tuple[str, str]:
    """(content, overflow): the text to store, and what did not fit in it."""
    text = body.strip() or subject.strip()
    if len(text) < MIN_CONTENT_LENGTH and has_files:
        text = "\n".join(
            part for part in (text, _("(Thư không có nội dung; xem tệp đính kèm.)")) if part
        )
    if len(text) <= MAX_CONTENT_LENGTH:
        return text, ""
    return text[:MAX_CONTENT_LENGTH], text[MAX_CONTENT_LENGTH:]


def _log(
    *,
    commune,
    outcome: str,
    reason: str = "",
    external_id: str,
    raw: bytes,
    item=None,
    remote_addr=None,
) -> None:
    InboundLog.objects.create(
        commune=commune,
        source=Source.EMAIL,
        outcome=outcome,
        reason=reason[:255],
        remote_addr=remote_addr or None,
        external_id=external_id,
        payload_sha256=hashlib.sha256(raw).hexdigest(),
        item=item,
    )


def mail_recipient_refuse(*, address: str, remote_addr: str | None = None) -> None:
    """Log a delivery refused because the address is no commune's feedback address."""
    InboundLog.objects.create(
        commune=None,
        source=Source.EMAIL,
        outcome=InboundLog.Outcome.REFUSED,
        reason=(
            _("Địa chỉ nhận không phải hộp thư góp ý của xã nào: %(address)s")
            % {"address": address}
        )[:255],
        remote_addr=remote_addr or None,
    )


def mail_feedback_receive(
    *,
    commune,
    raw: bytes,
    message: EmailMessage | None = None,
    mail_from: str | None = None,
    remote_addr: str | None = None,
) -> MailResult:
    """Register one email as a feedback item of `commune` (or recognise the earlier one).

    A ValidationError (nothing usable in the message) is logged and returned as a refusal."""
    message = message if message is not None else parse_message(raw)
    external_id = external_id_of(message, raw)
    if is_automatic(message, mail_from=mail_from):
        reason = _("Thư tự động (báo lỗi gửi, trả lời vắng mặt, danh sách thư).")
        with transaction.atomic():
            _log(
                commune=commune,
                outcome=InboundLog.Outcome.IGNORED,
                reason=reason,
                external_id=external_id,
                raw=raw,
                remote_addr=remote_addr,
            )
        return MailResult(outcome=InboundLog.Outcome.IGNORED, reason=reason)
    subject = _header(message, "Subject")
    good, refused = _split_files(message_files(message))
    content, overflow = _content(
        subject=subject, body=message_body(message), has_files=bool(good or refused)
    )
    name, email = sender_of(message, mail_from=mail_from)
    try:
        with transaction.atomic():
            submitted = feedback_submit(
                commune=commune,
                content=content,
                source=Source.EMAIL,
                title=subject,
                sender_name=name,
                sender_email=email,
                reply_channel=ReplyChannel.EMAIL if email else ReplyChannel.NONE,
                consent_contact=bool(email),
                external_id=external_id,
                submitted_ip=remote_addr,
                files=good,
            )
            item = submitted.item
            if not submitted.created:
                _log(
                    commune=commune,
                    outcome=InboundLog.Outcome.DUPLICATE,
                    external_id=external_id,
                    raw=raw,
                    item=item,
                    remote_addr=remote_addr,
                )
                return MailResult(outcome=InboundLog.Outcome.DUPLICATE, item=item)
            notes = []
            if refused:
                notes.append(_("Tệp đính kèm không nhận được:") + "\n" + "\n".join(refused))
            if overflow:
                notes.append(
                    _("Phần cuối của thư (vượt quá %(n)s ký tự):") % {"n": MAX_CONTENT_LENGTH}
                    + "\n"
                    + overflow
                )
            now = timezone.now()
            FeedbackEvent.objects.bulk_create(
                FeedbackEvent(
                    commune=commune,
                    item=item,
                    action=Action.NOTE,
                    from_status=item.status,
                    to_status=item.status,
                    at=now,
                    note=note,
                )
                for note in notes
            )
            _log(
                commune=commune,
                outcome=InboundLog.Outcome.ACCEPTED,
                external_id=external_id,
                raw=raw,
                item=item,
                remote_addr=remote_addr,
            )
    except ValidationError as exc:
        reason = " ".join(exc.messages)
        with transaction.atomic():
            _log(
                commune=commune,
                outcome=InboundLog.Outcome.REFUSED,
                reason=reason,
                external_id=external_id,
                raw=raw,
                remote_addr=remote_addr,
            )
        return MailResult(outcome=InboundLog.Outcome.REFUSED, reason=reason, refused_files=refused)
    return MailResult(outcome=InboundLog.Outcome.ACCEPTED, item=item, refused_files=refused)


def mail_deliver(
    *,
    raw: bytes,
    recipients: list[str],
    mail_from: str | None = None,
    remote_addr: str | None = None,
) -> list[MailResult]:
    """Deliver one message to every commune among `recipients` (one result each)."""
    message = parse_message(raw)
    return [
        mail_feedback_receive(
            commune=commune,
            raw=raw,
            message=message,
            mail_from=mail_from,
            remote_addr=remote_addr,
        )
        for commune in communes_for(recipients)
    ]


def mailbox_commune():
    """The commune THANTHIEN_FEEDBACK_IMAP_COMMUNE names (by code), or None."""
    from thanthien.places.models import Commune

    code = str(settings.THANTHIEN_FEEDBACK_IMAP_COMMUNE or "").strip()
    if not (code.isascii() and code.isdigit()):
        return None
    return Commune.objects.filter(code=int(code)).first()


def mail_deliver_from_mailbox(*, raw: bytes) -> list[MailResult]:
    """A message read from the feedback mailbox: delivered to the communes its headers name
    (Delivered-To, To, Cc…), or else to the mailbox's own commune."""
    message = parse_message(raw)
    communes = communes_for(addresses_in(message))
    if not communes:
        fallback = mailbox_commune()
        communes = [fallback] if fallback is not None else []
    return [
        mail_feedback_receive(commune=commune, raw=raw, message=message) for commune in communes
    ]
