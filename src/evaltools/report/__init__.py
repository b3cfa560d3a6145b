"""The review report, section by section, for the notebook ``notebooks/review.ipynb``.

    from evaltools import report
    r = report.open_report("ct20-2012-2017", lang="vi")
    report.header(r)
"""

from .appendix import appendix, provenance
from .figures import outcomes
from .model import Report, open_report
from .sections import assessment, general, header, recipients, recommendations, results, tasks

__all__ = ["Report", "open_report", "header", "general", "results", "outcomes", "assessment", "tasks",
           "recommendations", "recipients", "appendix", "provenance"]
