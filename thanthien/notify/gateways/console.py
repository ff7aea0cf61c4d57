"""The demo's gateway: prints each message and appends it to var/outbox.log."""

import sys
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from thanthien.notify.gateways.base import Gateway, Outcome, SendResult
from thanthien.notify.sms import sms_parts


class ConsoleGateway(Gateway):
    name = "console"

    def send(self, message) -> SendResult:
        to = message.recipient
        stamp = timezone.localtime().strftime("%d/%m/%Y %H:%M:%S")
        header = f"[{stamp}] {message.channel} → {to} ({message.provider_request_id})"
        if message.channel == "sms":
            header += f" · {sms_parts(message.body)} SMS"
        text = "\n".join(filter(None, [header, message.subject, message.body])) + "\n\n"
        sys.stdout.write(text)
        sys.stdout.flush()
        path = Path(settings.THANTHIEN_NOTIFY_OUTBOX_LOG)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(text)
        return SendResult(outcome=Outcome.DELIVERED, request=f"console to={to}", response=str(path))
