"""The project's own Jupyter kernel: the Python running evaltools, found without any registration.

Papermill normally looks a kernel up by name among registered kernelspecs, which
fails with ``NoSuchKernel`` on a machine where nobody ran ``ipykernel install`` —
or silently picks another environment's ``python3``. :class:`ProjectKernelManager`
always starts ``sys.executable -m ipykernel_launcher``: the interpreter that has
evaltools and its dependencies. Kernels talk over IPC sockets in a private folder,
so parallel runs never race for TCP ports.
"""

from __future__ import annotations

import atexit
import os
import shutil
import subprocess
import sys
import tempfile

from jupyter_client.kernelspec import KernelSpec
from jupyter_client.manager import AsyncKernelManager

KERNEL_NAME = "evaltools"


def project_kernel_spec() -> KernelSpec:
    """The kernelspec of this interpreter."""
    return KernelSpec(argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
                      display_name="evaltools (project)", language="python", name=KERNEL_NAME,
                      env={"MPLBACKEND": "agg"}, metadata={"debugger": False})


class ProjectKernelManager(AsyncKernelManager):
    """An AsyncKernelManager whose kernel is always this interpreter."""

    def __init__(self, **kwargs):
        self._ipc_dir = tempfile.mkdtemp(prefix="evaltools-kernel-")
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

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            shutil.rmtree(self._ipc_dir, ignore_errors=True)

    @property
    def kernel_spec(self) -> KernelSpec:
        if self._kernel_spec is None:
            self._kernel_spec = project_kernel_spec()
        return self._kernel_spec
