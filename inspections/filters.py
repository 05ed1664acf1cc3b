import django_filters
from django.utils.translation import gettext_lazy as _

from portal.filters import FilterSet, YesNoFilter

from .models import InspectionRound, ItemRemoval, MachineRoom, RoundResult, TemplateItem, Visit


class RoundFilter(FilterSet):
    room = django_filters.ModelChoiceFilter(label=_("Machine room"), queryset=MachineRoom.objects.all())
    period_after = django_filters.DateFilter(
        field_name="period_start",
        lookup_expr="gte",
        label=_("From"),
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    period_before = django_filters.DateFilter(
        field_name="period_start",
        lookup_expr="lte",
        label=_("To"),
        widget=django_filters.widgets.forms.DateInput(attrs={"type": "date"}),
    )
    with_abnormal = YesNoFilter(label=_("With abnormal items"), method="filter_abnormal")

    class Meta:
        model = InspectionRound
        fields = ["room", "template", "state"]

    def filter_abnormal(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(abnormal_count__gt=0) if value else queryset.filter(abnormal_count=0)


class AbnormalityFilter(FilterSet):
    is_open = YesNoFilter(label=_("Open"), field_name="closed_at", lookup_expr="isnull")
    room = django_filters.ModelChoiceFilter(
        label=_("Machine room"), field_name="round__room", queryset=MachineRoom.objects.all()
    )
    group = django_filters.ChoiceFilter(label=_("Group"), field_name="item__group", choices=TemplateItem.Group.choices)

    class Meta:
        model = RoundResult
        fields = ["is_open", "room", "group"]


class VisitFilter(FilterSet):
    visitor_name = django_filters.CharFilter(label=_("Visitor"), lookup_expr="icontains")
    organisation = django_filters.CharFilter(label=_("Visitor's organisation"), lookup_expr="icontains")

    class Meta:
        model = Visit
        fields = ["state", "room", "visitor_name", "organisation"]


class ItemRemovalFilter(FilterSet):
    item = django_filters.CharFilter(label=_("Item carried out"), lookup_expr="icontains")
    asset_number = django_filters.CharFilter(label=_("Asset number"), lookup_expr="icontains")
    carrier = django_filters.CharFilter(label=_("Carried by"), lookup_expr="icontains")

    class Meta:
        model = ItemRemoval
        fields = ["state", "room", "item", "asset_number", "carrier"]
