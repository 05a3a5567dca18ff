"""What may be shown of a URL or of a server's words: credentials removed, control characters escaped.

Every message that names a remote URL or quotes a server goes through these two functions, so a
password in a URL (whatever its scheme, parsable or not) never reaches a terminal, and neither do
the escape sequences a hostile server may put in its error pages.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

__all__ = ["has_credentials", "printable", "reason", "redact", "where"]

_USERINFO = re.compile(r"(?<=//)[^/?#\s]*@")
_BARE_USERINFO = re.compile(r"^[^/?#:@\s]+:[^/?#@\s]*@")
_TAG = re.compile(r"<[^>]*>")


def redact(url: str) -> str:
    """The URL with any ``user:password@`` removed, whatever the scheme and even when malformed.

    >>> redact("ftp://me:secret@files.example.org/x")
    'ftp://files.example.org/x'
    >>> redact("http://me:pw@[::1/broken")
    'http://[::1/broken'
    """
    return _BARE_USERINFO.sub("", _USERINFO.sub("", url))


def has_credentials(url: str) -> bool:
    """Whether the URL carries a user name or password.

    >>> has_credentials("https://u:p@example.org/sparql"), has_credentials("https://example.org/@me")
    (True, False)
    """
    return redact(url) != url


def where(url: str) -> str:
    """The URL as messages name it: no credentials, no query string.

    >>> where("http://u:p@127.0.0.1:7878/query?query=ASK%7B%7D")
    'http://127.0.0.1:7878/query'
    """
    clean = redact(url)
    try:
        parts = urlsplit(clean)
        return printable(f"{parts.scheme}://{parts.netloc}{parts.path}")
    except ValueError:
        return printable(clean.split("?", 1)[0])


def printable(text: str, limit: int = 200) -> str:
    """Text fit for one line of a terminal: whitespace runs as one space, other control (and
    invisible formatting) characters escaped, cut at ``limit`` characters.

    >>> printable("bad\\x1b[31m red\\n\\tline")
    'bad\\\\x1b[31m red line'
    """
    text = " ".join(text.split())[:limit]
    return "".join(
        c if c.isprintable() else f"\\x{ord(c):02x}" if ord(c) < 256 else f"\\u{ord(c):04x}" for c in text
    )


def reason(body: bytes) -> str:
    """The first meaningful line of an error body, tags stripped, made printable.

    >>> reason(b"<html>\\n<h1>Error</h1>\\n<p>Parser error at line 3</p></html>")
    'Parser error at line 3'
    """
    text = _TAG.sub(" ", body[:20000].decode("utf-8", errors="replace"))
    for line in text.splitlines():
        line = " ".join(line.split())
        if line and line.lower() not in ("error", "bad request", "error 400"):
            return printable(line)
    return ""
