"""Access recertification: the quarterly campaign, each answer, and escalation of the late ones."""

from datetime import date, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.exceptions import ActionRefused
from portal.notifications import notify, notify_roles, users_with_role
from portal.roles import Role

from ..models import Grant, RecertificationCampaign, RecertificationItem, User
from ..permissions import recertification_refusal
from .access import grant_mark_revocation_due


def quarter_of(day: date) -> str:
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def recertification_open_campaign(*, today: date | None = None, answer_days=14):
    """Open this quarter's campaign once: one item per held grant, answered by the user's department head."""
    today = today or timezone.localdate()
    campaign, created = RecertificationCampaign.objects.get_or_create(
        quarter=quarter_of(today), defaults={"due_on": today + timedelta(days=answer_days)}
    )
    if not created:
        return campaign
    it_head = users_with_role(Role.IT_HEAD).order_by("pk").first()
    grants = Grant.objects.filter(state=Grant.State.ACTIVE).select_related("user__department__head")
    items = []
    for grant in grants.iterator(chunk_size=2000):
        department = grant.user.department
        head = department.head if department else None
        # No one recertifies their own access: a head's own grants go to the IT head.
        reviewer = head if head is not None and head.pk != grant.user_id else it_head
        if reviewer is None:
            continue
        items.append(RecertificationItem(campaign=campaign, grant=grant, reviewer=reviewer, department=department))
    RecertificationItem.objects.bulk_create(items, batch_size=2000, ignore_conflicts=True)
    reviewers = User.objects.filter(pk__in={item.reviewer_id for item in items})
    notify(
        reviewers,
        title=gettext_lazy("Access recertification %(quarter)s"),
        body=gettext_lazy("Confirm or revoke each grant of your staff by %(date)s."),
        params={"quarter": campaign.quarter, "date": campaign.due_on},
        url=campaign.get_absolute_url(),
    )
    return campaign


def recertification_decide(*, item, decision, by):
    reason = recertification_refusal(by, item)
    if reason:
        raise ActionRefused(reason)
    if decision not in (RecertificationItem.Decision.CONFIRMED, RecertificationItem.Decision.REVOKED):
        raise ActionRefused(_("Choose confirm or revoke."))
    with transaction.atomic():
        item.decision, item.decided_at = decision, timezone.now()
        item.save(update_fields=["decision", "decided_at"])
        if decision == RecertificationItem.Decision.REVOKED:
            grant_mark_revocation_due(
                grant=item.grant, reason=Grant.RevocationReason.RECERTIFICATION, comment=str(item.campaign)
            )
    return item


def recertification_escalate(*, today: date | None = None) -> int:
    """Unanswered items past the campaign's date go to the IT head and leaders, once each."""
    today = today or timezone.localdate()
    overdue = RecertificationItem.objects.filter(
        decision=RecertificationItem.Decision.PENDING, escalated_at__isnull=True, campaign__due_on__lt=today
    )
    count = overdue.update(escalated_at=timezone.now())
    if count:
        notify_roles(
            [Role.IT_HEAD, Role.LEADER],
            title=gettext_lazy("%(count)s recertification answers are overdue"),
            url=reverse("accounts:recertification_list"),
            params={"count": count},
        )
    return count
