"""What a custody or waiver step does beyond its own row, found by the transition's name."""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy

from portal.notifications import notify
from portal.workflow import effects, transition_done

from .models import CustodyHandover, OffsiteWaiver


def _move_media_to_receiver(handover, *, by, comment, arguments):
    """The signed handover's media are now held by the receiver, at the place they were taken to."""
    handover.media.update(custodian=handover.to_person, location=handover.to_location, place=handover.to_place)


receiver(transition_done, sender=CustodyHandover)(effects({"sign": _move_media_to_receiver}))


def _stop_offsite_copies(waiver, *, by, comment, arguments):
    """The approved waiver turns the plan's off-site requirement off; the plan's history names the waiver."""
    target = waiver.target
    target.offsite_copy = False
    target._change_reason = waiver.number
    target.save(update_fields=["offsite_copy"])
    _tell_requester(waiver, by=by, comment=comment, arguments=arguments)


def _tell_requester(waiver, *, by, comment, arguments):
    notify(
        [waiver.requested_by],
        title=gettext_lazy("Off-site copy waiver %(number)s: %(state)s"),
        url=waiver.get_absolute_url(),
        params={"number": waiver.number, "state": waiver.State(waiver.state).label},
    )


receiver(transition_done, sender=OffsiteWaiver)(effects({"approve": _stop_offsite_copies, "reject": _tell_requester}))
