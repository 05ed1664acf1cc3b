"""Rules for changing the equipment ledger. Every lifecycle step runs through :func:`take_step` and writes one
LedgerEntry, the device's life story (inventory.effects)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import jobs
from portal.exceptions import ActionRefused
from portal.notifications import notify_roles
from portal.numbering import next_number
from portal.validation import validated
from portal.workflow import perform

from .ledger import record_change, record_registration
from .models import ConfigChange, Equipment, LabelSheet, Rack, SpareLoan, Stocktake, StocktakeItem
from .permissions import APPROVERS, PART_APPROVERS, may_count, may_manage_ledger
from .tasks import generate_label_sheet


def _require_ledger_role(user):
    if not may_manage_ledger(user):
        raise ActionRefused(_("Only IT officers and the IT head may change the equipment ledger."))


def take_step(obj, action, *, by, comment="", **arguments):
    """Run one step of a device, configuration change or stocktake: the checks it needs first, then the transition
    (``portal.workflow.perform``); inventory.effects writes what the step does beyond the row (the ledger entry)."""
    with transaction.atomic():
        prepare = PREPARE.get((type(obj), action))
        if prepare is not None:
            arguments = prepare(obj, by=by, comment=comment, **arguments)
        return perform(obj, action, by=by, comment=comment, **arguments)


def equipment_register(*, by, reason="", **fields) -> Equipment:
    """Put a new device on the book (status in stock) with a generated asset number."""
    _require_ledger_role(by)
    with transaction.atomic():
        equipment = Equipment(**fields)
        equipment.asset_no = next_number(Equipment.ASSET_PREFIX)
        validated(equipment, exclude=["rack", "rack_unit"])
        equipment.save()
        record_registration(equipment, by=by, reason=reason)
    return equipment


def equipment_update(*, equipment, by, **fields) -> Equipment:
    """Edit the descriptive fields; status, department and rack change only through lifecycle steps."""
    _require_ledger_role(by)
    for name, value in fields.items():
        setattr(equipment, name, value)
    validated(equipment)
    try:
        with transaction.atomic():
            equipment.save()
    except IntegrityError as error:
        raise ActionRefused(_("Another device already has this serial number.")) from error
    return equipment


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


RACK_POSITION_RULE = _(
    "Equipment rules, item 2: a device installed in a machine room has its rack position recorded (rack and starting U)."
)


SWAP_REASON_RULE = _("Equipment rules, item 3: a device or part is replaced with a written reason.")


def _is_machine_room(room):
    """A room that holds racks is a machine room: what is installed there is mounted (设备管理制度 2)."""
    return bool(room) and Rack.objects.filter(room=room).exists()


def _prepare_issue(equipment, *, by, comment, **arguments):
    """发放: to a user's place; a machine room takes devices by installation, with their rack position."""
    if _is_machine_room(arguments.get("room")):
        raise ActionRefused(RACK_POSITION_RULE)
    return arguments


def _prepare_install(equipment, *, by, comment, department=None, rack=None, rack_unit=None, height_u=None, **place):
    """安装: mounted in a rack at a starting U in a machine room (the rack locked, two devices never overlap)."""
    if rack is None and _is_machine_room(place.get("room")):
        raise ActionRefused(RACK_POSITION_RULE)
    if rack is not None:
        if rack_unit is None:
            raise ActionRefused(_("Give the starting U for the rack position."))
        rack = _lock_rack(rack)
        if height_u is not None and height_u != equipment.height_u:
            Equipment.objects.filter(pk=equipment.pk).update(height_u=height_u)
            equipment.height_u = height_u
        _check_rack_space(rack=rack, rack_unit=rack_unit, height_u=equipment.height_u, ignore_ids=[equipment.pk])
        place["building"] = place.get("building") or equipment.building
        place["room"] = place.get("room") or rack.room
    department = department or equipment.department or by.department
    if department is None:
        raise ActionRefused(_("Choose the using department."))
    return {**place, "department": department, "rack": rack, "rack_unit": rack_unit if rack is not None else None}


def _prepare_transfer(equipment, *, by, comment, department, **arguments):
    """调拨: only to another department, and not into a machine room (a device there is installed in a rack)."""
    if _is_machine_room(arguments.get("room")):
        raise ActionRefused(RACK_POSITION_RULE)
    current = Equipment.objects.select_for_update().get(pk=equipment.pk)
    if current.department_id == department.pk:
        raise ActionRefused(_("The device already belongs to %(department)s.") % {"department": department})
    return {**arguments, "department": department}


def _prepare_swap(old, *, by, comment, replacement):
    """调换: with its reason (设备管理制度 3); the replacement must be another device, and fit the old one's rack slot
    (the rack locked)."""
    if not comment.strip():
        raise ActionRefused(SWAP_REASON_RULE)
    if old.pk == replacement.pk:
        raise ActionRefused(_("Choose a different device to swap in."))
    old = Equipment.objects.select_for_update().get(pk=old.pk)
    if old.rack is not None:
        _check_rack_space(
            rack=_lock_rack(old.rack),
            rack_unit=old.rack_unit,
            height_u=replacement.height_u,
            ignore_ids=[old.pk, replacement.pk],
        )
    return {"replacement": replacement}


def _comment_required(message):
    def prepare(obj, *, by, comment, **arguments):
        if not comment:
            raise ActionRefused(message)
        return arguments

    return prepare


def _mark_missing(stocktake, *, by, comment, **arguments):
    """Everything expected and not counted is missing once the stocktake closes."""
    StocktakeItem.objects.filter(stocktake=stocktake, expected=True, result=StocktakeItem.Result.PENDING).update(
        result=StocktakeItem.Result.MISSING
    )
    return arguments


PREPARE = {
    (Equipment, "issue"): _prepare_issue,
    (Equipment, "install"): _prepare_install,
    (Equipment, "transfer"): _prepare_transfer,
    (Equipment, "swap"): _prepare_swap,
    (Equipment, "request_scrap"): _comment_required(gettext_lazy("Give the reason for scrapping.")),
    (Equipment, "reject_scrap"): _comment_required(gettext_lazy("Give the reason for rejecting the scrap request.")),
    (Stocktake, "close"): _mark_missing,
}


def spare_loan_create(*, spare, department, by, expected_return, reason="", borrower=None) -> SpareLoan:
    """出借: lend a spare machine to a department; the spare pool loses it until it is returned."""
    if expected_return < timezone.localdate():
        raise ActionRefused(_("The expected return date cannot be in the past."))
    with transaction.atomic():
        spare = take_step(
            spare,
            "lend",
            by=by,
            comment=_("Lent to %(department)s until %(date)s. %(reason)s")
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
        validated(loan)
        loan.save()
    return loan


def spare_loan_return(*, loan, by) -> SpareLoan:
    """归还: the spare comes back to the pool."""
    with transaction.atomic():
        loan = SpareLoan.objects.select_for_update().get(pk=loan.pk)
        if not loan.is_open:
            raise ActionRefused(_("This loan was already returned."))
        comment = _("Returned by %(department)s.") % {"department": loan.department}
        take_step(loan.spare, "loan_return", by=by, comment=comment)
        loan.returned_at = timezone.now()
        loan.returned_to = by
        loan.save(update_fields=["returned_at", "returned_to"])
    return loan


APPROVAL_NOTICES = {
    ConfigChange.State.PENDING_APPROVAL: (APPROVERS, gettext_lazy("Parameter change awaits your approval: %(device)s")),
    ConfigChange.State.PENDING_LEADER: (
        PART_APPROVERS,
        gettext_lazy("Server part change awaits your approval: %(device)s"),
    ),
}


def config_change_record(*, equipment, kind, description, reason, by, performed_at=None) -> ConfigChange:
    """设备变更: recorded at once, except the changes that wait for an approval (``ConfigChange.initial_state``)."""
    _require_ledger_role(by)
    change = ConfigChange(
        equipment=equipment,
        kind=kind,
        description=description,
        reason=reason,
        operator=by,
        performed_at=performed_at or timezone.now(),
        state=ConfigChange.initial_state(equipment, kind),
    )
    validated(change)
    with transaction.atomic():
        change.save()
        if not change.awaits_approval:
            record_change(change)
    if change.awaits_approval:
        roles, title = APPROVAL_NOTICES[change.state]
        transaction.on_commit(
            lambda: notify_roles(
                roles,
                title=title,
                body=f"{change.description}\n{change.reason}",
                url=change.get_absolute_url(),
                params={"device": equipment},
            )
        )
    return change


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
        validated(stocktake)
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


class AlreadyCounted(ActionRefused):
    """The item was counted before in this stocktake; a new count replaces it only when the counter confirms."""


def stocktake_count(*, stocktake, asset_no, by, found_location="", note="", recount=False) -> StocktakeItem:
    """Confirm one item, scanned from its QR label or typed. Unknown and out-of-scope numbers are recorded too.

    Scanning an item already counted refuses with ``AlreadyCounted`` unless ``recount`` confirms the replacement.
    """
    if not may_count(by, stocktake):
        raise ActionRefused(_("You may not count items in this stocktake."))
    asset_no = asset_no.strip().rstrip("/").rsplit("/", 1)[-1].upper()
    if not asset_no:
        raise ActionRefused(_("Scan a label or type an asset number."))
    found_location = found_location.strip()
    with transaction.atomic():
        stocktake = Stocktake.objects.select_for_update().get(pk=stocktake.pk)
        if not stocktake.is_open:
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


@transaction.atomic
def label_sheet_request(*, devices: list, by) -> LabelSheet:
    """A sheet of more than one page, queued for the worker."""
    sheet = LabelSheet.objects.create(
        requested_by=by, devices=[device.pk for device in devices], device_count=len(devices)
    )
    jobs.enqueue(generate_label_sheet, sheet.pk)
    return sheet
