"""Requests for disclosure (依申请公开) with their legal working-day clock, and the reminders sent about them."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.exceptions import ActionRefused
from portal.fields import DetailPage, person
from portal.roles import Role
from portal.scoping import ScopedQuerySet
from portal.workdays import add_working_days, working_days_between
from portal.workflow import Condition, StateField, role_required

from ..permissions import REQUEST_HANDLER_ROLES, REQUEST_VIEWER_ROLES

RESPONSE_LIMIT_WORKING_DAYS = 20
EXTENSION_LIMIT_WORKING_DAYS = 20
CLARIFICATION_LIMIT_WORKING_DAYS = 7
CONSULTATION_WORKING_DAYS = 15


class DisclosureRequestQuerySet(ScopedQuerySet):
    """Requests are read by the disclosure office and oversight only."""

    read_all_roles = REQUEST_VIEWER_ROLES

    def open(self):
        return self.exclude(state=DisclosureRequest.State.ANSWERED)


class DisclosureRequest(DetailPage, ConcurrentTransitionMixin, models.Model):
    """An application for disclosure (依申请公开) with its legal working-day clock."""

    class State(models.TextChoices):
        OPEN = "open", _("In progress")
        AWAITING_CLARIFICATION = "awaiting_clarification", _("Awaiting clarification")
        CONSULTING = "consulting", _("Consulting a third party")
        ANSWERED = "answered", _("Answered")

    class ApplicantKind(models.TextChoices):
        PERSON = "person", _("Person")
        ORGANISATION = "organisation", _("Organisation")

    class Channel(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        LETTER = "letter", _("Letter")
        ONLINE = "online", _("Online")
        EMAIL = "email", _("E-mail")
        FAX = "fax", _("Fax")

    class ResponseType(models.TextChoices):
        ALREADY_PUBLIC = "already_public", _("Already public (where to find it)")
        DISCLOSED = "disclosed", _("Disclosed")
        PARTLY_DISCLOSED = "partly_disclosed", _("Partly disclosed")
        NOT_DISCLOSED = "not_disclosed", _("Not disclosed (with reason)")
        DOES_NOT_EXIST = "does_not_exist", _("Information does not exist")
        NOT_OURS = "not_ours", _("Not held by this hospital (whose it is)")
        REPEAT = "repeat", _("Repeat request")

    # These response types must say where, why or whose.
    DETAIL_REQUIRED = (
        ResponseType.ALREADY_PUBLIC, ResponseType.PARTLY_DISCLOSED, ResponseType.NOT_DISCLOSED, ResponseType.NOT_OURS,
    )  # fmt: skip

    number = models.CharField(_("number"), max_length=30, unique=True)
    applicant_kind = models.CharField(_("applicant type"), max_length=20, choices=ApplicantKind.choices)
    applicant_name = models.CharField(_("applicant"), max_length=100)
    applicant_id_no = models.CharField(_("ID or organisation code"), max_length=30)
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    contact_address = models.CharField(_("postal address or e-mail"), max_length=200, blank=True)
    content = models.TextField(_("information requested"))
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    received_on = models.DateField(_("received on"), db_index=True)
    registered_by = person(_("registered by"))
    state = StateField(_("status"), default=State.OPEN, choices=State.choices, protected=True)
    due_on = models.DateField(_("due on"), null=True, blank=True, db_index=True)

    clarification_requested_on = models.DateField(_("clarification requested on"), null=True, blank=True)
    clarification_note = models.TextField(_("what must be clarified"), blank=True)
    clarification_received_on = models.DateField(_("corrected request received on"), null=True, blank=True)
    consultation_party = models.CharField(_("third party consulted"), max_length=100, blank=True)
    consultation_started_on = models.DateField(_("consultation started on"), null=True, blank=True)
    consultation_ended_on = models.DateField(_("consultation ended on"), null=True, blank=True)
    extension_days = models.PositiveSmallIntegerField(
        _("extension (working days)"), default=0, validators=[MaxValueValidator(EXTENSION_LIMIT_WORKING_DAYS)]
    )
    extension_reason = models.CharField(_("reason for extension"), max_length=200, blank=True)
    extension_approved_by = person(_("extension approved by"), optional=True)
    extension_notified_on = models.DateField(_("applicant notified of extension on"), null=True, blank=True)

    response_type = models.CharField(_("response"), max_length=20, choices=ResponseType.choices, blank=True)
    response_detail = models.TextField(_("where, why or whose"), blank=True)
    responded_on = models.DateField(_("answered on"), null=True, blank=True)
    responded_by = person(_("answered by"), optional=True)

    history = HistoricalRecords()
    objects = DisclosureRequestQuerySet.as_manager()

    detail_url = "disclosure:request_detail"

    class Meta:
        verbose_name = _("disclosure request")
        verbose_name_plural = _("disclosure requests")
        ordering = ["-received_on", "-pk"]
        indexes = [models.Index(fields=["state", "due_on"])]
        constraints = [
            models.CheckConstraint(
                name="disclosure_request_extension_at_most_20",
                condition=Q(extension_days__gte=0, extension_days__lte=EXTENSION_LIMIT_WORKING_DAYS),
                violation_error_message=_("A reply may be extended by at most 20 working days."),
            ),
            models.CheckConstraint(
                name="disclosure_request_answer_complete",
                condition=Q(response_type="") | Q(responded_on__isnull=False),
                violation_error_message=_("An answer needs the date it was given."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.applicant_name}"

    @property
    def clock_started_on(self):
        """The receipt day of the (corrected) request; the clock runs from the next working day."""
        return self.clarification_received_on or self.received_on

    @property
    def paused_working_days(self):
        """Third-party consultation does not count, up to its 15 working days."""
        if not self.consultation_started_on:
            return 0
        limit = add_working_days(self.consultation_started_on, CONSULTATION_WORKING_DAYS)
        end = min(self.consultation_ended_on or limit, limit)
        return working_days_between(self.consultation_started_on, end)

    @property
    def consultation_due_on(self):
        if not self.consultation_started_on:
            return None
        return add_working_days(self.consultation_started_on, CONSULTATION_WORKING_DAYS)

    @property
    def clarification_deadline(self):
        return add_working_days(self.received_on, CLARIFICATION_LIMIT_WORKING_DAYS)

    def compute_due_on(self):
        # 补正 stops the clock; it counts again from receipt of the corrected request (政府信息公开条例 第三十条).
        total = RESPONSE_LIMIT_WORKING_DAYS + self.extension_days + self.paused_working_days
        return add_working_days(self.clock_started_on, total)

    @property
    def is_overdue(self):
        if self.state == self.State.ANSWERED:
            return self.responded_on is not None and self.due_on is not None and self.responded_on > self.due_on
        return self.due_on is not None and self.due_on < timezone.localdate()

    @property
    def clock_stopped(self):
        """补正: the clock stands until the corrected request arrives."""
        return self.state == self.State.AWAITING_CLARIFICATION

    @property
    def working_days_left(self):
        if self.due_on is None or self.state == self.State.ANSWERED:
            return None
        return working_days_between(timezone.localdate(), self.due_on)

    @property
    def working_days_overdue(self):
        if self.due_on is None or self.state == self.State.ANSWERED:
            return 0
        return working_days_between(self.due_on, timezone.localdate())

    @transition(
        field=state,
        source=State.OPEN,
        target=State.AWAITING_CLARIFICATION,
        permission=role_required(*REQUEST_HANDLER_ROLES),
        conditions=[
            Condition(
                lambda request: request.clarification_requested_on is None,
                _("Clarification may be requested only once, all at one time."),
            ),
            Condition(
                lambda request: timezone.localdate() <= request.clarification_deadline,
                _("Clarification must be requested within 7 working days of receipt."),
            ),
        ],
        custom={"label": _("Request clarification"), "style": "outline-primary", "needs_comment": True},
    )
    def request_clarification(self, *, by, comment="", note):
        self.clarification_requested_on = timezone.localdate()
        self.clarification_note = note
        self.due_on = None

    @transition(
        field=state,
        source=State.AWAITING_CLARIFICATION,
        target=State.OPEN,
        permission=role_required(*REQUEST_HANDLER_ROLES),
        custom={"label": _("Corrected request received"), "style": "primary", "needs_comment": True},
    )
    def receive_clarification(self, *, by, comment="", received_on):
        if received_on < self.clarification_requested_on or received_on > timezone.localdate():
            raise ActionRefused(
                _("The corrected request must arrive after clarification was requested and not in the future.")
            )
        self.clarification_received_on = received_on
        self.due_on = self.compute_due_on()

    @transition(
        field=state,
        source=State.OPEN,
        target=State.CONSULTING,
        permission=role_required(*REQUEST_HANDLER_ROLES),
        conditions=[
            Condition(
                lambda request: request.consultation_started_on is None,
                _("A third party has already been consulted."),
            )
        ],
        custom={"label": _("Consult a third party"), "style": "outline-primary", "needs_comment": True},
    )
    def start_consultation(self, *, by, comment="", party):
        self.consultation_party = party
        self.consultation_started_on = timezone.localdate()
        self.due_on = self.compute_due_on()

    @transition(
        field=state,
        source=State.CONSULTING,
        target=State.OPEN,
        permission=role_required(*REQUEST_HANDLER_ROLES),
        custom={"label": _("Third party replied"), "style": "primary", "needs_comment": True},
    )
    def end_consultation(self, *, by, comment="", ended_on):
        if ended_on < self.consultation_started_on or ended_on > timezone.localdate():
            raise ActionRefused(_("The reply date must be after the consultation started and not in the future."))
        self.consultation_ended_on = ended_on
        self.due_on = self.compute_due_on()

    @transition(
        field=state,
        source=[State.OPEN, State.CONSULTING],
        target=None,
        permission=role_required(Role.LEADER),
        conditions=[
            Condition(lambda request: request.extension_days == 0, _("The answer period may be extended only once.")),
            Condition(
                lambda request: request.due_on is not None and timezone.localdate() <= request.due_on,
                _("The extension must be approved before the answer is due."),
            ),
        ],
        custom={"label": _("Approve extension"), "style": "outline-warning", "needs_comment": True},
    )
    def extend(self, *, by, comment="", days, reason, notified_on):
        if not 1 <= days <= EXTENSION_LIMIT_WORKING_DAYS:
            raise ActionRefused(_("An extension is 1 to 20 working days."))
        self.extension_days = days
        self.extension_reason = reason
        self.extension_notified_on = notified_on
        self.extension_approved_by = by
        self.due_on = self.compute_due_on()

    @transition(
        field=state,
        source=State.OPEN,
        target=State.ANSWERED,
        permission=role_required(*REQUEST_HANDLER_ROLES),
        custom={"label": _("Answer"), "style": "success", "needs_comment": True},
    )
    def respond(self, *, by, comment="", response_type, response_detail="", responded_on):
        if response_type in self.DETAIL_REQUIRED and not response_detail.strip():
            raise ActionRefused(_("This answer must say where the information is, why it is withheld, or whose it is."))
        if responded_on < self.received_on or responded_on > timezone.localdate():
            raise ActionRefused(_("The answer date must be between receipt and today."))
        self.response_type = response_type
        self.response_detail = response_detail.strip()
        self.responded_on = responded_on
        self.responded_by = by


class DeadlineReminder(models.Model):
    """One row per reminder sent, so a scheduled task run twice sends it once."""

    key = models.CharField(max_length=120, unique=True)
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("deadline reminder")
        verbose_name_plural = _("deadline reminders")
