import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import Department
from portal.filters import FilterSet

from .models import FaultCategory, FaultClass, RepairTicket


class TicketFilter(FilterSet):
    q = django_filters.CharFilter(label=_("Search"), method="search")
    state = django_filters.ChoiceFilter(label=_("status"), choices=RepairTicket.State.choices)
    fault_class = django_filters.ChoiceFilter(label=_("fault class"), choices=FaultClass.choices)
    category = django_filters.ChoiceFilter(label=_("fault category"), choices=FaultCategory.choices)
    department = django_filters.ModelChoiceFilter(
        label=_("department"), queryset=Department.objects.filter(is_active=True).order_by("code")
    )

    class Meta:
        model = RepairTicket
        fields = ["q", "state", "fault_class", "category", "department"]

    def search(self, queryset, name, value):
        """A ticket number (BX-…) or an asset number (ZC-…) is one lookup on its own unique index, never an OR
        across the join; other words search the description."""
        value = value.strip()
        if value.upper().startswith("BX-"):
            return queryset.filter(number=value.upper())
        if value.upper().startswith("ZC-"):
            return queryset.filter(equipment__asset_no=value.upper())
        return queryset.filter(Q(description__icontains=value) | Q(device_description__icontains=value))
