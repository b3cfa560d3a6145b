"""A read-only pull of data values from a DHIS2 server (``GET /api/dataValueSets.json``), saved as a file.

The server's answer is saved, once it is a complete DHIS2 data value set, as a JSON file
that ``evaltools import`` then reads like any other: the pull writes nothing to the
store, and the file stays as the record of what the server sent. Plain HTTP(S) through
the standard library; credentials come from the environment, never the command line:
``DHIS2_TOKEN`` (a personal access token, sent as ``Authorization: ApiToken ...``) or
``DHIS2_USER`` and ``DHIS2_PASSWORD`` (basic authentication). The answer is read within
the file-size limit (``EVALTOOLS_MAX_FILE_MB``).
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence

from .. import limits
from ..errors import EvaltoolsError

CREDENTIALS = "set DHIS2_TOKEN (a personal access token), or DHIS2_USER and DHIS2_PASSWORD"


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


def fetch(url: str, timeout: float = 60.0, environ: dict[str, str] | None = None) -> tuple[bytes, int]:
    """The server's answer as it sent it, read within the file-size limit, and its number of data values.

    Raises
    ------
    EvaltoolsError
        One line: the server cannot be reached, refuses (HTTP status, with what to do), or
        sends more than the limit or something that is not a data value set.
    """
    shown = url.split("?", 1)[0]
    request = urllib.request.Request(url, headers=_headers(dict(os.environ) if environ is None else environ))
    cap = int(limits.FILE_MB.value * limits.MB)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:   # noqa: S310 - http(s) only, checked above
            body = answer.read(cap + 1)
    except urllib.error.HTTPError as exc:
        hint = f": {CREDENTIALS}" if exc.code in (401, 403) else ""
        raise EvaltoolsError(f"{shown}: the server answered HTTP {exc.code} {exc.reason}{hint}") from None
    except (urllib.error.URLError, OSError, http.client.HTTPException, ValueError) as exc:
        # ValueError: an address urllib cannot use (http://host:abc); HTTPException: an answer cut short
        reason = getattr(exc, "reason", exc)
        raise EvaltoolsError(f"{shown}: cannot reach the server ({reason})") from None
    if len(body) > cap:
        raise limits.FILE_MB.refuse(shown, f"over {limits.FILE_MB.shown} MB")
    try:
        document = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise EvaltoolsError(f"{shown}: the answer is not JSON (a login page? check the address and "
                             f"credentials: {CREDENTIALS})") from None
    if not isinstance(document, dict) or not isinstance(document.get("dataValues", []), list):
        raise EvaltoolsError(f"{shown}: the answer is not a DHIS2 data value set (no dataValues list)")
    if not document.get("dataValues"):
        raise EvaltoolsError(f"{shown}: the server has no data values for this data set, period and org unit "
                             "(children too with --children); nothing was saved")
    return bytes(body), len(document["dataValues"])
