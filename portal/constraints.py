"""A database refusal in the user's words: the constraint it names becomes that constraint's sentence."""

from django.apps import apps
from django.db.models import UniqueConstraint
from django.utils.translation import gettext_lazy as _

REFUSED = _("Nothing was saved: the record conflicts with another one or breaks one of the portal's rules.")


def _constraints():
    for model in apps.get_models():
        yield from model._meta.constraints


def constraint_message(error):
    """The ``violation_error_message`` of the constraint an ``IntegrityError`` names, else a general sentence.

    PostgreSQL names the constraint; SQLite names a CHECK constraint, and a unique one only by its columns.
    """
    cause = error.__cause__
    name = getattr(getattr(cause, "diag", None), "constraint_name", None)
    text = str(error)
    for constraint in _constraints():
        if constraint.name == name or text == f"CHECK constraint failed: {constraint.name}":
            return constraint.get_violation_error_message()
    if text.startswith("UNIQUE constraint failed: "):
        columns = {part.strip() for part in text.removeprefix("UNIQUE constraint failed: ").split(",")}
        for model in apps.get_models():
            table = model._meta.db_table
            for constraint in model._meta.constraints:
                if isinstance(constraint, UniqueConstraint) and constraint.fields:
                    named = {f"{table}.{model._meta.get_field(field).column}" for field in constraint.fields}
                    if named == columns:
                        return constraint.get_violation_error_message()
    return REFUSED
