from datetime import date

from accounts import services
from accounts.models import Grant


def submit(by, system, *, subject=None, kind="add", modules=None, ends_on=None, reason="工作需要"):
    return services.permission_request_submit(
        by=by,
        subject=subject or by,
        kind=kind,
        system=system,
        modules=list(system.modules.all()) if modules is None else modules,
        reason=reason,
        ends_on=ends_on,
    )


def provisioned(people, system, *, user=None, account="wangxh", ends_on: date | None = None):
    """A request run through every step: the grant it created."""
    user = user or people.staff
    request = submit(user, system, ends_on=ends_on)
    request = services.permission_request_act(request=request, action="approve", by=people.head)
    if system.needs_it_head:
        request = services.permission_request_act(request=request, action="it_approve", by=people.it_head)
    request = services.permission_request_act(
        request=request, action="provision", by=people.officer, account_name=account
    )
    return Grant.objects.get(pk=request.grant_id)


def pledged(user):
    """``user`` has signed the information confidentiality pledge (防统方 四), as asked before a statistics request."""
    from accounts.models import Agreement

    Agreement.objects.get_or_create(
        signatory=user,
        kind=Agreement.Kind.STATISTICS_PLEDGE,
        defaults={"signed_on": date(2025, 12, 1), "recorded_by": user},
    )
    return user
