from django.conf import settings

from .models import Notification
from .roles import user_roles


def portal(request):
    user = getattr(request, "user", None)
    context = {"hospital_name": settings.HOSPITAL_NAME, "hospital_logo": settings.HOSPITAL_LOGO}
    if user is not None and user.is_authenticated:
        context["roles"] = user_roles(user)
        context["unread_count"] = Notification.objects.filter(recipient=user, read_at__isnull=True).count()
    return context
