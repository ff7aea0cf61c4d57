"""Local servers that speak the notification providers' protocols, for tests.

GatewayServer (one ThreadingHTTPServer on 127.0.0.1, a random port) implements:
- eSMS.vn SendMultipleMessage_V4_post_json (JSON body, CodeResult "100" / error codes,
  "124" for a RequestId it has already taken);
- a generic JSON webhook {id, to, text} signed with HMAC-SHA256;
- Zalo ZNS POST /message/template (header access_token; {error: 0, data: {msg_id}}).
It validates required fields, de-duplicates by request/tracking id, counts deliveries,
and has switches: fail the next N requests temporarily or permanently, answer slowly.

SmtpServer wraps aiosmtpd's Controller on 127.0.0.1 and keeps every envelope.
"""

import hashlib
import hmac
import json
import re
import socket
import threading
import time
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from aiosmtpd.controller import Controller

ESMS_PATH = "/esms/MainService.svc/json/SendMultipleMessage_V4_post_json/"
WEBHOOK_PATH = "/webhook/sms"
ZNS_PATH = "/zns/message/template"

ESMS_API_KEY = "test-api-key"
ESMS_SECRET_KEY = "test-secret-key"
ESMS_BRANDNAME = "UBND-XA"
WEBHOOK_SECRET = "webhook-secret"
ZNS_TOKEN = "zns-access-token"

ESMS_REQUIRED = ("ApiKey", "SecretKey", "Phone", "Content", "Brandname", "SmsType")


class GatewayServer:
    def __init__(self):
        self.lock = threading.Lock()
        self.requests: Counter = Counter()  # by protocol, every request received
        self.delivered: dict[str, dict[str, dict]] = {"esms": {}, "webhook": {}, "zns": {}}
        self.deliveries: Counter = Counter()  # (protocol, id) -> times delivered to a handset
        self.failures: list[str] = []  # queue of "temporary" / "permanent" for next requests
        self.delay = 0.0
        self.in_flight = 0
        handler = type("Handler", (_Handler,), {"gateway": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

    # -- life --------------------------------------------------------------------------
    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def base_url(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def env(self) -> dict[str, str]:
        """Settings for a dispatcher subprocess (environment variables)."""
        return {
            "THANTHIEN_NOTIFY_ESMS_URL": self.base_url + ESMS_PATH,
            "THANTHIEN_NOTIFY_ESMS_API_KEY": ESMS_API_KEY,
            "THANTHIEN_NOTIFY_ESMS_SECRET_KEY": ESMS_SECRET_KEY,
            "THANTHIEN_NOTIFY_ESMS_BRANDNAME": ESMS_BRANDNAME,
            "THANTHIEN_NOTIFY_WEBHOOK_URL": self.base_url + WEBHOOK_PATH,
            "THANTHIEN_NOTIFY_WEBHOOK_SECRET": WEBHOOK_SECRET,
            "THANTHIEN_NOTIFY_ZNS_URL": self.base_url + ZNS_PATH,
            "THANTHIEN_NOTIFY_ZNS_ACCESS_TOKEN": ZNS_TOKEN,
        }

    def configure(self, settings, *, sms: str = "esms") -> None:
        """Point a pytest-django `settings` fixture at this server."""
        for key, value in self.env().items():
            setattr(settings, key, value)
        settings.THANTHIEN_NOTIFY_GATEWAYS = {"sms": sms, "zalo": "zns", "email": "smtp"}

    # -- switches ----------------------------------------------------------------------
    def fail_next(self, count: int, kind: str = "temporary") -> None:
        with self.lock:
            self.failures.extend([kind] * count)

    def _next_failure(self) -> str | None:
        with self.lock:
            return self.failures.pop(0) if self.failures else None

    def total_delivered(self, protocol: str) -> int:
        return len(self.delivered[protocol])

    # -- bookkeeping -------------------------------------------------------------------
    def seen(self, protocol: str, request_id: str) -> dict | None:
        with self.lock:
            return self.delivered[protocol].get(request_id)

    def deliver(self, protocol: str, request_id: str, payload: dict) -> dict:
        """Hand to the handset once per id; a second call with the same id is ignored."""
        with self.lock:
            if request_id in self.delivered[protocol]:
                return self.delivered[protocol][request_id]
            record = {"provider_id": uuid.uuid4().hex, "payload": payload}
            self.delivered[protocol][request_id] = record
            self.deliveries[(protocol, request_id)] += 1
            return record


class _Handler(BaseHTTPRequestHandler):
    gateway: GatewayServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet
        pass

    def _reply(self, status: int, body: dict) -> None:
        data = json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client died (the kill test): nothing to answer

    def _slow(self) -> None:
        gateway = self.gateway
        with gateway.lock:
            gateway.in_flight += 1
        try:
            time.sleep(gateway.delay)
        finally:
            with gateway.lock:
                gateway.in_flight -= 1

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        routes = {ESMS_PATH: self.esms, WEBHOOK_PATH: self.webhook, ZNS_PATH: self.zns}
        route = routes.get(self.path)
        if route is None:
            self._reply(404, {"error": "not found"})
            return
        try:
            body = json.loads(raw)
        except ValueError:
            self._reply(400, {"error": "invalid json"})
            return
        route(raw, body)

    # eSMS: https://developers.esms.vn/en/esms-api/send-sms-api/send-otp-customer-care-message
    def esms(self, raw: bytes, body: dict) -> None:
        gateway = self.gateway
        with gateway.lock:
            gateway.requests["esms"] += 1
        missing = [f for f in ESMS_REQUIRED if not str(body.get(f, "")).strip()]
        if missing:
            self._reply(200, {"CodeResult": "110", "ErrorMessage": f"missing {missing}"})
            return
        if body["ApiKey"] != ESMS_API_KEY or body["SecretKey"] != ESMS_SECRET_KEY:
            self._reply(200, {"CodeResult": "101", "ErrorMessage": "Incorrect ApiKey or SecretKey"})
            return
        if body["Brandname"] != ESMS_BRANDNAME:
            self._reply(200, {"CodeResult": "104", "ErrorMessage": "Brandname does not exist"})
            return
        if not re.fullmatch(r"0\d{9}|84\d{9}", body["Phone"]):
            self._reply(200, {"CodeResult": "108", "ErrorMessage": "Phone number format"})
            return
        if str(body["SmsType"]) != "2" or str(body.get("IsUnicode", "0")) not in ("0", "1"):
            self._reply(200, {"CodeResult": "118", "ErrorMessage": "Unsupported message type"})
            return
        request_id = str(body.get("RequestId") or uuid.uuid4())
        if gateway.seen("esms", request_id):
            self._reply(200, {"CodeResult": "124", "ErrorMessage": "Duplicate RequestId"})
            return
        failure = gateway._next_failure()
        if failure == "temporary":
            self._reply(503, {"Message": "Service Unavailable"})
            return
        if failure == "permanent":
            self._reply(200, {"CodeResult": "99", "ErrorMessage": "Phone number is blocked"})
            return
        # Taken (and on its way to the handset) before the slow answer: a client that dies
        # while waiting has still sent the message — the case RequestId exists for.
        record = gateway.deliver("esms", request_id, body)
        self._slow()
        self._reply(
            200, {"CodeResult": "100", "CountRegenerate": 0, "SMSID": record["provider_id"]}
        )

    def webhook(self, raw: bytes, body: dict) -> None:
        gateway = self.gateway
        with gateway.lock:
            gateway.requests["webhook"] += 1
        expected = "sha256=" + hmac.new(WEBHOOK_SECRET.encode(), raw, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(self.headers.get("X-Thanthien-Signature", ""), expected):
            self._reply(401, {"error": "bad signature"})
            return
        if not all(isinstance(body.get(f), str) and body[f] for f in ("id", "to", "text")):
            self._reply(422, {"error": "id, to and text are required"})
            return
        seen = gateway.seen("webhook", body["id"])
        if seen:
            self._reply(200, {"message_id": seen["provider_id"], "duplicate": True})
            return
        failure = gateway._next_failure()
        if failure:
            self._reply(503 if failure == "temporary" else 422, {"error": failure})
            return
        record = gateway.deliver("webhook", body["id"], body)
        self._slow()
        self._reply(202, {"message_id": record["provider_id"]})

    # ZNS: https://developers.zalo.me/docs/zalo-notification-service/gui-tin-zns/gui-zns
    def zns(self, raw: bytes, body: dict) -> None:
        gateway = self.gateway
        with gateway.lock:
            gateway.requests["zns"] += 1
        if self.headers.get("access_token") != ZNS_TOKEN:
            self._reply(200, {"error": -124, "message": "Access token invalid"})
            return
        if not re.fullmatch(r"84\d{9}", str(body.get("phone", ""))):
            self._reply(200, {"error": -108, "message": "Phone number invalid"})
            return
        if not body.get("template_id"):
            self._reply(200, {"error": -109, "message": "Template ID invalid"})
            return
        if not isinstance(body.get("template_data"), dict) or not body["template_data"]:
            self._reply(200, {"error": -111, "message": "Template data empty"})
            return
        tracking_id = str(body.get("tracking_id") or uuid.uuid4())
        seen = gateway.seen("zns", tracking_id)
        if seen:
            self._reply(
                200, {"error": 0, "message": "Success", "data": {"msg_id": seen["provider_id"]}}
            )
            return
        failure = gateway._next_failure()
        if failure == "temporary":
            self._reply(200, {"error": -100, "message": "Unknown error"})
            return
        if failure == "permanent":
            self._reply(200, {"error": -118, "message": "Zalo account not existed"})
            return
        record = gateway.deliver("zns", tracking_id, body)
        self._slow()
        self._reply(
            200,
            {
                "error": 0,
                "message": "Success",
                "data": {
                    "msg_id": record["provider_id"],
                    "sent_time": str(int(time.time() * 1000)),
                },
            },
        )


class _SmtpHandler:
    def __init__(self):
        self.envelopes = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("khongco@"):
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpServer:
    """aiosmtpd on 127.0.0.1; `.envelopes` holds every message it accepted."""

    def __init__(self):
        self.handler = _SmtpHandler()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=free_port())

    @property
    def envelopes(self):
        return self.handler.envelopes

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()

    def configure(self, settings) -> None:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST = self.controller.hostname
        settings.EMAIL_PORT = self.controller.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.DEFAULT_FROM_EMAIL = "thongbao@xa-an.gov.vn"
