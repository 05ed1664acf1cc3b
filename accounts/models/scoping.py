"""The scope shared by the requests a member of staff files for their department."""

from portal.permissions import ScopedQuerySet

from ..permissions import READS_ALL


class RequestQuerySet(ScopedQuerySet):
    """IT, leaders and the auditor see every request; a department head their department's; anyone their own."""

    read_all_roles = READS_ALL
    department_path = "department"
    own_paths = ("applicant",)
