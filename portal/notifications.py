"""In-app notifications (the bell) plus e-mail through Django's mail backend."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction

from .models import Notification


def notify(recipients, *, title, body="", url=""):
    """Notify each distinct active user once; e-mail goes out after the transaction commits."""
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not users:
        return []
    title, body = str(title), str(body)
    notes = Notification.objects.bulk_create(
        Notification(recipient=user, title=title, body=body, url=url) for user in users.values()
    )
    link = f"{settings.PORTAL_PUBLIC_BASE_URL}{url}" if url else ""
    messages = [
        (title, f"{body}\n{link}".strip(), settings.DEFAULT_FROM_EMAIL, [user.email])
        for user in users.values()
        if user.email
    ]
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))
    return notes


def users_with_role(*roles):
    return get_user_model().objects.filter(is_active=True, groups__name__in=roles).distinct()


def notify_roles(roles, **kwargs):
    return notify(users_with_role(*roles), **kwargs)
