"""Bounds on every value a person types (issue 13): a plausible date, a text of a readable length.

Every form of the portal derives from ``BoundedForm`` or ``BoundedModelForm``. A date or date-time field
accepts 1 January 2000 to ten years ahead, or fewer days ahead where the form's ``days_ahead`` says so
(a password change cannot be in the future). A text field with no ``max_length`` of its own takes 2,000
characters, or 10,000 when its name says it is a description. The browser is told the same bounds.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EARLIEST_DAY = datetime.date(2000, 1, 1)
YEARS_AHEAD = 10
COMMENT_LENGTH = 2_000
DESCRIPTION_LENGTH = 10_000
# Text fields that hold a description, a body or notes rather than a one-paragraph comment.
DESCRIPTION_NAMES = frozenset(
    {
        "action_taken",
        "body",
        "cause",
        "content",
        "description",
        "error",
        "items_brought",
        "measures",
        "notes",
        "outcome",
        "purpose",
        "response_detail",
        "sanity_queries",
        "scope_detail",
        "timeline",
    }
)


def latest_day(days_ahead: int | None = None) -> datetime.date:
    """The last day a person may type: ``days_ahead`` after today, or ten years ahead when None."""
    today = timezone.localdate()
    if days_ahead is not None:
        return today + datetime.timedelta(days=days_ahead)
    try:
        return today.replace(year=today.year + YEARS_AHEAD)
    except ValueError:  # 29 February
        return today.replace(year=today.year + YEARS_AHEAD, day=28)


class PlausibleDay:
    """Refuses a date, or the local day of a date-time, before 2000 or after ``latest_day(days_ahead)``."""

    message = _("Enter a date between %(earliest)s and %(latest)s.")
    code = "implausible_date"

    def __init__(self, days_ahead: int | None = None):
        self.days_ahead = days_ahead

    def __call__(self, value):
        day = value.date() if isinstance(value, datetime.datetime) else value
        latest = latest_day(self.days_ahead)
        if not EARLIEST_DAY <= day <= latest:
            params = {"earliest": EARLIEST_DAY.isoformat(), "latest": latest.isoformat()}
            raise ValidationError(self.message, code=self.code, params=params)


def bound_field(name: str, field: forms.Field, days_ahead: int | None = None) -> None:
    """Give one form field its bounds, as a validator and as HTML attributes; a bounded field is left alone."""
    if isinstance(field, forms.DateField | forms.DateTimeField):
        if any(isinstance(validator, PlausibleDay) for validator in field.validators):
            return
        field.validators.append(PlausibleDay(days_ahead))
        earliest, latest = EARLIEST_DAY.isoformat(), latest_day(days_ahead).isoformat()
        if isinstance(field, forms.DateTimeField):
            earliest, latest = f"{earliest}T00:00", f"{latest}T23:59"
        field.widget.attrs.update(min=earliest, max=latest)
    elif isinstance(field, forms.CharField):
        if field.max_length is None:
            field.max_length = DESCRIPTION_LENGTH if name in DESCRIPTION_NAMES else COMMENT_LENGTH
        # Also a max_length set after the field was made (AuthenticationForm's user name) is enforced.
        if not any(isinstance(validator, MaxLengthValidator) for validator in field.validators):
            field.validators.append(MaxLengthValidator(field.max_length))
            field.widget.attrs["maxlength"] = str(field.max_length)


class BoundedInput:
    """Form mixin: every field gets its bounds; ``days_ahead`` narrows a date field (0: not in the future)."""

    days_ahead: dict[str, int] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.bound_fields()

    def bound_fields(self):
        for name, field in self.fields.items():
            bound_field(name, field, self.days_ahead.get(name))

    def full_clean(self):
        self.bound_fields()  # also the fields a subclass added after this __init__
        super().full_clean()


class BoundedForm(BoundedInput, forms.Form):
    pass


class BoundedModelForm(BoundedInput, forms.ModelForm):
    pass


class CommentForm(BoundedForm):
    """The optional comment of a transition that takes no other input."""

    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
