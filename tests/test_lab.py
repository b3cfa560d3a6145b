"""``make lab`` opens JupyterLab on explore.ipynb with the project's kernel already selected.

The README's command is run as typed (with LAB_ARGS for a headless server on a free
port); headless Chromium opens the page JupyterLab prints, and the test reads the kernel
name in the notebook's toolbar and the running session's kernel from the server's API:
it must be "evaltools", whose kernelspec starts this venv's Python.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import pytest

from .browser import CHROMIUM, CHROMIUM_ARGS
from .conftest import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:      # noqa: S310 - our own local server
        return json.load(response)


@pytest.fixture(scope="module")
def lab():
    port, token = _free_port(), secrets.token_hex(8)
    home = tempfile.mkdtemp(prefix="evaltools-lab-home-")
    checkpoints = ROOT / "notebooks" / ".ipynb_checkpoints"
    had_checkpoints = checkpoints.exists()
    args = f"--no-browser --ip 127.0.0.1 --port {port} --IdentityProvider.token={token}"
    env = {**os.environ, "HOME": home, "JUPYTER_CONFIG_DIR": f"{home}/config", "JUPYTER_DATA_DIR": f"{home}/data"}
    server = subprocess.Popen(["make", "lab", f"LAB_ARGS={args}"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300             # the first `make lab` installs JupyterLab
        while time.monotonic() < deadline:
            if server.poll() is not None:
                pytest.fail(f"make lab stopped: {server.stdout.read()[-3000:]}")
            try:
                _get(f"{base}/api/status?token={token}")
                break
            except OSError:
                time.sleep(0.5)
        yield base, token
    finally:
        os.killpg(server.pid, signal.SIGTERM)         # make and the server it started, nothing else
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:             # a busy machine: the server still shutting its kernel down
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=30)
        if not had_checkpoints:
            shutil.rmtree(checkpoints, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)


def test_make_lab_opens_explore_in_the_project_kernel(lab):
    from playwright.sync_api import sync_playwright

    base, token = lab
    specs = _get(f"{base}/api/kernelspecs?token={token}")["kernelspecs"]
    assert specs["evaltools"]["spec"]["argv"][0] == sys.executable
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{base}/?token={token}")        # where JupyterLab sends a browser it opens
            page.wait_for_selector(".jp-Notebook", timeout=60_000)
            page.wait_for_function("() => { const k = document.querySelector('.jp-Toolbar-kernelName');"
                                   " return k && !k.innerText.includes('No Kernel') && k.innerText.trim(); }",
                                   timeout=60_000)
            shown = page.locator(".jp-Toolbar-kernelName").inner_text().strip()
            tab = page.locator("#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current").inner_text().strip()
        finally:
            browser.close()
    assert (shown, tab) == ("evaltools (.venv)", "explore.ipynb")
    deadline = time.monotonic() + 60                  # the toolbar may name the kernel before the server lists it
    while not (sessions := _get(f"{base}/api/sessions?token={token}")) and time.monotonic() < deadline:
        time.sleep(0.5)
    # JupyterLab 4 names a session's path notebooks/<uuid>; its name is the notebook's
    assert [(s["path"].rsplit("/", 1)[0], s["name"], s["kernel"]["name"]) for s in sessions] == [
        ("notebooks", "explore.ipynb", "evaltools")]
