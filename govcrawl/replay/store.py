"""Recorded responses of web sites on disk (the fixture format), shared by the replay and recording proxies.

A fixture root holds `manifest.json` (optional) and `hosts/`. URL -> body file under hosts/ ("path rule"):
  host folder  lowercase host; a non-default port is appended as `<host>_<port>` (":" is not portable in file
               names); http and https share the folder (80 and 443 are the defaults of their own scheme).
  path         percent-decoded per segment (UTF-8; an undecodable segment is kept encoded; a decoded "/"
               stays "%2F"), "." and ".." resolved; a path ending in "/" gets "index.html".
  query        `<file>@<query>`: the query as sent (non-ASCII percent-encoded) with "/" as "%2F",
               so `/list/?page=2` -> `list/index.html@page=2`.
  long names   a name over 200 bytes is cut and suffixed `~<sha1[:12]>` (file systems cap names at 255 bytes).
Manifest keys are URLs normalised the same way but keep their scheme (an http->https redirect must not answer
for https). Entry fields: status (200), headers (object or list of pairs), file (relative to hosts/; absent:
the path-rule file when status is 200, else no body; null: no body), content_type (null: no Content-Type),
delay (seconds), drop (close without reply), note (ignored), tls (on an https URL: the host's certificate is
"expired", "self-signed" or for the "wrong-host", to replay sites with broken TLS).
POST bodies: a POST with body B to URL U is looked up first under `U#post:<B's &-separated pieces, sorted>`
(`U#post-sha1:<hex>` when B is long or not printable ASCII), then as U. Fragments never reach a server, so
these keys cannot clash with a real URL.
Search-engine visitors (cloaked sites): a GET whose Referer is a search engine's is looked up first under
`U#from-search`, one whose User-Agent is a search engine's spider under `U#as-spider`, then as U.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, unquote_to_bytes, urlsplit

_DEFAULT_PORTS = {"http": 80, "https": 443}
_MAX_NAME_BYTES = 200
_QUERY_SAFE = "!\"$%&'()*+,-./:;<=>?@[\\]^_`{|}~"
_SEGMENT_SAFE = "!$&'()*+,;=:@-._~%"
_HOST_RE = re.compile(r"^[a-z0-9_\-:]+(\.[a-z0-9_\-:]+)*\.?$")
_HTML_EXTENSIONS = {"", ".html", ".htm", ".shtml", ".jsp", ".do", ".aspx", ".asp", ".php", ".action", ".jhtml", ".xhtml"}
_TYPES = {
    ".json": "application/json", ".xml": "text/xml", ".js": "application/javascript", ".css": "text/css",
    ".txt": "text/plain", ".pdf": "application/pdf", ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xls": "application/vnd.ms-excel", ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".ppt": "application/vnd.ms-powerpoint", ".wps": "application/vnd.ms-works", ".ofd": "application/ofd",
    ".zip": "application/zip", ".rar": "application/x-rar-compressed", ".7z": "application/x-7z-compressed",
    ".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".gif": "image/gif", ".svg": "image/svg+xml",
    ".ico": "image/x-icon", ".mp4": "video/mp4", ".woff": "font/woff", ".woff2": "font/woff2",
}
_SEARCH_ENGINES = re.compile(r"(?:^|\.)(?:baidu|sogou|so|sm|google|bing|youdao)\.(?:com|cn)$", re.I)
_SPIDERS = re.compile(r"baiduspider|googlebot|bingbot|sogou\W*spider|360spider|yisouspider|bytespider", re.I)
VISITORS = ("from-search", "as-spider")
_ENTRY_KEYS = {"status", "headers", "file", "content_type", "delay", "drop", "note", "tls"}
TLS_FLAWS = ("expired", "self-signed", "wrong-host")
# Headers that describe the transfer, not the resource: never stored.
_TRANSFER_HEADERS = {"content-length", "transfer-encoding", "connection", "keep-alive"}


class FixtureError(Exception):
    """A fixture folder or manifest that cannot be used; the message names the file."""


@dataclass
class StoredResponse:
    status: int
    headers: list[tuple[str, str]]
    body_file: Path | None = None     # None: empty body
    delay: float = 0.0
    drop: bool = False

    @property
    def body(self) -> bytes:
        return self.body_file.read_bytes() if self.body_file else b""

    @property
    def length(self) -> int:
        return self.body_file.stat().st_size if self.body_file else 0

    def header(self, name: str) -> str | None:
        return next((v for n, v in self.headers if n.lower() == name.lower()), None)


@dataclass(frozen=True)
class _Parts:
    scheme: str
    host_folder: str       # host or host_port
    netloc: str            # host or host:port, for canonical URLs
    segments: tuple[str, ...]
    directory: bool
    query: str | None


def _fix_escapes(text: str) -> str:
    return re.sub(r"%[0-9a-fA-F]{2}", lambda m: m.group(0).upper(), text)


def _decode_segment(raw: str) -> str:
    try:
        text = unquote_to_bytes(raw).decode("utf-8")
    except UnicodeDecodeError:
        return _fix_escapes(raw)   # e.g. GBK-encoded paths: keep them encoded
    return text.replace("/", "%2F").replace("\x00", "%00")


def _split(url: str) -> _Parts:
    """Raises ValueError for anything that is not a usable http(s) URL."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    host = parts.hostname.encode("idna").decode("ascii").lower()
    if not _HOST_RE.match(host) or ".." in host:
        raise ValueError(f"bad host in {url!r}")
    port = parts.port
    has_port = port is not None and port != _DEFAULT_PORTS[scheme]
    segments: list[str] = []
    raw_segments = (parts.path or "/").split("/")[1:]
    for raw in raw_segments:
        seg = _decode_segment(raw)
        if seg in ("", "."):
            continue
        if seg == "..":
            if segments:
                segments.pop()
            continue
        segments.append(seg)
    last = _decode_segment(raw_segments[-1]) if raw_segments else ""
    query = quote(_fix_escapes(parts.query), safe=_QUERY_SAFE) if parts.query else None
    netloc = f"[{host}]" if ":" in host else host
    return _Parts(scheme, f"{host}_{port}" if has_port else host, f"{netloc}:{port}" if has_port else netloc,
                  tuple(segments), last in ("", ".", ".."), query)


def guess_type(url: str) -> str:
    """Content-Type by the URL path's extension; HTML gets no charset (real servers often omit it)."""
    try:
        parts = _split(url)
    except ValueError:
        return "application/octet-stream"
    ext = "" if parts.directory else os.path.splitext(parts.segments[-1])[1].lower()
    if ext in _HTML_EXTENSIONS:
        return "text/html"
    return _TYPES.get(ext, "application/octet-stream")


def canonical_url(url: str) -> str:
    """The form used as manifest key: equal for URLs that address the same recorded response."""
    p = _split(url)
    path = "/" + "/".join(quote(s, safe=_SEGMENT_SAFE) for s in p.segments)
    if p.directory and p.segments:
        path += "/"
    return f"{p.scheme}://{p.netloc}{path}" + (f"?{p.query}" if p.query else "")


def post_key(url: str, body: bytes) -> str:
    """Manifest key of a POST with `body`; form fields are sorted so their order does not matter."""
    base = canonical_url(url)
    try:
        text = body.decode("utf-8") if len(body) <= 1000 else ""
    except UnicodeDecodeError:
        text = ""
    if text and text.isprintable():
        return f"{base}#post:" + "&".join(sorted(p for p in text.split("&") if p))
    return f"{base}#post-sha1:{hashlib.sha1(body).hexdigest()}"


def search_visitor(user_agent: str | None, referer: str | None) -> str | None:
    """'as-spider' for a search engine's spider, 'from-search' for a visitor sent by a search engine, else None."""
    if user_agent and _SPIDERS.search(user_agent):
        return "as-spider"
    if referer and _SEARCH_ENGINES.search(urlsplit(referer).hostname or ""):
        return "from-search"
    return None


def _short_name(name: str) -> str:
    data = name.encode("utf-8")
    if len(data) <= _MAX_NAME_BYTES:
        return name
    cut = data[:_MAX_NAME_BYTES - 13].decode("utf-8", errors="ignore")
    return f"{cut}~{hashlib.sha1(data).hexdigest()[:12]}"


def relative_file(url: str) -> str:
    """The body file of `url` by the path rule, relative to hosts/ (posix separators)."""
    p = _split(url)
    names = list(p.segments) + (["index.html"] if p.directory else [])
    if p.query:
        names[-1] += "@" + p.query.replace("/", "%2F")
    return "/".join([p.host_folder] + [_short_name(n) for n in names])


def resolve_fixture_root(path: str | os.PathLike) -> Path:
    """`path` itself when it is a fixture root (manifest.json or hosts/), else its only child that is one."""
    path = Path(path)

    def is_root(p: Path) -> bool:
        return (p / "manifest.json").is_file() or (p / "hosts").is_dir()

    if not path.is_dir():
        raise FixtureError(f"{path}: no such fixture folder")
    if is_root(path):
        return path
    roots = sorted(child for child in path.iterdir() if child.is_dir() and is_root(child))
    if len(roots) == 1:
        return roots[0]
    if not roots:
        raise FixtureError(f"{path}: not a fixture folder (no manifest.json or hosts/, nor a subfolder with them)")
    names = ", ".join(r.name for r in roots)
    raise FixtureError(f"{path}: holds several fixtures ({names}); name one of them")


def _header_pairs(headers: Mapping[str, str] | Iterable[tuple[str, str]] | None) -> list[tuple[str, str]]:
    if headers is None:
        return []
    items = headers.items() if isinstance(headers, Mapping) else headers
    return [(str(n), str(v)) for n, v in items]


class FixtureStore:
    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)
        self.hosts = self.root / "hosts"
        self.manifest_path = self.root / "manifest.json"
        self._lock = threading.Lock()
        self._dirty = False
        self._raw: dict[str, dict] = {}       # manifest as written: key -> entry
        self._keys: dict[str, str] = {}       # canonical key -> key in _raw
        if self.manifest_path.exists():
            self._load()

    # ---- reading -------------------------------------------------------------------------------
    def _load(self) -> None:
        where = self.manifest_path
        try:
            data = json.loads(where.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, OSError) as exc:
            raise FixtureError(f"{where}: cannot read: {exc}") from exc
        except json.JSONDecodeError as exc:
            raise FixtureError(f"{where}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
        if not isinstance(data, dict) or not isinstance(data.get("responses", {}), dict):
            raise FixtureError(f'{where}: expected {{"responses": {{"<url>": {{...}}}}}}')
        for key, entry in data.get("responses", {}).items():
            self._check_entry(key, entry)
            canonical = self._canonical_key(key)
            if canonical in self._keys:
                raise FixtureError(f"{where}: responses[{key!r}] repeats responses[{self._keys[canonical]!r}]")
            self._raw[key] = entry
            self._keys[canonical] = key

    @staticmethod
    def _canonical_key(key: str) -> str:
        url, sep, post = key.partition("#post")
        if post.startswith(":"):
            return post_key(url, post[1:].encode("utf-8"))
        for visitor in VISITORS:
            if key.endswith(f"#{visitor}"):
                return canonical_url(key[: -len(visitor) - 1]) + f"#{visitor}"
        return canonical_url(url) + sep + post

    def _check_entry(self, key: str, entry: object) -> None:
        def bad(problem: str) -> FixtureError:
            return FixtureError(f"{self.manifest_path}: responses[{key!r}]: {problem}")

        try:
            self._canonical_key(key)
        except ValueError as exc:
            raise bad(str(exc)) from None
        if not isinstance(entry, dict):
            raise bad("entry must be an object")
        unknown = set(entry) - _ENTRY_KEYS
        if unknown:
            raise bad(f"unknown field(s) {sorted(unknown)}; allowed: {sorted(_ENTRY_KEYS)}")
        status = entry.get("status", 200)
        if type(status) is not int or not 100 <= status <= 599:
            raise bad(f"status must be an integer 100-599, not {status!r}")
        headers = entry.get("headers", {})
        pairs_ok = isinstance(headers, list) and all(
            isinstance(h, list) and len(h) == 2 and all(isinstance(x, str) for x in h) for h in headers)
        dict_ok = isinstance(headers, dict) and all(isinstance(v, str) for v in headers.values())
        if not (pairs_ok or dict_ok):
            raise bad("headers must be an object of strings or a list of [name, value] pairs")
        delay = entry.get("delay", 0)
        if type(delay) not in (int, float) or delay < 0:
            raise bad(f"delay must be a number of seconds >= 0, not {delay!r}")
        if type(entry.get("drop", False)) is not bool:
            raise bad("drop must be true or false")
        if entry.get("tls") is not None and entry["tls"] not in TLS_FLAWS:
            raise bad(f"tls must be one of {list(TLS_FLAWS)}, not {entry['tls']!r}")
        if entry.get("content_type") is not None and not isinstance(entry["content_type"], str):
            raise bad("content_type must be a string or null")
        file = entry.get("file")
        if file is not None:
            if not isinstance(file, str) or not file or file.startswith("/") or ".." in file.split("/"):
                raise bad(f"file must be a relative path inside hosts/, not {file!r}")
            if not (self.hosts / file).is_file():
                raise bad(f"file {self.hosts / file} does not exist")

    def tls_flaw(self, host: str) -> str | None:
        """The certificate flaw an https host is to show (manifest field "tls" on any of its https URLs)."""
        host = host.lower()
        for key, entry in self._raw.items():
            if entry.get("tls") and urlsplit(key).scheme == "https" and (urlsplit(key).hostname or "") == host:
                return entry["tls"]
        return None

    def lookup(self, url: str, method: str = "GET", body: bytes = b"", visitor: str | None = None) -> StoredResponse | None:
        """The recorded response for a request, or None (not recorded, or not an http(s) URL). `visitor`
        (search_visitor) picks a cloaked site's answer to search engines when one is recorded."""
        try:
            key = canonical_url(url)
            rule_file = self.hosts / relative_file(url)
        except ValueError:
            return None
        raw_key = self._keys.get(post_key(url, body)) if method.upper() == "POST" and body else None
        raw_key = raw_key or (self._keys.get(f"{key}#{visitor}") if visitor else None) or self._keys.get(key)
        if raw_key is None:
            if not rule_file.is_file():
                return None
            return StoredResponse(200, [("Content-Type", guess_type(url))], rule_file)
        entry = self._raw[raw_key]
        status = entry.get("status", 200)
        if "file" in entry:
            body_file = self.hosts / entry["file"] if entry["file"] is not None else None
        else:
            body_file = rule_file if status == 200 and rule_file.is_file() else None
        headers = _header_pairs(entry.get("headers"))
        headers = [(n, v) for n, v in headers if n.lower() != "content-type" or "content_type" not in entry]
        if "content_type" in entry:
            if entry["content_type"] is not None:
                headers.insert(0, ("Content-Type", entry["content_type"]))
        elif body_file is not None and not any(n.lower() == "content-type" for n, _ in headers):
            headers.insert(0, ("Content-Type", guess_type(url)))
        return StoredResponse(status, headers, body_file, float(entry.get("delay", 0)), entry.get("drop", False))

    # ---- writing -------------------------------------------------------------------------------
    def save(self, url: str, status: int, headers: Mapping[str, str] | Iterable[tuple[str, str]] | None,
             body: bytes, *, method: str = "GET", request_body: bytes = b"", flush: bool = True,
             visitor: str | None = None) -> None:
        """Store a response; a manifest entry is written only when the path rule alone would not reproduce it.
        A search engine's visit (`visitor`) is stored under its own key, never over the ordinary answer."""
        by_body = method.upper() == "POST" and bool(request_body)
        key = post_key(url, request_body) if by_body else canonical_url(url) + (f"#{visitor}" if visitor else "")
        by_body = by_body or bool(visitor)
        pairs = [(n, v) for n, v in _header_pairs(headers) if n.lower() not in _TRANSFER_HEADERS]
        content_types = [v for n, v in pairs if n.lower() == "content-type"]
        others = [(n, v) for n, v in pairs if n.lower() != "content-type"]
        entry: dict = {}
        if status != 200:
            entry["status"] = status
        if others:
            names = [n.lower() for n, _ in others]
            entry["headers"] = [list(p) for p in others] if len(set(names)) < len(names) else dict(others)
        content_type = content_types[0] if content_types else None
        if content_type is None and (body or status == 200):
            entry["content_type"] = None
        elif content_type is not None and not _same_type(content_type, guess_type(url)):
            entry["content_type"] = content_type
        with self._lock:
            rule_rel = relative_file(url)
            if status == 200 and not by_body and _write_body(self.hosts, rule_rel, body):
                pass
            elif body:
                # Not at the path rule: that file would answer 200 for the other scheme or a body-less POST.
                alt = (f"{rule_rel.split('/')[0]}/@alt/{hashlib.sha1(key.encode()).hexdigest()[:20]}"
                       + Path(rule_rel.split("@")[0]).suffix[:10])
                _write_body(self.hosts, alt, body, required=True)
                entry["file"] = alt
            elif status == 200:
                entry["file"] = None     # an empty 200 whose path-rule file cannot be written
            self._put(key, entry or None)
            if flush:
                self._flush_locked()

    def save_drop(self, url: str, *, method: str = "GET", request_body: bytes = b"", flush: bool = True) -> None:
        """Record that the server could not be reached: replay closes the connection without a reply."""
        by_body = method.upper() == "POST" and bool(request_body)
        with self._lock:
            self._put(post_key(url, request_body) if by_body else canonical_url(url), {"drop": True, "file": None})
            if flush:
                self._flush_locked()

    def _put(self, key: str, entry: dict | None) -> None:
        canonical = self._canonical_key(key)
        old = self._keys.pop(canonical, None)
        if old is not None:
            del self._raw[old]
            self._dirty = True
        if entry is not None:
            self._raw[key] = entry
            self._keys[canonical] = key
            self._dirty = True

    def flush(self) -> None:
        """Write the manifest (atomically) when entries changed since the last write."""
        with self._lock:
            self._flush_locked()

    def _flush_locked(self) -> None:
        if not self._dirty:
            return
        self.root.mkdir(parents=True, exist_ok=True)
        text = json.dumps({"responses": dict(sorted(self._raw.items()))}, ensure_ascii=False, indent=1)
        _atomic_write(self.manifest_path, (text + "\n").encode("utf-8"))
        self._dirty = False


def _same_type(given: str, guessed: str) -> bool:
    def norm(value: str) -> str:
        return ";".join(p.strip() for p in value.lower().split(";") if p.strip())
    return norm(given) == norm(guessed)


def _atomic_write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:40]}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_body(hosts: Path, rel: str, body: bytes, required: bool = False) -> bool:
    """Write a body file; False when the path clashes with a folder/file already there (e.g. `/a` vs `/a/`)."""
    path = hosts / rel
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.is_dir():
            raise IsADirectoryError(path)
        _atomic_write(path, body)
        return True
    except (NotADirectoryError, FileExistsError, IsADirectoryError):
        if required:
            raise
        return False
