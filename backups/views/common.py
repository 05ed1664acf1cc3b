"""What every backups page shares: the register is read by READ_ROLES, and a form page returns to its result."""

from ..permissions import READ_ROLES


class ReadMixin:
    allowed_roles = READ_ROLES


class ResultPageMixin:
    """A service form page that goes on to the record its service returned."""

    def get_success_url(self):
        return self.result.get_absolute_url()
