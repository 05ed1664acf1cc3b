from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.dashboard import Awaiting
from portal.roles import IT_ROLES, Role, has_role
from portal.workdays import add_working_days

from .models import DisclosureItem, DisclosureRequest
from .permissions import COLLECTOR_ROLES, may_register_request

State = DisclosureItem.State


def awaiting(user) -> list[Awaiting]:
    """Disclosure steps waiting for this user: at most one query for items and one for requests."""
    counters = {}
    if has_role(user, *COLLECTOR_ROLES):
        counters["drafts"] = Count("pk", filter=Q(state=State.COLLECTION, collector=user))
    if has_role(user, Role.DEPT_HEAD) and user.department_id:
        counters["content"] = Count("pk", filter=Q(state=State.CONTENT_REVIEW, department_id=user.department_id))
    if has_role(user, Role.SECRECY_REVIEWER):
        counters["secrecy"] = Count("pk", filter=Q(state=State.SECRECY_REVIEW) & ~Q(collector=user))
    if has_role(user, Role.LEADER):
        counters["publication"] = Count("pk", filter=Q(state=State.PUBLICATION_REVIEW))
        counters["sign_off"] = Count("pk", filter=Q(state=State.SIGN_OFF))
    if has_role(user, *IT_ROLES):
        today = timezone.localdate()
        counters["entry"] = Count("pk", filter=Q(state=State.ENTRY))
        counters["entry_late"] = Count("pk", filter=Q(state=State.ENTRY, entry_due__lt=today))
        counters["entry_review"] = Count("pk", filter=Q(state=State.ENTRY_REVIEW) & ~Q(entrant=user))
    items = DisclosureItem.objects.aggregate(**counters) if counters else {}
    list_url = reverse("disclosure:item_list")
    lines = [
        ("drafts", _("Disclosure items I collected, not yet submitted"), State.COLLECTION, False),
        ("content", _("Disclosure items awaiting content review"), State.CONTENT_REVIEW, False),
        ("secrecy", _("Disclosure items awaiting confidentiality review"), State.SECRECY_REVIEW, False),
        ("publication", _("Disclosure items awaiting publication review"), State.PUBLICATION_REVIEW, False),
        ("sign_off", _("Disclosure items awaiting sign-off"), State.SIGN_OFF, False),
        ("entry", _("Disclosure items awaiting entry"), State.ENTRY, bool(items.get("entry_late"))),
        ("entry_review", _("Disclosure items awaiting entry review"), State.ENTRY_REVIEW, False),
    ]
    result = [
        Awaiting(label=label, count=items[key], url=f"{list_url}?state={state}", urgent=urgent)
        for key, label, state, urgent in lines
        if key in items
    ]
    if may_register_request(user):
        today = timezone.localdate()
        soon = add_working_days(today, 3)
        requests = DisclosureRequest.objects.open().aggregate(
            open=Count("pk"), urgent=Count("pk", filter=Q(due_on__lte=soon))
        )
        result.append(
            Awaiting(
                label=_("Open disclosure requests"),
                count=requests["open"],
                url=reverse("disclosure:request_list") + "?unanswered=true",
                urgent=bool(requests["urgent"]),
            )
        )
    return result
