"""What each step does beyond its own row: the device's ledger entry, the replacement of a swap, the ledger entry
of an approved change, a stocktake's location corrections. Found by the transition's name (portal.workflow)."""

import copy

from django.dispatch import receiver
from django_fsm.signals import pre_transition

from portal.workflow import effects, transition_done

from . import services
from .ledger import correct_locations, record_change, record_step
from .models import ConfigChange, Equipment, LedgerEntry, Stocktake


@receiver(pre_transition, sender=Equipment)
def _remember_before(sender, instance, **signal):
    """The device as it was before the step moves it: where its ledger entry says it came from."""
    instance._before_step = copy.copy(instance)


def _ledger(kind, related=None):
    """The effect that writes the step's ledger entry; ``related`` names the argument that is the other device."""

    def write(device, *, by, comment, arguments):
        record_step(
            device,
            kind,
            before=device._before_step,
            by=by,
            reason=comment,
            related=arguments.get(related) if related else None,
        )

    return write


def _swap_out(old, *, by, comment, arguments):
    _ledger(LedgerEntry.Kind.SWAP_OUT, related="replacement")(old, by=by, comment=comment, arguments=arguments)
    services.take_step(arguments["replacement"], "swap_in", by=by, comment=comment, replaced=old._before_step)


EQUIPMENT_STEPS = {
    action: _ledger(LedgerEntry.Kind(action))
    for action in (
        "issue",
        "install",
        "transfer",
        "send_to_repair",
        "return_from_repair",
        "make_spare",
        "withdraw_spare",
        "lend",
        "loan_return",
        "request_scrap",
        "approve_scrap",
        "reject_scrap",
    )
}

# Module-level names keep the receivers alive (signals hold them weakly).
on_equipment_step = receiver(transition_done, sender=Equipment)(
    effects(
        {
            **EQUIPMENT_STEPS,
            "swap": _swap_out,
            "swap_in": _ledger(LedgerEntry.Kind.SWAP_IN, related="replaced"),
        }
    )
)

on_change_step = receiver(transition_done, sender=ConfigChange)(
    effects({"approve": lambda change, **_step: record_change(change)})
)


def _apply_corrections(stocktake, *, by, comment, arguments):
    if arguments.get("apply_corrections"):
        correct_locations(stocktake, by=by)


on_stocktake_step = receiver(transition_done, sender=Stocktake)(effects({"close": _apply_corrections}))
