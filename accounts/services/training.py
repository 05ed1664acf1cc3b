"""Training records and the yearly minimum of 学习培训制度 3, per IT technician."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.exceptions import ActionRefused
from portal.people import people_with
from portal.roles import has_role
from portal.validation import validated

from ..models import TrainingRecord
from ..permissions import TECHNICIANS, TRAINING_KEEPERS


def training_record(*, trainee, title, held_on, hours, by, organiser=""):
    if not has_role(by, *TRAINING_KEEPERS):
        raise ActionRefused(_("Only the IT head records training."))
    if held_on > timezone.localdate():
        raise ActionRefused(_("Record a training once it has taken place."))
    record = validated(
        TrainingRecord(trainee=trainee, title=title, organiser=organiser, held_on=held_on, hours=hours, recorded_by=by)
    )
    record.save()
    return record


@dataclass(frozen=True)
class TrainingYear:
    person: object
    year: int
    sessions: int
    hours: Decimal

    @property
    def met(self):
        return self.sessions >= TrainingRecord.MIN_SESSIONS or self.hours >= TrainingRecord.MIN_HOURS

    @property
    def overdue(self):
        """The year is over and its minimum was not met."""
        return not self.met and self.year < timezone.localdate().year


def training_years(year, people=None) -> list[TrainingYear]:
    """Each IT technician's sessions and hours in ``year``: one query."""
    in_year = Q(training_records__held_on__year=year)
    people = (people if people is not None else people_with(*TECHNICIANS)).annotate(
        sessions=Count("training_records", filter=in_year), hours=Sum("training_records__hours", filter=in_year)
    )
    return [TrainingYear(person, year, person.sessions, person.hours or Decimal(0)) for person in people]
