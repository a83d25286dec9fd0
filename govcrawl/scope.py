"""URL normalisation and site scope.

A site is its host (compared without a leading ``www.``, case-insensitively, ignoring the
port, with punycode and Unicode spellings equal) plus, when the registered URL points into
a sub-directory (``http://www.x.gov.cn/sub/`` or ``/sub/index.html``), that directory.
Other subdomains of the same registered domain are other sites. The public-suffix list is
tldextract's bundled snapshot: nothing here touches the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote, urlsplit, urlunsplit

import tldextract

_DEFAULT_PORTS = {"http": 80, "https": 443}
_SESSION_PATH_PARAM = re.compile(r";jsessionid=[^/;?#]*", re.IGNORECASE)
_ALWAYS_DROPPED_PARAMS = {"jsessionid", "sessionid", "_t", "_", "timestamp"}
_EPOCH = re.compile(r"^(\d{10}|\d{13})$")
_INDEX_PAGE = re.compile(r"^(index|default)(\.\w+)?$", re.IGNORECASE)
_HAS_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_OTHER_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_HOST_PORT = re.compile(r"^[^:/]+:\d")
ATTACHMENT_EXTENSIONS = frozenset(
    "pdf doc docx docm rtf wps wpt et ett dps dpt xls xlsx xlsm csv ppt pptx pps ppsx odt ods odp "
    "ofd ceb caj txt zip rar 7z tar gz tgz bz2 jpg jpeg png gif bmp tif tiff webp mp3 wav wma mp4 "
    "avi wmv flv mov mkv swf apk exe".split()
)
# A download handler whose file is named in the query (download.jsp?filename=a.pdf)
_DOWNLOAD_HANDLER = re.compile(r"down|file|attach", re.IGNORECASE)


@lru_cache(maxsize=1)
def _extractor() -> tldextract.TLDExtract:
    return tldextract.TLDExtract(suffix_list_urls=(), cache_dir=None)


def normalize_url(url: str) -> str:
    """Canonical form for deduplication; idempotent. Unparseable input comes back stripped.

    Lowercases scheme and host, drops the fragment, the default port, a trailing dot on the
    host, ``;jsessionid=`` path params, empty query pieces and the session / cache-buster
    query params jsessionid, sessionid, sid (unless all digits: then it is a site or section
    id), _t, _, timestamp, and t when it holds a 10- or 13-digit epoch. Other params keep
    their order and spelling. For http(s) an empty path becomes '/' and dot segments are
    resolved (RFC 3986; '..' past the root stays at the root).
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    netloc = parts.netloc
    if parts.hostname is not None:
        host = _bracket(parts.hostname.rstrip("."))
        if port is not None and port != _DEFAULT_PORTS.get(scheme):
            host = f"{host}:{port}"
        userinfo = parts.netloc.rpartition("@")[0]
        netloc = f"{userinfo}@{host}" if userinfo else host
    path = _SESSION_PATH_PARAM.sub("", parts.path)
    if scheme in _DEFAULT_PORTS:
        path = _remove_dot_segments(path) if path else "/"
    query = "&".join(p for p in parts.query.split("&") if p and not _is_session_param(p))
    # stripped again: dropping a fragment can leave whitespace that preceded it at the end
    return urlunsplit((scheme, netloc, path, query, "")).strip()


def host_of(url: str) -> str:
    """Lowercase host without port or trailing dot; '' when the URL has none.
    A URL without a scheme (www.x.gov.cn/a) is read as host + path."""
    try:
        host = urlsplit(_with_authority(url)).hostname or ""
    except ValueError:
        return ""
    return host.rstrip(".")


def strip_www(host: str) -> str:
    host = host.lower()
    return host[4:] if host.startswith("www.") else host


def registered_domain(host: str) -> str:
    """Domain under the public suffix (slj.bd.gov.cn -> bd.gov.cn); the host itself for IPs."""
    host = host.lower().rstrip(".")
    result = _extractor()(host)
    domain = getattr(result, "top_domain_under_public_suffix", None)
    if domain is None:  # tldextract < 5.3
        domain = result.registered_domain
    return domain or host


def is_attachment(url: str) -> bool:
    """A downloadable file (pdf, doc, xls, zip, image, video ...), judged by its path or by
    the file named in the query of a download handler."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    path = _SESSION_PATH_PARAM.sub("", parts.path)
    if _extension(path) in ATTACHMENT_EXTENSIONS:
        return True
    last_segment = path.rsplit("/", 1)[-1]
    if parts.query and _DOWNLOAD_HANDLER.search(last_segment):
        for piece in parts.query.split("&"):
            if _extension(unquote(piece.partition("=")[2])) in ATTACHMENT_EXTENSIONS:
                return True
    return False


def is_fetchable(url: str) -> bool:
    """http(s) with a host."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    return parts.scheme.lower() in _DEFAULT_PORTS and bool(parts.hostname)


@dataclass(frozen=True)
class Scope:
    """rules: (host key, allowed path prefixes); an empty prefix tuple allows the whole host."""

    rules: tuple[tuple[str, tuple[str, ...]], ...]

    @classmethod
    def for_site(cls, registered_url: str, final_url: str | None = None) -> "Scope":
        """Hosts of the registered URL and of the final homepage (after redirects).

        The registered directory prefix binds the registered host. When the site lives under
        a prefix and its homepage moved, the final homepage's directory is allowed as well
        (on another host: that directory, or the whole host when it is the host's root).
        """
        registered_host = _host_key(host_of(registered_url))
        registered_prefix = _directory_prefix(registered_url)
        rules: dict[str, set[str] | None] = {
            registered_host: {registered_prefix} if registered_prefix else None}
        if final_url:
            final_host = _host_key(host_of(final_url))
            final_prefix = _directory_prefix(final_url)
            if final_host == registered_host:
                allowed = rules[registered_host]
                if allowed is not None and final_prefix:
                    allowed.add(final_prefix)
            else:
                keep_prefix = registered_prefix is not None and final_prefix is not None
                rules[final_host] = {final_prefix} if keep_prefix else None
        return cls(tuple(
            (host, tuple(sorted(prefixes)) if prefixes else ())
            for host, prefixes in rules.items() if host))

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset(host for host, _ in self.rules)

    def contains(self, url: str) -> bool:
        if not is_fetchable(url):
            return False
        key = _host_key(host_of(url))
        for host, prefixes in self.rules:
            if host != key:
                continue
            if not prefixes:
                return True
            path = _comparable_path(url)
            return any(path.startswith(p) or path == p[:-1] for p in prefixes)
        return False


def _host_key(host: str) -> str:
    """Host for comparison: lowercase, no www., punycode labels decoded to Unicode."""
    labels = []
    for label in strip_www(host.rstrip(".")).split("."):
        if label.startswith("xn--"):
            try:
                label = label.encode("ascii").decode("idna")
            except UnicodeError:
                pass
        labels.append(label)
    return strip_www(".".join(labels))


def _directory_prefix(url: str) -> str | None:
    """'/sub/' for http://h/sub/, /sub/index.html, /sub/main.jsp or /sub; None at the root."""
    path = _comparable_path(url)
    directory, _, last = path.rpartition("/")
    if last and not _INDEX_PAGE.match(last) and "." not in last:
        directory = path  # /sub without slash names a directory
    prefix = directory.rstrip("/") + "/"
    return None if prefix == "/" else prefix


def _comparable_path(url: str) -> str:
    """Path without session params and dot segments, percent-decoded, lowercase (IIS-style
    servers treat paths case-insensitively, and the sites link both ways)."""
    try:
        path = urlsplit(_with_authority(url)).path
    except ValueError:
        return "/"
    path = _remove_dot_segments(_SESSION_PATH_PARAM.sub("", path)) or "/"
    return unquote(path).lower()


def _remove_dot_segments(path: str) -> str:
    """RFC 3986 5.2.4 on an absolute path; '..' past the root stays at the root."""
    segments = path.split("/")
    if "." not in segments and ".." not in segments:
        return path
    kept: list[str] = []
    for segment in segments:
        if segment == "..":
            if len(kept) > 1:
                kept.pop()
        elif segment != ".":
            kept.append(segment)
    cleaned = "/".join(kept)
    if segments[-1] in (".", ".."):
        cleaned += "/"
    if path.startswith("/") and not cleaned.startswith("/"):
        cleaned = "/" + cleaned
    return cleaned


def _with_authority(url: str) -> str:
    """'//' + url for scheme-less 'host/path' or 'host:port'; mailto:/javascript: unchanged."""
    url = url.strip()
    if _HAS_SCHEME.match(url) or url.startswith("//"):
        return url
    if _OTHER_SCHEME.match(url) and not _HOST_PORT.match(url):
        return url
    return "//" + url


def _is_session_param(piece: str) -> bool:
    key, _, value = piece.partition("=")
    key = unquote(key).lower()
    if key == "t":
        return bool(_EPOCH.match(value))
    if key == "sid":
        return not value.isdigit()
    return key in _ALWAYS_DROPPED_PARAMS


def _extension(path: str) -> str:
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return last.rpartition(".")[2].lower() if "." in last else ""


def _bracket(host: str) -> str:
    return f"[{host}]" if ":" in host else host
