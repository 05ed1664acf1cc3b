"""Rules for changing the equipment ledger. Every lifecycle step writes one LedgerEntry (the device's life story)."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.exceptions import ActionRefused
from portal.notifications import notify_roles
from portal.numbering import next_number
from portal.roles import Role, has_role
from portal.workflow import perform

from .models import (
    ConfigChange,
    Equipment,
    LedgerEntry,
    Rack,
    SpareLoan,
    Stocktake,
    StocktakeItem,
)

LEDGER_ROLES = (Role.IT_OFFICER, Role.IT_HEAD)


def _require_ledger_role(user):
    if not has_role(user, *LEDGER_ROLES):
        raise ActionRefused(_("Only IT officers and the IT head may change the equipment ledger."))


def _full_clean(obj, exclude=()):
    # The protected FSM fields cannot be re-assigned by clean_fields; transitions keep them valid.
    try:
        obj.full_clean(exclude=[*exclude, "status", "state"])
    except ValidationError as error:
        raise ActionRefused(" ".join(error.messages)) from error


def _step(equipment, action, kind, *, by, reason="", related=None, **arguments):
    """Run one transition on a locked row and record it in the device's ledger."""
    with transaction.atomic():
        before = Equipment.objects.select_for_update().get(pk=equipment.pk)
        after = perform(before, action, by=by, comment=reason, **arguments)
        LedgerEntry.objects.create(
            equipment=after,
            kind=kind,
            from_status=before.status,
            to_status=after.status,
            from_department_id=before.department_id,
            to_department_id=after.department_id,
            from_location=_place(before),
            to_location=_place(after),
            related_equipment=related,
            actor=by,
            reason=reason,
        )
    return after


def _place(equipment):
    return " ".join(part for part in (equipment.location, equipment.rack_position) if part)


def equipment_register(*, by, reason="", **fields) -> Equipment:
    """Put a new device on the book (status in stock) with a generated asset number."""
    _require_ledger_role(by)
    with transaction.atomic():
        equipment = Equipment(**fields)
        equipment.asset_no = next_number(Equipment.ASSET_PREFIX)
        _full_clean(equipment, exclude=["rack", "rack_unit"])
        equipment.save()
        LedgerEntry.objects.create(
            equipment=equipment,
            kind=LedgerEntry.Kind.REGISTER,
            to_status=equipment.status,
            to_department=equipment.department,
            to_location=_place(equipment),
            actor=by,
            reason=reason,
        )
    return equipment


def equipment_update(*, equipment, by, **fields) -> Equipment:
    """Edit the descriptive fields; status, department and rack change only through lifecycle steps."""
    _require_ledger_role(by)
    for name, value in fields.items():
        setattr(equipment, name, value)
    _full_clean(equipment)
    try:
        with transaction.atomic():
            equipment.save()
    except IntegrityError as error:
        raise ActionRefused(_("Another device already has this serial number.")) from error
    return equipment


def equipment_issue(*, equipment, by, department, custodian=None, building="", floor="", room="", reason=""):
    return _step(
        equipment,
        "issue",
        LedgerEntry.Kind.ISSUE,
        by=by,
        reason=reason,
        department=department,
        custodian=custodian,
        building=building,
        floor=floor,
        room=room,
    )


def _check_rack_space(*, rack, rack_unit, height_u, ignore_ids=()):
    """Refuse a position outside the rack or overlapping a device already mounted. Caller holds the rack lock."""
    top = rack_unit + height_u - 1
    if rack_unit < 1 or top > rack.height_u:
        raise ActionRefused(
            _("U%(bottom)s–U%(top)s does not fit in rack %(rack)s (%(height)s U).")
            % {"bottom": rack_unit, "top": top, "rack": rack, "height": rack.height_u}
        )
    below_top = Equipment.objects.filter(rack=rack, rack_unit__lte=top).exclude(pk__in=ignore_ids)
    for other in below_top.only("asset_no", "rack_unit", "height_u"):
        if other.rack_unit <= top and other.rack_unit + other.height_u - 1 >= rack_unit:
            raise ActionRefused(
                _("U%(bottom)s–U%(top)s of rack %(rack)s is taken by %(asset)s.")
                % {"bottom": rack_unit, "top": top, "rack": rack, "asset": other.asset_no}
            )


def _lock_rack(rack):
    # Every mount into a rack takes this row lock first, so two mounts into one rack run one after the other.
    return Rack.objects.select_for_update().get(pk=rack.pk)


def equipment_install(
    *,
    equipment,
    by,
    department=None,
    building="",
    floor="",
    room="",
    rack=None,
    rack_unit=None,
    height_u=None,
    reason="",
):
    """安装: put a device in place, optionally mounted in a rack at a starting U. Two devices never overlap."""
    with transaction.atomic():
        if rack is not None:
            if rack_unit is None:
                raise ActionRefused(_("Give the starting U for the rack position."))
            rack = _lock_rack(rack)
            if height_u is not None and height_u != equipment.height_u:
                Equipment.objects.filter(pk=equipment.pk).update(height_u=height_u)
                equipment.height_u = height_u
            _check_rack_space(rack=rack, rack_unit=rack_unit, height_u=equipment.height_u, ignore_ids=[equipment.pk])
            building = building or equipment.building
            room = room or rack.room
        department = department or equipment.department or by.department
        if department is None:
            raise ActionRefused(_("Choose the using department."))
        return _step(
            equipment,
            "install",
            LedgerEntry.Kind.INSTALL,
            by=by,
            reason=reason,
            department=department,
            building=building,
            floor=floor,
            room=room,
            rack=rack,
            rack_unit=rack_unit if rack is not None else None,
        )


def equipment_transfer(*, equipment, by, department, custodian=None, building="", floor="", room="", reason=""):
    """调拨: move a device in use to another department."""
    with transaction.atomic():
        current = Equipment.objects.select_for_update().get(pk=equipment.pk)
        if current.department_id == department.pk:
            raise ActionRefused(_("The device already belongs to %(department)s.") % {"department": department})
        return _step(
            current,
            "transfer",
            LedgerEntry.Kind.TRANSFER,
            by=by,
            reason=reason,
            department=department,
            custodian=custodian,
            building=building,
            floor=floor,
            room=room,
        )


def equipment_swap(*, old, new, by, reason=""):
    """调换 in one step: the old device comes back to stock and the new one takes its place, rack slot included."""
    if old.pk == new.pk:
        raise ActionRefused(_("Choose a different device to swap in."))
    with transaction.atomic():
        old = Equipment.objects.select_for_update().get(pk=old.pk)
        rack, rack_unit = old.rack, old.rack_unit
        if rack is not None:
            rack = _lock_rack(rack)
        snapshot = Equipment.objects.get(pk=old.pk)
        _step(old, "swap", LedgerEntry.Kind.SWAP_OUT, by=by, reason=reason, related=new)
        new = _step(new, "swap_in", LedgerEntry.Kind.SWAP_IN, by=by, reason=reason, related=old, replaced=snapshot)
        if rack is not None:
            _check_rack_space(rack=rack, rack_unit=rack_unit, height_u=new.height_u, ignore_ids=[new.pk])
            Equipment.objects.filter(pk=new.pk).update(rack=rack, rack_unit=rack_unit)
            new.rack, new.rack_unit = rack, rack_unit
    return new


def equipment_send_to_repair(*, equipment, by, reason):
    """送修: the repairs app calls this when a device leaves for repair."""
    return _step(equipment, "send_to_repair", LedgerEntry.Kind.SEND_TO_REPAIR, by=by, reason=reason)


def equipment_return_from_repair(*, equipment, by, reason):
    """修复: back to the state it had before the repair."""
    return _step(equipment, "return_from_repair", LedgerEntry.Kind.RETURN_FROM_REPAIR, by=by, reason=reason)


def equipment_make_spare(*, equipment, by, reason=""):
    return _step(equipment, "make_spare", LedgerEntry.Kind.MAKE_SPARE, by=by, reason=reason)


def equipment_withdraw_spare(*, equipment, by, reason=""):
    return _step(equipment, "withdraw_spare", LedgerEntry.Kind.WITHDRAW_SPARE, by=by, reason=reason)


def equipment_request_scrap(*, equipment, by, reason):
    if not reason:
        raise ActionRefused(_("Give the reason for scrapping."))
    return _step(equipment, "request_scrap", LedgerEntry.Kind.REQUEST_SCRAP, by=by, reason=reason)


def equipment_approve_scrap(*, equipment, by, reason=""):
    return _step(equipment, "approve_scrap", LedgerEntry.Kind.APPROVE_SCRAP, by=by, reason=reason)


def equipment_reject_scrap(*, equipment, by, reason):
    if not reason:
        raise ActionRefused(_("Give the reason for rejecting the scrap request."))
    return _step(equipment, "reject_scrap", LedgerEntry.Kind.REJECT_SCRAP, by=by, reason=reason)


def spare_loan_create(*, spare, department, by, expected_return, reason="", borrower=None) -> SpareLoan:
    """出借: lend a spare machine to a department; the spare pool loses it until it is returned."""
    if expected_return < timezone.localdate():
        raise ActionRefused(_("The expected return date cannot be in the past."))
    with transaction.atomic():
        spare = _step(
            spare,
            "lend",
            LedgerEntry.Kind.LEND,
            by=by,
            reason=_("Lent to %(department)s until %(date)s. %(reason)s")
            % {"department": department, "date": expected_return, "reason": reason},
        )
        loan = SpareLoan(
            spare=spare,
            department=department,
            borrower=borrower,
            handler=by,
            expected_return=expected_return,
            reason=reason[:200],
        )
        _full_clean(loan)
        loan.save()
    return loan


def spare_loan_return(*, loan, by) -> SpareLoan:
    """归还: the spare comes back to the pool."""
    with transaction.atomic():
        loan = SpareLoan.objects.select_for_update().get(pk=loan.pk)
        if loan.returned_at is not None:
            raise ActionRefused(_("This loan was already returned."))
        _step(
            loan.spare,
            "loan_return",
            LedgerEntry.Kind.LOAN_RETURN,
            by=by,
            reason=_("Returned by %(department)s.") % {"department": loan.department},
        )
        loan.returned_at = timezone.now()
        loan.returned_to = by
        loan.save(update_fields=["returned_at", "returned_to"])
    return loan


def config_change_record(*, equipment, kind, description, reason, by, performed_at=None) -> ConfigChange:
    """设备变更: recorded at once, except a server parameter change, which waits for the IT head."""
    _require_ledger_role(by)
    needs_approval = ConfigChange.needs_approval_for(equipment, kind)
    change = ConfigChange(
        equipment=equipment,
        kind=kind,
        description=description,
        reason=reason,
        operator=by,
        performed_at=performed_at or timezone.now(),
        state=ConfigChange.State.PENDING_APPROVAL if needs_approval else ConfigChange.State.DONE,
    )
    _full_clean(change)
    with transaction.atomic():
        change.save()
        if not needs_approval:
            _record_change(change)
    if needs_approval:
        transaction.on_commit(
            lambda: notify_roles(
                [Role.IT_HEAD],
                title=gettext_lazy("Server parameter change awaits your approval: %(device)s"),
                body=f"{change.description}\n{change.reason}",
                url=change.get_absolute_url(),
                params={"device": equipment},
            )
        )
    return change


def _record_change(change):
    LedgerEntry.objects.create(
        equipment=change.equipment,
        kind=LedgerEntry.Kind.CONFIG_CHANGE,
        from_status=change.equipment.status,
        to_status=change.equipment.status,
        actor=change.operator,
        reason=f"{change.get_kind_display()}: {change.description} — {change.reason}",
        created_at=change.decided_at or change.performed_at,
    )


def config_change_approve(*, change, by, comment=""):
    with transaction.atomic():
        change = perform(change, "approve", by=by, comment=comment)
        _record_change(change)
    return change


def config_change_reject(*, change, by, comment):
    return perform(change, "reject", by=by, comment=comment)


def _scope_queryset(stocktake):
    equipment = Equipment.objects.active()
    if stocktake.scope == Stocktake.Scope.DEPARTMENT:
        return equipment.filter(department=stocktake.department)
    if stocktake.scope == Stocktake.Scope.CUSTODIAN:
        return equipment.filter(custodian=stocktake.custodian)
    if stocktake.scope == Stocktake.Scope.LOCATION:
        equipment = equipment.filter(building=stocktake.building)
        if stocktake.floor:
            equipment = equipment.filter(floor=stocktake.floor)
        if stocktake.room:
            equipment = equipment.filter(room=stocktake.room)
    return equipment


def stocktake_open(
    *, scope, by, department=None, custodian=None, building="", floor="", room="", notes=""
) -> Stocktake:
    """Open a stocktake and freeze the list of what the book says is in its scope."""
    _require_ledger_role(by)
    stocktake = Stocktake(
        scope=scope,
        department=department if scope == Stocktake.Scope.DEPARTMENT else None,
        custodian=custodian if scope == Stocktake.Scope.CUSTODIAN else None,
        building=building if scope == Stocktake.Scope.LOCATION else "",
        floor=floor if scope == Stocktake.Scope.LOCATION else "",
        room=room if scope == Stocktake.Scope.LOCATION else "",
        opened_by=by,
        notes=notes,
    )
    if scope == Stocktake.Scope.DEPARTMENT and department is None:
        raise ActionRefused(_("Choose the department to count."))
    if scope == Stocktake.Scope.CUSTODIAN and custodian is None:
        raise ActionRefused(_("Choose the custodian whose register is counted."))
    if scope == Stocktake.Scope.LOCATION and not building:
        raise ActionRefused(_("Give at least the building to count."))
    with transaction.atomic():
        stocktake.number = next_number("PD")
        _full_clean(stocktake)
        stocktake.save()
        book = _scope_queryset(stocktake).select_related("rack").order_by("asset_no")
        items = [
            StocktakeItem(
                stocktake=stocktake, equipment=device, asset_no=device.asset_no, book_location=device.location
            )
            for device in book.iterator(chunk_size=2000)
        ]
        StocktakeItem.objects.bulk_create(items, batch_size=1000)
        stocktake.expected_count = len(items)
        stocktake.save(update_fields=["expected_count"])
    return stocktake


def may_count(stocktake, user):
    """IT counts any stocktake; a department head confirms the items of their own department's count."""
    if has_role(user, *LEDGER_ROLES):
        return True
    return (
        has_role(user, Role.DEPT_HEAD)
        and stocktake.scope == Stocktake.Scope.DEPARTMENT
        and stocktake.department_id == user.department_id
    )


class AlreadyCounted(ActionRefused):
    """The item was counted before in this stocktake; a new count replaces it only when the counter confirms."""


def stocktake_count(*, stocktake, asset_no, by, found_location="", note="", recount=False) -> StocktakeItem:
    """Confirm one item, scanned from its QR label or typed. Unknown and out-of-scope numbers are recorded too.

    Scanning an item already counted refuses with ``AlreadyCounted`` unless ``recount`` confirms the replacement.
    """
    if not may_count(stocktake, by):
        raise ActionRefused(_("You may not count items in this stocktake."))
    asset_no = asset_no.strip().rstrip("/").rsplit("/", 1)[-1].upper()
    if not asset_no:
        raise ActionRefused(_("Scan a label or type an asset number."))
    found_location = found_location.strip()
    with transaction.atomic():
        stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
        if stocktake.state != Stocktake.State.OPEN:
            raise ActionRefused(_("This stocktake is closed."))
        item = StocktakeItem.objects.filter(stocktake=stocktake, asset_no=asset_no).select_related("counted_by").first()
        if item is not None and item.counted_at is not None and not recount:
            raise AlreadyCounted(
                _(
                    "%(asset_no)s was already counted at %(when)s by %(person)s: %(result)s. "
                    "Tick “Count again” and confirm to replace that count."
                )
                % {
                    "asset_no": asset_no,
                    "when": f"{timezone.localtime(item.counted_at):%Y-%m-%d %H:%M}",
                    "person": item.counted_by,
                    "result": item.get_result_display(),
                }
            )
        if item is None:
            device = Equipment.objects.filter(asset_no=asset_no).first()
            item = StocktakeItem(
                stocktake=stocktake,
                equipment=device,
                asset_no=asset_no,
                expected=False,
                book_location=device.location if device else "",
                result=StocktakeItem.Result.UNEXPECTED if device else StocktakeItem.Result.UNKNOWN,
            )
        elif found_location and item.equipment and found_location != item.equipment.room:
            item.result = StocktakeItem.Result.MISPLACED
        else:
            item.result = StocktakeItem.Result.MATCHED
        item.found_location = found_location
        item.counted_by = by
        item.counted_at = timezone.now()
        item.note = note[:200]
        item.save()
    return item


def stocktake_close(*, stocktake, by, apply_corrections=False, comment="") -> Stocktake:
    """Close: everything expected and not counted is missing; the match rate is matched / expected.

    With ``apply_corrections`` each device found elsewhere gets its location moved to where it was found.
    """
    with transaction.atomic():
        items = StocktakeItem.objects.filter(stocktake=stocktake)
        items.filter(expected=True, result=StocktakeItem.Result.PENDING).update(result=StocktakeItem.Result.MISSING)
        stocktake = perform(stocktake, "close", by=by, comment=comment)
        counts = _result_counts(stocktake)
        stocktake.matched_count = counts.get(StocktakeItem.Result.MATCHED, 0)
        stocktake.misplaced_count = counts.get(StocktakeItem.Result.MISPLACED, 0)
        stocktake.missing_count = counts.get(StocktakeItem.Result.MISSING, 0)
        stocktake.unexpected_count = counts.get(StocktakeItem.Result.UNEXPECTED, 0) + counts.get(
            StocktakeItem.Result.UNKNOWN, 0
        )
        stocktake.match_rate = (
            round(stocktake.matched_count * 100 / stocktake.expected_count, 1) if stocktake.expected_count else None
        )
        if apply_corrections:
            _apply_corrections(stocktake, by)
            stocktake.corrections_applied = True
        stocktake.save()
    return stocktake


def _result_counts(stocktake):
    return dict(
        StocktakeItem.objects.filter(stocktake=stocktake).values_list("result").annotate(n=Count("id")).order_by()
    )


def _apply_corrections(stocktake, by):
    misplaced = StocktakeItem.objects.filter(
        stocktake=stocktake, result=StocktakeItem.Result.MISPLACED, equipment__isnull=False
    ).select_related("equipment")
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
