"""/reports/: period picker and on-screen report; background PDF generation; the archive; table exports."""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal import jobs
from portal.exports import dataset_response, rows_dataset
from portal.pdf import pdf_file_response

from .assembly import build_report, section_builders
from .forms import PeriodForm, department_model, initial_for, quick_periods
from .models import ReportArchive
from .periods import Kind, Period
from .permissions import is_department_only, may_generate, may_read
from .rendering import drawn_sections
from .services import report_request


def _check_reader(user):
    if not may_read(user):
        raise PermissionDenied


def _departments_for(user):
    departments = department_model().objects.all()
    return departments.filter(pk=user.department_id) if is_department_only(user) else departments


def _chosen(request, data):
    """The form, period and department asked for (period None when the form is invalid).

    A department head asking about another department gets 403; with no department they get their own.
    """
    departments = _departments_for(request.user)
    if data.get("kind"):
        form = PeriodForm(data, departments=departments)
        if not form.is_valid():
            if "department" in form.errors and is_department_only(request.user):
                raise PermissionDenied
            return form, None, None
        period, department = form.cleaned_data["period"], form.cleaned_data["department"]
    else:
        period, department = Period.last_completed(Kind.MONTHLY, timezone.localdate()), None
        form = PeriodForm(initial=initial_for(period), departments=departments)
    if is_department_only(request.user):
        department = request.user.department
    return form, period, department


def _query(period: Period, department) -> str:
    params = {"kind": period.kind, "year": period.start.year, "start": period.start, "end": period.end}
    params.update({"month": period.start.month} if period.kind == Kind.MONTHLY else {})
    params.update({"day": period.start} if period.kind == Kind.DAILY else {})
    if period.kind in (Kind.QUARTERLY, Kind.HALF_YEARLY):
        params["quarter" if period.kind == Kind.QUARTERLY else "half"] = period.number
    if department is not None:
        params["department"] = department.pk
    return "&".join(f"{key}={quote(str(value))}" for key, value in params.items())


@login_required
def report_page(request):
    _check_reader(request.user)
    form, period, department = _chosen(request, request.GET)
    context = {
        "form": form,
        "period": period,
        "department": department,
        "quick": [(label, _query(p, department)) for label, p in quick_periods()],
        "may_generate": may_generate(request.user),
    }
    if period is not None:
        report = build_report(period, department)
        context.update(
            report=report,
            sections=drawn_sections(report),
            query=_query(period, department),
            archived=ReportArchive.objects.of_period(period, department)
            .filter(status=ReportArchive.Status.DONE)
            .first(),
        )
    return render(request, "reports/report.html", context)


@login_required
@require_POST
def report_generate(request):
    _check_reader(request.user)
    if not may_generate(request.user):
        raise PermissionDenied
    _form, period, department = _chosen(request, request.POST)
    if period is None:
        messages.error(request, _("Choose a valid period first."))
        return redirect("reports:report")
    with jobs.deferral_notice(request):
        archive = report_request(period=period, department=department, by=request.user, language=get_language())
    messages.success(request, _("The report is being generated; this page shows its progress."))
    return redirect(archive)


@login_required
def table_export(request, section, table, fmt):
    _check_reader(request.user)
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _form, period, department = _chosen(request, request.GET)
    if period is None:
        raise Http404
    for build in section_builders(period.kind):
        built = build(period.start, period.end, department)
        if built is not None and built.slug == section:
            try:
                chosen = built.table(table)
            except KeyError:
                raise Http404 from None
            dataset = rows_dataset(
                chosen.columns, [*chosen.rows, *([chosen.total] if chosen.total else [])], chosen.title
            )
            return dataset_response(dataset, fmt, f"{period.start:%Y%m%d}-{period.end:%Y%m%d}-{section}-{table}")
    raise Http404


@login_required
def archive_list(request):
    _check_reader(request.user)
    archives = ReportArchive.objects.visible_to(request.user).select_related("department", "generated_by")
    kind = request.GET.get("kind")
    if kind in Kind.values:
        archives = archives.filter(kind=kind)
    page = Paginator(archives, 50).get_page(request.GET.get("page"))
    return render(request, "reports/archive_list.html", {"page": page, "kinds": Kind.choices, "kind": kind})


def _visible_archive(request, pk):
    _check_reader(request.user)
    return get_object_or_404(
        ReportArchive.objects.visible_to(request.user).select_related("department", "generated_by"), pk=pk
    )


@login_required
def archive_detail(request, pk):
    archive = _visible_archive(request, pk)
    versions = ReportArchive.objects.visible_to(request.user).of_period(archive.period, archive.department)
    return render(
        request,
        "reports/archive_detail.html",
        {"archive": archive, "versions": versions.select_related("generated_by")},
    )


@login_required
def archive_progress(request, pk):
    archive = _visible_archive(request, pk)
    return JsonResponse(
        {
            "status": archive.status,
            "status_label": str(archive.get_status_display()),
            "progress": archive.progress,
            "sha256": archive.sha256,
            "download": reverse("reports:archive_pdf", args=[archive.pk]) if archive.is_archived else None,
        }
    )


@login_required
def archive_pdf(request, pk):
    """The archived bytes exactly as generated."""
    archive = _visible_archive(request, pk)
    if not archive.is_archived:
        raise Http404
    filename = f"{archive.period_start:%Y%m%d}-{archive.period_end:%Y%m%d}-{archive.kind}-v{archive.version}.pdf"
    response = pdf_file_response(archive.file.open("rb"), filename)
    response["X-Content-SHA256"] = archive.sha256
    return response
