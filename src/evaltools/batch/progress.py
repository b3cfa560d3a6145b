"""The progress display on stderr: counts and time left, one updating line on a terminal.

On a terminal the line is redrawn in place; elsewhere (a log, CI) each finished review
prints one plain line, so logs stay readable.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from evaltools.batch.summary import Outcome

BAR = 24


def _clock(seconds: float) -> str:
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes}:{rest:02d}"


class Progress:
    """Counts of finished reviews and an estimate of the time left.

    The estimate divides the reviews still to render by the rate at which rendered
    ones have finished so far (so it accounts for the workers running side by side).
    """

    def __init__(self, total: int, stream: TextIO | None = None, tty: bool | None = None):
        self.total, self.stream = total, stream or sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self.finished: list[Outcome] = []
        self.started = time.perf_counter()

    def left(self) -> float | None:
        """Estimated seconds until the last review is finished, None before the first render ends."""
        rendered = [o for o in self.finished if o.status in ("done", "failed")]
        if not rendered:
            return None
        todo = self.total - len(self.finished)
        return todo * (time.perf_counter() - self.started) / len(rendered)

    def line(self) -> str:
        """``[#####.....]  12/24  done 10 · skipped 1 · failed 1  ~0:42 left``."""
        n = {s: sum(o.status == s for o in self.finished) for s in ("done", "skipped", "failed")}
        share = len(self.finished) / self.total if self.total else 1.0
        left = self.left()
        eta = "estimating…" if left is None else f"~{_clock(left)} left"
        bar = "#" * int(round(BAR * share)) + "." * (BAR - int(round(BAR * share)))
        return (f"[{bar}] {len(self.finished):>{len(str(self.total))}}/{self.total}  done {n['done']} · "
                f"skipped {n['skipped']} · failed {n['failed']}  {eta}")

    def update(self, outcome: Outcome) -> None:
        """Count a finished review and redraw (terminal) or print a line (log)."""
        self.finished.append(outcome)
        if self.tty:
            self.stream.write("\r\x1b[K" + self.line())
        else:
            took = f" ({outcome.seconds:.1f} s)" if outcome.status in ("done", "failed") else ""
            self.stream.write(f"{self.line()}  {outcome.status} {outcome.review_id}{took}\n")
        self.stream.flush()

    def start(self) -> None:
        """Show the empty bar (terminal only)."""
        if self.tty:
            self.stream.write(self.line())
            self.stream.flush()

    def close(self) -> None:
        """End the updating line."""
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
