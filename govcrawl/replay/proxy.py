"""HTTP/1.1 forward proxy on 127.0.0.1 that answers from a fixture (see store.py) instead of the internet.

Clients point http_proxy at it and send absolute-form requests (`GET http://host/path HTTP/1.1`); origin-form
with a Host header works too (curl -H 'Host: www.x.gov.cn' http://127.0.0.1:P/). GET, HEAD and POST; a POST is
looked up by URL + form body first, then by URL (store.post_key). Statistics: `stats()` and, for other
processes, `GET http://govcrawl.replay/_stats` (add `?reset=1` to zero the counters after reading).
HTTPS: CONNECT host:port is answered 200, the client socket is wrapped in TLS with a certificate for that host
issued by the proxy's own CA (tls.py; PEM at `ca_path`), and the same request loop then serves https:// URLs from
the same store. Clients must trust `ca_path` or skip verification (Scrapy does not verify; a browser needs
--ignore-certificate-errors): replay and recording only, never against real sites.
"""
from __future__ import annotations

import asyncio
import contextvars
import html
import json
import logging
import ssl
import threading
from pathlib import Path
from typing import NamedTuple, Self
from urllib.parse import urlsplit

# the wire format is re-exported: record.py and older callers import it from here
from govcrawl.replay.http11 import (HttpRequest, ProtocolError, read_request, send_body_response,  # noqa: F401
                                    send_simple)
from govcrawl.replay.store import FixtureStore, resolve_fixture_root, search_visitor
from govcrawl.replay.tls import CertificateAuthority

log = logging.getLogger(__name__)

STATS_HOST = "govcrawl.replay"
SHUTDOWN_GRACE = 1.0  # seconds open connections get to finish when the proxy stops
IDLE_TIMEOUT = 120.0
TLS_HANDSHAKE_TIMEOUT = 15.0


class ClientConnection(NamedTuple):
    """The connection a request came on, as the proxy holds it: whether the client has hung up on it."""
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter

    def hung_up(self) -> bool:
        return self.writer.is_closing() or self.reader.at_eof()


_client: contextvars.ContextVar[ClientConnection] = contextvars.ContextVar("client")


def current_client() -> ClientConnection | None:
    """The connection of the request being answered (set for each connection's task; None outside one)."""
    return _client.get(None)


class ProxyServer:
    """Asyncio proxy run in a daemon thread; subclasses implement `respond`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, ca_dir: str | Path | None = None):
        self.host = host
        self.port = port
        self._ca_dir = ca_dir
        self._authority: CertificateAuthority | None = None
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
        if self._authority is not None:
            self._authority.close()
            self._authority = None

    @property
    def authority(self) -> CertificateAuthority:
        """The CA that signs the per-host certificates of CONNECT tunnels (made on first use)."""
        if self._authority is None:
            self._authority = CertificateAuthority(self._ca_dir)
        return self._authority

    @property
    def ca_path(self) -> Path:
        """PEM of the CA to trust for https through this proxy (removed by stop() unless ca_dir was given)."""
        return self.authority.pem_path

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
        # Let just-accepted connections start (so they are tracked) and closing ones end by themselves: a task
        # cancelled before it ran makes asyncio log an error from the stream protocol's callback.
        await asyncio.sleep(0)
        if self._tasks:
            await asyncio.wait(list(self._tasks), timeout=SHUTDOWN_GRACE)
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
            self._totals = {"requests": 0, "in_flight": 0, "max_in_flight": 0, "dropped": 0, "bad_requests": 0,
                            "tunnels": 0, "tls_failures": 0}

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
        _client.set(ClientConnection(reader, writer))
        try:
            await self._serve_requests(reader, writer, "http")
        except (ConnectionError, asyncio.IncompleteReadError, asyncio.TimeoutError):
            pass
        except asyncio.CancelledError:
            # stop() cancels open connections; ending normally keeps asyncio from logging the cancelled
            # callback task of TLS tunnels (whose transport start_tls replaced) as an error
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
                if scheme == "https":
                    await send_simple(writer, 400, "CONNECT inside a tunnel", keep_alive=False)
                else:
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

    def tls_flaw(self, host: str) -> str | None:
        """A certificate flaw to present for `host` (replay fixtures may ask for one); none by default."""
        return None

    async def handle_connect(self, request: HttpRequest, reader: asyncio.StreamReader,
                             writer: asyncio.StreamWriter) -> None:
        """Open a tunnel: 200, then TLS as the requested host, then the usual request loop with scheme https."""
        host = urlsplit(f"//{request.url}").hostname or ""
        # the CA is made lazily, off the loop thread's hot path only the first time
        context = await asyncio.get_running_loop().run_in_executor(None, self.authority.context_for, host,
                                                                   self.tls_flaw(host))
        writer.write(b"HTTP/1.1 200 Connection Established\r\n\r\n")
        await writer.drain()
        try:
            await writer.start_tls(context, ssl_handshake_timeout=TLS_HANDSHAKE_TIMEOUT)
        except (ssl.SSLError, ConnectionError, asyncio.TimeoutError, OSError) as exc:
            # e.g. a client that does not trust the CA and aborts the handshake
            log.debug("TLS handshake for %s failed: %s", host, exc)
            self._count("tls_failures")
            return
        self._count("tunnels")
        await self._serve_requests(reader, writer, "https")

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

    def __init__(self, fixtures_dir: str | Path, host: str = "127.0.0.1", port: int = 0,
                 ca_dir: str | Path | None = None):
        super().__init__(host, port, ca_dir)
        self.root = resolve_fixture_root(fixtures_dir)
        self.store = FixtureStore(self.root)

    def tls_flaw(self, host: str) -> str | None:
        return self.store.tls_flaw(host)

    async def respond(self, request: HttpRequest, writer: asyncio.StreamWriter) -> bool:
        stored = self.store.lookup(request.url, request.method, request.body,
                                   search_visitor(request.header("User-Agent"), request.header("Referer")))
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
    try:
        ca_path = server.ca_path       # made before the first line: a caller may signal as soon as it reads it
        print(f"replaying {server.root} on {server.url}", flush=True)   # CLI output, not logging
        print(f"https: clients trust {ca_path} (browsers: --ignore-certificate-errors, replay only)", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
