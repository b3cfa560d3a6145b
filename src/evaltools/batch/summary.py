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
    worker: str = ""           # the Dask worker that rendered it ("" on the local pool)


def counts(outcomes: Sequence[Outcome]) -> dict[str, int]:
    """Number of outcomes per status, every status present."""
    found = Counter(o.status for o in outcomes)
    return {s: found.get(s, 0) for s in STATUSES}


def _duration(seconds: float) -> str:
    minutes, rest = divmod(int(round(seconds)), 60)
    return f"{minutes} min {rest:02d} s" if minutes else f"{seconds:.1f} s"


def format_summary(outcomes: Sequence[Outcome], seconds: float) -> str:
    """A table (review, status, seconds, message), the time per review (:func:`per_review`) and a closing
    line with the counts.

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
    if n["done"]:
        lines.append(per_review(outcomes))
    lines.append(f"{len(outcomes)} reviews: {tally} in {_duration(seconds)}")
    return "\n".join(lines)


def per_review(outcomes: Sequence[Outcome]) -> str:
    """The measured time of one review on one worker, overall and per Dask worker, to project a larger batch
    from (N reviews on W workers take about N x mean / W).

    ``time per review: mean 41.2 s over 3 rendered, 87 reviews per worker-hour; w1 2 (mean 40.1 s), w2 1 (mean
    43.4 s)``
    """
    done = [o for o in outcomes if o.status == "done"]
    mean = _mean(done)
    line = f"time per review: mean {mean:.1f} s over {len(done)} rendered"
    if mean > 0:
        line += f", {3600 / mean:.0f} reviews per worker-hour"
    mine = {name: [o for o in done if o.worker == name] for name in sorted({o.worker for o in done if o.worker})}
    if mine:
        line += "; " + ", ".join(f"{name} {len(own)} (mean {_mean(own):.1f} s)" for name, own in mine.items())
    return line


def _mean(outcomes: Sequence[Outcome]) -> float:
    return sum(o.seconds for o in outcomes) / len(outcomes)
