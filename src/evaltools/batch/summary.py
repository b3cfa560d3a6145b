"""What became of each review of a batch, and the table printed at the end."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

STATUSES = ("done", "skipped", "failed", "interrupted")


@dataclass(frozen=True)
class Outcome:
    """One review's result: ``status`` is done, skipped, failed or interrupted."""

    review_id: str
    status: str
    seconds: float = 0.0
    message: str = ""


def counts(outcomes: Sequence[Outcome]) -> dict[str, int]:
    """Number of outcomes per status, every status present."""
    found = Counter(o.status for o in outcomes)
    return {s: found.get(s, 0) for s in STATUSES}


def _duration(seconds: float) -> str:
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{seconds:.1f} s"


def format_summary(outcomes: Sequence[Outcome], seconds: float) -> str:
    """A table (review, status, seconds, message) and a closing line with the counts.

    Failures come last, each with its whole message (the failing cell, its line and the
    exception), so the end of the output names what needs fixing.
    """
    order = {s: i for i, s in enumerate(("done", "skipped", "interrupted", "failed"))}
    rows = sorted(outcomes, key=lambda o: (order[o.status], o.review_id))
    width = max([len(o.review_id) for o in rows] + [6])
    lines = [f"{'review':<{width}}  {'status':<11}  {'seconds':>7}  message"]
    for o in rows:
        took = f"{o.seconds:7.1f}" if o.status in ("done", "failed") else f"{'—':>7}"
        lines.append(f"{o.review_id:<{width}}  {o.status:<11}  {took}  {o.message}".rstrip())
    n = counts(outcomes)
    tally = ", ".join(f"{n[s]} {s}" for s in STATUSES if n[s] or s != "interrupted")
    lines.append(f"{len(outcomes)} reviews: {tally} in {_duration(seconds)}")
    return "\n".join(lines)
