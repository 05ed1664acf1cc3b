"""What each disclosure step does beyond its own row: public notices, and telling whoever acts next."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from portal.notifications import notify
from portal.people import people_with
from portal.roles import IT_ROLES, Role
from portal.workflow import effects, transition_done

from .models import DisclosureItem, DisclosureRequest, PublicNotice
from .permissions import REQUEST_HANDLER_ROLES

State = DisclosureItem.State


def _next_reviewers(item):
    """Who takes the item's next step in its present stage (never the person the rules keep out of it)."""
    if item.state == State.CONTENT_REVIEW:
        return people_with(Role.DEPT_HEAD).filter(department_id=item.department_id).exclude(pk=item.collector_id)
    if item.state == State.SECRECY_REVIEW:
        return people_with(Role.SECRECY_REVIEWER).exclude(pk=item.collector_id)
    if item.state == State.PUBLICATION_REVIEW:
        return people_with(Role.LEADER)
    if item.state == State.SIGN_OFF:
        return people_with(Role.LEADER).exclude(pk=item.publication_reviewer_id)
    if item.state == State.ENTRY:
        return people_with(*IT_ROLES)
    if item.state == State.ENTRY_REVIEW:
        return people_with(*IT_ROLES).exclude(pk=item.entrant_id)
    return None


def _tell_next(item, *, by, comment, arguments):
    """The next reviewers are asked to act; an item back in collection, published or filed tells its collector."""
    reviewers = _next_reviewers(item)
    if reviewers is not None:
        recipients = reviewers.exclude(pk=by.pk)
        title = _("Disclosure item %(number)s awaits you: %(stage)s")
    elif item.state == State.COLLECTION:
        recipients = [item.collector]
        title = _("Disclosure item %(number)s was returned to you")
    else:
        recipients = [item.collector] if item.collector_id != by.pk else []
        title = _("Disclosure item %(number)s: %(stage)s")
    notify(
        recipients,
        title=title,
        params={"number": item.number, "stage": State(item.state).label},
        body=comment or item.title,
        url=item.get_absolute_url(),
    )


def _post_notice(kind):
    def post(item, *, by, comment, arguments):
        applied_at = item.withdrawn_at if kind == PublicNotice.Kind.WITHDRAWAL else None
        PublicNotice.objects.create(item=item, kind=kind, note=arguments["note"], made_by=by, applied_at=applied_at)
        _tell_next(item, by=by, comment=comment, arguments=arguments)

    return post


def _publish(item, *, by, comment, arguments):
    """The corrected text is on the public page now: its pending correction notices say so."""
    item.notices.filter(kind=PublicNotice.Kind.CORRECTION, applied_at__isnull=True).update(applied_at=item.published_at)
    _tell_next(item, by=by, comment=comment, arguments=arguments)


ITEM_STEPS = {
    "submit": _tell_next,
    "approve_content": _tell_next,
    "return_content": _tell_next,
    "pass_secrecy": _tell_next,
    "flag_secret": _tell_next,
    "review_publication": _tell_next,
    "return_publication": _tell_next,
    "sign_off": _tell_next,
    "enter": _tell_next,
    "approve_entry": _publish,
    "return_entry": _tell_next,
    "revise": _tell_next,
    "correct": _post_notice(PublicNotice.Kind.CORRECTION),
    "withdraw": _post_notice(PublicNotice.Kind.WITHDRAWAL),
}


def _tell_handlers_of_extension(request, *, by, comment, arguments):
    notify(
        people_with(*REQUEST_HANDLER_ROLES),
        title=_("The answer to disclosure request %(number)s is now due on %(due)s"),
        params={"number": request.number, "due": request.due_on},
        body=request.extension_reason,
        url=request.get_absolute_url(),
    )


# Kept in module names: a signal holds its receivers weakly.
item_effects = receiver(transition_done, sender=DisclosureItem)(effects(ITEM_STEPS))
request_effects = receiver(transition_done, sender=DisclosureRequest)(effects({"extend": _tell_handlers_of_extension}))
