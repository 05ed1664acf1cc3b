"""The server operation log."""

from django.utils.translation import gettext as _

from portal.exceptions import ActionRefused
from portal.validation import validated

from ..models import ServerOperation
from ..permissions import is_dba


def server_operation_record(*, by, **fields) -> ServerOperation:
    """Policy: when someone other than the DBA operates on a server, a DBA is present and named."""
    operation = ServerOperation(recorded_by=by, **fields)
    operator, present = operation.operator, operation.present_dba
    if not is_dba(operator) and present is None:
        raise ActionRefused(_("The operator is not a DBA: name the DBA who was present."))
    if present is not None and not is_dba(present):
        raise ActionRefused(_("%(person)s is not a DBA.") % {"person": present})
    if present is not None and present.pk == operator.pk:
        raise ActionRefused(_("The DBA present must be someone other than the operator."))
    validated(operation)
    operation.save()
    return operation
