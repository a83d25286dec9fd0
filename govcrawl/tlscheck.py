"""Is a site's TLS certificate valid? Scrapy fetches without verifying (a site with a broken certificate is still
inspected); this check verifies separately and names the problem, for the review code tls_invalid."""
from __future__ import annotations

import socket
import ssl
from urllib.parse import urlsplit

PROBLEMS = (("expired", "证书已过期"), ("self-signed", "自签名证书"), ("self signed", "自签名证书"),
            ("unable to get local issuer", "证书签发机构不受信任"), ("hostname mismatch", "证书与域名不符"),
            ("doesn't match", "证书与域名不符"), ("not valid for", "证书与域名不符"))


def _connect(host: str, port: int, proxy: str | None, timeout: float) -> socket.socket:
    if not proxy:
        return socket.create_connection((host, port), timeout=timeout)
    parts = urlsplit(proxy)
    sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout)
    sock.sendall(f"CONNECT {host}:{port} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
    reply = b""
    while b"\r\n\r\n" not in reply and len(reply) < 8192:
        chunk = sock.recv(1024)
        if not chunk:
            break
        reply += chunk
    if not reply.startswith((b"HTTP/1.1 200", b"HTTP/1.0 200")):
        sock.close()
        raise OSError(f"proxy refused CONNECT {host}:{port}: {reply[:40]!r}")
    return sock


def certificate_problem(url: str, proxy: str | None = None, cafile: str | None = None,
                        timeout: float = 10.0) -> str | None:
    """None when the certificate of an https URL verifies (system roots, or `cafile` in replay mode); else the
    problem in Chinese with the verifier's reason. Not https, or not reachable: None (other rules cover that)."""
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname:
        return None
    context = ssl.create_default_context(cafile=cafile) if cafile else ssl.create_default_context()
    try:
        with _connect(parts.hostname, parts.port or 443, proxy, timeout) as sock:
            with context.wrap_socket(sock, server_hostname=parts.hostname):
                return None
    except ssl.SSLCertVerificationError as exc:
        reason = exc.verify_message or str(exc)
        label = next((text for key, text in PROBLEMS if key in reason.lower()), "证书无效")
        return f"{label}（{reason}）"
    except (OSError, ssl.SSLError):
        return None
