"""A small SPARQL-over-HTTP client for `hrkg load`, and the redaction of what it prints.

Credentials come only from HRKG_ENDPOINT_USER / HRKG_ENDPOINT_PASSWORD (Basic or Digest,
whichever the server asks for). Nothing this module puts into an error message can show
them: URLs lose their user-info and query string, and a server's answer quoted in an error
loses Authorization headers, tokens and the password itself (servers echo requests).
"""

from __future__ import annotations

import os
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable

USER_ENV = "HRKG_ENDPOINT_USER"
PASSWORD_ENV = "HRKG_ENDPOINT_PASSWORD"
HIDDEN = "[redacted]"
# header lines and credentials as servers echo them back
SECRET_PATTERNS = (
    (re.compile(r"(?im)^(\s*(?:proxy-)?authorization\s*[:=]\s*).*$"), r"\1" + HIDDEN),
    (re.compile(r"(?i)\b(basic|bearer|digest)\s+[A-Za-z0-9+/=._~,:\"-]{6,}"), r"\1 " + HIDDEN),
    (
        re.compile(r"(?i)((?:password|passwd|pwd|token|secret|api[_-]?key)\s*[=:]\s*)[^\s&\"'<>]+"),
        r"\1" + HIDDEN,
    ),
    (re.compile(r"(?i)(https?://)[^/\s@]+@"), r"\1" + HIDDEN + "@"),
    (re.compile(r"(https?://[^?\s\"'<>]*\?)[^\s\"'<>]+"), r"\1" + HIDDEN),
)


class LoadError(RuntimeError):
    """A load step failed; the message is safe to print (no credentials)."""


def redact(url: str) -> str:
    """The URL without user-info and query string, safe to print (a query string can hold
    an API key; the path is enough to say which endpoint failed)."""
    try:
        parts = urllib.parse.urlsplit(url)
        host = parts.hostname or ""
        if parts.port:
            host += f":{parts.port}"
    except ValueError:
        return HIDDEN
    query = "?" + HIDDEN if parts.query else ""
    return urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", "")) + query


def redact_text(text: str) -> str:
    """`text` with Authorization headers, tokens, URL user-info and the configured
    password removed."""
    password = os.environ.get(PASSWORD_ENV)
    user = os.environ.get(USER_ENV)
    if password:
        text = text.replace(password, HIDDEN)
        if user:  # the Basic credentials as the server saw them
            import base64

            token = base64.b64encode(f"{user}:{password}".encode()).decode()
            text = text.replace(token, HIDDEN)
    for pattern, replacement in SECRET_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def snippet(body: bytes) -> str:
    """The start of a server's answer, one line, redacted."""
    text = body[:300].decode("utf-8", "replace")
    return " ".join(redact_text(text).split())


def check_url(url: str) -> str:
    """Refuse URLs that carry credentials; they belong in the environment."""
    try:
        parts = urllib.parse.urlsplit(url)
        hostname = parts.hostname
    except ValueError:
        raise LoadError(f"not a valid URL: {redact(url)}") from None
    if parts.scheme not in ("http", "https") or not hostname:
        raise LoadError(f"not an http(s) URL: {redact(url)}")
    if parts.username or parts.password:
        raise LoadError(f"put credentials into {USER_ENV} / {PASSWORD_ENV}, not into the URL")
    return url


def with_param(url: str, name: str, value: str) -> str:
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{joiner}{urllib.parse.urlencode({name: value})}"


class Client:
    """HTTP requests with optional Basic/Digest auth; HTTP errors come back as statuses."""

    def __init__(self, urls: Iterable[str], timeout: float) -> None:
        handlers: list[urllib.request.BaseHandler] = []
        user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
        if user is not None and password is not None:
            manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
            for url in urls:
                manager.add_password(None, url, user, password)
            # Digest first: it ignores Basic challenges, while the Basic handler errors on
            # Digest ones.
            handlers += [
                urllib.request.HTTPDigestAuthHandler(manager),
                urllib.request.HTTPBasicAuthHandler(manager),
            ]
        self.opener = urllib.request.build_opener(*handlers)
        self.timeout = timeout

    def send(
        self,
        method: str,
        url: str,
        body: bytes | None = None,
        content_type: str | None = None,
        accept: str = "*/*",
    ) -> tuple[int, bytes]:
        """(status, body); network errors raise LoadError with a redacted message."""
        headers = {"Accept": accept}
        if content_type:
            headers["Content-Type"] = content_type
        request = urllib.request.Request(url, data=body, method=method, headers=headers)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()
        except (urllib.error.URLError, OSError, ValueError) as err:
            reason = redact_text(str(getattr(err, "reason", err)))
            raise LoadError(f"{method} {redact(url)} failed: {reason}") from None
