"""Peak memory of every process of a command's tree, each apart (Linux ``/proc``; used by benchmarks/national.py).

``resource.getrusage(RUSAGE_CHILDREN)`` gives only the largest process ever waited for
(any descendant, any earlier command); a batch needs its parent, each worker and each
kernel apart. :func:`run_tree` polls ``VmHWM`` (a process's own peak resident size,
which only grows) of every descendant while the command runs, and returns the last value
seen per process: a peak reached in the last poll interval before a process exits is missed.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Peak:
    """One process: its id, its parent's, what it runs, and its peak resident size in MB."""

    pid: int
    ppid: int
    command: str
    mb: float = 0.0


def _status(pid: int) -> tuple[int, float] | None:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    fields = dict(line.split(":", 1) for line in text.splitlines() if ":" in line)
    hwm = fields.get("VmHWM", "0 kB").split()[0]
    return int(fields["PPid"].strip()), int(hwm) / 1024


def _command(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return "?"


def _poll(root: int, seen: dict[int, Peak]) -> None:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (status := _status(int(entry.name))) is not None:
            parents[int(entry.name)] = status
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, (ppid, _) in parents.items() if ppid in tree} - tree
        tree |= more
        grew = bool(more)
    for pid in tree & parents.keys():
        ppid, mb = parents[pid]
        peak = seen.setdefault(pid, Peak(pid, ppid, _command(pid)))
        peak.mb = max(peak.mb, mb)


def run_tree(command: list[str], cwd: Path, every: float = 0.1) -> tuple[subprocess.CompletedProcess, list[Peak]]:
    """Run ``command``, polling its process tree; the completed process and every process's peak."""
    seen: dict[int, Peak] = {}
    with subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as proc:
        while proc.poll() is None:
            _poll(proc.pid, seen)
            time.sleep(every)
        out, err = proc.communicate()
    return subprocess.CompletedProcess(command, proc.returncode, out, err), list(seen.values())


def role(peak: Peak, peaks: list[Peak]) -> str:
    """What a process is in a batch: the command itself, a worker, a kernel, or another helper."""
    if peak.ppid not in {p.pid for p in peaks}:
        return "command"
    if "ipykernel" in peak.command or "evaltools.core.lifeline" in peak.command:
        return "kernel"
    if "resource_tracker" in peak.command:
        return "resource tracker"
    if "spawn_main" in peak.command:
        return "worker"
    parent = next((p for p in peaks if p.pid == peak.ppid), None)
    if parent is not None and "spawn_main" in parent.command and peak.command == parent.command:
        return "worker's side process (fork)"
    return peak.command[:60]


def report(peaks: list[Peak]) -> list[str]:
    """One line per process, the largest first."""
    lines = []
    for peak in sorted(peaks, key=lambda p: -p.mb):
        lines.append(f"  {peak.mb:7.0f} MB  pid {peak.pid:>7}  {role(peak, peaks)}")
    return lines
