"""Background import, label sheets, and the two reminder ticks (warranty weekly, overdue loans daily)."""

from datetime import timedelta

from billiard.exceptions import WorkerLostError
from celery import shared_task
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from portal import jobs
from portal.notifications import notify, notify_roles, users_with_role
from portal.roles import IT_ROLES, Role

from . import reconciliation
from .importing import run_import
from .labels import label_sheet_failed, label_sheet_generate
from .models import Equipment, EquipmentImport, LabelSheet, SpareLoan, WarrantyReminder

WARRANTY_NOTICE_DAYS = 30


@shared_task(soft_time_limit=280, time_limit=300, acks_late=True, reject_on_worker_lost=True)
def import_equipment(batch_id):
    """A large ledger file, imported off the web request; the page polls its progress."""
    if not jobs.claim(IMPORT_JOB, batch_id):
        return "not queued"
    try:
        return run_import(EquipmentImport.objects.get(pk=batch_id)).state
    except Exception:
        _import_failed(EquipmentImport.objects.get(pk=batch_id))
        raise


def _import_failed(batch):
    EquipmentImport.objects.filter(pk=batch.pk).update(state=EquipmentImport.State.FAILED, finished_at=timezone.now())


IMPORT_JOB = jobs.register(
    jobs.Job(
        task=import_equipment,
        queryset=EquipmentImport.objects.all,
        status_field="state",
        queued=EquipmentImport.State.QUEUED,
        running=EquipmentImport.State.RUNNING,
        fail=_import_failed,
    )
)


@shared_task(soft_time_limit=120, time_limit=150, acks_late=True, reject_on_worker_lost=True)
def generate_label_sheet(sheet_id):
    """A label sheet of more than one page (600 labels take about ten seconds); its page polls the progress."""
    if not jobs.claim(LABEL_SHEET_JOB, sheet_id):
        return "not queued"
    sheet = LabelSheet.objects.get(pk=sheet_id)
    try:
        label_sheet_generate(sheet)
    except Exception as error:
        label_sheet_failed(sheet, error)
        raise
    return f"label sheet {sheet_id}: {sheet.device_count} labels"


LABEL_SHEET_JOB = jobs.register(
    jobs.Job(
        task=generate_label_sheet,
        queryset=LabelSheet.objects.all,
        status_field="status",
        queued=LabelSheet.Status.QUEUED,
        running=LabelSheet.Status.RUNNING,
        fail=lambda sheet: label_sheet_failed(
            sheet, WorkerLostError(gettext("The worker laying it out was lost twice."))
        ),
    )
)


@shared_task(soft_time_limit=120, time_limit=150)
def remind_warranty_ending():
    """Devices whose warranty ends within 30 days: one reminder per device and warranty date, to IT."""
    today = timezone.localdate()
    due = (
        Equipment.objects.active()
        .filter(warranty_end__gte=today, warranty_end__lte=today + timedelta(days=WARRANTY_NOTICE_DAYS))
        .exclude(pk__in=WarrantyReminder.objects.filter(warranty_end__gte=today).values("equipment_id"))
        .select_related("department")
        .order_by("warranty_end")
    )
    devices = []
    for device in due:
        try:
            with transaction.atomic():
                WarrantyReminder.objects.create(equipment=device, warranty_end=device.warranty_end)
        except IntegrityError:
            continue
        devices.append(device)
    if devices:
        lines = "\n".join(
            f"{d.asset_no} {d.brand} {d.model_name} · {d.department or ''} · {d.warranty_end}" for d in devices
        )
        notify_roles(
            IT_ROLES,
            title=gettext_lazy("Warranty ends within 30 days for %(n)s devices"),
            body=lines,
            url=reverse("inventory:equipment_list") + "?warranty=30",
            params={"n": len(devices)},
        )
    return len(devices)


@shared_task(soft_time_limit=120, time_limit=150)
def remind_overdue_loans():
    """Overdue spare loans: the handler and the borrower (or the department head) once a day."""
    today = timezone.localdate()
    officers = list(users_with_role(Role.IT_HEAD))
    sent = 0
    for loan in (
        SpareLoan.objects.overdue(today)
        .exclude(overdue_reminded_on=today)
        .select_related("spare", "department__head", "borrower", "handler")
    ):
        # The marker is claimed first, so a second run the same day finds nothing to send.
        if (
            not SpareLoan.objects.filter(pk=loan.pk)
            .exclude(overdue_reminded_on=today)
            .update(overdue_reminded_on=today)
        ):
            continue
        days = (today - loan.expected_return).days
        notify(
            [loan.handler, loan.borrower or loan.department.head, *([] if days < 7 else officers)],
            title=gettext_lazy("Spare machine %(asset)s is %(days)s days overdue"),
            body=gettext_lazy("Lent to %(department)s, expected back on %(date)s."),
            url=loan.get_absolute_url(),
            params={
                "asset": loan.spare.asset_no,
                "days": days,
                "department": loan.department,
                "date": loan.expected_return,
            },
        )
        sent += 1
    return sent


@shared_task(soft_time_limit=120, time_limit=150)
def remind_stocktakes_due():
    """Departments whose equipment reconciliation is due within the notice period or overdue: once per stage."""
    return reconciliation.remind_due()
