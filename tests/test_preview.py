"""``evaltools preview REVIEW`` as a user runs it: a real process on a copy of the project, its page fetched over
HTTP from 127.0.0.1, the review's narrative edited, the re-render waited for by its own line, Ctrl-C.

Every wait is for a line the command prints (read from its stdout) or a mark it writes at a step
(``EVALTOOLS_FAULT=wait:...``): nothing sleeps and then acts.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from .conftest import ROOT, make_project
from .processes import clean_env, gone, wait_for_mark

BIN = Path(sys.executable).parent
REVIEW = "injury-hi-2022"


class Lines:
    """A process's stdout read line by line on a thread, so that a test can wait for one with a deadline."""

    def __init__(self, proc: subprocess.Popen):
        self.proc, self.seen, self._queue = proc, [], queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def wait_for(self, start: str, seconds: float = 600) -> str:
        """The next line starting with ``start``; fails when the process ends first or the time is up."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                line = self._queue.get(timeout=max(0.1, deadline - time.monotonic()))
            except queue.Empty:
                raise AssertionError(f"no line {start!r} in {seconds} s; seen: {self.seen}") from None
            if line is None:
                raise AssertionError(f"the command ended ({self.proc.wait()}) before {start!r}: {self.seen}; "
                                     f"{self.proc.stderr.read()[-2000:]}")
            self.seen.append(line)
            if line.startswith(start):
                return line


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:       # noqa: S310 - our own local server
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project the test may edit (its data and programmes copied, as test_analyst_day does)."""
    root = tmp_path_factory.mktemp("preview")
    shutil.copytree(ROOT / "data", root / "data", ignore=shutil.ignore_patterns(".columnar"))
    make_project(root, copy=True)
    return root


def test_preview_serves_the_html_renders_again_on_an_edit_and_stops_on_ctrl_c(project, tmp_path):
    tag, mark = f"preview-{os.getpid()}", tmp_path / "mark"
    env = clean_env(EVALTOOLS_TEST_TAG=tag, EVALTOOLS_FAULT="wait:kernel.started#3", EVALTOOLS_FAULT_MARK=str(mark))
    proc = subprocess.Popen([str(BIN / "evaltools"), "preview", REVIEW, "--quiet"], cwd=project, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    lines = Lines(proc)
    try:
        serving = lines.wait_for("serving ")
        url = re.match(r"serving (http://127\.0\.0\.1:(\d+)/injury-hi-2022/report\.html) ", serving).group(1)
        status, page = _get(url)
        assert status == 200 and re.search(r"<h2[^>]*>I\. TAI NẠN THƯƠNG TÍCH TRẺ EM", page)      # the notebook's
        assert "lớp dạy bơi an toàn" in page and "lớp dạy bơi và sơ cứu đuối nước" not in page
        base = url.rsplit("/", 2)[0]
        assert _get(f"{base}/")[0] == 404 and _get(f"{base}/{REVIEW}/")[0] == 404      # no listing
        assert _get(f"{base}/../data/reviews/{REVIEW}.yaml")[0] == 404                    # nothing outside

        narrative = project / "data" / "reviews" / f"{REVIEW}.vi.md"
        text = narrative.read_text(encoding="utf-8")
        narrative.write_text(text.replace("lớp dạy bơi an toàn", "lớp dạy bơi và sơ cứu đuối nước"),
                             encoding="utf-8")
        again = lines.wait_for("re-rendered ")
        assert again.startswith(f"re-rendered {REVIEW} after {REVIEW}.vi.md changed (")
        status, page = _get(url)
        assert status == 200 and "lớp dạy bơi và sơ cứu đuối nước" in page and "lớp dạy bơi an toàn" not in page

        # a third render, stopped by Ctrl-C once its kernel runs: exit 130, the second render still served
        (project / "programmes" / "injury-hi" / "texts.yaml").touch()
        wait_for_mark(proc, mark)
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=120) == 130
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    assert proc.stderr.read().strip().splitlines()[-1] == "evaltools: interrupted; nothing was left half-written"
    assert gone(tag) == []                                          # no kernel, no helper left
    page = (project / "outputs" / REVIEW / "report.html").read_text(encoding="utf-8")
    assert "lớp dạy bơi và sơ cứu đuối nước" in page
    assert not [p.name for p in (project / "outputs").iterdir() if p.name.startswith(".")]     # no stage left


def test_a_port_in_use_is_one_line_before_any_render(project):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        done = subprocess.run([str(BIN / "evaltools"), "preview", REVIEW, "--port", str(port), "--quiet"],
                              cwd=project, capture_output=True, text=True, timeout=300)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (f"evaltools: error: 127.0.0.1:{port}: cannot serve there (Address already in use); "
                           "choose another --port, or leave it out for a free one\n")
