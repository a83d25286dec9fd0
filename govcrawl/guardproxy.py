"""The browser's connections go through this local forward proxy, which applies the address policy where the
connection is made.

Routing a page's requests (govcrawl/netguard.py `guard_browser_page`) refuses them before they are sent, but
Chromium opens sockets of its own before any request is routed (it preconnects to the host of a navigation) and
resolves names itself, after our check (DNS rebinding). With every browser context pointed at this proxy, Chromium
connects to 127.0.0.1 only; the proxy resolves the target once, checks every address and connects to the checked
one, or forwards to the operator's proxy (or the replay proxy) after checking the target. HTTP requests (absolute
form, each checked, one per connection) and CONNECT tunnels (one checked target each).
"""
from __future__ import annotations

import asyncio
import logging
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)
_REFUSED = b"HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s"
_HOP_HEADERS = (b"proxy-connection:", b"proxy-authorization:", b"connection:", b"keep-alive:")


GUARD_HOST = "127.0.0.1"   # every browser context's proxy (the browser resolves no name but this one)


class GuardProxy:
    """`check(url) -> (reason | None, address | None)` decides each connection; `upstream` is the proxy to forward
    to (None: connect to the checked address itself)."""

    def __init__(self, check, upstream: str | None = None, on_refused=None):
        self.check = check
        self.upstream = urlsplit(upstream) if upstream else None
        self.on_refused = on_refused
        self.server: asyncio.base_events.Server | None = None

    async def start(self) -> str:
        self.server = await asyncio.start_server(self._client, GUARD_HOST, 0)
        return self.url

    @property
    def url(self) -> str:
        return f"http://{GUARD_HOST}:{self.server.sockets[0].getsockname()[1]}"

    async def close(self) -> None:
        if self.server is not None:
            self.server.close()
            self.server = None

    async def _client(self, reader, writer) -> None:
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), 30)
            line, _, headers = head.partition(b"\r\n")
            method, target, version = line.decode("latin-1").split(" ", 2)
            url = f"https://{target}/" if method == "CONNECT" else target
            reason, address = await self.check(url)
            if reason:
                if self.on_refused is not None:
                    self.on_refused(url, reason)
                body = reason.encode("utf-8")
                writer.write(_REFUSED % (len(body), body))
                await writer.drain()
                return
            if self.upstream is None and address is None:   # no address to connect to: never a default one
                body = f"{urlsplit(url).hostname} does not resolve".encode("utf-8")
                writer.write(_REFUSED.replace(b"403 Forbidden", b"502 Bad Gateway") % (len(body), body))
                await writer.drain()
                return
            await self._forward(method, target, version, headers, url, address, reader, writer)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError, ValueError,
                ConnectionError, OSError) as exc:
            logger.debug("guard proxy: %s", exc)
        finally:
            writer.close()

    async def _forward(self, method, target, version, headers, url, address, reader, writer) -> None:
        parts = urlsplit(url)
        if self.upstream is not None:   # the operator's (or the replay) proxy
            up_reader, up_writer = await asyncio.open_connection(self.upstream.hostname, self.upstream.port or 80)
        else:
            up_reader, up_writer = await asyncio.open_connection(address, parts.port or (443 if method == "CONNECT"
                                                                                          else 80))
        try:
            if method == "CONNECT":   # one tunnel to the one checked target
                if self.upstream is not None:
                    up_writer.write(f"{method} {target} {version}\r\n".encode("latin-1") + headers)
                else:
                    writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                await asyncio.gather(_pipe(reader, up_writer), _pipe(up_reader, writer))
                return
            # one request per connection: a second request on a kept-alive connection would go unchecked
            kept = [h for h in headers.split(b"\r\n") if h and not h.lower().startswith(_HOP_HEADERS)]
            length = next((int(h.split(b":", 1)[1]) for h in kept if h.lower().startswith(b"content-length:")), 0)
            body = await reader.readexactly(length) if length else b""
            line = target if self.upstream is not None else (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
            up_writer.write(f"{method} {line} {version}\r\n".encode("latin-1")
                            + b"\r\n".join(kept + [b"Connection: close"]) + b"\r\n\r\n" + body)
            await _pipe(up_reader, writer)
        finally:
            up_writer.close()


async def _pipe(reader, writer) -> None:
    try:
        while data := await reader.read(65536):
            writer.write(data)
            await writer.drain()
    except (ConnectionError, OSError):
        pass
    finally:
        try:
            writer.write_eof()
        except (OSError, RuntimeError):
            pass
