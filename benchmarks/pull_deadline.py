"""Wall time of `evaltools pull dhis2 --timeout T` against servers that never finish (run by hand, not by pytest).

    .venv/bin/python benchmarks/pull_deadline.py [--timeouts 2,5,10]

The fake DHIS2 server of the tests (tests/fake_dhis2.py, on 127.0.0.1 only) drips its
answer one byte a second, or stalls after its headers; the real command line runs in a
fresh process and its wall time is printed beside the timeout. The contract: refused in
one line, exit code 1, wall time <= timeout + 1 s (the interpreter's start included).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fake_dhis2 import Server  # noqa: E402 - the tests' server, importable from the repository root


def measure(behaviour: str, timeout: float) -> tuple[float, int, str]:
    """(seconds, exit code, stderr) of one pull against a ``behaviour`` server."""
    server = Server(behaviour)
    env = {**os.environ, "DHIS2_TOKEN": "d2pat_benchmark"}
    try:
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "evaltools", "pull", "dhis2", server.url, "--data-set", "X",
                                   "--period", "2023", "--org-unit", "Y", "--timeout", str(timeout)], cwd=folder,
                                  capture_output=True, text=True, env=env, timeout=timeout + 60)
            return time.perf_counter() - started, done.returncode, done.stderr
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeouts", default="2,5,10", help="comma-separated --timeout values (seconds)")
    timeouts = [float(t) for t in parser.parse_args().timeouts.split(",")]
    print(f"{'server':8} {'timeout':>8} {'wall s':>8} {'over':>6}  exit  lines")
    for behaviour in ("drip", "stall"):
        for timeout in timeouts:
            seconds, code, err = measure(behaviour, timeout)
            print(f"{behaviour:8} {timeout:8.1f} {seconds:8.2f} {seconds - timeout:6.2f}  {code:4}  {err.count(chr(10))}")


if __name__ == "__main__":
    main()
