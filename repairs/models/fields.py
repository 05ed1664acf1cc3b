"""Column and constraint shapes the repairs tables share."""

from django.conf import settings
from django.db import models


def check(name, condition, message):
    """A check constraint with the sentence a person reads when it refuses a row."""
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


def optional(to, verbose_name, related_name="+"):
    """An optional link that keeps its target: the row it points to cannot be deleted while linked."""
    return models.ForeignKey(
        to, on_delete=models.PROTECT, null=True, blank=True, related_name=related_name, verbose_name=verbose_name
    )


def optional_user(verbose_name, related_name="+"):
    return optional(settings.AUTH_USER_MODEL, verbose_name, related_name)
