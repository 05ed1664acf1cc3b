"""Reads the pages, other apps and the dashboard share: custody registers, "awaiting me", the rack elevation, a
stocktake's summary, the ledger in the import template's columns and the import mapping page."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.dashboard import Awaiting
from portal.roles import Role, has_role

from . import import_mapping, importing, reconciliation
from .models import ConfigChange, Equipment, SpareLoan, Stocktake, StocktakeItem
from .permissions import APPROVERS, PART_APPROVERS, may_manage_ledger


def equipment_in_custody(user):
    """The devices a person keeps (保管人), not scrapped: what a leaving maintainer must hand over."""
    return Equipment.objects.filter(custodian=user).active().select_related("category", "department")


def awaiting(user) -> list[Awaiting]:
    """A fixed number of queries: approvals waiting, reconciliations overdue, open stocktakes, loans due back."""
    items = []
    today = timezone.localdate()
    if has_role(user, *APPROVERS):
        pending_scrap = Equipment.objects.filter(status=Equipment.Status.PENDING_SCRAP).count()
        items.append(
            Awaiting(
                _("Scrap requests to approve"),
                pending_scrap,
                reverse("inventory:equipment_list") + "?status=pending_scrap",
            )
        )
        pending_changes = ConfigChange.objects.filter(state=ConfigChange.State.PENDING_APPROVAL).count()
        items.append(
            Awaiting(
                _("Parameter changes to approve"),
                pending_changes,
                reverse("inventory:change_list") + "?state=pending_approval",
            )
        )
    if has_role(user, *PART_APPROVERS):
        pending_parts = ConfigChange.objects.filter(state=ConfigChange.State.PENDING_LEADER).count()
        items.append(
            Awaiting(
                _("Server part changes to approve"),
                pending_parts,
                reverse("inventory:change_list") + "?state=pending_leader",
            )
        )
    if may_manage_ledger(user):
        items.append(
            Awaiting(
                _("Departments overdue for an equipment reconciliation"),
                reconciliation.overdue_count(),
                reverse("inventory:stocktake_schedule"),
                True,
            )
        )
        loans = SpareLoan.objects.open().aggregate(
            overdue=Count("id", filter=Q(expected_return__lt=today)),
            due_soon=Count("id", filter=Q(expected_return__gte=today, expected_return__lte=today + timedelta(days=2))),
        )
        items.append(
            Awaiting(
                _("Overdue spare loans"), loans["overdue"], reverse("inventory:loan_list") + "?state=overdue", True
            )
        )
        items.append(
            Awaiting(_("Spare loans due back within 2 days"), loans["due_soon"], reverse("inventory:loan_list"))
        )
    if has_role(user, Role.DEPT_HEAD) and user.department_id:
        uncounted = StocktakeItem.objects.filter(
            stocktake__state=Stocktake.State.OPEN,
            stocktake__scope=Stocktake.Scope.DEPARTMENT,
            stocktake__department_id=user.department_id,
            result=StocktakeItem.Result.PENDING,
        ).count()
        items.append(
            Awaiting(_("Stocktake items of your department to confirm"), uncounted, reverse("inventory:stocktake_list"))
        )
    return items


EXPORT_FIELDS = [
    ("asset_no", lambda d: d.asset_no),
    ("category", lambda d: d.category.name),
    ("brand", lambda d: d.brand),
    ("model_name", lambda d: d.model_name),
    ("serial_no", lambda d: d.serial_no),
    ("department", lambda d: d.department.name if d.department else ""),
    ("custodian", lambda d: d.custodian.username if d.custodian else ""),
    ("building", lambda d: d.building),
    ("floor", lambda d: d.floor),
    ("room", lambda d: d.room),
    ("ip_address", lambda d: d.ip_address or ""),
    ("mac_address", lambda d: d.mac_address),
    ("purchase_date", lambda d: d.purchase_date.isoformat() if d.purchase_date else ""),
    ("price", lambda d: str(d.price) if d.price is not None else ""),
    ("supplier", lambda d: d.supplier),
    ("warranty_end", lambda d: d.warranty_end.isoformat() if d.warranty_end else ""),
    ("status", lambda d: str(d.get_status_display())),
    ("notes", lambda d: d.notes),
]


def ledger_table(devices):
    """Headers and rows of the devices in the import template's columns, so an export can be edited and imported back."""
    headers = [importing.COLUMNS[field] for field, _getter in EXPORT_FIELDS]
    rows = ([getter(device) for _field, getter in EXPORT_FIELDS] for device in devices.iterator(chunk_size=2000))
    return headers, rows


def rack_elevation(rack) -> dict:
    """The rack's front view, top U first, drawn from the devices' positions."""
    devices = list(rack.equipment.select_related("category", "department").order_by("-rack_unit"))
    starts = {device.top_unit: device for device in devices}
    covered = {u for device in devices for u in range(device.rack_unit, device.top_unit + 1)}
    units = []
    for u in range(rack.height_u, 0, -1):
        if u in starts:
            units.append({"u": u, "device": starts[u], "span": starts[u].height_u})
        else:
            units.append({"u": u, "device": None, "span": 0 if u in covered else 1})
    return {"units": units, "devices": devices, "used_u": sum(device.height_u for device in devices)}


def stocktake_summary(stocktake) -> dict:
    """Counts so far and the discrepancy lists: missing, found elsewhere, unexpected (unknown numbers included)."""
    items = stocktake.items.select_related("equipment", "equipment__category", "equipment__department", "counted_by")
    counts = dict(items.values_list("result").annotate(n=Count("id")).order_by())
    expected = stocktake.expected_count
    result = StocktakeItem.Result
    discrepancies = {
        kind: list(items.filter(result=kind)[:500])
        for kind in (result.MISSING, result.MISPLACED, result.UNEXPECTED, result.UNKNOWN)
    }
    matched = counts.get(result.MATCHED, 0)
    return {
        "counts": counts,
        "counted": expected - counts.get(result.PENDING, 0) - counts.get(result.MISSING, 0),
        "matched": matched,
        "live_rate": round(matched * 100 / expected, 1) if expected else None,
        "missing": discrepancies[result.MISSING],
        "misplaced": discrepancies[result.MISPLACED],
        "unexpected": discrepancies[result.UNEXPECTED] + discrepancies[result.UNKNOWN],
    }


def import_page(batch, form, preview_rows=15) -> dict:
    """The mapping page of an import: our fields and the column chosen for each, defaults, value sections, format
    previews, and the first rows as the chosen mapping reads them."""
    mapped = [(field, label) for field, label in importing.COLUMNS.items() if field in batch.mapping]
    index = {
        field: batch.headers.index(batch.mapping[field])
        for field, _label in mapped
        if batch.mapping[field] in batch.headers
    }
    return {
        "fields": [
            {
                "name": field,
                "label": label,
                "chosen": batch.mapping.get(field, ""),
                "required": field in importing.REQUIRED,
            }
            for field, label in importing.COLUMNS.items()
        ],
        "defaults": [
            {
                "name": field,
                "label": importing.COLUMNS[field],
                "chosen": batch.defaults.get(field, ""),
                "choices": getattr(form.fields[f"default_{field}"], "choices", None),
            }
            for field in import_mapping.DEFAULT_FIELDS
        ],
        "value_sections": import_mapping.value_rows(batch),
        "date_formats": form.fields["date_format"].choices,
        "decimal_separators": form.fields["decimal_separator"].choices,
        "date_preview": import_mapping.date_preview(batch),
        "amount_preview": import_mapping.amount_preview(batch),
        "preview_headers": [label for field, label in mapped if field in index],
        "preview": [
            (number, [row[index[field]] for field, _label in mapped if field in index])
            for number, row in enumerate(batch.rows[:preview_rows], start=2)
        ],
        "background_rows": importing.BACKGROUND_ROWS,
    }
