"""The transport: a request goes out, one whole answer comes back, or one :class:`TransportError`.

Split the way httpx splits its transports: a *wire* (:func:`send_http`, or a fake one in the
tests) does one HTTP exchange and streams the body; :class:`Transport` holds the policy around it:

- a **deadline** for the whole request (connecting, every retry, every byte of the answer): a
  watchdog cuts the connection when it passes, so a server dripping one byte at a time cannot
  hold the client longer than ``timeout``;
- a **size cap** (``max_bytes``): an answer longer than that stops being read;
- **authentication** from ``COPRODKG_USER``/``COPRODKG_PASSWORD`` or ``~/.netrc`` (never from a
  URL or an argument): Basic or Digest as the server asks. A request with a body learns the
  challenge first from a bodiless ``HEAD`` and carries the answer pre-emptively, as curl does
  (a server may refuse a large upload while it is still being sent, and the 401 is then lost);
  later requests answer the remembered challenge at once;
- **retries** of idempotent requests (queries, GETs) with exponential backoff, when the server
  could not be reached or said it was busy (HTTP 429, 502, 503; ``Retry-After`` is obeyed
  when it fits in the deadline). A timeout is not retried: the same query would time out again.

Every failure is a :class:`TransportError` carrying the HTTP status (or ``None``) and the kind of
failure as data, so callers branch on those and never on the message, which is made here, once.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import math
import netrc
import os
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Literal, Protocol
from urllib.parse import urlsplit

from .. import __version__
from ..errors import EndpointError
from .text import printable, reason, redact, where

__all__ = [
    "DEFAULT_MAX_BYTES",
    "DEFAULT_TIMEOUT",
    "PASSWORD_ENV",
    "USER_AGENT",
    "USER_ENV",
    "Answer",
    "Reply",
    "Request",
    "Transport",
    "TransportError",
    "Wire",
    "send_http",
]

DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_BYTES = 256 * 1024 * 1024
USER_ENV = "COPRODKG_USER"
PASSWORD_ENV = "COPRODKG_PASSWORD"
USER_AGENT = f"coprodkg/{__version__} (+https://w3id.org/coprodkg)"

_BUSY = frozenset({429, 502, 503})  # not 504: a gateway timeout would time out again
_ERROR_BODY = 20_000
Kind = Literal["status", "timeout", "too-large", "refused", "no-host", "broken", "unreachable"]


@dataclass(frozen=True)
class Request:
    """One HTTP request; ``idempotent`` ones may be sent again when the server was busy."""

    method: str
    url: str
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes | None = None
    idempotent: bool = True


@dataclass(frozen=True)
class Answer:
    """A successful (2xx) answer, read whole."""

    status: int
    content_type: str
    body: bytes
    url: str


@dataclass
class Reply:
    """What a wire gives back: the status and headers (names in lower case), the body to stream."""

    status: int
    headers: Mapping[str, str]
    chunks: Iterator[bytes]
    close: Callable[[], None] = lambda: None


class Wire(Protocol):
    """One HTTP exchange, which must give up by ``deadline`` (a :func:`time.monotonic` value)."""

    def __call__(self, request: Request, deadline: float) -> Reply:
        """Send ``request``; return the status line and headers, with the body still to read."""
        ...


class TransportError(EndpointError):
    """A request that failed: ``status`` is the HTTP status (``None`` when there was no answer),
    ``kind`` says what went wrong, ``url`` is the request's URL as messages name it."""

    def __init__(self, message: str, *, url: str, kind: Kind, status: int | None = None) -> None:
        super().__init__(message)
        self.url = url
        self.kind = kind
        self.status = status


def _cut(connection: http.client.HTTPConnection) -> None:
    """The watchdog: end a connection whose deadline passed (any blocked read returns at once)."""
    sock = connection.sock
    if sock is not None:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)


def send_http(request: Request, deadline: float) -> Reply:
    """The real wire: :mod:`http.client`, with a watchdog that cuts the connection at ``deadline``."""
    parts = urlsplit(request.url)
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise TimeoutError("the deadline passed")
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = kind(parts.hostname or "", parts.port, timeout=remaining)
    watchdog = threading.Timer(remaining, _cut, (connection,))
    watchdog.daemon = True
    watchdog.start()

    def close() -> None:
        watchdog.cancel()
        connection.close()

    try:
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request(request.method, target, body=request.body, headers=dict(request.headers))
        response = connection.getresponse()
    except BaseException:
        close()
        raise

    def chunks() -> Iterator[bytes]:
        try:
            while data := response.read1(65536):
                yield data
        finally:
            close()

    headers = {name.lower(): value for name, value in response.getheaders()}
    return Reply(response.status, headers, chunks(), close)


def credentials(url: str) -> tuple[str, str] | None:
    """Credentials for ``url``: the environment first, then ``~/.netrc`` (or ``$NETRC``)."""
    user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
    if user or password:
        if not (user and password is not None):
            raise EndpointError(f"set both {USER_ENV} and {PASSWORD_ENV}, or neither")
        return user, password
    try:
        host = urlsplit(url).hostname or ""
        found = netrc.netrc(os.environ.get("NETRC")).authenticators(host)
    except FileNotFoundError:
        return None
    except netrc.NetrcParseError as error:
        raise EndpointError(
            f"cannot read {error.filename} at line {error.lineno}: {printable(error.msg)}"
        ) from None
    except (OSError, ValueError) as error:
        raise EndpointError(
            f"cannot read the netrc file: {getattr(error, 'strerror', None) or error}"
        ) from None
    if found is None or found[2] is None:
        return None
    return found[0] or "", found[2]


class _Digest(urllib.request.AbstractDigestAuthHandler):
    """urllib's Digest computation (it counts nonces), used only to answer a challenge."""


def _challenge(header: str) -> tuple[str, dict[str, str]]:
    scheme, _, rest = header.strip().partition(" ")
    fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest)) if rest else {}
    return scheme.lower(), fields


class Transport:
    """Sends :class:`Request` s over a wire within ``timeout`` seconds and ``max_bytes`` of answer.

    >>> Transport(timeout=0)
    Traceback (most recent call last):
    ...
    coprodkg.errors.EndpointError: timeout must be a number of seconds above 0, got 0
    """

    def __init__(
        self,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        max_bytes: int = DEFAULT_MAX_BYTES,
        wire: Wire | None = None,
        attempts: int = 3,
        backoff: float = 0.2,
    ) -> None:
        if not math.isfinite(timeout) or timeout <= 0:
            raise EndpointError(f"timeout must be a number of seconds above 0, got {timeout:g}")
        if max_bytes < 1:
            raise EndpointError(f"max_bytes must be at least 1, got {max_bytes}")
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.wire: Wire = wire if wire is not None else send_http
        self.attempts = attempts
        self.backoff = backoff
        self._challenges: dict[str, tuple[str, dict[str, str]] | None] = {}  # None: none was asked
        self._digest: dict[str, _Digest] = {}

    def send(self, request: Request) -> Answer:
        """Send ``request`` and read its whole answer; raise :class:`TransportError` on failure."""
        deadline = time.monotonic() + self.timeout
        found = credentials(request.url)
        request = replace(request, headers={"User-Agent": USER_AGENT, **request.headers})
        origin = _space(request.url)
        if found is not None and request.body is not None and origin not in self._challenges:
            self._probe(request, deadline)
        fresh = False  # whether the challenge answered came with this request's own 401
        attempt = 0
        while True:
            sent = self._authorized(request, found, origin)
            try:
                reply = self.wire(sent, deadline)
            except (OSError, http.client.HTTPException) as error:
                if time.monotonic() >= deadline:
                    raise self._timeout(request) from None
                wait = self._wait(attempt, None, deadline)
                if _retryable(error) and request.idempotent and wait is not None:
                    time.sleep(wait)
                    attempt += 1
                    continue
                raise _unreachable(request, error) from None
            status = reply.status
            if status == 401 and found is not None and not fresh and "www-authenticate" in reply.headers:
                reply.close()
                self._challenges[origin] = _challenge(reply.headers["www-authenticate"])
                fresh = True
                continue
            wait = self._wait(attempt, reply.headers.get("retry-after"), deadline)
            if status in _BUSY and request.idempotent and wait is not None:
                reply.close()
                time.sleep(wait)
                attempt += 1
                continue
            body = self._read(request, reply, deadline, self.max_bytes if status < 300 else _ERROR_BODY)
            if 200 <= status < 300:
                kind = reply.headers.get("content-type", "").split(";")[0].strip().lower()
                return Answer(status, kind, body, where(request.url))
            raise _refused(request, status, reply.headers, body, found is not None)

    def _probe(self, request: Request, deadline: float) -> None:
        """Learn the server's challenge with a bodiless HEAD, so the upload carries its answer."""
        try:
            reply = self.wire(Request("HEAD", request.url, {"User-Agent": USER_AGENT}), deadline)
        except (OSError, http.client.HTTPException):
            return  # the request itself will report it
        reply.close()
        asked = reply.status == 401 and "www-authenticate" in reply.headers
        self._challenges[_space(request.url)] = (
            _challenge(reply.headers["www-authenticate"]) if asked else None
        )

    def _authorized(self, request: Request, found: tuple[str, str] | None, origin: str) -> Request:
        """The request with an answer to the remembered challenge, when there is one."""
        known = self._challenges.get(origin)
        if found is None or known is None:
            return request
        scheme, fields = known
        if scheme == "basic":
            token = base64.b64encode(f"{found[0]}:{found[1]}".encode()).decode("ascii")
            return replace(request, headers={**request.headers, "Authorization": f"Basic {token}"})
        if scheme == "digest":
            digest = self._digest.get(origin)
            if digest is None:
                manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
                manager.add_password(None, request.url, *found)  # type: ignore[arg-type]
                digest = self._digest[origin] = _Digest(manager)
            stand_in = urllib.request.Request(request.url, data=request.body, method=request.method)
            answer = digest.get_authorization(stand_in, fields)
            if answer:
                return replace(request, headers={**request.headers, "Authorization": f"Digest {answer}"})
        return request

    def _wait(self, attempt: int, retry_after: str | None, deadline: float) -> float | None:
        """How long to wait before another attempt; None when none is left or it would miss the deadline."""
        if attempt + 1 >= self.attempts:
            return None
        wait = self.backoff * 2**attempt
        if retry_after is not None and retry_after.strip().isdigit():
            wait = max(wait, float(retry_after))
        return wait if time.monotonic() + wait < deadline else None

    def _read(self, request: Request, reply: Reply, deadline: float, limit: int) -> bytes:
        """The body, stopped at ``limit`` bytes (an error when it is the answer) and at the deadline."""
        parts: list[bytes] = []
        size = 0
        try:
            for chunk in reply.chunks:
                size += len(chunk)
                if size > limit:
                    if limit == self.max_bytes:
                        raise TransportError(
                            f"{where(request.url)} sent more than {limit:,} bytes, the size cap "
                            "(max_bytes): ask for less, or raise the cap",
                            url=where(request.url),
                            kind="too-large",
                        )
                    parts.append(chunk[: limit - size + len(chunk)])
                    break
                parts.append(chunk)
                if time.monotonic() >= deadline:
                    raise self._timeout(request)
        except (OSError, http.client.HTTPException) as error:
            if time.monotonic() >= deadline:
                raise self._timeout(request) from None
            raise _unreachable(request, error) from None
        finally:
            reply.close()
        if time.monotonic() >= deadline:  # the watchdog ended the body: it is incomplete
            raise self._timeout(request)
        return b"".join(parts)

    def _timeout(self, request: Request) -> TransportError:
        return TransportError(
            f"{where(request.url)} did not answer within {self.timeout:g} s (the timeout for the whole request)",
            url=where(request.url),
            kind="timeout",
        )


def _space(url: str) -> str:
    """Where a challenge holds: the URL without its query (Virtuoso guards /sparql-auth, not /sparql)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def _retryable(error: Exception) -> bool:
    return isinstance(error, (ConnectionRefusedError, ConnectionResetError, http.client.RemoteDisconnected))


def _unreachable(request: Request, error: Exception) -> TransportError:
    """The one line for a request that got no answer."""
    url = where(request.url)
    if isinstance(error, TimeoutError):
        return TransportError(f"{url} did not answer in time", url=url, kind="timeout")
    if isinstance(error, ConnectionRefusedError):
        message = f"cannot connect to {url}: connection refused (is the server running on that port?)"
        return TransportError(message, url=url, kind="refused")
    if isinstance(error, socket.gaierror):
        message = f"cannot find the host of {url}: {printable(str(error.strerror))}"
        return TransportError(message, url=url, kind="no-host")
    if isinstance(error, (ConnectionError, http.client.HTTPException)):
        name = type(error).__name__
        message = f"{url} broke off the connection ({name}): is it an HTTP server?"
        return TransportError(message, url=url, kind="broken")
    text = printable(str(getattr(error, "strerror", None) or error), 160)
    return TransportError(f"cannot reach {url}: {text}", url=url, kind="unreachable")


def _refused(
    request: Request, status: int, headers: Mapping[str, str], body: bytes, authenticated: bool
) -> TransportError:
    """The one line for an answer that is not a success."""
    url = where(request.url)
    why = reason(body) or f"HTTP {status}"
    if status == 401:
        hint = f"it needs credentials: set {USER_ENV} and {PASSWORD_ENV}, or use ~/.netrc"
        message = (
            f"{url} answered 401 Unauthorized: {'the credentials were refused' if authenticated else hint}"
        )
    elif 300 <= status < 400:
        to = printable(redact(headers.get("location", "")))
        message = f"{url} redirects (HTTP {status}) to {to or 'nowhere'}: use the URL it names"
    elif status == 403:
        message = f"{url} answered 403 Forbidden: {why}"
    elif status == 404:
        message = f"{url} answered 404 Not Found: is it the right URL for a SPARQL endpoint?"
    elif status in (405, 406, 415, 501):
        message = f"{url} does not accept this request (HTTP {status}): is it a SPARQL endpoint?"
    elif status in (400, 422):
        message = f"{url} rejected the request: {why}"
    elif status in _BUSY:
        message = f"{url} is busy (HTTP {status}), still after retrying: try again later"
    else:
        message = f"{url} failed (HTTP {status}): {why}"
    return TransportError(message, url=url, kind="status", status=status)
