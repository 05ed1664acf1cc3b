"""What a custody step does beyond the handover's own row, found by the transition's name."""

from django.dispatch import receiver

from portal.workflow import effects, transition_done

from .models import CustodyHandover


def _move_media_to_receiver(handover, *, by, comment, arguments):
    """The signed handover's media are now held by the receiver, at the place they were taken to."""
    handover.media.update(custodian=handover.to_person, location=handover.to_location, place=handover.to_place)


receiver(transition_done, sender=CustodyHandover)(effects({"sign": _move_media_to_receiver}))
