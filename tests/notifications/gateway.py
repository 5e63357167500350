"""A real SMS gateway for tests: an HTTP server on 127.0.0.1 whose answers are scripted.

It speaks the contract of docs/sms-gateway.md. Each request takes the next scripted answer
(success when the script is empty): success with {"id": ...}, a 500, a 429 with Retry-After, a
slow answer that arrives after the client gave up (the message is still delivered, as a real
gateway would), a malformed body, or a refusal such as 400 invalid_number. It records every
request and honours Idempotency-Key: a repeated key gets the same id and is not delivered again.

For fault tests (tests/faults/) a `fate` decides the answers once the script is empty: `Flaky`
fails a share of requests and times out on another, deterministically (a seeded draw per
recipient and attempt), and the gateway counts every delivery and every duplicate it refused.
"""

import contextlib
import itertools
import json
import random
import socket
import threading
import time
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Answer:
    kind: str  # "ok", "error", "throttle", "malformed", "reject"
    delay: float = 0.0
    status: int = 200
    code: str = ""
    retry_after: int | None = None


def ok(*, delay: float = 0.0) -> Answer:
    return Answer("ok", delay=delay)


def slow(seconds: float) -> Answer:
    """Delivers the message, but answers only after `seconds`."""
    return Answer("ok", delay=seconds)


def error(status: int = 500) -> Answer:
    return Answer("error", status=status)


def throttle(retry_after: int = 30) -> Answer:
    return Answer("throttle", status=429, retry_after=retry_after)


def malformed() -> Answer:
    return Answer("malformed")


def reject(status: int = 400, code: str = "invalid_number") -> Answer:
    return Answer("reject", status=status, code=code)


@dataclass
class Received:
    path: str
    headers: Message  # looked up without regard to case, as HTTP headers are
    raw: bytes
    answered: int = 0
    # The answer the gateway chose, and how many requests with this key came before this one.
    answer: Answer | None = None
    earlier: int = 0

    @property
    def json(self) -> dict:
        return json.loads(self.raw)

    @property
    def key(self) -> str:
        return self.headers.get("Idempotency-Key", "")

    @property
    def to(self) -> str:
        try:
            return str(self.json.get("to", ""))
        except (ValueError, AttributeError):
            return ""


@dataclass(frozen=True)
class Delivery:
    """A message the gateway handed on to a phone: one per idempotency key, at most."""

    key: str
    to: str
    id: str


@dataclass(frozen=True)
class Flaky:
    """A gateway that fails `error_rate` of requests (500 or 503) and holds `timeout_rate` of
    them for `timeout_delay` seconds (longer than the client waits: the message is delivered,
    the answer comes too late); the rest succeed at once, after `delay`. The draw depends only on
    the seed, the recipient and how many requests for the same key came before, so a run can be
    predicted and repeated whatever order the requests arrive in."""

    seed: int
    error_rate: float = 0.20
    timeout_rate: float = 0.05
    timeout_delay: float = 3.0
    delay: float = 0.0

    def answer(self, to: str, earlier: int) -> Answer:
        draw = random.Random(f"{self.seed}:{to}:{earlier}")
        value = draw.random()
        if value < self.error_rate:
            return error(draw.choice((500, 503)))
        if value < self.error_rate + self.timeout_rate:
            return slow(self.timeout_delay)
        return ok(delay=self.delay)

    def __call__(self, request: "Received", earlier: int) -> Answer:
        return self.answer(request.to, earlier)


@dataclass
class Gateway:
    token: str = "gateway-test-token"
    received: list[Received] = field(default_factory=list)
    # Idempotency key -> the id it was delivered under: one entry per message delivered.
    delivered: dict[str, str] = field(default_factory=dict)
    # The answer when the script is empty, from the request and how many requests with its
    # key came before it (see Flaky); None: success at once.
    fate: Callable[[Received, int], Answer] | None = None
    # Every message handed on to a phone, in order, and the repeated keys answered with the id
    # of the first delivery instead of being delivered again.
    deliveries: list[Delivery] = field(default_factory=list)
    duplicates_refused: int = 0
    # Connections clients opened (a client that keeps its connection open opens one).
    connections: int = 0

    def __post_init__(self):
        self._script: deque[Answer] = deque()
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self._busy = 0
        self._requests_per_key: Counter[str] = Counter()
        self._open: set[socket.socket] = set()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.gateway = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()
        # A stopped gateway answers nothing more, even on a connection a client kept open.
        self.close_connections()

    def close_connections(self) -> None:
        """Close every open connection, as a server does with idle ones or when it restarts."""
        with self._lock:
            for connection in self._open:
                with contextlib.suppress(OSError):
                    connection.shutdown(socket.SHUT_RDWR)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1/messages"

    def configure(self, settings, *, timeout: float = 2) -> "Gateway":
        """Point Hestia's HTTP backend at this gateway (`settings` is pytest-django's fixture)."""
        settings.HESTIA_SMS_BACKEND = "notifications.backends.http.HttpBackend"
        settings.HESTIA_SMS_GATEWAY_URL = self.url
        settings.HESTIA_SMS_GATEWAY_TOKEN = self.token
        settings.HESTIA_SMS_GATEWAY_TIMEOUT = timeout
        return self

    def requests_for(self, key: str) -> list[Received]:
        """Every request that carried this idempotency key, in the order they arrived."""
        with self._lock:
            return [request for request in self.received if request.key == key]

    def script(self, *answers: Answer) -> None:
        with self._lock:
            self._script.extend(answers)

    def idle(self, timeout: float = 5) -> bool:
        """Wait until no request is being answered (a slow answer finishes after the client
        has given up)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._busy:
                    return True
            time.sleep(0.02)
        return False

    def _answer(self, request: Received) -> tuple[int, dict, bytes]:
        with self._lock:
            self.received.append(request)
            request.earlier = self._requests_per_key[request.key]
            self._requests_per_key[request.key] += 1
            if self._script:
                answer = self._script.popleft()
            elif self.fate is not None:
                answer = self.fate(request, request.earlier)
            else:
                answer = ok()
            request.answer = answer
            self._busy += 1
        try:
            if request.headers.get("Authorization") != f"Bearer {self.token}":
                return 401, {}, b'{"error": "unauthorized"}'
            if answer.delay:
                time.sleep(answer.delay)
            if answer.kind == "ok":
                with self._lock:
                    message_id = self.delivered.get(request.key)
                    if message_id is None:
                        message_id = f"gw-{next(self._ids)}"
                        self.delivered[request.key] = message_id
                        self.deliveries.append(Delivery(request.key, request.to, message_id))
                    else:
                        self.duplicates_refused += 1
                return 200, {}, json.dumps({"id": message_id, "status": "accepted"}).encode()
            if answer.kind == "throttle":
                headers = {"Retry-After": str(answer.retry_after)}
                return 429, headers, b'{"error": "throttled", "detail": "Slow down."}'
            if answer.kind == "malformed":
                return 200, {}, b"<html>Service temporarily unavailable</html>"
            if answer.kind == "reject":
                body = {"error": answer.code, "detail": "The number is not valid."}
                return answer.status, {}, json.dumps(body).encode()
            return answer.status, {}, b'{"detail": "Something went wrong."}'
        finally:
            with self._lock:
                self._busy -= 1


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # connections are kept open between requests
    # Each answer goes out as soon as it is written, as production HTTP servers send it
    # (TCP_NODELAY): otherwise a kept connection waits for the client's delayed ACK.
    disable_nagle_algorithm = True

    def setup(self):
        super().setup()
        with self.server.gateway._lock:
            self.server.gateway._open.add(self.connection)
            self.server.gateway.connections += 1

    def finish(self):
        with self.server.gateway._lock:
            self.server.gateway._open.discard(self.connection)
        super().finish()

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        request = Received(path=self.path, headers=self.headers, raw=self.rfile.read(length))
        status, headers, body = self.server.gateway._answer(request)
        request.answered = status
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True  # the client gave up waiting (a timeout test)

    def log_message(self, format, *args):
        pass
