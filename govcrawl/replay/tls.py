"""A local certificate authority for HTTPS replay and recording: one CA per proxy, one certificate per host.

The proxies answer CONNECT by terminating TLS themselves with a certificate for the requested host signed by this
CA, so an https fixture is served like an http one. Only clients told to trust the CA (its PEM at `pem_path`) or not
to verify at all (Scrapy's default context; Chromium with --ignore-certificate-errors) accept it: replay mode only.
"""
from __future__ import annotations

import ipaddress
import shutil
import ssl
import tempfile
import threading
from datetime import datetime, timedelta, timezone
from pathlib import Path

import trustme


class CertificateAuthority:
    """Issues and caches a server SSLContext per host. The CA key never leaves memory; its certificate is
    written to `pem_path` (inside `directory`, or a private temp dir removed by `close()`)."""

    def __init__(self, directory: str | Path | None = None):
        self._ca = trustme.CA(organization_name="govcrawl replay", organization_unit_name="replay CA")
        self._own_dir = directory is None
        self.directory = Path(tempfile.mkdtemp(prefix="govcrawl-ca-") if directory is None else directory)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.pem_path = self.directory / "govcrawl-replay-ca.pem"
        self._ca.cert_pem.write_to_path(str(self.pem_path))
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._lock = threading.Lock()

    def context_for(self, host: str, flaw: str | None = None) -> ssl.SSLContext:
        """A server-side context presenting a certificate for `host` (a name or an IP literal); `flaw`
        ("expired", "self-signed", "wrong-host") makes it a broken one, as real sites sometimes have."""
        host = host.strip("[]").lower()
        with self._lock:
            context = self._contexts.get(f"{host} {flaw}")
            if context is None:
                context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
                context.set_alpn_protocols(["http/1.1"])   # the proxies speak HTTP/1.1 only
                self._leaf(host, flaw).configure_cert(context)
                self._contexts[f"{host} {flaw}"] = context
            return context

    def _leaf(self, host: str, flaw: str | None):
        if flaw == "expired":
            now = datetime.now(timezone.utc)
            return self._ca.issue_cert(_identity(host), not_before=now - timedelta(days=730),
                                       not_after=now - timedelta(days=365))
        if flaw == "self-signed":  # signed by a CA nobody trusts
            return trustme.CA(organization_name=host).issue_cert(_identity(host))
        if flaw == "wrong-host":
            return self._ca.issue_cert(f"other.{host}")
        return self._ca.issue_cert(_identity(host))

    def client_context(self) -> ssl.SSLContext:
        """A client context that trusts this CA (and only it): for tests and tools."""
        context = ssl.create_default_context()
        self._ca.configure_trust(context)
        return context

    def close(self) -> None:
        if self._own_dir:
            shutil.rmtree(self.directory, ignore_errors=True)


def _identity(host: str) -> str:
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host
