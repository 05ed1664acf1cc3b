"""What every filing service of accounts does the same way: who signs for a department, and how a form is filed."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import ActionRefused
from portal.numbering import next_number
from portal.people import people_with
from portal.roles import Role
from portal.validation import validated

from ..models import Delegation


def heads_of(department):
    """Who signs for a department: the named head, any dept_head member, and a deputy acting for a head today."""
    heads = list(people_with(Role.DEPT_HEAD).filter(department=department))
    if department.head and department.head not in heads:
        heads.append(department.head)
    deputies = (
        Delegation.objects.covering(timezone.localdate())
        .granted()
        .filter(department=department, deputy__department=department, deputy__is_active=True)
        .select_related("deputy")
    )
    heads.extend(delegation.deputy for delegation in deputies if delegation.deputy not in heads)
    return heads


def file_request(model, prefix, *, by, **fields):
    """A new request of ``model`` numbered ``<prefix>…``, filed by ``by`` for their own department."""
    if by.department_id is None:
        raise ActionRefused(_("You have no department to file the request for."))
    request = model(number=next_number(prefix), applicant=by, department=by.department, **fields)
    with transaction.atomic():
        validated(request)
        request.save()
    return request
