from django.conf import settings

from . import heartbeats
from .models import Notification
from .roles import Role, is_confined, user_roles


def portal(request):
    user = getattr(request, "user", None)
    context = {"hospital_name": settings.HOSPITAL_NAME, "hospital_logo": settings.HOSPITAL_LOGO}
    if user is not None and user.is_authenticated:
        context["roles"] = user_roles(user)
        # Someone from outside the hospital sees a menu of their own pages only (templates/base.html).
        context["confined"] = is_confined(user)
        context["unread_count"] = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
        # Those who can act on it are told, on every page, that reminders, escalations and backups have stopped.
        if user.is_superuser or Role.IT_HEAD in context["roles"]:
            context["background_stopped"] = heartbeats.stopped()
    return context
