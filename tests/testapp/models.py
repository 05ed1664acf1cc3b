"""A small approval document used to test the portal's workflow helper without any business app."""

from django.conf import settings
from django.db import models
from django_fsm import ConcurrentTransitionMixin, transition

from portal.roles import Role
from portal.workflow import Condition, StateField, not_same_person, role_required


class VoucherQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(applicant__department_id=user.department_id)


class Voucher(ConcurrentTransitionMixin, models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", "草稿"
        SUBMITTED = "submitted", "已提交"
        APPROVED = "approved", "已批准"

    title = models.CharField(max_length=100)
    amount = models.PositiveIntegerField(default=0)
    applicant = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    state = StateField(default=State.DRAFT, choices=State.choices, protected=True)

    objects = VoucherQuerySet.as_manager()

    @transition(
        field=state,
        source=State.DRAFT,
        target=State.SUBMITTED,
        conditions=[Condition(lambda v: v.amount > 0, "金额必须大于零。")],
        custom={"label": "提交"},
    )
    def submit(self, *, by, comment=""):
        pass

    @transition(
        field=state,
        source=State.SUBMITTED,
        target=State.APPROVED,
        permission=role_required(Role.DEPT_HEAD) & not_same_person("applicant", "不能审批本人的申请。"),
        custom={"label": "批准"},
    )
    def approve(self, *, by, comment=""):
        self.approver = by
