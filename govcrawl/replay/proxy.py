"""HTTP/1.1 forward proxy on 127.0.0.1 that answers from a fixture (see store.py) instead of the internet.

Clients point http_proxy at it and send absolute-form requests (`GET http://host/path HTTP/1.1`); origin-form
with a Host header works too (curl -H 'Host: www.x.gov.cn' http://127.0.0.1:P/). GET, HEAD and POST; a POST is
looked up by URL + form body first, then by URL (store.post_key). Statistics: `stats()` and, for other
processes, `GET http://govcrawl.replay/_stats` (add `?reset=1` to zero the counters after reading).
CONNECT answers 501: HTTPS replay would reply 200, `await writer.start_tls(context for the host)` (a trustme
certificate) and run `_serve_requests` with scheme "https" on the same streams.
"""
from __future__ import annotations

import asyncio
import html
import json
import logging
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit

from govcrawl.replay.store import FixtureStore, resolve_fixture_root

log = logging.getLogger(__name__)

STATS_HOST = "govcrawl.replay"
IDLE_TIMEOUT = 120.0
MAX_HEADERS = 200
MAX_REQUEST_BODY = 64 * 1024 * 1024
_TOKEN = re.compile(rb"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_FRAMING = {"content-length", "transfer-encoding", "connection", "keep-alive", "proxy-connection"}


# ---- HTTP/1.1 wire format (shared with record.py) ------------------------------------------------
class ProtocolError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


@dataclass
class HttpRequest:
    method: str
    target: str
    version: str
    headers: list[tuple[str, str]]
    body: bytes
    url: str                 # absolute URL (for CONNECT: the host:port authority)
    keep_alive: bool

    def header(self, name: str) -> str | None:
        return next((v for n, v in self.headers if n.lower() == name.lower()), None)


async def _read_line(reader: asyncio.StreamReader) -> bytes:
    try:
        return (await reader.readuntil(b"\n")).rstrip(b"\r\n")
    except asyncio.LimitOverrunError:
        raise ProtocolError(431, "request line or header too long") from None


async def read_request(reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                       scheme: str = "http") -> HttpRequest | None:
    """Read one request; None on a clean end of the connection. Raises ProtocolError for bad requests."""
    line = b""
    for _ in range(4):             # tolerate stray blank lines between requests (RFC 9112 2.2)
        try:
            line = await _read_line(reader)
        except asyncio.IncompleteReadError as exc:
            if exc.partial.strip():
                raise ProtocolError(400, "incomplete request line") from None
            return None
        if line:
            break
    parts = line.split(b" ")
    if len(parts) != 3 or not _TOKEN.match(parts[0]):
        raise ProtocolError(400, "malformed request line")
    method, raw_target, version = parts[0].decode(), parts[1], parts[2].decode("latin-1")
    if not re.fullmatch(r"HTTP/1\.[01]", version):
        raise ProtocolError(505 if version.startswith("HTTP/") else 400, f"unsupported version {version!r}")
    target = "".join(chr(b) if 33 <= b < 127 else f"%{b:02X}" for b in raw_target)
    headers: list[tuple[str, str]] = []
    while True:
        try:
            line = await _read_line(reader)
        except asyncio.IncompleteReadError:
            raise ProtocolError(400, "connection closed inside the headers") from None
        if not line:
            break
        name, sep, value = line.partition(b":")
        if not sep or not _TOKEN.match(name):
            raise ProtocolError(400, f"malformed header line {line[:60]!r}")
        headers.append((name.decode(), value.strip().decode("latin-1")))
        if len(headers) > MAX_HEADERS:
            raise ProtocolError(431, "too many headers")
    request = HttpRequest(method, target, version, headers, b"", "", False)
    request.url = _request_url(request, scheme)
    tokens = {t.strip().lower() for t in
              f"{request.header('Connection') or ''},{request.header('Proxy-Connection') or ''}".split(",")}
    request.keep_alive = "close" not in tokens if version == "HTTP/1.1" else "keep-alive" in tokens
    request.body = await _read_body(request, reader, writer)
    return request


def _request_url(request: HttpRequest, scheme: str) -> str:
    target = request.target
    if request.method == "CONNECT":
        url = target
        check = f"http://{target}"
    elif target.startswith("/"):
        host = request.header("Host")
        if not host:
            raise ProtocolError(400, "origin-form request without a Host header")
        url = check = f"{scheme}://{host}{target}"
    elif target.lower().startswith(("http://", "https://")):
        url = check = target
    else:
        raise ProtocolError(400, f"unsupported request target {target[:80]!r}")
    try:
        parts = urlsplit(check)
        if not parts.hostname or any(c in parts.netloc for c in "/\\ "):
            raise ValueError
        parts.port   # validates
    except ValueError:
        raise ProtocolError(400, f"bad host in request target {target[:80]!r}") from None
    return url


async def _read_body(request: HttpRequest, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> bytes:
    coding = (request.header("Transfer-Encoding") or "").strip().lower()
    lengths = {v.strip() for n, v in request.headers if n.lower() == "content-length"}
    if coding and coding.split(",")[-1].strip() != "chunked":
        raise ProtocolError(501, f"unsupported Transfer-Encoding {coding!r}")
    if not coding and not lengths:
        return b""
    if not coding and (len(lengths) != 1 or not next(iter(lengths)).isdigit()):
        raise ProtocolError(400, "bad Content-Length")
    size = 0 if coding else int(next(iter(lengths)))
    if size > MAX_REQUEST_BODY:
        raise ProtocolError(413, "request body too large")
    if (request.header("Expect") or "").lower() == "100-continue" and request.version == "HTTP/1.1":
        writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
    try:
        if not coding:
            return await reader.readexactly(size)
        chunks: list[bytes] = []
        while True:
            size_text = (await _read_line(reader)).split(b";")[0].strip()
            if not re.fullmatch(rb"[0-9A-Fa-f]{1,8}", size_text):
                raise ProtocolError(400, "bad chunk size")
            size = int(size_text, 16)
            if size == 0:
                while await _read_line(reader):     # trailers
                    pass
                return b"".join(chunks)
            chunks.append(await reader.readexactly(size))
            if sum(map(len, chunks)) > MAX_REQUEST_BODY:
                raise ProtocolError(413, "request body too large")
            if await _read_line(reader):
                raise ProtocolError(400, "chunk not followed by CRLF")
    except asyncio.IncompleteReadError:
        raise ProtocolError(400, "connection closed inside the body") from None


def _header_line(name: str, value: str) -> bytes:
    line = f"{name}: {value.replace(chr(13), ' ').replace(chr(10), ' ')}\r\n"
    try:
        return line.encode("latin-1")
    except UnicodeEncodeError:      # e.g. a hand-written Location with Chinese: send UTF-8 like servers do
        return line.encode("utf-8")


async def send_body_response(writer: asyncio.StreamWriter, status: int, headers: Iterable[tuple[str, str]],
                             body: bytes | Path | None, *, head: bool = False, keep_alive: bool = True) -> None:
    """Write a whole response with Content-Length; a Path body is streamed from the file."""
    try:
        reason = HTTPStatus(status).phrase
    except ValueError:
        reason = "Unknown"
    length = len(body) if isinstance(body, bytes) else body.stat().st_size if body else 0
    out = [f"HTTP/1.1 {status} {reason}\r\n".encode()]
    out += [_header_line(n, v) for n, v in headers if n.lower() not in _FRAMING]
    bodiless = status in (204, 304) or status < 200
    if not bodiless:
        out.append(f"Content-Length: {length}\r\n".encode())
    out.append(b"Connection: keep-alive\r\n\r\n" if keep_alive else b"Connection: close\r\n\r\n")
    writer.write(b"".join(out))
    if head or bodiless or not body:
        pass
    elif isinstance(body, bytes):
        writer.write(body)
    else:
        with body.open("rb") as file:
            while chunk := file.read(256 * 1024):
                writer.write(chunk)
                await writer.drain()
    await writer.drain()


async def send_simple(writer: asyncio.StreamWriter, status: int, message: str, keep_alive: bool = False,
                      extra: Iterable[tuple[str, str]] = ()) -> None:
    headers = [("Content-Type", "text/plain; charset=utf-8"), *extra]
    await send_body_response(writer, status, headers, (message + "\n").encode(), keep_alive=keep_alive)


class ProxyServer:
    """Asyncio proxy run in a daemon thread; subclasses implement `respond`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        self.host = host
        self.port = port
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: asyncio.base_events.Server | None = None
        self._tasks: set[asyncio.Task] = set()
        self._start_error: BaseException | None = None
        self._stats_lock = threading.Lock()
        self.reset_stats()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # ---- lifecycle -------------------------------------------------------------------------------
    def start(self) -> Self:
        """Listen (in a daemon thread) and return once connections are accepted."""
        if self._thread is not None:
            raise RuntimeError("already started")
        ready = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(ready,), daemon=True,
                                        name=f"{type(self).__name__}")
        self._thread.start()
        ready.wait()
        if self._start_error is not None:
            self._thread = None
            raise self._start_error
        return self

    def stop(self) -> None:
        if self._thread is None or self._loop is None:
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._thread = None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _run(self, ready: threading.Event) -> None:
        loop = self._loop = asyncio.new_event_loop()
        try:
            self._server = loop.run_until_complete(asyncio.start_server(
                self._connection, self.host, self.port, limit=64 * 1024, backlog=1024))
            self.port = self._server.sockets[0].getsockname()[1]
        except BaseException as exc:          # e.g. port in use: re-raised by start()
            self._start_error = exc
            loop.close()
            ready.set()
            return
        ready.set()
        try:
            loop.run_forever()
        finally:
            loop.run_until_complete(self._shutdown())
            loop.close()

    async def _shutdown(self) -> None:
        assert self._server is not None
        self._server.close()
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        await self._server.wait_closed()
        await self.on_shutdown()

    async def on_shutdown(self) -> None:
        """Hook for subclasses (the recorder flushes its manifest)."""

    # ---- statistics ------------------------------------------------------------------------------
    def reset_stats(self) -> None:
        with self._stats_lock:
            self._in_flight: dict[str, int] = {}
            self._max_in_flight: dict[str, int] = {}
            self._per_host: dict[str, int] = {}
            self._statuses: dict[str, int] = {}
            self._totals = {"requests": 0, "in_flight": 0, "max_in_flight": 0, "dropped": 0, "bad_requests": 0}

    def stats(self) -> dict:
        """Counts per host (lowercase, without port): requests, in flight now, most ever in flight at once."""
        with self._stats_lock:
            return {**self._totals, "per_host": dict(self._per_host),
                    "in_flight_per_host": {h: n for h, n in self._in_flight.items() if n},
                    "max_in_flight_per_host": dict(self._max_in_flight), "statuses": dict(self._statuses)}

    def _track(self, host: str, delta: int = 1) -> None:
        """A request to `host` starts (delta 1) or ends (delta -1)."""
        with self._stats_lock:
            now = self._in_flight[host] = self._in_flight.get(host, 0) + delta
            self._max_in_flight[host] = max(self._max_in_flight.get(host, 0), now)
            self._totals["in_flight"] += delta
            self._totals["max_in_flight"] = max(self._totals["max_in_flight"], self._totals["in_flight"])
            if delta > 0:
                self._per_host[host] = self._per_host.get(host, 0) + 1
                self._totals["requests"] += 1

    def _count(self, key: str) -> None:
        with self._stats_lock:
            self._totals[key] += 1

    def _count_status(self, status: int) -> None:
        with self._stats_lock:
            self._statuses[str(status)] = self._statuses.get(str(status), 0) + 1

    # ---- connections -----------------------------------------------------------------------------
    async def _connection(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            await self._serve_requests(reader, writer, "http")
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.TimeoutError):
            pass
        except Exception:        # a bug must cost one connection, never the server
            log.exception("proxy connection failed")
        finally:
            self._tasks.discard(task)
            writer.close()

    async def _serve_requests(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter,
                              scheme: str) -> None:
        while True:
            try:
                request = await asyncio.wait_for(read_request(reader, writer, scheme), IDLE_TIMEOUT)
            except ProtocolError as exc:
                self._count("bad_requests")
                await send_simple(writer, exc.status, exc.message, keep_alive=False)
                return
            if request is None:
                return
            if request.method == "CONNECT":
                await self.handle_connect(request, reader, writer)
                return
            if self._is_stats_request(request):
                keep = await self._send_stats(request, writer)
            else:
                keep = await self._dispatch(request, writer)
            if not (keep and request.keep_alive):
                return

    async def _dispatch(self, request: HttpRequest, writer: asyncio.StreamWriter) -> bool:
        host = (urlsplit(request.url).hostname or "").lower()
        self._track(host)
        try:
            if request.method not in ("GET", "HEAD", "POST"):
                await send_simple(writer, 405, f"{request.method} is not supported", request.keep_alive,
                                  extra=[("Allow", "GET, HEAD, POST")])
                return True
            return await self.respond(request, writer)
        finally:
            self._track(host, -1)

    async def respond(self, request: HttpRequest, writer: asyncio.StreamWriter) -> bool:
        """Answer one request; return False to close the connection."""
        raise NotImplementedError

    async def handle_connect(self, request: HttpRequest, reader: asyncio.StreamReader,
                             writer: asyncio.StreamWriter) -> None:
        await send_simple(writer, 501, "CONNECT (HTTPS) is not supported by this proxy yet", keep_alive=False)

    def _is_stats_request(self, request: HttpRequest) -> bool:
        parts = urlsplit(request.url)
        own = parts.hostname in (self.host, "localhost") and parts.port == self.port
        return parts.path == "/_stats" and (parts.hostname == STATS_HOST or own)

    async def _send_stats(self, request: HttpRequest, writer: asyncio.StreamWriter) -> bool:
        body = json.dumps(self.stats(), sort_keys=True).encode()
        if "reset=1" in urlsplit(request.url).query:
            self.reset_stats()
        await send_body_response(writer, 200, [("Content-Type", "application/json")], body,
                                 head=request.method == "HEAD", keep_alive=request.keep_alive)
        return True


class ReplayServer(ProxyServer):
    """Serves a fixture: `fixtures_dir` is a fixture root or a folder holding exactly one."""

    def __init__(self, fixtures_dir: str | Path, host: str = "127.0.0.1", port: int = 0):
        super().__init__(host, port)
        self.root = resolve_fixture_root(fixtures_dir)
        self.store = FixtureStore(self.root)

    async def respond(self, request: HttpRequest, writer: asyncio.StreamWriter) -> bool:
        stored = self.store.lookup(request.url, request.method, request.body)
        log.debug("%s %s -> %s", request.method, request.url, stored.status if stored else 404)
        if stored is None:
            self._count_status(404)
            page = (f"<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1>"
                    f"<p>No recorded response for {html.escape(request.url)}</p></body></html>").encode()
            await send_body_response(writer, 404, [("Content-Type", "text/html; charset=utf-8")], page,
                                     head=request.method == "HEAD", keep_alive=request.keep_alive)
            return True
        if stored.delay:
            await asyncio.sleep(stored.delay)
        if stored.drop:
            self._count("dropped")
            return False
        self._count_status(stored.status)
        await send_body_response(writer, stored.status, stored.headers, stored.body_file,
                                 head=request.method == "HEAD", keep_alive=request.keep_alive)
        return True


def serve(fixtures_dir: str | Path, port: int, host: str = "127.0.0.1") -> int:
    """Foreground replay for `govcrawl replay DIR --port P`; Ctrl-C stops it. Returns an exit code."""
    import sys

    try:
        server = ReplayServer(fixtures_dir, host=host, port=port).start()
    except Exception as exc:      # FixtureError, port in use ...: one clear line for the user
        print(f"govcrawl replay: {exc}", file=sys.stderr)
        return 2
    print(f"replaying {server.root} on {server.url}", flush=True)   # CLI output, not logging
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
