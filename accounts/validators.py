from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's length rule, with a message the Chinese catalogue translates."""

    def get_error_message(self):
        return ngettext(
            "The password is too short: at least %(min_length)d character.",
            "The password is too short: at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return self.get_error_message()
