"""Disclosure items (seven-stage review before publication) and on-request disclosure applications."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.exceptions import ActionRefused
from portal.roles import IT_ROLES, Role, has_role
from portal.workdays import add_working_days, working_days_between
from portal.workflow import Condition, Guard, StateField, not_same_person, role_required

ENTRY_LIMIT_WORKING_DAYS = 20
RESPONSE_LIMIT_WORKING_DAYS = 20
EXTENSION_LIMIT_WORKING_DAYS = 20
CLARIFICATION_LIMIT_WORKING_DAYS = 7
CONSULTATION_WORKING_DAYS = 15

# Who sees every item and request; everyone else sees their own department's items only.
OVERSIGHT_ROLES = (Role.LEADER, Role.SECRECY_REVIEWER, Role.IT_OFFICER, Role.IT_HEAD, Role.AUDITOR)
COLLECTOR_ROLES = (Role.STAFF, Role.DEPT_HEAD, Role.IT_OFFICER)
EMERGENCY_ROLES = (Role.LEADER, Role.IT_HEAD)
REQUEST_HANDLER_ROLES = IT_ROLES
REQUEST_VIEWER_ROLES = (*IT_ROLES, Role.LEADER, Role.AUDITOR)


class Category(models.Model):
    """A heading of the disclosure catalogue (机构职能, 规章制度, ...); editable in the admin."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("disclosure category")
        verbose_name_plural = _("disclosure categories")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class DisclosureItemQuerySet(models.QuerySet):
    def visible_to(self, user):
        if has_role(user, *OVERSIGHT_ROLES):
            return self
        if has_role(user, *COLLECTOR_ROLES) and user.department_id:
            return self.filter(department_id=user.department_id)
        return self.none()

    def public(self):
        """What the public page shows: the last published version of proactive items, not withdrawn."""
        return self.filter(
            first_published_at__isnull=False,
            withdrawn_at__isnull=True,
            published_attribute=DisclosureItem.Attribute.PROACTIVE,
        )


def _is_collector(item, user):
    return item.collector_id == user.pk


def _heads_source_department(item, user):
    same_department = user.department_id is not None and user.department_id == item.department_id
    return same_department and has_role(user, Role.DEPT_HEAD)


def _may_edit(item, user):
    return _is_collector(item, user) or _heads_source_department(item, user) or has_role(user, Role.LEADER)


class DisclosureItem(ConcurrentTransitionMixin, models.Model):
    class State(models.TextChoices):
        COLLECTION = "collection", _("Collection")
        CONTENT_REVIEW = "content_review", _("Awaiting content review")
        SECRECY_REVIEW = "secrecy_review", _("Awaiting confidentiality review")
        PUBLICATION_REVIEW = "publication_review", _("Awaiting publication review")
        SIGN_OFF = "sign_off", _("Awaiting sign-off")
        ENTRY = "entry", _("Awaiting entry")
        ENTRY_REVIEW = "entry_review", _("Awaiting entry review")
        PUBLISHED = "published", _("Published")
        FILED = "filed", _("Formed, not published proactively")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Opinion(models.TextChoices):
        PUBLIC = "public", _("Public")
        NOT_PUBLIC = "not_public", _("Not public")

    class Attribute(models.TextChoices):
        PROACTIVE = "proactive", _("Proactive disclosure")
        ON_REQUEST = "on_request", _("Disclosure on request")
        INTERNAL = "internal", _("Internal disclosure")
        NOT_DISCLOSED = "not_disclosed", _("Not disclosed")

    class WithholdReason(models.TextChoices):
        STATE_SECRET = "state_secret", _("State secret")
        COMMERCIAL_SECRET = "commercial_secret", _("Commercial secret")
        PERSONAL_PRIVACY = "personal_privacy", _("Personal privacy")
        INTERNAL_AFFAIRS = "internal_affairs", _("Internal affairs")
        PROCESS_INFORMATION = "process_information", _("Process information")
        OTHER = "other", _("Other")

    # Review fields cleared when the content changes, so every stage from content review on is taken again.
    REVIEW_FIELDS = (
        "content_opinion", "content_reviewer", "content_reviewed_at", "secrecy_reviewer", "secrecy_reviewed_at",
        "attribute", "withhold_reason", "withhold_reason_text", "publication_reviewer", "publication_reviewed_at",
        "signed_off_by", "entry_due", "entrant", "entered_at", "entry_reviewer",
    )  # fmt: skip

    number = models.CharField(_("number"), max_length=30, unique=True)
    title = models.CharField(_("title"), max_length=200)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="items", verbose_name=_("category"))
    body = models.TextField(_("body"))
    department = models.ForeignKey(
        "accounts.Department", on_delete=models.PROTECT, related_name="+", verbose_name=_("source department")
    )
    collector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("collector")
    )
    created_at = models.DateTimeField(_("collected at"), default=timezone.now)
    state = StateField(_("stage"), default=State.COLLECTION, choices=State.choices, protected=True)

    content_opinion = models.CharField(_("department opinion"), max_length=20, choices=Opinion.choices, blank=True)
    content_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("content reviewer"),
    )  # fmt: skip
    content_reviewed_at = models.DateTimeField(_("content reviewed at"), null=True, blank=True)
    secrecy_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("confidentiality reviewer"),
    )  # fmt: skip
    secrecy_reviewed_at = models.DateTimeField(_("confidentiality reviewed at"), null=True, blank=True)
    attribute = models.CharField(_("disclosure attribute"), max_length=20, choices=Attribute.choices, blank=True)
    withhold_reason = models.CharField(
        _("reason not disclosed"), max_length=30, choices=WithholdReason.choices, blank=True
    )
    withhold_reason_text = models.CharField(_("reason in words"), max_length=200, blank=True)
    publication_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("publication reviewer"),
    )  # fmt: skip
    publication_reviewed_at = models.DateTimeField(_("publication reviewed at"), null=True, blank=True)
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("signed off by"),
    )  # fmt: skip
    formed_on = models.DateField(_("formation date"), null=True, blank=True)
    entry_due = models.DateField(_("entry due"), null=True, blank=True)
    entrant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("entrant"),
    )  # fmt: skip
    entered_at = models.DateTimeField(_("entered at"), null=True, blank=True)
    entry_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("entry reviewer"),
    )  # fmt: skip

    # The version the public sees: set only when an item passes entry review.
    published_title = models.CharField(_("published title"), max_length=200, blank=True)
    published_body = models.TextField(_("published body"), blank=True)
    published_category = models.ForeignKey(
        Category, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("published category"),
    )  # fmt: skip
    published_attribute = models.CharField(
        _("published attribute"), max_length=20, choices=Attribute.choices, blank=True
    )
    published_formed_on = models.DateField(_("published formation date"), null=True, blank=True)
    first_published_at = models.DateTimeField(_("first published at"), null=True, blank=True, db_index=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    history = HistoricalRecords()
    objects = DisclosureItemQuerySet.as_manager()

    class Meta:
        verbose_name = _("disclosure item")
        verbose_name_plural = _("disclosure items")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["state", "department"]),
            models.Index(fields=["published_attribute", "withdrawn_at", "published_category"]),
            models.Index(fields=["formed_on"]),
            models.Index(fields=["entry_due"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="disclosure_secrecy_review_before_publication_review",
                condition=Q(publication_reviewed_at__isnull=True)
                | Q(secrecy_reviewed_at__isnull=False, secrecy_reviewed_at__lte=F("publication_reviewed_at")),
                violation_error_message=_("The publication review comes after the confidentiality review."),
            ),
            models.CheckConstraint(
                name="disclosure_content_review_before_secrecy_review",
                condition=Q(secrecy_reviewed_at__isnull=True)
                | Q(content_reviewed_at__isnull=False, content_reviewed_at__lte=F("secrecy_reviewed_at")),
                violation_error_message=_("The confidentiality review comes after the content review."),
            ),
            models.CheckConstraint(
                name="disclosure_secrecy_reviewer_is_not_collector",
                condition=Q(secrecy_reviewer__isnull=True) | ~Q(secrecy_reviewer=F("collector")),
                violation_error_message=_("The confidentiality reviewer must be another person than the collector."),
            ),
            models.CheckConstraint(
                name="disclosure_entry_reviewer_is_not_entrant",
                condition=Q(entry_reviewer__isnull=True) | ~Q(entry_reviewer=F("entrant")),
                violation_error_message=_("The entry reviewer must be another person than the one who entered it."),
            ),
            models.CheckConstraint(
                name="disclosure_not_disclosed_has_reason",
                condition=~Q(attribute="not_disclosed") | ~Q(withhold_reason=""),
                violation_error_message=_("Information not disclosed needs a reason."),
            ),
            models.CheckConstraint(
                name="disclosure_other_reason_has_text",
                condition=~Q(withhold_reason="other") | ~Q(withhold_reason_text=""),
                violation_error_message=_("Describe the other reason."),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("disclosure:item_detail", args=[self.pk])

    def get_public_url(self):
        return reverse("public:item", args=[self.pk])

    @property
    def is_public(self):
        return (
            self.first_published_at is not None
            and self.withdrawn_at is None
            and self.published_attribute == self.Attribute.PROACTIVE
        )

    @property
    def entry_overdue(self):
        return self.entry_due is not None and self.state == self.State.ENTRY and self.entry_due < timezone.localdate()

    @property
    def editable_in_place(self):
        """Before content review is passed an edit needs no re-approval; later it is a revision."""
        return self.state in (self.State.COLLECTION, self.State.CONTENT_REVIEW)

    def _clear_reviews(self):
        for name in self.REVIEW_FIELDS:
            field = self._meta.get_field(name)
            setattr(self, field.attname, None if field.null else "")

    @transition(
        field=state,
        source=State.COLLECTION,
        target=State.CONTENT_REVIEW,
        permission=Guard(_is_collector, _("Only the collector may submit this item.")),
        conditions=[Condition(lambda item: item.body.strip(), _("The body is empty."))],
        custom={"label": _("Submit for content review")},
    )
    def submit(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.CONTENT_REVIEW,
        target=State.SECRECY_REVIEW,
        permission=Guard(_heads_source_department, _("Only the head of the source department reviews its content."))
        & not_same_person("collector", _("The collector of an item may not pass its content review.")),
        custom={"label": _("Pass content review"), "style": "success", "needs_comment": True},
    )
    def approve_content(self, *, by, comment="", opinion):
        self.content_opinion = opinion
        self.content_reviewer = by
        self.content_reviewed_at = timezone.now()

    @transition(
        field=state,
        source=State.CONTENT_REVIEW,
        target=State.COLLECTION,
        permission=Guard(_heads_source_department, _("Only the head of the source department reviews its content.")),
        custom={"label": _("Return to the collector"), "style": "outline-danger", "needs_comment": True},
    )
    def return_content(self, *, by, comment=""):
        self._clear_reviews()

    @transition(
        field=state,
        source=State.SECRECY_REVIEW,
        target=State.PUBLICATION_REVIEW,
        permission=role_required(Role.SECRECY_REVIEWER)
        & not_same_person("collector", _("The collector of an item may not review its confidentiality.")),
        conditions=[Condition(lambda item: item.content_reviewed_at, _("Content review has not been passed."))],
        custom={"label": _("Pass confidentiality review"), "style": "success", "needs_comment": True},
    )
    def pass_secrecy(self, *, by, comment=""):
        self.secrecy_reviewer = by
        self.secrecy_reviewed_at = timezone.now()

    @transition(
        field=state,
        source=State.SECRECY_REVIEW,
        target=State.COLLECTION,
        permission=role_required(Role.SECRECY_REVIEWER)
        & not_same_person("collector", _("The collector of an item may not review its confidentiality.")),
        custom={"label": _("Contains secret or sensitive content"), "style": "danger", "needs_comment": True},
    )
    def flag_secret(self, *, by, comment=""):
        self._clear_reviews()

    @transition(
        field=state,
        source=State.PUBLICATION_REVIEW,
        target=State.SIGN_OFF,
        permission=role_required(Role.LEADER),
        conditions=[
            Condition(
                lambda item: item.secrecy_reviewed_at,
                _("Confidentiality review must come before publication review."),
            )
        ],
        custom={"label": _("Decide the disclosure attribute"), "style": "success", "needs_comment": True},
    )
    def review_publication(self, *, by, comment="", attribute, withhold_reason="", withhold_reason_text=""):
        if attribute == self.Attribute.NOT_DISCLOSED and not withhold_reason:
            raise ActionRefused(_("An item that is not disclosed needs the reason."))
        if withhold_reason == self.WithholdReason.OTHER and not withhold_reason_text.strip():
            raise ActionRefused(_("Describe the other reason in words."))
        if attribute != self.Attribute.NOT_DISCLOSED:
            withhold_reason, withhold_reason_text = "", ""
        self.attribute = attribute
        self.withhold_reason = withhold_reason
        self.withhold_reason_text = withhold_reason_text.strip()
        self.publication_reviewer = by
        self.publication_reviewed_at = timezone.now()

    @transition(
        field=state,
        source=[State.PUBLICATION_REVIEW, State.SIGN_OFF],
        target=State.CONTENT_REVIEW,
        permission=role_required(Role.LEADER),
        custom={"label": _("Return for content review"), "style": "outline-danger", "needs_comment": True},
    )
    def return_publication(self, *, by, comment=""):
        self._clear_reviews()

    @transition(
        field=state,
        source=State.SIGN_OFF,
        target=RETURN_VALUE(State.ENTRY, State.FILED),
        permission=role_required(Role.LEADER)
        & not_same_person("publication_reviewer", _("The leader who reviewed it for publication may not sign it off.")),
        conditions=[Condition(lambda item: item.attribute, _("The disclosure attribute has not been decided."))],
        custom={"label": _("Sign off"), "style": "success", "needs_comment": True},
    )
    def sign_off(self, *, by, comment=""):
        today = timezone.localdate()
        self.signed_off_by = by
        self.formed_on = today
        if self.attribute != self.Attribute.PROACTIVE:
            return self.State.FILED
        self.entry_due = add_working_days(today, ENTRY_LIMIT_WORKING_DAYS)
        return self.State.ENTRY

    @transition(
        field=state,
        source=State.ENTRY,
        target=State.ENTRY_REVIEW,
        permission=role_required(*IT_ROLES),
        custom={"label": _("Record entry"), "style": "success", "needs_comment": True},
    )
    def enter(self, *, by, comment="", rechecked):
        if not rechecked:
            raise ActionRefused(_("The entrant must re-check the content before entry."))
        self.entrant = by
        self.entered_at = timezone.now()

    @transition(
        field=state,
        source=State.ENTRY_REVIEW,
        target=State.PUBLISHED,
        permission=role_required(*IT_ROLES)
        & not_same_person("entrant", _("The entrant may not review their own entry.")),
        custom={"label": _("Pass entry review and publish"), "style": "success", "needs_comment": True},
    )
    def approve_entry(self, *, by, comment=""):
        now = timezone.now()
        self.entry_reviewer = by
        self.published_title = self.title
        self.published_body = self.body
        self.published_category_id = self.category_id
        self.published_attribute = self.attribute
        self.published_formed_on = self.formed_on
        self.published_at = now
        if self.first_published_at is None:
            self.first_published_at = now
        self.notices.filter(kind=PublicNotice.Kind.CORRECTION, applied_at__isnull=True).update(applied_at=now)

    @transition(
        field=state,
        source=State.ENTRY_REVIEW,
        target=State.ENTRY,
        permission=role_required(*IT_ROLES)
        & not_same_person("entrant", _("The entrant may not review their own entry.")),
        custom={"label": _("Return to entry"), "style": "outline-danger", "needs_comment": True},
    )
    def return_entry(self, *, by, comment=""):
        self.entrant = None
        self.entered_at = None

    @transition(
        field=state,
        source=[State.SECRECY_REVIEW, State.PUBLICATION_REVIEW, State.SIGN_OFF, State.ENTRY, State.ENTRY_REVIEW],
        target=State.CONTENT_REVIEW,
        permission=Guard(_may_edit, _("Only the collector, the department head or a leader may edit this item.")),
        custom={"label": _("Edit (back to content review)"), "style": "outline-secondary", "needs_comment": True},
    )
    def revise(self, *, by, comment="", title, category, body):
        self.title, self.category, self.body = title, category, body
        self._clear_reviews()

    @transition(
        field=state,
        source=State.PUBLISHED,
        target=State.CONTENT_REVIEW,
        permission=role_required(*EMERGENCY_ROLES),
        custom={"label": _("Correct (emergency)"), "style": "outline-warning", "needs_comment": True},
    )
    def correct(self, *, by, comment="", body, note):
        self.body = body
        self._clear_reviews()
        PublicNotice.objects.create(item=self, kind=PublicNotice.Kind.CORRECTION, note=note, made_by=by)

    @transition(
        field=state,
        source="+",
        target=State.WITHDRAWN,
        permission=role_required(*EMERGENCY_ROLES),
        conditions=[Condition(lambda item: item.first_published_at, _("Only a published item can be withdrawn."))],
        custom={"label": _("Withdraw (emergency)"), "style": "danger", "needs_comment": True},
    )
    def withdraw(self, *, by, comment="", note):
        self.withdrawn_at = timezone.now()
        PublicNotice.objects.create(
            item=self, kind=PublicNotice.Kind.WITHDRAWAL, note=note, made_by=by, applied_at=self.withdrawn_at
        )


class PublicNotice(models.Model):
    """A correction or withdrawal shown on the public page (应急处置)."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", _("Correction")
        WITHDRAWAL = "withdrawal", _("Withdrawal")

    item = models.ForeignKey(DisclosureItem, on_delete=models.CASCADE, related_name="notices", verbose_name=_("item"))
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    note = models.TextField(_("public note"))
    made_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("handler")
    )
    made_at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    applied_at = models.DateTimeField(_("corrected version published at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("public notice")
        verbose_name_plural = _("public notices")
        ordering = ["made_at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.item.number}"


class DisclosureRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self if has_role(user, *REQUEST_VIEWER_ROLES) else self.none()

    def open(self):
        return self.exclude(state=DisclosureRequest.State.ANSWERED)


class DisclosureRequest(ConcurrentTransitionMixin, models.Model):
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
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registered by")
    )
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
    extension_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("extension approved by"),
    )  # fmt: skip
    extension_notified_on = models.DateField(_("applicant notified of extension on"), null=True, blank=True)

    response_type = models.CharField(_("response"), max_length=20, choices=ResponseType.choices, blank=True)
    response_detail = models.TextField(_("where, why or whose"), blank=True)
    responded_on = models.DateField(_("answered on"), null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("answered by"),
    )  # fmt: skip

    history = HistoricalRecords()
    objects = DisclosureRequestQuerySet.as_manager()

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

    def get_absolute_url(self):
        return reverse("disclosure:request_detail", args=[self.pk])

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
