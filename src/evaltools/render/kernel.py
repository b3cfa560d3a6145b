"""The project's own Jupyter kernel: the Python running evaltools, found without any registration.

Papermill normally looks a kernel up by name among registered kernelspecs, which
fails with ``NoSuchKernel`` on a machine where nobody ran ``ipykernel install`` —
or silently picks another environment's ``python3``. :class:`ProjectKernelManager`
always starts this interpreter (``sys.executable``), which has evaltools and its
dependencies, through :mod:`evaltools.core.lifeline`, so that a kernel dies with the
process that started it (a killed run leaves no kernel behind). Kernels talk over
IPC sockets in a private folder, so parallel runs never race for TCP ports.

:class:`WarmKernel` is the one kernel a batch worker keeps for all its notebooks: started once with
the report stack imported, put back as new before each notebook (:mod:`evaltools.render.warm_state`),
replaced when a notebook killed it, timed out or was interrupted, and after :data:`WARM_USES` notebooks.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager
from jupyter_core.utils import run_sync

from evaltools.core import faults, interrupts
from evaltools.core.errors import EvaltoolsError
from evaltools.core.lifeline import PARENT

KERNEL_NAME = "evaltools"
WARM_STATE = "evaltools.render.warm_state"           # run in the kernel, never imported here
IPC_PREFIX = "evaltools-kernel-"


def project_kernel_spec() -> KernelSpec:
    """The kernelspec of this interpreter, for a kernel that dies with this process."""
    return KernelSpec(argv=[sys.executable, "-m", "evaltools.core.lifeline", "-f", "{connection_file}"],
                      display_name="evaltools (project)", language="python", name=KERNEL_NAME,
                      env={"MPLBACKEND": "agg", PARENT: str(os.getpid())}, metadata={"debugger": False})


def _remove_stale_ipc_dirs() -> None:
    """IPC folders of kernels whose run was killed (the folder names its pid, now gone)."""
    for folder in Path(tempfile.gettempdir()).glob(f"{IPC_PREFIX}*-*"):
        pid = folder.name[len(IPC_PREFIX):].split("-", 1)[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True                 # someone else's process
    return True


class ProjectKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose kernel is always this interpreter."""

    def __init__(self, **kwargs):
        _remove_stale_ipc_dirs()
        self._ipc_dir = tempfile.mkdtemp(prefix=f"{IPC_PREFIX}{os.getpid()}-")
        atexit.register(shutil.rmtree, self._ipc_dir, True)     # also after an interrupted run
        kwargs.setdefault("transport", "ipc")
        kwargs.setdefault("ip", os.path.join(self._ipc_dir, "kernel"))
        super().__init__(**kwargs)

    async def _async_launch_kernel(self, kernel_cmd: list[str], **kw) -> None:
        # Cell output reaches us through the messaging protocol; the kernel's own
        # console chatter (shutdown notices) would only clutter the user's terminal.
        kw.setdefault("stdout", subprocess.DEVNULL)
        kw.setdefault("stderr", subprocess.DEVNULL)
        await super()._async_launch_kernel(kernel_cmd, **kw)
        faults.point("kernel.started")
        interrupts.checkpoint()

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._ipc_dir, ignore_errors=True)

    @property
    def kernel_spec(self) -> KernelSpec:
        if self._kernel_spec is None:
            self._kernel_spec = project_kernel_spec()
        return self._kernel_spec


# What a report notebook imports first (programmes' notebooks, the data-quality page): imported once per warm kernel.
PRELOAD = ("pandas", "matplotlib.pyplot", "seaborn", "IPython.display", "evaltools.report")
# A warm kernel is replaced after this many notebooks: whatever a long batch's kernel accumulates (caches of
# the modules notebooks imported) stays bounded, for one kernel start in every 25 reviews.
WARM_USES = 50
_RESET_SECONDS = 120          # a reset (or the preload) that takes longer: the kernel is replaced


class WarmKernelManager(ProjectKernelManager):
    """The project's kernel manager, remembering the clients it made (nbclient leaves a borrowed kernel's
    client open; :meth:`WarmKernel.release` closes them)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.clients: list = []

    def client(self, **kwargs):
        kc = super().client(**kwargs)
        self.clients.append(kc)
        return kc


class WarmKernel:
    """One kernel kept by a process for the notebooks it runs one after another (a batch worker).

    :meth:`acquire` hands out a kernel ready for the next notebook: the first one is started with
    :data:`PRELOAD` imported; later ones are the same kernel, reset. :meth:`release` after the notebook:
    a kernel that did not end cleanly (dead, timed out, interrupted) is shut down, and the next notebook
    gets a new one.
    """

    def __init__(self, preload: tuple[str, ...] = PRELOAD, uses: int = WARM_USES):
        self.preload, self.uses = preload, uses
        self.manager: WarmKernelManager | None = None
        self.used = 0

    def acquire(self) -> WarmKernelManager:
        """A kernel ready for a notebook, reported as step ``kernel.started`` (started or reset)."""
        if self.manager is not None and (self.used >= self.uses or not run_sync(self.manager.is_alive)()
                                         or not self._call("reset")):
            self.discard()
        if self.manager is None:
            self.manager, self.used = WarmKernelManager(), 0
            # as nbclient starts its kernels: the history in memory, not in a database in ~/.ipython
            run_sync(self.manager.start_kernel)(extra_arguments=["--HistoryManager.hist_file=:memory:"])
            if not self._call("preload", list(self.preload)):
                self.discard()
                raise EvaltoolsError(f"the worker's kernel did not import {', '.join(self.preload)} "
                                     f"within {_RESET_SECONDS} s")
        else:
            faults.point("kernel.started")
            interrupts.checkpoint()
        self.used += 1
        return self.manager

    def release(self, clean: bool) -> None:
        """After a notebook: close its clients; shut the kernel down unless the notebook ended ``clean``
        (finished, or a cell raised: the kernel itself is fine)."""
        if self.manager is None:
            return
        for kc in self.manager.clients:
            kc.stop_channels()
        self.manager.clients.clear()
        if not clean:
            self.discard()

    def discard(self) -> None:
        """Shut the kernel down (killed: it may be stuck in a cell) and forget it."""
        manager, self.manager = self.manager, None
        if manager is None:
            return
        for kc in manager.clients:
            kc.stop_channels()
        try:
            run_sync(manager.shutdown_kernel)(now=True)
        except Exception:  # noqa: BLE001 - already gone, or the loop was torn by an interrupt: kill it outright
            if manager.has_kernel and manager.provisioner.process is not None:
                manager.provisioner.process.kill()
            shutil.rmtree(manager._ipc_dir, ignore_errors=True)

    close = discard

    def _call(self, function: str, *args) -> bool:
        """Call :mod:`evaltools.render.warm_state`'s ``function`` silently in the kernel, leaving no name in
        its namespace; whether it succeeded in time."""
        code = f"__import__({WARM_STATE!r}, fromlist=['_']).{function}({', '.join(map(repr, args))})"

        async def run() -> bool:
            kc = self.manager.client()
            kc.start_channels()
            try:
                await kc.wait_for_ready(timeout=_RESET_SECONDS)
                reply = await kc.execute_interactive(code, silent=True, store_history=False,
                                                     timeout=_RESET_SECONDS, output_hook=lambda msg: None)
                return reply["content"]["status"] == "ok"
            finally:
                kc.stop_channels()
                self.manager.clients.remove(kc)
        try:
            return run_sync(run)()
        except Exception:  # noqa: BLE001 - timed out, died, a socket closed: the kernel is replaced either way
            return False
