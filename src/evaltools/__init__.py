"""evaltools: parameterised policy-review reports from a district's yearly data.

The package holds all logic; notebooks in ``notebooks/`` call into it section by
section. Importing the package does nothing but define names.
"""

__version__ = "0.1.0"
