"""What the inspection steps do beyond their own row, found by the transition's name."""

from django.dispatch import receiver
from django.urls import reverse
from django.utils.translation import gettext_lazy

from portal.notifications import notify_roles
from portal.workflow import effects, transition_done

from .models import InspectionRound
from .permissions import MACHINE_ROOM_LEAD


def _report_abnormal_findings(inspection, *, by, comment, arguments):
    """Each abnormal finding of a submitted round is reported to the machine-room lead."""
    for result in inspection.results.filter(is_abnormal=True).select_related("item"):
        notify_roles(
            MACHINE_ROOM_LEAD,
            title=gettext_lazy("Abnormal inspection finding: %(place)s · %(item)s"),
            body=gettext_lazy("%(finding)s. Recorded by %(inspector)s on %(period)s: %(description)s"),
            url=reverse("inspections:abnormality_detail", args=[result.pk]),
            params={
                "place": inspection.room or inspection.template,
                "item": result.item.label,
                "finding": result.finding_label,
                "inspector": by,
                "period": inspection.period_label,
                "description": result.description,
            },
        )


receiver(transition_done, sender=InspectionRound)(effects({"submit": _report_abnormal_findings}))
