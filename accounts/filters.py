import django_filters
from django.utils.translation import gettext_lazy as _

from portal.filters import FilterSet, YesNoFilter

from .models import (
    Departure,
    Grant,
    InformationSystem,
    NetworkRequest,
    PermissionRequest,
    PrivilegedAccount,
    SensitiveQueryRequest,
    Tier,
)


class PermissionRequestFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Number or name"), method="search")
    state = django_filters.ChoiceFilter(label=_("Status"), choices=PermissionRequest.State.choices)
    kind = django_filters.ChoiceFilter(label=_("Request type"), choices=PermissionRequest.Kind.choices)
    system = django_filters.ModelChoiceFilter(label=_("Information system"), queryset=InformationSystem.objects.all())

    class Meta:
        model = PermissionRequest
        fields = ["q", "state", "kind", "system"]

    def search(self, queryset, name, value):
        return queryset.filter(number__icontains=value) | queryset.filter(subject__full_name__icontains=value)


class GrantFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Name or account"), method="search")
    state = django_filters.ChoiceFilter(label=_("Status"), choices=Grant.State.choices)
    system = django_filters.ModelChoiceFilter(label=_("Information system"), queryset=InformationSystem.objects.all())

    class Meta:
        model = Grant
        fields = ["q", "state", "system"]

    def search(self, queryset, name, value):
        return queryset.filter(user__full_name__icontains=value) | queryset.filter(account_name__icontains=value)


class DepartureFilter(FilterSet):
    state = django_filters.ChoiceFilter(label=_("Status"), choices=Departure.State.choices)
    kind = django_filters.ChoiceFilter(label=_("Type"), choices=Departure.Kind.choices)

    class Meta:
        model = Departure
        fields = ["state", "kind"]


class NetworkRequestFilter(FilterSet):
    state = django_filters.ChoiceFilter(label=_("Status"), choices=NetworkRequest.State.choices)

    class Meta:
        model = NetworkRequest
        fields = ["state", "department"]


class PrivilegedAccountFilter(FilterSet):
    tier = django_filters.ChoiceFilter(label=_("Tier"), choices=Tier.choices)
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=PrivilegedAccount.Kind.choices)
    overdue = YesNoFilter(label=_("Password change overdue"), method="filter_overdue")

    class Meta:
        model = PrivilegedAccount
        fields = ["tier", "kind", "overdue"]

    def filter_overdue(self, queryset, name, value):
        overdue = queryset.rotation_overdue()
        return overdue if value else queryset.exclude(pk__in=overdue.values("pk"))


class SensitiveQueryRequestFilter(FilterSet):
    state = django_filters.ChoiceFilter(label=_("Status"), choices=SensitiveQueryRequest.State.choices)
    scope = django_filters.ChoiceFilter(label=_("Scope"), choices=SensitiveQueryRequest.Scope.choices)

    class Meta:
        model = SensitiveQueryRequest
        fields = ["state", "scope"]
