"""``evaltools batch``: render many reviews in parallel, only those whose inputs changed.

- :mod:`.plan` turns review configs (and an expansion over areas and periods) into jobs;
- :mod:`.expand` writes the generated config of each expanded review;
- :mod:`.fingerprints` decides which jobs are up to date (data loaded once per data root);
- :mod:`.execute` runs the jobs on a local process pool or a Dask cluster;
- :mod:`.progress` and :mod:`.summary` show what happens and what happened;
- :mod:`.index` writes ``<out>/index.html`` listing every rendered review;
- :mod:`.runner` ties them together: :func:`run_batch`.
"""

from __future__ import annotations

from evaltools.batch.runner import BatchResult, run_batch

__all__ = ["BatchResult", "run_batch"]
