"""Feedback by email: the inbound SMTP/LMTP server of feedback_mail_server, run in a thread on a
free port and spoken to with smtplib, and the IMAP poller's handling of real MIME messages."""

import io
import os
import signal
import smtplib
import socket
import subprocess
import sys
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from tests.factories import CommuneFactory, CommuneProfileFactory
from tests.subprocess_db import Outbox, wait_for
from thanthien.feedback.items import Action, FeedbackEvent, FeedbackItem, InboundLog, Source
from thanthien.feedback.mail_intake import (
    html_to_text,
    mail_deliver,
    mail_deliver_from_mailbox,
)
from thanthien.feedback.management.commands.feedback_mail_server import FeedbackMailController
from thanthien.notify.models import Message

ROOT = Path(__file__).resolve().parent.parent
ADDRESS = "gopy@xaan.gov.vn"
OTHER_ADDRESS = "gopy@xabinh.gov.vn"
SENDER = "nguoidan@example.com"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def commune(transactional_db):
    commune = CommuneFactory(name="Xã An")
    CommuneProfileFactory(commune=commune, feedback_email=ADDRESS)
    return commune


@pytest.fixture
def mail_server(commune, settings):
    settings.THANTHIEN_FEEDBACK_MAIL_MAX_MB = 1
    controller = FeedbackMailController(hostname="127.0.0.1", port=free_port())
    controller.start()
    yield controller
    controller.stop()


@pytest.fixture
def lmtp_server(commune, settings):
    controller = FeedbackMailController(hostname="127.0.0.1", port=free_port(), lmtp=True)
    controller.start()
    yield controller
    controller.stop()


def mail(
    *,
    subject="Đèn đường thôn Đông bị hỏng",
    body="Đèn chiếu sáng đường thôn Đông hỏng ba hôm nay, tối đi lại rất nguy hiểm.",
    to=ADDRESS,
    sender=f"Nguyễn Văn Dân <{SENDER}>",
    html=None,
    message_id=None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="example.com")
    if html is not None:
        message.set_content(html, subtype="html")
    else:
        message.set_content(body)
    return message


def send(server, message: EmailMessage, *, to=None):
    with smtplib.SMTP(server.hostname, server.port, timeout=10) as client:
        return client.send_message(message, to_addrs=to)


def jpeg_with_gps() -> bytes:
    picture = Image.new("RGB", (40, 30), (200, 120, 40))
    exif = Image.Exif()
    exif[0x8825] = {1: "N", 2: (21.0, 1.0, 30.0)}  # GPSInfo
    exif[0x0110] = "Điện thoại XYZ"  # Model
    out = io.BytesIO()
    picture.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


def test_plain_mail_to_a_commune_address_becomes_an_item_answered_by_email(mail_server, commune):
    message = mail(message_id="<thu-1@example.com>")
    refused = send(mail_server, message)

    assert refused == {}
    item = FeedbackItem.objects.get()
    assert item.commune == commune
    assert item.source == Source.EMAIL
    assert item.title == "Đèn đường thôn Đông bị hỏng"
    assert item.content.startswith("Đèn chiếu sáng đường thôn Đông hỏng ba hôm nay")
    assert item.sender_email == SENDER
    assert item.sender_name == "Nguyễn Văn Dân"
    assert item.reply_channel == "email" and item.consent_contact
    assert item.external_id == "<thu-1@example.com>"
    ack = Message.objects.get(email=SENDER)
    assert ack.channel == "email" and item.code in ack.body
    log = InboundLog.objects.get(item=item)
    assert log.outcome == InboundLog.Outcome.ACCEPTED
    assert log.remote_addr == "127.0.0.1"


def test_html_only_mail_keeps_the_text_without_tags(mail_server):
    html = (
        "<html><head><style>p{color:red}</style></head><body>"
        "<p>Rác thải đổ trộm ở bờ kênh <b>thôn Tây</b>.</p>"
        "<script>alert(1)</script><p>Xin xã cho xử lý.</p></body></html>"
    )
    send(mail_server, mail(subject="Rác thải", html=html))

    item = FeedbackItem.objects.get()
    assert "Rác thải đổ trộm ở bờ kênh thôn Tây." in item.content
    assert "Xin xã cho xử lý." in item.content
    assert "<" not in item.content and "alert" not in item.content and "color" not in item.content


def test_jpeg_attachment_is_stored_without_its_exif(mail_server):
    message = mail()
    message.add_attachment(jpeg_with_gps(), maintype="image", subtype="jpeg", filename="ổ-gà.jpg")
    send(mail_server, message)

    item = FeedbackItem.objects.get()
    attachment = item.attachments.get()
    assert attachment.content_type == "image/jpeg"
    assert attachment.original_name == "ổ-gà.jpg"
    with attachment.file.open("rb") as stored, Image.open(stored) as picture:
        assert not picture.getexif()
    assert not item.events.filter(action=Action.NOTE).exists()


def test_bad_attachment_is_noted_and_the_text_kept(mail_server):
    message = mail()
    message.add_attachment(
        b"MZ\x90\x00 not a picture",
        maintype="application",
        subtype="octet-stream",
        filename="virus.exe",
    )
    send(mail_server, message)

    item = FeedbackItem.objects.get()
    assert item.content.startswith("Đèn chiếu sáng")
    assert not item.attachments.exists()
    note = item.events.get(action=Action.NOTE)
    assert "virus.exe" in note.note


def test_unknown_recipient_is_refused_with_550_and_logged(mail_server):
    with pytest.raises(smtplib.SMTPRecipientsRefused) as refused:
        send(mail_server, mail(to="ai-do@example.org"))

    code, _reply = refused.value.recipients["ai-do@example.org"]
    assert code == 550
    assert not FeedbackItem.objects.exists()
    log = InboundLog.objects.get()
    assert log.outcome == InboundLog.Outcome.REFUSED and log.commune is None
    assert "ai-do@example.org" in log.reason


def test_mail_to_a_known_and_an_unknown_address_reaches_the_known_commune(mail_server, commune):
    refused = send(mail_server, mail(), to=[ADDRESS, "ai-do@example.org"])

    assert refused["ai-do@example.org"][0] == 550
    assert FeedbackItem.objects.get().commune == commune


def test_redelivered_message_is_one_item(mail_server):
    message = mail(message_id="<lap-lai@example.com>")
    send(mail_server, message)
    send(mail_server, message)

    assert FeedbackItem.objects.count() == 1
    outcomes = sorted(InboundLog.objects.values_list("outcome", flat=True))
    assert outcomes == [InboundLog.Outcome.ACCEPTED, InboundLog.Outcome.DUPLICATE]


def test_message_over_the_size_limit_is_refused_with_552(mail_server):
    message = mail()
    message.add_attachment(
        b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10),
        maintype="application",
        subtype="pdf",
        filename="lon.pdf",
    )
    with pytest.raises(smtplib.SMTPResponseException) as refused:
        send(mail_server, message)

    assert refused.value.smtp_code == 552
    assert not FeedbackItem.objects.exists()


def test_mail_without_readable_text_is_refused_with_550(mail_server):
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(mail_server, mail(subject="", body="ok"))

    assert refused.value.smtp_code == 550
    assert not FeedbackItem.objects.exists()
    assert InboundLog.objects.get().outcome == InboundLog.Outcome.REFUSED


def test_mail_with_only_a_photo_is_kept_with_a_placeholder_text(mail_server):
    message = mail(subject="", body="")
    message.add_attachment(jpeg_with_gps(), maintype="image", subtype="jpeg", filename="a.jpg")
    send(mail_server, message)

    item = FeedbackItem.objects.get()
    assert "tệp đính kèm" in item.content
    assert item.attachments.count() == 1


def test_lmtp_answers_for_each_recipient(lmtp_server, commune):
    CommuneProfileFactory(commune=CommuneFactory(name="Xã Bình"), feedback_email=OTHER_ADDRESS)
    with smtplib.LMTP(lmtp_server.hostname, lmtp_server.port, timeout=10) as client:
        client.ehlo()
        client.mail(SENDER)
        assert client.rcpt(ADDRESS)[0] == 250
        assert client.rcpt(OTHER_ADDRESS)[0] == 250
        # smtplib reads one reply after DATA; LMTP gives one per recipient: read the second.
        first = client.data(mail().as_bytes())
        second = client.getreply()

    assert first[0] == 250 and second[0] == 250
    assert sorted(FeedbackItem.objects.values_list("commune__name", flat=True)) == [
        "Xã An",
        "Xã Bình",
    ]


# -- without the server: the handling every path shares ------------------------------------


def test_auto_reply_is_logged_and_ignored(commune):
    message = mail(subject="Vắng mặt: Đèn đường", body="Tôi đang nghỉ phép đến hết tuần.")
    message["Auto-Submitted"] = "auto-replied"

    [result] = mail_deliver(raw=message.as_bytes(), recipients=[ADDRESS], mail_from=SENDER)

    assert result.outcome == InboundLog.Outcome.IGNORED
    assert not FeedbackItem.objects.exists()
    assert InboundLog.objects.get().outcome == InboundLog.Outcome.IGNORED


def test_bounce_with_an_empty_envelope_sender_is_ignored(commune):
    [result] = mail_deliver(raw=mail().as_bytes(), recipients=[ADDRESS], mail_from="<>")

    assert result.outcome == InboundLog.Outcome.IGNORED
    assert not FeedbackItem.objects.exists()


def test_sender_with_an_invalid_address_gets_no_reply_channel(commune):
    [result] = mail_deliver(
        raw=mail(sender="Không rõ <khong-phai-dia-chi>").as_bytes(), recipients=[ADDRESS]
    )

    assert result.item.sender_email == ""
    assert result.item.reply_channel == "none"
    assert not Message.objects.exists()


def test_message_without_message_id_is_still_one_item_when_redelivered(commune):
    message = mail()
    del message["Message-ID"]
    raw = message.as_bytes()

    first = mail_deliver(raw=raw, recipients=[ADDRESS])[0]
    second = mail_deliver(raw=raw, recipients=[ADDRESS])[0]

    assert first.item == second.item
    assert first.item.external_id.startswith("sha256:")


def test_text_longer_than_the_limit_keeps_the_rest_in_a_note(commune):
    body = "Nội dung dài. " * 500  # 7000 characters
    [result] = mail_deliver(raw=mail(body=body).as_bytes(), recipients=[ADDRESS])

    item = result.item
    assert len(item.content) == 5000
    note = item.events.get(action=Action.NOTE).note
    assert item.content + note.split("\n", 1)[1] == body.strip()


def test_html_to_text_drops_tags_scripts_and_styles_and_keeps_paragraphs():
    text = html_to_text("<style>x{}</style><p>Một&nbsp;hai</p><div>Ba <i>bốn</i></div>")

    assert text.split("\n") == ["Một hai", "", "Ba bốn"]


# -- the IMAP poller's handling of a message read from the mailbox ---------------------------


def test_mailbox_message_goes_to_the_commune_its_delivered_to_header_names(commune):
    CommuneProfileFactory(commune=CommuneFactory(name="Xã Bình"), feedback_email=OTHER_ADDRESS)
    message = mail(to="Hộp thư chung <hopthu@tinh.gov.vn>")
    message["Delivered-To"] = OTHER_ADDRESS

    [result] = mail_deliver_from_mailbox(raw=message.as_bytes())

    assert result.item.commune.name == "Xã Bình"


def test_mailbox_message_naming_no_commune_goes_to_the_mailbox_commune(commune, settings):
    settings.THANTHIEN_FEEDBACK_IMAP_COMMUNE = str(commune.code)

    [result] = mail_deliver_from_mailbox(raw=mail(to="hopthu@tinh.gov.vn").as_bytes())

    assert result.item.commune == commune
    again = mail_deliver_from_mailbox(raw=mail(to="hopthu@tinh.gov.vn").as_bytes())
    assert len(again) == 1


def test_mailbox_message_naming_no_commune_without_a_mailbox_commune_is_left(commune, settings):
    settings.THANTHIEN_FEEDBACK_IMAP_COMMUNE = ""

    assert mail_deliver_from_mailbox(raw=mail(to="hopthu@tinh.gov.vn").as_bytes()) == []
    assert not FeedbackItem.objects.exists()


def test_poller_without_a_configured_host_stops_with_a_clear_error(settings):
    settings.THANTHIEN_FEEDBACK_IMAP_HOST = ""

    with pytest.raises(CommandError, match="THANTHIEN_FEEDBACK_IMAP_HOST"):
        call_command("feedback_poll_imap")


def test_events_of_a_mail_item_start_with_the_submission(commune):
    [result] = mail_deliver(raw=mail().as_bytes(), recipients=[ADDRESS])

    actions = list(FeedbackEvent.objects.filter(item=result.item).values_list("action", flat=True))
    assert actions[0] == Action.SUBMIT


# -- the command itself, as a deployment runs it -------------------------------------------


def test_mail_server_command_stores_mail_and_stops_on_sigterm(commune, tmp_path):
    outbox = Outbox(tmp_path)  # the test database as a subprocess sees it
    port = free_port()
    log = tmp_path / "mail-server.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "thanthien.settings.test",
        "DATABASE_URL": outbox.url,
        "PYTHONUNBUFFERED": "1",
    }
    with log.open("ab") as out:
        server = subprocess.Popen(
            [sys.executable, "manage.py", "feedback_mail_server", "--port", str(port)],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_for(
            lambda: "SMTP" in log.read_text(errors="replace"),
            timeout=30,
            what=f"the mail server to start (log: {log.read_text(errors='replace')})",
        )
        with smtplib.SMTP("127.0.0.1", port, timeout=10) as client:
            try:
                client.send_message(mail(message_id="<lenh@example.com>"))
            except smtplib.SMTPException as exc:
                raise AssertionError(f"{exc}; log: {log.read_text(errors='replace')}") from exc
            with pytest.raises(smtplib.SMTPRecipientsRefused):
                client.send_message(mail(to="ai-do@example.org"))
        rows = outbox.rows("SELECT source, external_id FROM feedback_feedbackitem")
        assert rows == [("email", "<lenh@example.com>")]
        server.send_signal(signal.SIGTERM)
        assert server.wait(timeout=15) == 0
    finally:
        server.kill()
        server.wait(timeout=10)
