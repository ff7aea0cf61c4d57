"""A local server speaking the reply protocols of Zalo OA and Facebook, and serving the photos
residents attach (the platforms' CDN), for the feedback platform tests.

- Zalo OA customer-service message: POST /zalo/v3.0/oa/message/cs, header access_token,
  {"recipient": {"user_id"}, "message": {"text"}} → {"error": 0, "data": {"message_id"}};
  a wrong token → {"error": -216, "message": "Access token is invalid"}; user "not-follower"
  → {"error": -213, "message": "User has not followed OA"}.
- Facebook Send API: POST /facebook/v21.0/me/messages?access_token=…,
  {"recipient": {"id"}, "messaging_type", "message": {"text"}} → {"recipient_id", "message_id"};
  a wrong token → HTTP 400 {"error": {"code": 190, "message": "Invalid OAuth access token…"}}.
- GET /cdn/<name>: the bytes put there with `host_file`, else 404.
Switch: `fail_next(n)` answers the next n sends with HTTP 500.
"""

import json
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ZALO_PATH = "/zalo/v3.0/oa/message/cs"
FACEBOOK_PATH = "/facebook/v21.0/me/messages"
ZALO_TOKEN = "zalo-oa-access-token"
FACEBOOK_TOKEN = "facebook-page-access-token"


class PlatformServer:
    def __init__(self):
        self.lock = threading.Lock()
        self.sent: dict[str, list[dict]] = {"zalo": [], "facebook": []}
        self.files: dict[str, tuple[bytes, str]] = {}
        self.failures = 0
        handler = type("Handler", (_Handler,), {"server_state": self})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, args=(0.05,), daemon=True)

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

    def configure(self, settings) -> None:
        """Point a pytest-django `settings` fixture at this server."""
        settings.THANTHIEN_NOTIFY_ZALO_OA_URL = self.base_url + ZALO_PATH
        settings.THANTHIEN_NOTIFY_FACEBOOK_URL = self.base_url + FACEBOOK_PATH
        settings.THANTHIEN_NOTIFY_GATEWAYS = {
            **settings.THANTHIEN_NOTIFY_GATEWAYS,
            "zalo_oa": "zalo_oa",
            "facebook": "facebook",
        }

    def host_file(self, name: str, data: bytes, content_type: str = "image/jpeg") -> str:
        with self.lock:
            self.files[name] = (data, content_type)
        return f"{self.base_url}/cdn/{name}"

    def fail_next(self, count: int) -> None:
        with self.lock:
            self.failures += count

    def _take_failure(self) -> bool:
        with self.lock:
            if self.failures:
                self.failures -= 1
                return True
            return False


class _Handler(BaseHTTPRequestHandler):
    server_state: PlatformServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format, *args):  # quiet
        pass

    def _reply(self, status: int, body: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _json(self, status: int, body: dict) -> None:
        self._reply(status, json.dumps(body).encode())

    def do_GET(self):
        path = urlsplit(self.path).path
        found = self.server_state.files.get(path.removeprefix("/cdn/"))
        if not path.startswith("/cdn/") or found is None:
            self._json(404, {"error": "not found"})
            return
        data, content_type = found
        self._reply(200, data, content_type)

    def do_POST(self):
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        url = urlsplit(self.path)
        state = self.server_state
        if url.path not in (ZALO_PATH, FACEBOOK_PATH):
            self._json(404, {"error": "not found"})
            return
        if state._take_failure():
            self._json(500, {"error": "internal"})
            return
        try:
            body = json.loads(raw)
        except ValueError:
            self._json(400, {"error": "bad json"})
            return
        if url.path == ZALO_PATH:
            self.zalo(body)
        else:
            self.facebook(body, parse_qs(url.query).get("access_token", [""])[0])

    def zalo(self, body: dict) -> None:
        if self.headers.get("access_token") != ZALO_TOKEN:
            self._json(200, {"error": -216, "message": "Access token is invalid"})
            return
        user_id = (body.get("recipient") or {}).get("user_id")
        text = (body.get("message") or {}).get("text")
        if not user_id or not text:
            self._json(200, {"error": -201, "message": "Parameters are invalid"})
            return
        if user_id == "not-follower":
            self._json(200, {"error": -213, "message": "User has not followed OA"})
            return
        message_id = uuid.uuid4().hex
        with self.server_state.lock:
            self.server_state.sent["zalo"].append({"user_id": user_id, "text": text})
        self._json(200, {"error": 0, "message": "Success", "data": {"message_id": message_id}})

    def facebook(self, body: dict, token: str) -> None:
        if token != FACEBOOK_TOKEN:
            error = {"message": "Invalid OAuth access token - Cannot parse access token"}
            self._json(400, {"error": error | {"type": "OAuthException", "code": 190}})
            return
        recipient = (body.get("recipient") or {}).get("id")
        text = (body.get("message") or {}).get("text")
        if not recipient or not text or body.get("messaging_type") != "RESPONSE":
            error = {"message": "(#100) Invalid parameter", "type": "OAuthException", "code": 100}
            self._json(400, {"error": error})
            return
        with self.server_state.lock:
            self.server_state.sent["facebook"].append({"recipient": recipient, "text": text})
        self._json(200, {"recipient_id": recipient, "message_id": "m_" + uuid.uuid4().hex})
