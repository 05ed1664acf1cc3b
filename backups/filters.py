import django_filters
from django.utils.translation import gettext_lazy as _

from portal.filters import FilterSet, YesNoFilter
from portal.people import people_with
from portal.roles import Role

from .models import (
    BackupMedium,
    BackupRun,
    BackupTarget,
    CustodyHandover,
    OffsiteWaiver,
    ServerOperation,
    Verification,
)
from .permissions import RECORD_ROLES


class BackupTargetFilter(FilterSet):
    name = django_filters.CharFilter(label=_("name"), lookup_expr="icontains")
    is_active = YesNoFilter()
    responsible_dba = django_filters.ModelChoiceFilter(label=_("responsible DBA"), queryset=people_with(Role.DBA))

    class Meta:
        model = BackupTarget
        fields = ["name", "kind", "responsible_dba", "is_active"]


class StartedBetweenFilter(FilterSet):
    """Records started from one day to another, both included."""

    started_after = django_filters.DateFilter(field_name="started_at", lookup_expr="date__gte", label=_("from"))
    started_before = django_filters.DateFilter(field_name="started_at", lookup_expr="date__lte", label=_("to"))


class BackupRunFilter(StartedBetweenFilter):
    class Meta:
        model = BackupRun
        fields = ["target", "status", "kind", "source"]


class VerificationFilter(StartedBetweenFilter):
    is_automatic = YesNoFilter()

    class Meta:
        model = Verification
        fields = ["target", "result", "method", "is_automatic"]


class BackupMediumFilter(FilterSet):
    label = django_filters.CharFilter(label=_("label"), lookup_expr="icontains")
    is_active = YesNoFilter()
    custodian = django_filters.ModelChoiceFilter(label=_("custodian"), queryset=people_with(*RECORD_ROLES))

    class Meta:
        model = BackupMedium
        fields = ["label", "kind", "location", "custodian", "is_active"]


class CustodyHandoverFilter(FilterSet):
    to_person = django_filters.ModelChoiceFilter(label=_("received by"), queryset=people_with(*RECORD_ROLES))

    class Meta:
        model = CustodyHandover
        fields = ["state", "to_person", "media"]


class ServerOperationFilter(StartedBetweenFilter):
    server = django_filters.CharFilter(label=_("server"), lookup_expr="icontains")
    operator = django_filters.ModelChoiceFilter(label=_("operator"), queryset=people_with(*RECORD_ROLES))

    class Meta:
        model = ServerOperation
        fields = ["server", "kind", "operator", "target"]


class OffsiteWaiverFilter(FilterSet):
    class Meta:
        model = OffsiteWaiver
        fields = ["state", "target"]
