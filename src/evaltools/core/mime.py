"""The output types evaltools' notebooks display for the export and for machines, never for readers.

A report exporter reads them and drops them (they are not in the sanitiser's allowlist),
so a reader never sees them; JupyterLab shows the Markdown or text beside them.
"""

FRAME = "application/vnd.evaltools.frame+json"              # the official frame's fields (report.document)
GLUE = "application/vnd.evaltools.glue+json"                # a named value for machines (report.glue)
PLACEHOLDER = "application/vnd.evaltools.placeholder+json"  # marks a narrative part still to be written
FACTS = "application/vnd.evaltools.facts+json"              # every figure the report wrote, with its fact (report.facts)
