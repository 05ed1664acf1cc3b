"""What a user sees of this app's rows."""

from portal.scoping import ScopedQuerySet

from ..permissions import READERS


class ReadersQuerySet(ScopedQuerySet):
    """Everything in this app is seen by IT, leaders and the auditor, and by no one else."""

    read_all_roles = READERS
