"""`evaltools pull dhis2`: a read-only GET of /api/dataValueSets.json from a fake DHIS2 server on 127.0.0.1
(http.server in a thread; never a real host), by the real command line in a subprocess, then imported."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from .intake_support import data_copy

TOKEN = "d2pat_test0123456789"
ANSWER = {"dataSet": "pBOMPrpg1QX", "period": "2023", "orgUnit": "19606", "dataValues": [
    {"dataElement": "GIFTS", "period": "2023", "orgUnit": "19606", "categoryOptionCombo": "default",
     "attributeOptionCombo": "default", "value": "88", "storedBy": "admin", "created": "2024-01-10T10:00:00.000",
     "lastUpdated": "2024-01-10T10:00:00.000", "followup": False},
    {"dataElement": "CHILDREN", "period": "2023", "orgUnit": "19606", "categoryOptionCombo": "default",
     "attributeOptionCombo": "default", "value": "1534", "storedBy": "admin", "created": "2024-01-10T10:00:00.000",
     "lastUpdated": "2024-01-10T10:00:00.000", "followup": False}]}


class FakeDhis2(BaseHTTPRequestHandler):
    seen: list[tuple[str, dict, str]] = []

    def do_GET(self):  # noqa: N802 - http.server's name
        url = urlsplit(self.path)
        FakeDhis2.seen.append((url.path, parse_qs(url.query), self.headers.get("Authorization", "")))
        if self.headers.get("Authorization") != f"ApiToken {TOKEN}":
            self.send_response(401, "Unauthorized")
            self.end_headers()
            return
        body = json.dumps(ANSWER if url.path == "/api/dataValueSets.json" else {}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):     # quiet
        pass


@pytest.fixture()
def server():
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), FakeDhis2)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    FakeDhis2.seen.clear()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def cli(args, cwd, token: str | None = TOKEN):
    env = {k: v for k, v in os.environ.items() if not k.startswith("DHIS2_")}
    env.update({"DHIS2_TOKEN": token} if token else {})
    return subprocess.run([sys.executable, "-m", "evaltools", *map(str, args)], cwd=cwd, capture_output=True,
                          text=True, env=env)


def test_a_pulled_data_value_set_is_saved_as_sent_then_imported(tmp_path, server):
    data = data_copy(tmp_path)
    done = cli(["pull", "dhis2", server, "--data-set", "pBOMPrpg1QX", "--period", "2023", "--org-unit",
                "DiszpKrYNg8", "--children", "--id-scheme", "CODE"], tmp_path)
    assert done.returncode == 0, done.stderr
    saved = tmp_path / "dhis2-pBOMPrpg1QX-2023.json"
    assert json.loads(saved.read_text(encoding="utf-8")) == ANSWER
    assert done.stdout == (f"dhis2-pBOMPrpg1QX-2023.json: 2 data values from {server}/api/dataValueSets.json; "
                           "next: evaltools import dhis2-pBOMPrpg1QX-2023.json\n")
    ((path, query, _),) = FakeDhis2.seen
    assert path == "/api/dataValueSets.json"
    assert query == {"dataSet": ["pBOMPrpg1QX"], "period": ["2023"], "orgUnit": ["DiszpKrYNg8"],
                     "children": ["true"], "idScheme": ["CODE"]}
    done = cli(["import", saved.name, "--data", data], tmp_path)
    assert done.returncode == 0, done.stderr
    assert (data / "values" / "returns-2023.csv").read_text(encoding="utf-8").splitlines()[1:] == [
        "GIFTS,2023,19606,default,88,dhis2-pBOMPrpg1QX-2023.json[dataValues]:0,",
        "CHILDREN,2023,19606,default,1534,dhis2-pBOMPrpg1QX-2023.json[dataValues]:1,"]


def test_refusals_are_one_line_and_save_nothing(tmp_path, server):
    done = cli(["pull", "dhis2", server, "--data-set", "X", "--period", "2023", "--org-unit", "Y"], tmp_path,
               token="wrong")
    assert done.returncode == 1 and not list(tmp_path.iterdir())
    assert done.stderr == (f"evaltools: error: {server}/api/dataValueSets.json: the server answered HTTP 401 "
                           "Unauthorized: set DHIS2_TOKEN (a personal access token), or DHIS2_USER and "
                           "DHIS2_PASSWORD\n")
    done = cli(["pull", "dhis2", "file:///etc", "--data-set", "X", "--period", "2023", "--org-unit", "Y"], tmp_path)
    assert done.stderr == ("evaltools: error: file:///etc: expected the server's address, such as "
                           "https://dhis2.example.org\n")
    done = cli(["pull", "dhis2", "http://127.0.0.1:9", "--data-set", "X", "--period", "2023", "--org-unit", "Y",
                "--timeout", "5"], tmp_path)
    assert done.returncode == 1 and done.stderr.startswith(
        "evaltools: error: http://127.0.0.1:9/api/dataValueSets.json: cannot reach the server (")
    assert done.stderr.count("\n") == 1 and not list(tmp_path.iterdir())
    done = cli(["pull", "dhis2", "http://127.0.0.1:abc", "--data-set", "X", "--period", "2023", "--org-unit", "Y"],
               tmp_path)
    assert (done.returncode, done.stderr) == (1, "evaltools: error: http://127.0.0.1:abc/api/dataValueSets.json: "
                                                 "cannot reach the server (nonnumeric port: 'abc')\n")


def test_a_redirect_within_the_origin_is_followed_with_the_credentials(tmp_path):
    """DHIS2 behind a proxy may redirect within itself (a slash added): followed, the token sent to it alone."""
    from .fake_dhis2 import Server

    target = Server("hop", location="/api/dataValueSets.json?followed=1")
    away = Server("redirect", location=f"{target.url}/api/dataValueSets.json")   # another port: refused
    try:
        done = cli(["pull", "dhis2", target.url, "--data-set", "X", "--period", "2023", "--org-unit", "Y"],
                   tmp_path)
        assert done.returncode == 0, done.stderr
        assert [(line.split()[1].split("?")[0], auth) for line, auth in target.seen] == [
            ("/api/dataValueSets.json", f"ApiToken {TOKEN}"), ("/api/dataValueSets.json", f"ApiToken {TOKEN}")]
        assert "followed=1" in target.seen[1][0]
        assert json.loads((tmp_path / "dhis2-X-2023.json").read_text(encoding="utf-8"))["dataValues"][0]["value"] == "1534"
        done = cli(["pull", "dhis2", away.url, "--data-set", "X", "--period", "2023", "--org-unit", "Y",
                    "--save", "other.json"], tmp_path)
        assert done.returncode == 1 and len(target.seen) == 2 and not (tmp_path / "other.json").exists()
    finally:
        target.stop(), away.stop()


@pytest.mark.parametrize(("named", "location", "followed"), [
    ("https://dhis2.example.org", "/api/dataValueSets.json?x=1", "https://dhis2.example.org/api/dataValueSets.json?x=1"),
    ("https://dhis2.example.org", "https://DHIS2.example.org:443/api/", "https://DHIS2.example.org:443/api/"),
    ("https://dhis2.example.org", "http://dhis2.example.org/api/", "https to http"),
    ("http://dhis2.example.org", "https://dhis2.example.org/api/", "another scheme"),
    ("https://dhis2.example.org", "https://dhis2.example.org:8443/api/", "another port"),
    ("https://dhis2.example.org", "https://evil.example.org/api/", "another host"),
    ("https://dhis2.example.org", "//evil.example.org/api/", "another host"),
    ("https://dhis2.example.org", "https://dhis2.example.org@evil.example.org/", "another host")])
def test_the_origin_rule_on_addresses_alone(named, location, followed):
    """No network: scheme, host and port (default ports written or not) decide; a userinfo trick names the host."""
    from evaltools.core.errors import EvaltoolsError
    from evaltools.intake.dhis2pull import follow, origin

    url = f"{named}/api/dataValueSets.json"
    if "://" in followed:
        assert follow(url, location, origin(url)) == followed
    else:
        with pytest.raises(EvaltoolsError, match=f"another origin \\({followed}\\)"):
            follow(url, location, origin(url))
