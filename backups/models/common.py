"""What every record of the backups register shares: one register for the whole hospital."""

from django.db import models
from django.db.models import F, Q

from portal.scoping import ScopedQuerySet

from ..permissions import READ_ROLES


class RegisterQuerySet(ScopedQuerySet):
    """The backups register is one for the whole hospital: readable by the IT department, leaders and the auditor."""

    read_all_roles = READ_ROLES


def ends_after_start(name, message, *, open_ended=False):
    """The check that a record's ``finished_at`` is not before its ``started_at`` (an open one may have none)."""
    condition = Q(finished_at__gte=F("started_at"))
    if open_ended:
        condition = Q(finished_at__isnull=True) | condition
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


def not_same_person(field, other, name, message):
    """The check that ``field`` (when filled) names another person than ``other``."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | ~Q(**{field: F(other)}), name=name, violation_error_message=message
    )
