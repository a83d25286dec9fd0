"""HTTP/1.1 wire format for the replay and recording proxies: read one request, write one response.

Only what a forward proxy needs: request line (absolute-, origin- and authority-form), headers, Content-Length and
chunked bodies, `Expect: 100-continue`; responses always carry Content-Length (never chunked).
"""
from __future__ import annotations

import asyncio
import re
from collections.abc import Iterable
from dataclasses import dataclass
from http import HTTPStatus
from pathlib import Path
from urllib.parse import urlsplit

MAX_HEADERS = 200
MAX_REQUEST_BODY = 64 * 1024 * 1024
_TOKEN = re.compile(rb"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_FRAMING = {"content-length", "transfer-encoding", "connection", "keep-alive", "proxy-connection"}


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
        # authority-form host:port (RFC 9110 9.3.6); the port is required
        if not re.fullmatch(r"[^/\\ @]+:\d{1,5}", target):
            raise ProtocolError(400, f"CONNECT needs host:port, got {target[:80]!r}")
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
