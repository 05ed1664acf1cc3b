"""Numbers for the annual disclosure report, the periodic reports and the public page. Aggregate queries only."""

from datetime import date

from django.db.models import Count, F, Q
from django.utils import timezone

from portal.dates import day_range

from .models import DisclosureItem, DisclosureRequest, PublicNotice


def _items(department):
    queryset = DisclosureItem.objects.all()
    return queryset.filter(department=department) if department else queryset


def published_by_category(start: date, end: date, department=None) -> list[dict]:
    """Items first published in the period, per catalogue heading: [{"category": name, "count": n}]."""
    since, until = day_range(start, end)
    rows = (
        _items(department)
        .filter(first_published_at__gte=since, first_published_at__lt=until)
        .values("published_category__name", "published_category__order")
        .annotate(count=Count("pk"))
        .order_by("published_category__order", "published_category__name")
    )
    return [{"category": row["published_category__name"], "count": row["count"]} for row in rows]


def formed_by_attribute(start: date, end: date, department=None) -> list[dict]:
    """Items signed off (formed) in the period, per disclosure attribute, every attribute listed."""
    rows = _items(department).filter(formed_on__range=(start, end)).exclude(attribute="")
    return _per_choice(rows, "attribute", DisclosureItem.Attribute.choices)


def entry_timeliness(start: date, end: date, department=None) -> dict:
    """Of the proactive items formed in the period and entered, how many passed entry review by the 20-day limit."""
    rows = _items(department).filter(
        formed_on__range=(start, end), attribute=DisclosureItem.Attribute.PROACTIVE, published_at__isnull=False
    )
    totals = rows.aggregate(
        published=Count("pk"), on_time=Count("pk", filter=Q(published_at__date__lte=F("entry_due")))
    )
    return {**totals, "rate": _rate(totals["on_time"], totals["published"])}


def notices(start: date, end: date, department=None) -> dict:
    """Corrections and withdrawals made in the period (应急处置)."""
    since, until = day_range(start, end)
    queryset = PublicNotice.objects.filter(made_at__gte=since, made_at__lt=until)
    if department:
        queryset = queryset.filter(item__department=department)
    return queryset.aggregate(
        corrections=Count("pk", filter=Q(kind=PublicNotice.Kind.CORRECTION)),
        withdrawals=Count("pk", filter=Q(kind=PublicNotice.Kind.WITHDRAWAL)),
    )


def requests_summary(start: date, end: date, department=None) -> dict:
    """Requests received and answered in the period, answered on time, and still open past their due date at the end."""
    received = DisclosureRequest.objects.filter(received_on__range=(start, end)).aggregate(
        received=Count("pk"),
        by_person=Count("pk", filter=Q(applicant_kind=DisclosureRequest.ApplicantKind.PERSON)),
        by_organisation=Count("pk", filter=Q(applicant_kind=DisclosureRequest.ApplicantKind.ORGANISATION)),
        extended=Count("pk", filter=Q(extension_days__gt=0)),
        clarified=Count("pk", filter=Q(clarification_requested_on__isnull=False)),
        consulted=Count("pk", filter=Q(consultation_started_on__isnull=False)),
    )
    answered = DisclosureRequest.objects.filter(responded_on__range=(start, end)).aggregate(
        answered=Count("pk"), on_time=Count("pk", filter=Q(responded_on__lte=F("due_on")))
    )
    overdue_open = (
        DisclosureRequest.objects.open().filter(received_on__lte=end, due_on__lt=min(end, timezone.localdate())).count()
    )
    rate = _rate(answered["on_time"], answered["answered"])
    return {**received, **answered, "rate": rate, "overdue_open": overdue_open}


def responses_by_type(start: date, end: date, department=None) -> list[dict]:
    """Requests answered in the period per legal response type, every type listed."""
    rows = DisclosureRequest.objects.filter(responded_on__range=(start, end))
    return _per_choice(rows, "response_type", DisclosureRequest.ResponseType.choices, key="type")


def annual_report(start: date, end: date) -> dict:
    return {
        "published_by_category": published_by_category(start, end),
        "formed_by_attribute": formed_by_attribute(start, end),
        "entry_timeliness": entry_timeliness(start, end),
        "notices": notices(start, end),
        "requests": requests_summary(start, end),
        "responses_by_type": responses_by_type(start, end),
    }


def public_categories() -> list:
    """The public page's headings that have something published, with their counts."""
    return list(
        DisclosureItem.objects.public()
        .values("published_category", "published_category__name", "published_category__order")
        .annotate(count=Count("pk"))
        .order_by("published_category__order", "published_category__name")
    )


def _rate(part, whole):
    return round(100 * part / whole, 1) if whole else None


def _per_choice(rows, field, choices, key=None) -> list[dict]:
    """``rows`` counted per value of ``field``, every choice listed: [{key: value, "label": …, "count": n}]."""
    counts = dict(rows.values_list(field).annotate(n=Count("pk")).values_list(field, "n"))
    return [{key or field: value, "label": label, "count": counts.get(value, 0)} for value, label in choices]
