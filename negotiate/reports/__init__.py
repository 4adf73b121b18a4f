"""Reports that explain a scenario's outcome: findings, renderers (Markdown, HTML), figures.

``negotiate.report(scenario)`` is the function; this package is named apart so that the
function does not shadow it.
"""

from negotiate.reports.findings import Finding, Findings
from negotiate.reports.report import Report, report

__all__ = ["Finding", "Findings", "Report", "report"]
