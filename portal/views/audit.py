"""The security audit log page (等保 2.0 安全审计): the auditor's and the IT head's, filtered and exported."""

import datetime
import json

import django_filters
import django_tables2 as tables
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..audit import retention_days
from ..dates import day_range
from ..filters import FilterSet
from ..models import SecurityEvent
from ..roles import SECURITY_LOG_READERS
from .generic import ObjectListView


class SecurityEventFilter(FilterSet):
    person = django_filters.CharFilter(label=_("Name or user name"), method="by_person")
    kind = django_filters.ChoiceFilter(label=_("Event"), choices=SecurityEvent.Kind.choices)
    since = django_filters.DateFilter(label=_("from"), method="from_day")
    until = django_filters.DateFilter(label=_("to"), method="to_day")

    class Meta:
        model = SecurityEvent
        fields = ["person", "kind", "since", "until"]

    def by_person(self, queryset, name, value):
        # The name kept on the event finds a person whose account was deleted since.
        return queryset.filter(username__icontains=value) | queryset.filter(user__full_name__icontains=value)

    def from_day(self, queryset, name, value):
        return queryset.filter(at__gte=day_range(*[_within_reach(value)] * 2)[0])

    def to_day(self, queryset, name, value):
        return queryset.filter(at__lt=day_range(*[_within_reach(value)] * 2)[1])


def _within_reach(day):
    """A typed day the time zone can turn into a moment (0001-01-01 cannot): no event is older or newer anyway."""
    return min(max(day, datetime.date(1970, 1, 1)), datetime.date(9998, 12, 31))


NOWRAP = {"td": {"class": "text-nowrap"}}


class SecurityEventTable(tables.Table):
    at = tables.DateTimeColumn(format="Y-m-d H:i:s", attrs=NOWRAP)
    kind = tables.Column(attrs=NOWRAP)
    user = tables.Column(verbose_name=_("full name"), accessor="user__full_name", default="", attrs=NOWRAP)
    user_agent = tables.Column(attrs={"td": {"class": "text-truncate", "style": "max-width: 14rem"}})
    detail = tables.Column(orderable=False)

    def render_user_agent(self, value):
        return format_html('<span title="{}">{}</span>', value, value)

    def render_detail(self, value):
        return "; ".join(f"{key}: {item}" for key, item in value.items())

    def value_detail(self, value):
        return json.dumps(value, ensure_ascii=False)

    class Meta:
        model = SecurityEvent
        fields = ["at", "kind", "username", "user", "ip", "what", "path", "user_agent", "detail"]
        attrs = {"class": "table table-sm table-hover mb-0 small", "data-testid": "security-events"}


class SecurityEventListView(ObjectListView):
    model = SecurityEvent
    queryset = SecurityEvent.objects.select_related("user")
    table_class = SecurityEventTable
    filterset_class = SecurityEventFilter
    allowed_roles = SECURITY_LOG_READERS
    export_name = "security-audit-log"
    template_name = "portal/security_event_list.html"

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "retention_days": retention_days()}
