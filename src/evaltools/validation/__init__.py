"""Validation of a review's data, DHIS2 style: schema, rules, completeness, outliers.

Public API (used by ``evaltools validate`` and the data-quality notebook)::

    result = validate("data/reviews/ct20-2012-2017.yaml")
    result.findings        # every finding (COLUMNS), most important first
    result.completeness    # returns expected / received per unit and year
    result.rates           # per year: expected, received, rate
    completeness_matrix(result.completeness)   # units × years for a heatmap
"""

from evaltools.validation.completeness import completeness, completeness_matrix, completeness_rates
from evaltools.validation.findings import COLUMNS, IMPORTANCE, KINDS, counts, findings_csv, format_findings
from evaltools.validation.rules import RULES_FILE, OutlierSettings, RuleSet, load_rules
from evaltools.validation.run import Validation, format_report, validate

__all__ = ["COLUMNS", "IMPORTANCE", "KINDS", "RULES_FILE", "OutlierSettings", "RuleSet", "Validation",
           "completeness", "completeness_matrix", "completeness_rates", "counts", "findings_csv",
           "format_findings", "format_report", "load_rules", "validate"]
