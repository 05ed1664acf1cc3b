"""Model validation as a refusal the person can read."""

from django.core.exceptions import ValidationError
from django_fsm import FSMField

from .exceptions import ActionRefused


def validated(obj, exclude=()):
    """``obj.full_clean()``, raising :class:`ActionRefused` with every message instead of ``ValidationError``.

    FSM state fields are left out: they are protected, and their transitions keep them valid.
    """
    state_fields = [field.name for field in obj._meta.concrete_fields if isinstance(field, FSMField)]
    try:
        obj.full_clean(exclude=[*exclude, *state_fields])
    except ValidationError as error:
        raise ActionRefused(" ".join(error.messages)) from error
    return obj
