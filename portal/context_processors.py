from django.conf import settings

from . import heartbeats
from .models import Notification
from .roles import Role, user_roles


def portal(request):
    user = getattr(request, "user", None)
    context = {"hospital_name": settings.HOSPITAL_NAME, "hospital_logo": settings.HOSPITAL_LOGO}
    if user is not None and user.is_authenticated:
        context["roles"] = user_roles(user)
        context["unread_count"] = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        # Those who can act on it are told, on every page, that reminders, escalations and backups have stopped.
        if user.is_superuser or Role.IT_HEAD in context["roles"]:
            context["background_stopped"] = heartbeats.stopped()
    return context
