"""In-app notifications (the bell) plus e-mail through Django's mail backend.

A title or body given as ``gettext_lazy``/``pgettext_lazy`` is stored as its message id, with ``params``, and
drawn in each reader's language; a plain string (a user's own words) is stored and shown as it is.
"""

from django.conf import settings
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import translation
from django.utils.functional import Promise

from .models import Notification
from .people import people_with


def message_id(text):
    """(msgid, msgctxt) of a gettext_lazy/pgettext_lazy string; None for any other text, which is kept as it is.

    Never raises: a notice is sent inside the transaction of the action it tells of.
    """
    if not isinstance(text, Promise):
        return None
    func, args = text.__reduce__()[1][:2]
    if func is translation.pgettext:
        return args[1], args[0]
    if func is translation.gettext:
        return args[0], ""
    return None


def _stored_param(value):
    """Numbers stay numbers, lazy labels keep their msgid to be translated for the reader, the rest is text."""
    if isinstance(value, bool | int | float) or value is None:
        return value
    label = message_id(value)
    if label is not None:
        return {"msgid": label[0], "msgctxt": label[1]}
    return str(value)


def notify(recipients, *, title, body="", params=None, url=""):
    """Notify each distinct active user once; e-mail goes out after the transaction commits."""
    users = {user.pk: user for user in recipients if user is not None and user.is_active}
    if not users:
        return []
    title_id, body_id = message_id(title) or ("", ""), message_id(body) or ("", "")
    template = Notification(
        title_msgid=title_id[0],
        title_msgctxt=title_id[1],
        body_msgid=body_id[0],
        body_msgctxt=body_id[1],
        params={key: _stored_param(value) for key, value in (params or {}).items()},
        url=url,
        title=str(title),
        body=str(body),
    )
    template.title, template.body = template.display_title()[:200], template.display_body()
    notes = Notification.objects.bulk_create(
        Notification(recipient=user, **_fields(template)) for user in users.values()
    )
    _email(template, [user for user in users.values() if user.email])
    return notes


def _fields(note):
    names = ("title", "title_msgid", "title_msgctxt", "body", "body_msgid", "body_msgctxt", "params", "url")
    return {name: getattr(note, name) for name in names}


def _email(note, users):
    """The user model keeps no language of its own, so e-mail reads in the site's language."""
    if not users:
        return
    with translation.override(settings.LANGUAGE_CODE):
        subject, text = note.display_title(), note.display_body()
    link = f"{settings.PORTAL_PUBLIC_BASE_URL}{note.url}" if note.url else ""
    messages = [(subject, f"{text}\n{link}".strip(), settings.DEFAULT_FROM_EMAIL, [user.email]) for user in users]
    transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=True))


def users_with_role(*roles):
    return people_with(*roles)


def notify_roles(roles, **kwargs):
    return notify(users_with_role(*roles), **kwargs)
