"""The review report, section by section, for the notebook ``notebooks/review.ipynb``.

    from evaltools import report
    r = report.open_report("ct20-2012-2017", lang="vi")
    report.header(r)
"""

from .model import Report, open_report
from .sections import (appendix, assessment, general, header, outcomes, provenance, recipients,
                       recommendations, results, tasks)

__all__ = ["Report", "open_report", "header", "general", "results", "outcomes", "assessment", "tasks",
           "recommendations", "recipients", "appendix", "provenance"]
