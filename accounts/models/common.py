"""What the request models of accounts share: their scope and the colour of their status badge."""

from portal.scoping import ScopedQuerySet

from ..permissions import READS_ALL


class RequestQuerySet(ScopedQuerySet):
    """IT, leaders and the auditor see every request; a department head (or deputy) their department's; anyone their own."""

    read_all_roles = READS_ALL
    department_path = "department"
    own_paths = ("applicant",)
    deputies_see = True


class StateBadge:
    """``state_style``: the Bootstrap colour of the status badge, from the model's ``STATE_STYLES``."""

    STATE_STYLES: dict = {}
    DEFAULT_STATE_STYLE = "primary"

    @property
    def state_style(self):
        return self.STATE_STYLES.get(self.state, self.DEFAULT_STATE_STYLE)
