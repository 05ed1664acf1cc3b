"""Password rules of 001 一(四)5 / 十一 4, with messages the Chinese catalogue translates.

Each validator reads its rule from the settings when it runs (``PASSWORD_MIN_LENGTH``,
``PASSWORD_MIN_CLASSES``, ``PASSWORD_HISTORY``), so that a changed setting needs no validator options.
"""

import string

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext

CHARACTER_CLASSES = (string.ascii_lowercase, string.ascii_uppercase, string.digits)  # anything else: a symbol


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule, at least ``PASSWORD_MIN_LENGTH`` characters."""

    def __init__(self):  # the length is the setting's, read when the rule runs
        pass

    @property
    def min_length(self):
        return settings.PASSWORD_MIN_LENGTH

    def get_error_message(self):
        return ngettext(
            "The password is too short: at least %(min_length)d character.",
            "The password is too short: at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return self.get_error_message()


def character_classes(password):
    """How many of the four kinds (lower-case, upper-case, digit, symbol) the password uses."""
    used = {next((index for index, chars in enumerate(CHARACTER_CLASSES) if char in chars), 3) for char in password}
    return len(used)


class CharacterClassesValidator:
    """At least ``PASSWORD_MIN_CLASSES`` of lower-case letters, upper-case letters, digits and symbols."""

    def validate(self, password, user=None):
        if character_classes(password) < settings.PASSWORD_MIN_CLASSES:
            raise ValidationError(self.get_error_message(), code="password_too_simple")

    def get_error_message(self):
        return gettext(
            "The password needs at least %(min_classes)d of these four kinds of character: lower-case letters, "
            "upper-case letters, digits and symbols."
        ) % {"min_classes": settings.PASSWORD_MIN_CLASSES}

    def get_help_text(self):
        return self.get_error_message()


class PasswordHistoryValidator:
    """None of the last ``PASSWORD_HISTORY`` passwords, the current one included, is used again.

    ``password_changed`` is Django's hook for this rule: it runs each time a new password is saved and keeps
    the new hash in ``PasswordHistory``.
    """

    def validate(self, password, user=None):
        count = settings.PASSWORD_HISTORY
        if count <= 0 or user is None or user.pk is None:
            return
        if any(check_password(password, encoded) for encoded in recent_password_hashes(user, count)):
            raise ValidationError(self.get_error_message(), code="password_reused")

    def password_changed(self, password, user=None):
        from .models import PasswordHistory

        if user is not None and user.pk is not None:
            PasswordHistory.objects.create(user=user, password=user.password, changed_at=user.password_changed_at)

    def get_error_message(self):
        count = settings.PASSWORD_HISTORY
        return ngettext(
            "The password cannot be the same as your last %(count)d password (the current one).",
            "The password cannot be the same as one of your last %(count)d passwords (the current one included).",
            count,
        ) % {"count": count}

    def get_help_text(self):
        return self.get_error_message()


def recent_password_hashes(user, count):
    """The hashes of the user's last ``count`` passwords, newest first: the current one, then the history."""
    from .models import PasswordHistory

    hashes = list(PasswordHistory.objects.filter(user=user).values_list("password", flat=True)[:count])
    if user.password and (not hashes or hashes[0] != user.password):
        hashes.insert(0, user.password)  # set before the history was kept (migration, demo data, directory)
    return hashes[:count]
