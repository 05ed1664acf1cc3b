"""Ledger entries: how each kind of event in a device's life is written down."""

from django.utils.translation import gettext as _

from .models import Equipment, LedgerEntry, StocktakeItem


def record_registration(equipment, *, by, reason=""):
    return LedgerEntry.objects.create(
        equipment=equipment,
        kind=LedgerEntry.Kind.REGISTER,
        to_status=equipment.status,
        to_department=equipment.department,
        to_location=equipment.place,
        actor=by,
        reason=reason,
    )


def record_step(device, kind, *, before, by, reason, related=None):
    """A lifecycle step: the device as it was (``before``) and as it is now."""
    return LedgerEntry.objects.create(
        equipment=device,
        kind=kind,
        from_status=before.status,
        to_status=device.status,
        from_department_id=before.department_id,
        to_department_id=device.department_id,
        from_location=before.place,
        to_location=device.place,
        related_equipment=related,
        actor=by,
        reason=reason,
    )


def record_change(change):
    """A configuration change counted as done (at once, or when the IT head approves it)."""
    return LedgerEntry.objects.create(
        equipment=change.equipment,
        kind=LedgerEntry.Kind.CONFIG_CHANGE,
        from_status=change.equipment.status,
        to_status=change.equipment.status,
        actor=change.operator,
        reason=f"{change.get_kind_display()}: {change.description} — {change.reason}",
        created_at=change.decided_at or change.performed_at,
    )


def correct_locations(stocktake, *, by):
    """Each device a stocktake found elsewhere moves to the room where it was found, with its ledger entry."""
    misplaced = stocktake.items.filter(result=StocktakeItem.Result.MISPLACED, equipment__isnull=False).select_related(
        "equipment"
    )
    entries = []
    for item in misplaced:
        device = item.equipment
        Equipment.objects.filter(pk=device.pk).update(room=item.found_location)
        entries.append(
            LedgerEntry(
                equipment=device,
                kind=LedgerEntry.Kind.STOCKTAKE_CORRECTION,
                from_status=device.status,
                to_status=device.status,
                from_department_id=device.department_id,
                to_department_id=device.department_id,
                from_location=item.book_location,
                to_location=item.found_location,
                actor=by,
                reason=_("Stocktake %(number)s") % {"number": stocktake.number},
            )
        )
    LedgerEntry.objects.bulk_create(entries)
