"""The repairs tables' check constraints, each with the sentence a person reads when it refuses a row."""

from django.db import models


def check(name, condition, message):
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)
