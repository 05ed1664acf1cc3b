from datetime import timedelta

import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from portal.filters import FilterSet

from .models import Equipment, EquipmentCategory, Rack, SpareLoan, Stocktake


class EquipmentFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    status = django_filters.ChoiceFilter(label=_("status"), choices=Equipment.Status.choices)
    category = django_filters.ModelChoiceFilter(label=_("category"), queryset=EquipmentCategory.objects.all())
    department = django_filters.ModelChoiceFilter(label=_("using department"), queryset=Department.objects.all())
    location = django_filters.CharFilter(label=_("location"), method="in_location")
    rack = django_filters.ModelChoiceFilter(label=_("rack"), queryset=Rack.objects.all())
    warranty = django_filters.ChoiceFilter(
        label=_("warranty"),
        method="by_warranty",
        choices=[
            ("30", _("ends within 30 days")),
            ("90", _("ends within 90 days")),
            ("expired", _("expired")),
        ],
    )

    class Meta:
        model = Equipment
        fields = ["q", "status", "category", "department", "location", "rack", "warranty"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(
            Q(asset_no__icontains=value)
            | Q(serial_no__icontains=value)
            | Q(model_name__icontains=value)
            | Q(brand__icontains=value)
            | Q(ip_address__startswith=value)
        )

    def in_location(self, queryset, name, value):
        for word in value.split():
            queryset = queryset.filter(Q(building__icontains=word) | Q(floor__iexact=word) | Q(room__icontains=word))
        return queryset

    def by_warranty(self, queryset, name, value):
        today = timezone.localdate()
        if value == "expired":
            return queryset.filter(warranty_end__lt=today)
        return queryset.filter(warranty_end__gte=today, warranty_end__lte=today + timedelta(days=int(value)))


class SpareLoanFilter(FilterSet):
    state = django_filters.ChoiceFilter(
        label=_("status"),
        method="by_state",
        choices=[("open", _("Out")), ("overdue", _("Overdue")), ("returned", _("Returned"))],
    )
    department = django_filters.ModelChoiceFilter(label=_("borrowing department"), queryset=Department.objects.all())

    class Meta:
        model = SpareLoan
        fields = ["state", "department"]

    def by_state(self, queryset, name, value):
        if value == "open":
            return queryset.open()
        if value == "overdue":
            return queryset.overdue()
        return queryset.filter(returned_at__isnull=False)


class StocktakeFilter(FilterSet):
    class Meta:
        model = Stocktake
        fields = ["state", "scope", "department"]
