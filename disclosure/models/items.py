"""Disclosure items: the seven-stage review before publication (采集, 内容审核, 保密审查, 公开审核, 签发, 录入, 录入审核)."""

from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, transition
from simple_history.models import HistoricalRecords

from portal.exceptions import ActionRefused
from portal.fields import DetailPage, person
from portal.roles import IT_ROLES, Role
from portal.scoping import ScopedQuerySet
from portal.workdays import add_working_days
from portal.workflow import Condition, Guard, StateField, not_same_person, role_required

from ..permissions import (
    COLLECTOR_ROLES,
    EMERGENCY_ROLES,
    ITEM_READ_ALL_ROLES,
    collected_by,
    heads_source_department,
    may_change_content,
)
from .catalogue import Category

ENTRY_LIMIT_WORKING_DAYS = 20


class DisclosureItemQuerySet(ScopedQuerySet):
    """Every item for those who read all; a collector's own department's items for collectors."""

    read_all_roles = ITEM_READ_ALL_ROLES
    department_path = "department"
    department_roles = COLLECTOR_ROLES

    def public(self):
        """What the public page shows: the last published version of proactive items, not withdrawn."""
        return self.filter(
            first_published_at__isnull=False,
            withdrawn_at__isnull=True,
            published_attribute=DisclosureItem.Attribute.PROACTIVE,
        )


class DisclosureItem(DetailPage, ConcurrentTransitionMixin, models.Model):
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
    collector = person(_("collector"))
    created_at = models.DateTimeField(_("collected at"), default=timezone.now)
    state = StateField(_("stage"), default=State.COLLECTION, choices=State.choices, protected=True)

    content_opinion = models.CharField(_("department opinion"), max_length=20, choices=Opinion.choices, blank=True)
    content_reviewer = person(_("content reviewer"), optional=True)
    content_reviewed_at = models.DateTimeField(_("content reviewed at"), null=True, blank=True)
    secrecy_reviewer = person(_("confidentiality reviewer"), optional=True)
    secrecy_reviewed_at = models.DateTimeField(_("confidentiality reviewed at"), null=True, blank=True)
    attribute = models.CharField(_("disclosure attribute"), max_length=20, choices=Attribute.choices, blank=True)
    withhold_reason = models.CharField(
        _("reason not disclosed"), max_length=30, choices=WithholdReason.choices, blank=True
    )
    withhold_reason_text = models.CharField(_("reason in words"), max_length=200, blank=True)
    publication_reviewer = person(_("publication reviewer"), optional=True)
    publication_reviewed_at = models.DateTimeField(_("publication reviewed at"), null=True, blank=True)
    signed_off_by = person(_("signed off by"), optional=True)
    formed_on = models.DateField(_("formation date"), null=True, blank=True)
    entry_due = models.DateField(_("entry due"), null=True, blank=True)
    entrant = person(_("entrant"), optional=True)
    entered_at = models.DateTimeField(_("entered at"), null=True, blank=True)
    entry_reviewer = person(_("entry reviewer"), optional=True)

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

    detail_url = "disclosure:item_detail"

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
        permission=Guard(lambda item, user: collected_by(user, item), _("Only the collector may submit this item.")),
        conditions=[Condition(lambda item: item.body.strip(), _("The body is empty."))],
        custom={"label": _("Submit for content review")},
    )
    def submit(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.CONTENT_REVIEW,
        target=State.SECRECY_REVIEW,
        permission=Guard(
            lambda item, user: heads_source_department(user, item),
            _("Only the head of the source department reviews its content."),
        )
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
        permission=Guard(
            lambda item, user: heads_source_department(user, item),
            _("Only the head of the source department reviews its content."),
        ),
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
        permission=Guard(
            lambda item, user: may_change_content(user, item),
            _("Only the collector, the department head or a leader may edit this item."),
        ),
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
        """``note`` is the public notice shown at once (created by the step's effect)."""
        self.body = body
        self._clear_reviews()

    @transition(
        field=state,
        source="+",
        target=State.WITHDRAWN,
        permission=role_required(*EMERGENCY_ROLES),
        conditions=[Condition(lambda item: item.first_published_at, _("Only a published item can be withdrawn."))],
        custom={"label": _("Withdraw (emergency)"), "style": "danger", "needs_comment": True},
    )
    def withdraw(self, *, by, comment="", note):
        """``note`` is the public notice shown at once (created by the step's effect)."""
        self.withdrawn_at = timezone.now()
