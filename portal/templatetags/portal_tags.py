from importlib import import_module

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

from ..permissions import may_open
from ..roles import Role

register = template.Library()


@register.simple_tag(takes_context=True)
def may(context, predicate, obj=None) -> bool:
    """``{% may "inventory.manage_ledger" device as ok %}``: the app's own ``may_<verb>(user, obj)`` from
    ``<app>/permissions.py``, the same predicate its views and services ask, so no role is spelled here."""
    app, verb = predicate.split(".")
    test = getattr(import_module(f"{app}.permissions"), f"may_{verb}")
    return test(context["user"], obj) if obj is not None else test(context["user"])


@register.simple_tag(takes_context=True)
def can_open(context, url, *args) -> bool:
    """``{% can_open 'repairs:ticket_create' as ok %}`` (a URL name and its arguments, or a path): a link is
    drawn only if its page lets the user in, asked of the page's own view, so no role list is repeated here."""
    path = url if str(url).startswith("/") else reverse(url, args=args)
    return may_open(context["user"], path)


@register.filter
def role_label(code: str) -> str:
    try:
        return Role(code).label
    except ValueError:
        return code


@register.filter
def new_title(form) -> str:
    """新建权限申请 for a page that creates with a model form its view did not title; 新建 otherwise."""
    model = getattr(form, "creates", None) or getattr(getattr(form, "_meta", None), "model", None)
    return _("New %(model)s") % {"model": model._meta.verbose_name} if model else _("New")
