import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from portal.filters import FilterSet, YesNoFilter

from .models import Category, DisclosureItem, DisclosureRequest


class ItemFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    state = django_filters.ChoiceFilter(label=_("Stage"), choices=DisclosureItem.State.choices)
    category = django_filters.ModelChoiceFilter(label=_("Category"), queryset=Category.objects.all())
    attribute = django_filters.ChoiceFilter(label=_("Disclosure attribute"), choices=DisclosureItem.Attribute.choices)
    department = django_filters.ModelChoiceFilter(label=_("Source department"), queryset=Department.objects.all())

    class Meta:
        model = DisclosureItem
        fields = ["q", "state", "category", "attribute", "department"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(number__icontains=value) | Q(title__icontains=value))


class RequestFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    state = django_filters.ChoiceFilter(label=_("Status"), choices=DisclosureRequest.State.choices)
    unanswered = YesNoFilter(label=_("Not yet answered"), method="filter_unanswered")
    overdue = YesNoFilter(label=_("Overdue"), method="filter_overdue")
    response_type = django_filters.ChoiceFilter(label=_("Response"), choices=DisclosureRequest.ResponseType.choices)

    class Meta:
        model = DisclosureRequest
        fields = ["q", "state", "unanswered", "overdue", "response_type"]

    def search(self, queryset, name, value):
        return queryset.filter(
            Q(number__icontains=value) | Q(applicant_name__icontains=value) | Q(content__icontains=value)
        )

    def filter_unanswered(self, queryset, name, value):
        answered = Q(state=DisclosureRequest.State.ANSWERED)
        return queryset.exclude(answered) if value else queryset.filter(answered)

    def filter_overdue(self, queryset, name, value):
        overdue = Q(due_on__lt=timezone.localdate())
        open_requests = ~Q(state=DisclosureRequest.State.ANSWERED)
        return queryset.filter(overdue & open_requests) if value else queryset.exclude(overdue & open_requests)
