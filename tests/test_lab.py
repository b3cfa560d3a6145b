"""``make lab`` opens JupyterLab on explore.ipynb with the project's kernel already selected.

The README's command is run as typed (with LAB_ARGS for a headless server on a free
port); headless Chromium opens the page JupyterLab prints, and the test reads the kernel
name in the notebook's toolbar and the running session's kernel from the server's API:
it must be "evaltools", whose kernelspec starts this venv's Python.

In the same lab, a copy of a programme's notebook is run and saved as a user does (Run All from the Run
menu, Ctrl+S), and the saved file is added in a set-up clone: git's nbstripout filter stages nothing.
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
from pathlib import Path

import nbformat
import pytest

from .browser import CHROMIUM, CHROMIUM_ARGS
from .clones import clone  # noqa: F401 - the set-up clone (a module fixture)
from .conftest import ROOT


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str):
    with urllib.request.urlopen(url, timeout=5) as response:      # noqa: S310 - our own local server
        return json.load(response)


# The test lab's user settings: every cell drawn (JupyterLab 4 otherwise draws only the cells near the view,
# so a cell's prompt cannot say it ran), and no autosave (the save the test sees is the Ctrl+S it pressed).
SETTINGS = {"notebook-extension/tracker": {"windowingMode": "none"},
            "docmanager-extension/plugin": {"autosave": False}}


def _user_settings(folder: str) -> None:
    for name, values in SETTINGS.items():
        extension, plugin = name.split("/")
        path = Path(folder) / "@jupyterlab" / extension / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True)
        path.write_text(json.dumps(values), encoding="utf-8")


@pytest.fixture(scope="module")
def lab():
    port, token = _free_port(), secrets.token_hex(8)
    home = tempfile.mkdtemp(prefix="evaltools-lab-home-")
    checkpoints = ROOT / "notebooks" / ".ipynb_checkpoints"
    had_checkpoints = checkpoints.exists()
    args = f"--no-browser --ip 127.0.0.1 --port {port} --IdentityProvider.token={token}"
    # JupyterLab reads user settings from JUPYTERLAB_SETTINGS_DIR, else <JUPYTER_CONFIG_DIR>/lab/user-settings
    # (jupyterlab.commands.get_user_settings_dir): this lab's own, named outright
    settings = f"{home}/config/lab/user-settings"
    _user_settings(settings)
    env = {**os.environ, "HOME": home, "JUPYTER_CONFIG_DIR": f"{home}/config", "JUPYTER_DATA_DIR": f"{home}/data",
           "JUPYTERLAB_SETTINGS_DIR": settings}
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


KERNEL_READY = """(id) => { const panel = document.getElementById(id);
  const name = panel.querySelector('.jp-Toolbar-kernelName');
  const status = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  return name !== null && name.innerText.trim() === 'evaltools (.venv)' && status !== null
    && status.getAttribute('data-status') === 'idle'; }"""

# Run All has ended: the kernel idle, no cell running or queued ([*]: Run All queues every cell at once),
# some cell numbered. The prompts are returned to be asserted on (every cell is drawn: windowingMode "none");
# a run stopped by an error leaves the cells after it unnumbered; a dialog (a kernel to choose) ends the wait
# with its text.
RUN_ALL_ENDED = """(id) => { const dialog = document.querySelector('.jp-Dialog');
  if (dialog) return ['dialog: ' + dialog.innerText];
  const panel = document.getElementById(id);
  const status = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  const prompts = [...panel.querySelectorAll('.jp-CodeCell .jp-InputPrompt')].map(e => e.innerText.trim());
  return status !== null && status.getAttribute('data-status') === 'idle' && !prompts.some(t => t.includes('*'))
    && prompts.some(t => /\\d/.test(t)) && prompts; }"""

# Saved: the notebook's tab has lost its unsaved mark (autosave is off: the save is the Ctrl+S pressed).
SAVED = """(id) => { const dialog = document.querySelector('.jp-Dialog');
  if (dialog) return ['dialog: ' + dialog.innerText];
  return !document.querySelector(`#jp-main-dock-panel .lm-TabBar-tab[data-id='${id}']`)
    .classList.contains('jp-mod-dirty'); }"""


def _run_all_and_save(base: str, token: str, path: str) -> list[str]:
    """Open ``path`` in JupyterLab's page, Run All from the Run menu, press Ctrl+S; the cells' prompts."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(f"{base}/lab/tree/{path}?token={token}")
            # the notebook's tab names its panel (data-id): the lab may also restore explore.ipynb's
            tab = page.locator("#jp-main-dock-panel .lm-TabBar-tab", has_text=Path(path).name)
            tab.wait_for(timeout=120_000)
            panel = tab.get_attribute("data-id")
            # the kernel started and idle: before the session has one, the indicator reads idle too, and Run All
            # would ask which kernel to start
            page.wait_for_function(KERNEL_READY, arg=panel, polling=500, timeout=180_000)
            page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
            page.locator(".lm-Menu-itemLabel", has_text="Run All Cells").first.click()
            prompts = page.wait_for_function(RUN_ALL_ENDED, arg=panel, polling=500, timeout=900_000).json_value()
            tab.click()                                  # the notebook the current widget, as a user's eyes are on it
            page.keyboard.press("Control+s")             # docmanager:save, bound on body
            saved = page.wait_for_function(SAVED, arg=panel, polling=500, timeout=180_000).json_value()
        finally:
            browser.close()
    assert saved is True, saved
    return prompts


def test_a_programme_notebook_run_and_saved_in_jupyterlab_stages_nothing_in_a_set_up_clone(lab, clone):
    """A copy of ct20's notebook run and saved in JupyterLab's own page (Run All, Ctrl+S): `git add` of the
    saved file in a clone set up by scripts/setup.sh stages no output and no change, and the notebook tests
    pass there."""
    base, token = lab
    for name, values in SETTINGS.items():            # the lab took this test's user settings
        plugin = "@jupyterlab/" + name.replace("/", ":")
        assert _get(f"{base}/lab/api/settings/{plugin}?token={token}")["settings"] == values
    original = ROOT / "programmes" / "ct20" / "review.ipynb"
    code = sum(c.cell_type == "code" for c in nbformat.read(original, as_version=4).cells)
    folder = ROOT / "outputs" / f"lab-save-{os.getpid()}"      # under the lab's root; no test globs outputs/
    folder.mkdir(parents=True)
    try:
        shutil.copy(original, folder / "review.ipynb")
        prompts = _run_all_and_save(base, token, f"{folder.relative_to(ROOT).as_posix()}/review.ipynb")
        saved = nbformat.read(folder / "review.ipynb", as_version=4)
        shutil.copy(folder / "review.ipynb", clone / "programmes" / "ct20" / "review.ipynb")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert prompts == [f"[{n}]:" for n in range(1, code + 1)]           # every code cell ran, in order
    cells = [c for c in saved.cells if c.cell_type == "code"]
    assert [c.execution_count for c in cells] == list(range(1, code + 1))          # Ctrl+S wrote the run
    assert sum(bool(c.outputs) for c in cells) > code // 2
    assert [o.ename for c in cells for o in c.outputs if o.output_type == "error"] == []
    assert saved.metadata.language_info.version                        # JupyterLab wrote language_info in full
    subprocess.run(["git", "add", "programmes/ct20/review.ipynb"], cwd=clone, check=True)
    staged = nbformat.reads(subprocess.run(["git", "show", ":programmes/ct20/review.ipynb"], cwd=clone,
                                           capture_output=True, text=True, check=True).stdout, as_version=4)
    assert [(c.outputs, c.execution_count) for c in staged.cells if c.cell_type == "code"] == [([], None)] * code
    assert subprocess.run(["git", "diff", "--cached", "--stat"], cwd=clone, capture_output=True, text=True,
                          check=True).stdout == ""         # the run and save change nothing git would commit
    done = subprocess.run([sys.executable, "-m", "pytest", "tests/test_notebooks.py", "-q", "-p", "no:cacheprovider"],
                          cwd=clone, capture_output=True, text=True)
    assert done.returncode == 0 and " passed" in done.stdout, done.stdout[-3000:]
