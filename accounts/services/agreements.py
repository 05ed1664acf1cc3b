"""Signed agreements: recorded by the IT head or HR, and asked for before the work that needs them."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.exceptions import ActionRefused
from portal.validation import validated

from ..models import Agreement
from ..permissions import may_record_agreements

REQUIRED_BEFORE = {
    Agreement.Kind.CONFIDENTIALITY: gettext_lazy(
        "Information system confidentiality rules, item 7: %(person)s signs the confidentiality agreement before "
        "taking up IT work."
    ),
    Agreement.Kind.STATISTICS_PLEDGE: gettext_lazy(
        "Anti-statistics rules, part 4: %(person)s signs the information confidentiality pledge before asking for "
        "drug or consumable statistics."
    ),
}


def agreement_record(*, signatory, kind, signed_on, by, note=""):
    if not may_record_agreements(by):
        raise ActionRefused(_("Only the IT head or HR records signed agreements."))
    if signed_on > timezone.localdate():
        raise ActionRefused(_("The signing date cannot be in the future."))
    agreement = validated(Agreement(signatory=signatory, kind=kind, signed_on=signed_on, note=note, recorded_by=by))
    agreement.save()
    return agreement


def require_agreement(user, kind):
    """Refuse, naming the rule, unless ``user`` has an agreement of ``kind`` on record."""
    if not Agreement.objects.of(user, kind).exists():
        raise ActionRefused(REQUIRED_BEFORE[kind] % {"person": user})
