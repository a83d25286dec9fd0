"""Recording proxy: forwards each request to the real site (or an upstream proxy) and saves the response as a
fixture (store.py), so a live crawl through it can be replayed offline byte for byte.

- Redirects are not followed: the 3xx itself is returned and stored.
- Bodies are stored and returned DECODED (gzip/deflate/br): Content-Encoding, Transfer-Encoding and
  Content-Length are dropped, so replay and recording hand the crawler the same bytes.
- Stored headers: Content-Type, Location, Refresh, Content-Disposition (what the crawler reads).
- HEAD is fetched as GET so the body is recorded; the client still gets no body.
- An unreachable site (DNS, refused, timeout, broken response) is stored as {"drop": true} and the client's
  connection is closed, as the real site would fail.
- HTTPS: CONNECT is answered like the replay proxy does (proxy.py: 200, TLS with a certificate from the
  recorder's own CA); the decrypted https:// requests are then fetched from the origin over TLS and recorded
  under their https URL. The crawler must not verify certificates (Scrapy's default) or trust `ca_path`.
"""
from __future__ import annotations

import asyncio
import http.client
import ssl
import urllib.error
import urllib.request
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from govcrawl.replay.proxy import HttpRequest, ProxyServer, send_body_response, send_simple
from govcrawl.replay.store import FixtureStore, canonical_url, search_visitor

try:
    import brotli
except ImportError:          # optional: only advertise encodings we can decode
    brotli = None

STORED_HEADERS = {"content-type", "location", "refresh", "content-disposition"}
_HOP_BY_HOP = {"connection", "proxy-connection", "keep-alive", "proxy-authorization", "proxy-authenticate",
               "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "accept-encoding",
               "expect"}
_ACCEPT_ENCODING = "gzip, deflate" + (", br" if brotli else "")


@dataclass
class Fetched:
    status: int
    headers: list[tuple[str, str]]
    body: bytes


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # noqa: ANN002 - urllib's signature
        return None       # urllib then hands the 3xx back as an HTTPError, which we record


def _build_opener(upstream_proxy: str | None) -> urllib.request.OpenerDirector:
    context = ssl.create_default_context()
    context.check_hostname = False          # government certificates are often broken; the crawler
    context.verify_mode = ssl.CERT_NONE     # does not verify either
    proxies = {"http": upstream_proxy, "https": upstream_proxy} if upstream_proxy else {}
    # An explicit ProxyHandler so http_proxy in our own environment (possibly pointing at us) is ignored.
    return urllib.request.build_opener(urllib.request.ProxyHandler(proxies), _NoRedirects(),
                                       urllib.request.HTTPSHandler(context=context))


def _text_header(value: str) -> str:
    """http.client reads header bytes as latin-1; recover UTF-8 text (e.g. a Chinese Location) when it is."""
    try:
        return value.encode("latin-1").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return value


def decode_body(body: bytes, encoding: str) -> bytes | None:
    """Undo Content-Encoding; None when it is unknown or the data is corrupt."""
    for coding in reversed([c.strip().lower() for c in encoding.split(",") if c.strip()]):
        try:
            if coding in ("gzip", "x-gzip"):
                body = zlib.decompress(body, 16 + zlib.MAX_WBITS)
            elif coding == "deflate":
                try:
                    body = zlib.decompress(body)
                except zlib.error:            # some servers send raw deflate without the zlib header
                    body = zlib.decompress(body, -zlib.MAX_WBITS)
            elif coding == "br" and brotli is not None:
                body = brotli.decompress(body)
            elif coding != "identity":
                return None
        except (zlib.error, brotli.error if brotli else zlib.error):
            return None
    return body


class RecordingProxy(ProxyServer):
    """Forward proxy that records into `fixtures_dir` (a fixture root, created when missing)."""

    def __init__(self, fixtures_dir: str | Path, upstream_proxy: str | None = None,
                 host: str = "127.0.0.1", port: int = 0, timeout: float = 30.0, max_parallel: int = 32,
                 ca_dir: str | Path | None = None):
        super().__init__(host, port, ca_dir)
        self.store = FixtureStore(fixtures_dir)
        self.timeout = timeout
        self._opener = _build_opener(upstream_proxy)
        self._executor = ThreadPoolExecutor(max_parallel, thread_name_prefix="record")
        self._flush_pending = False

    def _fetch(self, request: HttpRequest) -> Fetched | None:
        headers = {n: v for n, v in request.headers if n.lower() not in _HOP_BY_HOP}
        headers["Accept-Encoding"] = _ACCEPT_ENCODING
        method = "GET" if request.method == "HEAD" else request.method
        upstream = urllib.request.Request(request.url, data=request.body if method == "POST" else None,
                                          headers=headers, method=method)
        try:
            try:
                response = self._opener.open(upstream, timeout=self.timeout)
            except urllib.error.HTTPError as exc:   # 3xx/4xx/5xx are responses to record too
                response = exc
            with response:
                raw = response.read()
                status = response.status if hasattr(response, "status") else response.code
                pairs = [(n, _text_header(v)) for n, v in response.headers.items()]
        except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError):
            return None
        encoding = next((v for n, v in pairs if n.lower() == "content-encoding"), "")
        body = decode_body(raw, encoding) if encoding else raw
        if body is None:                   # keep what we cannot decode exactly as sent
            return Fetched(status, [(n, v) for n, v in pairs if n.lower() != "content-length"], raw)
        drop = {"content-encoding", "content-length", "transfer-encoding"}
        return Fetched(status, [(n, v) for n, v in pairs if n.lower() not in drop], body)

    async def respond(self, request: HttpRequest, writer: asyncio.StreamWriter) -> bool:
        try:
            canonical_url(request.url)    # the store must be able to name it
        except ValueError as exc:
            await send_simple(writer, 400, str(exc), request.keep_alive)
            return True
        loop = asyncio.get_running_loop()
        fetched = await loop.run_in_executor(self._executor, self._fetch, request)
        if fetched is None:
            await loop.run_in_executor(self._executor, lambda: self.store.save_drop(
                request.url, method=request.method, request_body=request.body, flush=False))
            self._schedule_flush()
            self._count("dropped")
            return False
        kept = [(n, v) for n, v in fetched.headers if n.lower() in STORED_HEADERS]
        if any(n.lower() == "content-encoding" for n, _ in fetched.headers):   # undecodable: keep it exact
            kept += [(n, v) for n, v in fetched.headers if n.lower() == "content-encoding"]
        await loop.run_in_executor(self._executor, lambda: self.store.save(
            request.url, fetched.status, kept, fetched.body, method="GET" if request.method == "HEAD"
            else request.method, request_body=request.body, flush=False,
            visitor=search_visitor(request.header("User-Agent"), request.header("Referer"))))
        self._schedule_flush()
        self._count_status(fetched.status)
        await send_body_response(writer, fetched.status, fetched.headers, fetched.body,
                                 head=request.method == "HEAD", keep_alive=request.keep_alive)
        return True

    def _schedule_flush(self) -> None:
        # Batch manifest writes: rewriting a large manifest after every response would be quadratic.
        if not self._flush_pending:
            self._flush_pending = True
            asyncio.get_running_loop().call_later(1.0, self._flush_soon)

    def _flush_soon(self) -> None:
        self._flush_pending = False
        try:
            self._executor.submit(self.store.flush)
        except RuntimeError:      # shutting down: on_shutdown flushes
            pass

    async def on_shutdown(self) -> None:
        await asyncio.to_thread(self._executor.shutdown, True)   # let pending saves finish first
        self.store.flush()
