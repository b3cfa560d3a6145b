"""The project's own Jupyter kernel: the Python running evaltools, found without any registration.

Papermill normally looks a kernel up by name among registered kernelspecs, which
fails with ``NoSuchKernel`` on a machine where nobody ran ``ipykernel install`` —
or silently picks another environment's ``python3``. :class:`ProjectKernelManager`
always starts this interpreter (``sys.executable``), which has evaltools and its
dependencies, through :mod:`evaltools.core.lifeline`, so that a kernel dies with the
process that started it (a killed run leaves no kernel behind). Kernels talk over
IPC sockets in a private folder, so parallel runs never race for TCP ports.
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

from evaltools.core import faults, interrupts
from evaltools.core.lifeline import PARENT

KERNEL_NAME = "evaltools"
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
