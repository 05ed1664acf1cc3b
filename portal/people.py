"""Who a person list offers: active people, never django-guardian's anonymous user (a row, not a person)."""

from django.contrib.auth import get_user_model
from guardian.conf import settings as guardian_settings


def people():
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(username=guardian_settings.ANONYMOUS_USER_NAME)
        .order_by("full_name", "username")
    )


def people_with(*roles):
    return people().filter(groups__name__in=roles).distinct()
