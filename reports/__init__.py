"""Statistical reports (统计报表): periods, the archive, assembly from each app's report section, PDF and beat.

An app contributes ``<app>/report.py: section(start, end, department=None) -> Section`` built only from its
own stats functions; PORTAL_REPORT_SECTIONS lists them, so portal core never imports an app.
"""

from .compare import Compared
from .content import KPI, Chart, Section, Table, change

__all__ = ["KPI", "Chart", "Compared", "Section", "Table", "change"]
