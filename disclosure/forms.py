from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.attachments import AttachmentField
from portal.forms import BoundedForm, BoundedModelForm

from .models import EXTENSION_LIMIT_WORKING_DAYS, Category, DisclosureItem, DisclosureRequest


def _active_categories():
    return Category.objects.filter(is_active=True)


class DateInput(forms.DateInput):
    input_type = "date"


class ItemForm(BoundedModelForm):
    attachments = AttachmentField(label=_("Attachments"), required=False)
    comment = forms.CharField(label=_("What changed"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = DisclosureItem
        fields = ["title", "category", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _active_categories()
        if self.instance.pk is None:
            del self.fields["comment"]


class OpinionForm(BoundedForm):
    opinion = forms.ChoiceField(label=_("Department opinion"), choices=DisclosureItem.Opinion.choices)
    comment = forms.CharField(label=_("Review opinion"), widget=forms.Textarea(attrs={"rows": 3}))


class RequiredCommentForm(BoundedForm):
    comment = forms.CharField(label=_("Opinion"), widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(BoundedForm):
    comment = forms.CharField(label=_("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PublicationReviewForm(BoundedForm):
    attribute = forms.ChoiceField(label=_("Disclosure attribute"), choices=DisclosureItem.Attribute.choices)
    withhold_reason = forms.ChoiceField(
        label=_("Reason not disclosed"),
        choices=[("", "---------"), *DisclosureItem.WithholdReason.choices],
        required=False,
        help_text=_("Required when the item is not disclosed."),
    )
    withhold_reason_text = forms.CharField(label=_("Reason in words"), max_length=200, required=False)
    comment = forms.CharField(label=_("Opinion"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self):
        data = super().clean()
        if data.get("attribute") == DisclosureItem.Attribute.NOT_DISCLOSED and not data.get("withhold_reason"):
            self.add_error("withhold_reason", _("An item that is not disclosed needs the reason."))
        other = data.get("withhold_reason") == DisclosureItem.WithholdReason.OTHER
        if other and not data.get("withhold_reason_text", "").strip():
            self.add_error("withhold_reason_text", _("Describe the other reason in words."))
        return data


class EntryForm(BoundedForm):
    rechecked = forms.BooleanField(
        label=_("I have re-checked the entered content against the signed-off text and found no error"), required=True
    )
    comment = forms.CharField(label=_("Where it was entered"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReviseForm(BoundedForm):
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ModelChoiceField(label=_("Category"), queryset=Category.objects.none())
    body = forms.CharField(label=_("Body"), widget=forms.Textarea(attrs={"rows": 12}))
    comment = forms.CharField(label=_("What changed"), widget=forms.Textarea(attrs={"rows": 2}))
    takes_object = True
    edits_body = True

    def __init__(self, *args, instance_object, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = _active_categories()
        if not self.is_bound:
            item = instance_object
            self.initial = {"title": item.title, "category": item.category_id, "body": item.body}


class CorrectionForm(BoundedForm):
    body = forms.CharField(label=_("Corrected body"), widget=forms.Textarea(attrs={"rows": 10}))
    note = forms.CharField(
        label=_("Public note"),
        help_text=_("Shown on the public page at once; the corrected text is published after review again."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    comment = forms.CharField(label=_("Reason (internal)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    takes_object = True
    edits_body = True

    def __init__(self, *args, instance_object, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial = {"body": instance_object.published_body}


class WithdrawalForm(BoundedForm):
    note = forms.CharField(label=_("Public note"), widget=forms.Textarea(attrs={"rows": 3}))
    comment = forms.CharField(label=_("Reason (internal)"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class RequestForm(BoundedModelForm):
    attachments = AttachmentField(label=_("Attachments"), required=False)

    class Meta:
        model = DisclosureRequest
        fields = [
            "applicant_kind", "applicant_name", "applicant_id_no", "contact_phone", "contact_address",
            "content", "channel", "received_on",
        ]  # fmt: skip
        widgets = {"received_on": DateInput(), "content": forms.Textarea(attrs={"rows": 4})}

    def clean_received_on(self):
        received_on = self.cleaned_data["received_on"]
        if received_on > timezone.localdate():
            raise forms.ValidationError(_("The date of receipt cannot be in the future."))
        return received_on

    def clean(self):
        data = super().clean()
        if not data.get("contact_phone") and not data.get("contact_address"):
            self.add_error("contact_phone", _("Give at least one way to reach the applicant."))
        return data


class ClarificationForm(BoundedForm):
    note = forms.CharField(
        label=_("What must be clarified"),
        help_text=_("Say everything that is missing at once; the applicant is told only once."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ClarificationReceivedForm(BoundedForm):
    received_on = forms.DateField(
        label=_("Corrected request received on"), widget=DateInput(), initial=timezone.localdate
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConsultationForm(BoundedForm):
    party = forms.CharField(label=_("Third party consulted"), max_length=100)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ConsultationEndForm(BoundedForm):
    ended_on = forms.DateField(label=_("Reply received on"), widget=DateInput(), initial=timezone.localdate)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ExtensionForm(BoundedForm):
    days = forms.IntegerField(label=_("Extension (working days)"), min_value=1, max_value=EXTENSION_LIMIT_WORKING_DAYS)
    reason = forms.CharField(label=_("Reason for extension"), max_length=200)
    notified_on = forms.DateField(
        label=_("Applicant notified of extension on"), widget=DateInput(), initial=timezone.localdate
    )
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ResponseForm(BoundedForm):
    response_type = forms.ChoiceField(label=_("Response"), choices=DisclosureRequest.ResponseType.choices)
    response_detail = forms.CharField(
        label=_("Where, why or whose"),
        required=False,
        help_text=_("Required for: already public (where), partly or not disclosed (why), not ours (whose)."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    responded_on = forms.DateField(label=_("Answered on"), widget=DateInput(), initial=timezone.localdate)
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean(self):
        data = super().clean()
        needs_detail = data.get("response_type") in DisclosureRequest.DETAIL_REQUIRED
        if needs_detail and not data.get("response_detail", "").strip():
            self.add_error(
                "response_detail",
                _("This answer must say where the information is, why it is withheld, or whose it is."),
            )
        return data
