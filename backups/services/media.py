"""Media custody and stocktakes, and the one entry point for their workflow steps."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal.exceptions import ActionRefused
from portal.notifications import notify
from portal.numbering import next_number
from portal.validation import validated
from portal.workflow import perform

from ..models import BackupMedium, CustodyHandover, MediaStocktake, StocktakeLine
from ..permissions import may_manage


def take_step(obj, action, *, by, comment="", **arguments):
    """Run a custody handover's, a media stocktake's or an off-site waiver's transition ``action`` as ``by``."""
    return perform(obj, action, by=by, comment=comment, **arguments)


def custody_handover_create(*, media, from_person, to_person, to_location, to_place, handed_over_at=None, note="", by):
    if not may_manage(by):
        raise ActionRefused(_("Only the DBA or the IT head records a custody handover."))
    if from_person.pk == to_person.pk:
        raise ActionRefused(_("Media are handed over to someone else."))
    media = list(media)
    if not media:
        raise ActionRefused(_("Choose at least one medium."))
    not_held = [medium.label for medium in media if medium.custodian_id != from_person.pk]
    if not_held:
        raise ActionRefused(
            _("%(person)s does not hold: %(media)s.") % {"person": from_person, "media": "、".join(not_held)}
        )
    handover = CustodyHandover(
        number=next_number("JJ"),
        from_person=from_person,
        to_person=to_person,
        to_location=to_location,
        to_place=to_place,
        handed_over_at=handed_over_at or timezone.now(),
        note=note,
    )
    validated(handover)
    handover.save()
    handover.media.set(media)
    notify(
        [to_person],
        title=gettext_lazy("Sign for backup media: %(number)s"),
        url=handover.get_absolute_url(),
        params={"number": handover.number},
    )
    return handover


def stocktake_open(*, location, by, counted_on=None, note="") -> MediaStocktake:
    if not may_manage(by):
        raise ActionRefused(_("Only the DBA or the IT head starts a media stocktake."))
    media = list(BackupMedium.objects.filter(is_active=True, location=location))
    if not media:
        raise ActionRefused(_("The register has no media at this location."))
    stocktake = MediaStocktake.objects.create(
        number=next_number(MediaStocktake.NUMBER_PREFIX),
        location=location,
        counted_by=by,
        counted_on=counted_on or timezone.localdate(),
        note=note,
    )
    StocktakeLine.objects.bulk_create(
        StocktakeLine(stocktake=stocktake, medium=medium, expected_place=medium.place) for medium in media
    )
    return stocktake


def stocktake_record(*, stocktake: MediaStocktake, results: dict, by) -> MediaStocktake:
    """``results`` maps a line's pk to (result, note)."""
    if not stocktake.is_open:
        raise ActionRefused(_("This stocktake is closed."))
    if not may_manage(by):
        raise ActionRefused(_("Only the DBA or the IT head records a media stocktake."))
    lines = {line.pk: line for line in stocktake.lines.all()}
    for pk, (result, note) in results.items():
        line = lines[pk]
        if result == StocktakeLine.Result.ELSEWHERE and not note:
            raise ActionRefused(_("Say where %(medium)s was found.") % {"medium": line.medium})
        line.result, line.note = result, note
    StocktakeLine.objects.bulk_update(lines.values(), ["result", "note"])
    return stocktake
