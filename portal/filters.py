"""Filter fields shared by the list pages, and the FilterSet every list page's filters derive from."""

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db import connections, models
from django.db.models.fields.reverse_related import ManyToManyRel, ManyToOneRel
from django.utils.translation import gettext_lazy as _
from django_filters import fields
from django_filters.filterset import FILTER_FOR_DBFIELD_DEFAULTS


class YesNoFilter(django_filters.BooleanFilter):
    """A yes/no filter whose empty choice reads "All" (django-filter's own says "Unknown")."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.Select(choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]))
        super().__init__(*args, **kwargs)


def _as_integer(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ModelMultipleChoiceField(fields.ModelMultipleChoiceField):
    """django-filter's, refusing a number no integer key holds: SQLite fails on it in the ``IN`` list (a 500)."""

    def _check_values(self, value):
        meta = self.queryset.model._meta
        key = meta.get_field(self.to_field_name) if self.to_field_name else meta.pk
        if isinstance(key, models.IntegerField) and isinstance(value, list | tuple):
            low, high = connections[self.queryset.db].ops.integer_field_range(key.get_internal_type())
            for pk in value:
                number = _as_integer(pk)
                if number is not None and not low <= number <= high:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)


class ModelMultipleChoiceFilter(django_filters.ModelMultipleChoiceFilter):
    field_class = ModelMultipleChoiceField


class FilterSet(django_filters.FilterSet):
    """The base of every list page's filters: the many-to-many filters it generates refuse an id no key holds.

    Text, choice, date and single-object filters already answer a NUL byte or "²" with a form error, which
    the list shows as an empty result.
    """

    FILTER_DEFAULTS = {
        **FILTER_FOR_DBFIELD_DEFAULTS,
        **{
            relation: {**FILTER_FOR_DBFIELD_DEFAULTS[relation], "filter_class": ModelMultipleChoiceFilter}
            for relation in (models.ManyToManyField, ManyToOneRel, ManyToManyRel)
        },
    }
