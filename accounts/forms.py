from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from portal.forms import BoundedForm, BoundedInput, BoundedModelForm
from portal.people import people, people_with
from portal.roles import Role, has_role

from .models import (
    AccessScheme,
    Agreement,
    Department,
    Departure,
    InformationSystem,
    NetworkRequest,
    PermissionRequest,
    PrivilegedAccount,
    SensitiveQueryRequest,
    SystemModule,
    User,
    request_scope_refusal,
)
from .permissions import DELEGATION_KEEPERS, SUCCESSOR_ROLES, TECHNICIANS


class LoginForm(BoundedInput, AuthenticationForm):
    # One message for a wrong user name or a wrong password: it never says which part was wrong.
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The user name or password is incorrect."),
    }
    username = forms.CharField(
        label=_("User name"), widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username"})
    )

    def get_invalid_login_error(self):
        if getattr(self.request, "directory_unavailable", False):
            return forms.ValidationError(DIRECTORY_UNAVAILABLE, code="directory_unavailable")
        return super().get_invalid_login_error()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not personal_account_ok(user):
            raise forms.ValidationError(NO_EMPLOYEE_NO_LOGIN, code="no_employee_no")


DIRECTORY_UNAVAILABLE = _(
    "The directory service is unavailable: directory logins cannot be checked now. Local accounts still sign "
    "in; try again later or call the IT department."
)
NO_EMPLOYEE_NO_LOGIN = _(
    "Under the hospital information system secrecy rules 6, no one uses another person's code: this login has "
    "no employee number and cannot sign in. Ask the system administrator to record it."
)


def personal_account_ok(user) -> bool:
    """000 保密制度 6: every login is one person's, known by their 工号; the system administrator aside."""
    return bool(user.employee_no) or user.is_superuser


class RoleChangeForm(BoundedForm):
    """Give or take one role of a member of staff, with the reason (recorded on their page)."""

    user = forms.ModelChoiceField(label=_("User"), queryset=people().select_related("department"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)
    change = forms.TypedChoiceField(
        label=_("Change"),
        choices=[("give", _("Give the role")), ("take", _("Take the role away"))],
        coerce=lambda value: value == "give",
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].label_from_instance = lambda user: (
            f"{user.full_name}（{user.employee_no or user.username}，{user.department or '—'}）"
        )


class ModuleCheckboxes(forms.CheckboxSelectMultiple):
    """Each module's box names its system, so the page shows only the chosen system's modules."""

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        option["attrs"]["data-system"] = value.instance.system_id
        return option


class PermissionRequestForm(BoundedForm):
    """《信息系统用户权限新增更改注销申请表》 as a web form; a department head may file it for their staff."""

    creates = PermissionRequest  # the page title: 新建权限申请

    takes_user = True

    kind = forms.ChoiceField(label=_("Request type"), choices=PermissionRequest.Kind.choices)
    subject = forms.ModelChoiceField(label=_("For user"), queryset=User.objects.none())
    system = forms.ModelChoiceField(
        label=_("Information system"), queryset=InformationSystem.objects.filter(is_active=True)
    )
    # 001 一(三)8: only modules of the systems' current approved schemes are offered.
    modules = forms.ModelMultipleChoiceField(
        label=_("Modules and roles"),
        queryset=SystemModule.objects.filter(scheme_lines__scheme__state=AccessScheme.State.APPROVED).select_related(
            "system"
        ),
        required=False,
        widget=ModuleCheckboxes,
        error_messages={
            "invalid_choice": _("This module is not in the access scheme approved by the leading group (001 一(三)8).")
        },
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))
    ends_on = forms.DateField(
        label=_("Access ends on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For time-bound access; leave empty otherwise."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        if has_role(user, Role.DEPT_HEAD) and user.department_id:
            self.fields["subject"].queryset = people().filter(department_id=user.department_id)
        else:
            self.fields["subject"].queryset = people().filter(pk=user.pk)
        self.fields["subject"].initial = user.pk
        self.fields["modules"].label_from_instance = lambda module: f"{module.system.code} · {module.name}"

    def clean_ends_on(self):
        ends_on = self.cleaned_data.get("ends_on")
        if ends_on and ends_on <= timezone.localdate():
            raise forms.ValidationError(_("The end date must be in the future."))
        return ends_on

    def clean(self):
        cleaned = super().clean()
        system, modules = cleaned.get("system"), cleaned.get("modules") or []
        if system and any(module.system_id != system.pk for module in modules):
            self.add_error("modules", _("Choose only modules of the selected system."))
            return cleaned
        if system and cleaned.get("kind") != PermissionRequest.Kind.REVOKE and "modules" not in self.errors:
            refusal = request_scope_refusal(system, modules)
            if refusal:
                self.add_error("modules" if modules else "system", refusal)
            elif not modules:
                self.add_error("modules", _("Choose at least one module or role."))
        return cleaned


class ProvisionForm(BoundedForm):
    takes_object = True

    account_name = forms.CharField(
        label=_("Account name in the system"),
        max_length=60,
        required=False,
        help_text=_("The user name created in the system. Never write a password here."),
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, instance_object, **kwargs):
        super().__init__(*args, **kwargs)
        self.request_object = instance_object
        if instance_object.kind == PermissionRequest.Kind.ADD:
            self.fields["account_name"].required = True
        elif instance_object.kind == PermissionRequest.Kind.REVOKE:
            del self.fields["account_name"]


class ReasonForm(BoundedForm):
    """A rejection, cancellation or revocation needs its reason."""

    comment = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))


class OpenInternetForm(BoundedForm):
    ip_address = forms.GenericIPAddressField(label=_("IP address"), protocol="IPv4")
    gateway = forms.GenericIPAddressField(label=_("Gateway"), protocol="IPv4")
    dns = forms.CharField(label=_("DNS"), max_length=100, help_text=_("For example 10.1.0.2, 10.1.0.3"))
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DepartureForm(BoundedForm):
    creates = Departure

    kind = forms.ChoiceField(label=_("Type"), choices=Departure.Kind.choices)
    user = forms.ModelChoiceField(label=_("Staff member"), queryset=people().select_related("department"))
    last_day = forms.DateField(label=_("Last working day"), widget=forms.DateInput(attrs={"type": "date"}))
    to_department = forms.ModelChoiceField(
        label=_("New department"),
        queryset=Department.objects.filter(is_active=True),
        required=False,
        help_text=_("For a transfer only."),
    )
    successor = forms.ModelChoiceField(
        label=_("Successor"),
        queryset=people_with(*SUCCESSOR_ROLES),
        required=False,
        help_text=_("For IT staff: who takes over their duties."),
    )
    reason = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].label_from_instance = lambda user: (
            f"{user.full_name}（{user.employee_no or user.username}，{user.department or '—'}）"
        )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Departure.Kind.TRANSFER and not cleaned.get("to_department"):
            self.add_error("to_department", _("A transfer needs the new department."))
        return cleaned


class NetworkRequestForm(BoundedForm):
    creates = NetworkRequest

    takes_user = True

    computer = forms.ModelChoiceField(
        label=_("Computer"), queryset=None, help_text=_("From the equipment ledger of your department.")
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, user, **kwargs):
        from inventory.models import Equipment

        super().__init__(*args, **kwargs)
        self.fields["computer"].queryset = (
            Equipment.objects.filter(department_id=user.department_id).active().order_by("asset_no")
        )


class PrivilegedAccountForm(BoundedModelForm):
    custodians = forms.ModelMultipleChoiceField(
        label=_("Custodians"),
        queryset=people(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_(
            "Tier 1: the IT head and a DBA; tier 2: the IT head and an IT staff member; tier 3: the person who uses it."
        ),
    )

    class Meta:
        model = PrivilegedAccount
        fields = [
            "tier",
            "kind",
            "system_or_device",
            "account_name",
            "custodians",
            "last_password_change",
            "note",
            "is_active",
        ]
        widgets = {"last_password_change": forms.DateInput(attrs={"type": "date"})}

    def clean_note(self):
        note = self.cleaned_data["note"]
        if any(word in note.lower() for word in ("密码", "口令", "password", "pwd")):
            raise forms.ValidationError(_("The register never stores passwords: remove it from the note."))
        return note

    def clean_last_password_change(self):
        changed = self.cleaned_data["last_password_change"]
        if changed > timezone.localdate():
            raise forms.ValidationError(_("The date of the password change cannot be in the future."))
        return changed


class RotationForm(BoundedForm):
    days_ahead = {"changed_on": 0}
    changed_on = forms.DateField(label=_("Password changed on"), widget=forms.DateInput(attrs={"type": "date"}))


class MajorOperationForm(BoundedForm):
    description = forms.CharField(label=_("Operation"), widget=forms.Textarea(attrs={"rows": 2}))
    performed_by = forms.ModelChoiceField(
        label=_("Performed by"),
        queryset=people_with(*SUCCESSOR_ROLES),
    )
    performed_at = forms.DateTimeField(
        label=_("Performed at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    witness = forms.ModelChoiceField(
        label=_("Witness"),
        queryset=people_with(*SUCCESSOR_ROLES),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("witness") and cleaned.get("witness") == cleaned.get("performed_by"):
            self.add_error(
                "witness", _("The witness must be someone other than the person who performed the operation.")
            )
        return cleaned


class SensitiveQueryRequestForm(BoundedModelForm):
    class Meta:
        model = SensitiveQueryRequest
        fields = ["purpose", "scope", "scope_detail", "period_start", "period_end"]
        widgets = {
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "period_start": forms.DateInput(attrs={"type": "date"}),
            "period_end": forms.DateInput(attrs={"type": "date"}),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("The period must end on or after its first day."))
        return cleaned


class SensitiveQueryLogForm(BoundedForm):
    approval = forms.ModelChoiceField(
        label=_("Approval"),
        queryset=SensitiveQueryRequest.objects.filter(state__in=SensitiveQueryRequest.APPROVED_STATES).select_related(
            "department"
        ),
        required=False,
        help_text=_("Leave empty when no approval exists: the query is then flagged to the discipline office."),
    )
    computer_no = forms.CharField(label=_("Computer number"), max_length=40)
    operator_code = forms.CharField(label=_("Operator code"), max_length=40)
    run_at = forms.DateTimeField(label=_("Query time"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    query_kind = forms.ChoiceField(label=_("Kind of query"), choices=SensitiveQueryRequest.Scope.choices)
    scope = forms.CharField(label=_("What was queried"), max_length=200)


class ReviewForm(BoundedForm):
    note = forms.CharField(label=_("Review note"), max_length=200, required=False)


class AgreementForm(BoundedForm):
    signatory = forms.ModelChoiceField(label=_("Signed by"), queryset=people().select_related("department"))
    kind = forms.ChoiceField(label=_("Agreement"), choices=Agreement.Kind.choices)
    signed_on = forms.DateField(label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)


class TrainingRecordForm(BoundedForm):
    trainee = forms.ModelChoiceField(label=_("Trainee"), queryset=people_with(*TECHNICIANS))
    title = forms.CharField(label=_("Training"), max_length=200)
    organiser = forms.CharField(label=_("Organised by"), max_length=100, required=False)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    hours = forms.DecimalField(label=_("Class hours"), min_value=0.5, max_value=200, decimal_places=1)


class AccessSchemeForm(BoundedForm):
    """Whom each module of the system is allotted to: one box per module, empty for a module allotted to no one."""

    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, system, current=None, **kwargs):
        super().__init__(*args, **kwargs)
        allotted = {line.module_id: line.allotted_to for line in current.lines.all()} if current else {}
        self.modules = {}
        for module in system.modules.all():
            name = f"module_{module.pk}"
            self.modules[name] = module
            self.fields[name] = forms.CharField(
                label=module.name,
                max_length=200,
                required=False,
                initial=allotted.get(module.pk, ""),
                help_text=_(
                    "Posts or departments, e.g. outpatient doctors, outpatient nurses; leave empty if no one is allotted it."
                ),
            )
        self.order_fields([*self.modules, "note"])

    def lines(self):
        return {module: self.cleaned_data[name] for name, module in self.modules.items()}


class DelegationForm(BoundedForm):
    """代理: the deputy and the days; the IT head also names the department head the deputy acts for."""

    takes_user = True

    principal = forms.ModelChoiceField(label=_("Department head"), queryset=people_with(Role.DEPT_HEAD))
    deputy = forms.ModelChoiceField(label=pgettext_lazy("delegation", "Deputy"), queryset=people())
    starts_on = forms.DateField(label=_("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    ends_on = forms.DateField(
        label=_("Last day (inclusive)"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The deputy approves for the head on these days only, both included."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, help_text=_("E.g. annual leave, training away."))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if has_role(user, *DELEGATION_KEEPERS):
            self.fields["principal"].queryset = people_with(Role.DEPT_HEAD).filter(department__isnull=False)
        else:
            del self.fields["principal"]
            self.fields["deputy"].queryset = people().filter(department_id=user.department_id).exclude(pk=user.pk)
        self.fields["deputy"].label_from_instance = lambda person: f"{person} ({person.department or '—'})"
