import django_filters
from django.utils.translation import gettext_lazy as _

from portal.filters import FilterSet, YesNoFilter

from .models import DrillPlan, DrillRecord, DueStatus, SecurityIncident
from .selectors import plans_by_due_status


class DrillPlanFilter(FilterSet):
    scenario = django_filters.CharFilter(label=_("scenario"), lookup_expr="icontains")
    due = django_filters.ChoiceFilter(label=_("due status"), choices=DueStatus.choices, method="filter_due")
    is_active = YesNoFilter(label=_("active"))

    class Meta:
        model = DrillPlan
        fields = ["scenario", "due", "is_active"]

    def filter_due(self, queryset, name, value):
        return queryset.filter(pk__in=plans_by_due_status(queryset)[value])


class DrillRecordFilter(FilterSet):
    held_after = django_filters.DateFilter(field_name="held_at", lookup_expr="date__gte", label=_("from"))
    held_before = django_filters.DateFilter(field_name="held_at", lookup_expr="date__lte", label=_("to"))

    class Meta:
        model = DrillRecord
        fields = ["plan", "held_after", "held_before"]


class SecurityIncidentFilter(FilterSet):
    title = django_filters.CharFilter(label=_("summary"), lookup_expr="icontains")

    class Meta:
        model = SecurityIncident
        fields = ["state", "kind", "title"]
