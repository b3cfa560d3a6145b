"""A read-only pull of data values from a DHIS2 server (``GET /api/dataValueSets.json``), saved as a file.

The server's answer is saved, once it is a complete DHIS2 data value set, as a JSON file
that ``evaltools import`` then reads like any other: the pull writes nothing to the
store, and the file stays as the record of what the server sent. Plain HTTP(S) through
the standard library; credentials come from the environment, never the command line:
``DHIS2_TOKEN`` (a personal access token, sent as ``Authorization: ApiToken ...``) or
``DHIS2_USER`` and ``DHIS2_PASSWORD`` (basic authentication).

Trust boundaries (OWASP's guidance on SSRF and credential forwarding):

- Credentials go only to the origin named (scheme, host, port). A redirect to another
  origin (another host, another port, https to http) is refused, never followed; a
  redirect within the origin is followed, at most ``MAX_REDIRECTS`` times.
- One deadline (``--timeout``) bounds the whole transfer, not each read: a timer shuts
  the connection down when it passes, so a server that drips a byte a second or stalls
  after its headers is cut off on time.
- The answer is read within ``EVALTOOLS_MAX_PULL_MB``; an answer shorter or longer than
  its ``Content-Length`` is refused (a connection cut, a proxy's damage), never saved.
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import socket
import threading
import time
import urllib.parse
from collections.abc import Sequence

from evaltools.core import limits
from evaltools.core.errors import EvaltoolsError
from evaltools.intake import dhis2json

CREDENTIALS = "set DHIS2_TOKEN (a personal access token), or DHIS2_USER and DHIS2_PASSWORD"
MAX_REDIRECTS = 3                       # within the origin named (DHIS2 behind a proxy may add a slash)
REDIRECTS = frozenset({301, 302, 303, 307, 308})
PORTS = {"http": 80, "https": 443}
CHUNK = 1 << 16
GRACE = 1.0            # seconds a server that sent its Content-Length may take to close (we ask it to)


def pull_url(server: str, data_sets: Sequence[str], periods: Sequence[str], org_units: Sequence[str],
             children: bool, id_scheme: str | None) -> str:
    """The ``dataValueSets.json`` request for these data sets, periods and org units."""
    parts = urllib.parse.urlsplit(server.rstrip("/"))
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise EvaltoolsError(f"{server}: expected the server's address, such as https://dhis2.example.org")
    query = [("dataSet", d) for d in data_sets] + [("period", p) for p in periods] + [
        ("orgUnit", o) for o in org_units]
    query += [("children", "true")] if children else []
    query += [("idScheme", id_scheme)] if id_scheme else []
    return f"{parts.geturl()}/api/dataValueSets.json?{urllib.parse.urlencode(query)}"


def _headers(environ: dict[str, str]) -> dict[str, str]:
    headers = {"Accept": "application/json"}
    if environ.get("DHIS2_TOKEN"):
        headers["Authorization"] = f"ApiToken {environ['DHIS2_TOKEN']}"
    elif environ.get("DHIS2_USER"):
        pair = f"{environ['DHIS2_USER']}:{environ.get('DHIS2_PASSWORD', '')}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(pair).decode("ascii")
    return headers


def origin(url: str) -> tuple[str, str, int | None]:
    """The origin of ``url``: scheme, host (lower case) and port (the scheme's default when none is written)."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:                   # http://host:abc: refused when connecting, in http.client's words
        port = None
    return scheme, (parts.hostname or "").lower(), port or PORTS.get(scheme)


def _shown_origin(named: tuple[str, str, int | None]) -> str:
    return f"{named[0]}://{named[1]}:{named[2]}"


def follow(url: str, location: str | None, named: tuple[str, str, int | None]) -> str:
    """The next address of a redirect from ``url`` to ``location``, refused unless it stays in the origin named."""
    shown = url.split("?", 1)[0]
    if not location:
        raise EvaltoolsError(f"{shown}: the server answered a redirect without a Location; nothing was saved")
    target = urllib.parse.urljoin(url, location.strip())
    there = origin(target)
    if there == named:
        return target
    why = ("https to http" if (named[0], there[0]) == ("https", "http") else "another scheme" if there[0] != named[0]
           else "another host" if there[1] != named[1] else "another port")
    raise EvaltoolsError(f"{shown}: the server redirects to {_shown_origin(there)}, another origin ({why}) than "
                         f"the server named, {_shown_origin(named)}; the redirect was not followed, so no credentials "
                         "were sent there: if that server is the right one, name it instead")


class _Cutoff:
    """Shuts a connection down when the deadline passes, so no read (one byte a second, a stall) outlives it."""

    def __init__(self, connection: http.client.HTTPConnection, seconds: float):
        self.connection, self.fired = connection, False
        self.timer = threading.Timer(seconds, self._cut)
        self.timer.daemon = True
        self.timer.start()

    def _cut(self) -> None:
        self.fired = True
        sock = self.connection.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass                     # already closed: nothing left to cut

    def cancel(self) -> None:
        self.timer.cancel()


def _late(shown: str, timeout: float) -> EvaltoolsError:
    return EvaltoolsError(f"{shown}: no complete answer within {timeout:g} s (--timeout): the server is too slow or "
                          "stalled; nothing was saved (try again, or raise --timeout)")


def _read(answer: http.client.HTTPResponse, sock: socket.socket | None, shown: str) -> bytes:
    """The body, within the size limit, exactly as long as its Content-Length says (when it says one)."""
    cap, declared = int(limits.PULL_MB.value * limits.MB), answer.length
    answer.length = None          # read on to the close we asked for, so a body longer than announced shows
    parts, size = [], 0
    while True:
        if declared is not None and size >= declared and sock is not None:
            sock.settimeout(min(GRACE, sock.gettimeout() or GRACE))    # complete: the close should follow
        try:
            chunk = answer.read1(CHUNK)
        except TimeoutError:
            if declared is None or size < declared:
                raise
            break                 # a server that keeps the connection open after a complete body
        if not chunk:
            break
        size += len(chunk)
        if size > cap:
            raise limits.PULL_MB.refuse(shown, f"over {limits.PULL_MB.shown} MB")
        parts.append(chunk)
    if declared is not None and size != declared:
        raise EvaltoolsError(f"{shown}: the answer is {size:,} bytes where its Content-Length announced "
                             f"{declared:,} (a damaged answer: "
                             f"{'the connection was cut' if size < declared else 'more was sent than announced'}); "
                             "nothing was saved (try again)")
    return b"".join(parts)


def _get(url: str, headers: dict[str, str], deadline: float, timeout: float) -> tuple[int, str, str | None, bytes]:
    """One GET of ``url`` within the deadline: status, reason, Location, body (of a 2xx answer)."""
    shown, parts = url.split("?", 1)[0], urllib.parse.urlsplit(url)
    left = deadline - time.monotonic()
    if left <= 0:
        raise _late(shown, timeout)
    kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    cut, connected = None, False
    try:
        connection = kind(parts.netloc.rsplit("@", 1)[-1], timeout=left)
        cut = _Cutoff(connection, left)
        connection.connect()
        connected = True
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        connection.request("GET", path, headers={**headers, "Connection": "close"})
        answer = connection.getresponse()
        body = _read(answer, connection.sock, shown) if 200 <= answer.status < 300 else b""
        if cut.fired:
            raise _late(shown, timeout)
        return answer.status, answer.reason, answer.getheader("Location"), body
    except (OSError, http.client.HTTPException, ValueError, EvaltoolsError) as exc:
        if cut is not None and (cut.fired or connected and isinstance(exc, TimeoutError)):
            raise _late(shown, timeout) from None       # the timer, or a read's timeout at the same deadline
        if isinstance(exc, EvaltoolsError):
            raise
        # ValueError: an address http.client cannot use (http://host:abc); HTTPException: an answer cut short
        raise EvaltoolsError(f"{shown}: cannot reach the server ({exc})") from None
    finally:
        if cut is not None:
            cut.cancel()
            connection.close()


def fetch(url: str, timeout: float = 60.0, environ: dict[str, str] | None = None) -> tuple[bytes, int]:
    """The server's answer as it sent it, read within the deadline and the size limit, and its number of data values.

    Raises
    ------
    EvaltoolsError
        One line: the server cannot be reached, redirects to another origin, is too slow,
        refuses (HTTP status, with what to do), or sends a damaged answer, more than the
        limit or something that is not a data value set.
    """
    headers = _headers(dict(os.environ) if environ is None else environ)
    named, deadline, first = origin(url), time.monotonic() + timeout, url.split("?", 1)[0]
    for _ in range(MAX_REDIRECTS + 1):
        status, reason, location, body = _get(url, headers, deadline, timeout)
        if status not in REDIRECTS:
            break
        url = follow(url, location, named)
    else:
        raise EvaltoolsError(f"{first}: more than {MAX_REDIRECTS} redirects within the server; nothing was saved")
    shown = url.split("?", 1)[0]
    if not 200 <= status < 300:
        hint = f": {CREDENTIALS}" if status in (401, 403) else ""
        raise EvaltoolsError(f"{shown}: the server answered HTTP {status} {reason}{hint}")
    return body, _count(body, shown)


def _count(body: bytes, shown: str) -> int:
    """The number of data values of a complete DHIS2 data value set (else one line saying what it is not)."""
    try:
        document = dhis2json.loads(body.decode("utf-8"))
    except dhis2json.DuplicateKey as exc:
        raise EvaltoolsError(f"{shown}: the answer is refused: {exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise EvaltoolsError(f"{shown}: the answer is not JSON (a login page? check the address and "
                             f"credentials: {CREDENTIALS})") from None
    if not isinstance(document, dict) or not isinstance(document.get("dataValues", []), list):
        raise EvaltoolsError(f"{shown}: the answer is not a DHIS2 data value set (no dataValues list)")
    if not document.get("dataValues"):
        raise EvaltoolsError(f"{shown}: the server has no data values for this data set, period and org unit "
                             "(children too with --children); nothing was saved")
    return len(document["dataValues"])
