from datetime import date

from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView, View

from portal.attachments import attach
from portal.params import int_param
from portal.pdf import render_pdf
from portal.permissions import RoleRequiredMixin
from portal.roles import has_role
from portal.views.generic import (
    ObjectCreateView,
    ObjectDetailView,
    ObjectEditView,
    ObjectHistoryView,
    ObjectListView,
    TransitionView,
)

from . import forms, services, stats
from .filters import ItemFilter, RequestFilter
from .models import (
    COLLECTOR_ROLES,
    OVERSIGHT_ROLES,
    REQUEST_HANDLER_ROLES,
    REQUEST_VIEWER_ROLES,
    Category,
    DisclosureItem,
    DisclosureRequest,
)
from .tables import ItemTable, RequestTable

ITEM_ROLES = (*COLLECTOR_ROLES, *OVERSIGHT_ROLES)
REPORT_ROLES = OVERSIGHT_ROLES


class DisclosureIndexView(RoleRequiredMixin, TemplateView):
    allowed_roles = ITEM_ROLES
    template_name = "disclosure/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        per_state = DisclosureItem.objects.visible_to(user).values_list("state").annotate(n=Count("pk"))
        counts = dict(per_state.values_list("state", "n"))
        context["stages"] = [(value, label, counts.get(value, 0)) for value, label in DisclosureItem.State.choices]
        if has_role(user, *REQUEST_VIEWER_ROLES):
            context["requests"] = DisclosureRequest.objects.open().aggregate(
                open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=timezone.localdate()))
            )
        if has_role(user, *REPORT_ROLES):
            this_year = timezone.localdate().year
            context["report_years"] = [this_year, this_year - 1]
        return context


class ItemListView(ObjectListView):
    model = DisclosureItem
    queryset = DisclosureItem.objects.select_related("category", "department", "collector")
    filterset_class = ItemFilter
    table_class = ItemTable
    allowed_roles = ITEM_ROLES
    title = _("Disclosure items")

    def get_context_data(self, **kwargs):
        if has_role(self.request.user, *COLLECTOR_ROLES):
            self.create_url = reverse("disclosure:item_create")
        return super().get_context_data(**kwargs)


class ItemAttachmentMixin:
    def save_attachments(self, form, owner):
        files = form.cleaned_data.get("attachments")
        if files:
            attach(owner, files, by=self.request.user)


class ItemCreateView(ItemAttachmentMixin, ObjectCreateView):
    model = DisclosureItem
    form_class = forms.ItemForm
    allowed_roles = COLLECTOR_ROLES

    def save_form(self, form):
        data = form.cleaned_data
        self.object = services.item_collect(
            by=self.request.user, title=data["title"], category=data["category"], body=data["body"]
        )
        self.save_attachments(form, self.object)
        return redirect(self.object)


class ItemEditView(ItemAttachmentMixin, ObjectEditView):
    model = DisclosureItem
    form_class = forms.ItemForm
    allowed_roles = ITEM_ROLES

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return super().dispatch(request, *args, **kwargs)
        item = get_object_or_404(DisclosureItem.objects.visible_to(request.user), pk=kwargs["pk"])
        if not item.editable_in_place:
            return redirect("disclosure:item_action", item.pk, "revise")
        if not services.item_editable_in_place_by(item, request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def save_form(self, form):
        data = form.cleaned_data
        item = DisclosureItem.objects.get(pk=self.object.pk)
        self.object = services.item_edit(
            item=item, by=self.request.user, title=data["title"], category=data["category"], body=data["body"],
            comment=data.get("comment", ""),
        )  # fmt: skip
        self.save_attachments(form, self.object)
        return redirect(self.object)


class ItemDetailView(ObjectDetailView):
    model = DisclosureItem
    queryset = DisclosureItem.objects.select_related(
        "category", "department", "collector", "content_reviewer", "secrecy_reviewer", "publication_reviewer",
        "signed_off_by", "entrant", "entry_reviewer",
    )  # fmt: skip
    allowed_roles = ITEM_ROLES
    template_name = "disclosure/item_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        item, user = self.object, self.request.user
        context["actions"] = [action for action in context["actions"] if action.name != "revise"]
        if item.editable_in_place:
            context["can_edit"] = services.item_editable_in_place_by(item, user)
        else:
            context["can_edit"] = any(spec.name == "revise" for spec in item.get_available_user_state_transitions(user))
        context["notices"] = item.notices.select_related("made_by")
        return context


class ItemTransitionView(TransitionView):
    model = DisclosureItem
    allowed_roles = ITEM_ROLES
    template_name = "disclosure/item_transition_form.html"
    forms = {
        "approve_content": forms.OpinionForm,
        "return_content": forms.RequiredCommentForm,
        "pass_secrecy": forms.CommentForm,
        "flag_secret": forms.RequiredCommentForm,
        "review_publication": forms.PublicationReviewForm,
        "return_publication": forms.RequiredCommentForm,
        "sign_off": forms.CommentForm,
        "enter": forms.EntryForm,
        "approve_entry": forms.CommentForm,
        "return_entry": forms.RequiredCommentForm,
        "revise": forms.ReviseForm,
        "correct": forms.CorrectionForm,
        "withdraw": forms.WithdrawalForm,
    }


class ItemHistoryView(ObjectHistoryView):
    model = DisclosureItem
    allowed_roles = ITEM_ROLES


class RequestListView(ObjectListView):
    model = DisclosureRequest
    filterset_class = RequestFilter
    table_class = RequestTable
    allowed_roles = REQUEST_VIEWER_ROLES
    title = _("Disclosure requests")

    def get_context_data(self, **kwargs):
        if has_role(self.request.user, *REQUEST_HANDLER_ROLES):
            self.create_url = reverse("disclosure:request_create")
        return super().get_context_data(**kwargs)


class RequestCreateView(ObjectCreateView):
    model = DisclosureRequest
    form_class = forms.RequestForm
    allowed_roles = REQUEST_HANDLER_ROLES

    def save_form(self, form):
        data = dict(form.cleaned_data)
        files = data.pop("attachments", None)
        self.object = services.request_register(by=self.request.user, **data)
        if files:
            attach(self.object, files, by=self.request.user)
        return redirect(self.object)


class RequestDetailView(ObjectDetailView):
    model = DisclosureRequest
    queryset = DisclosureRequest.objects.select_related("registered_by", "extension_approved_by", "responded_by")
    allowed_roles = REQUEST_VIEWER_ROLES
    template_name = "disclosure/request_detail.html"


class RequestTransitionView(TransitionView):
    model = DisclosureRequest
    allowed_roles = REQUEST_VIEWER_ROLES
    forms = {
        "request_clarification": forms.ClarificationForm,
        "receive_clarification": forms.ClarificationReceivedForm,
        "start_consultation": forms.ConsultationForm,
        "end_consultation": forms.ConsultationEndForm,
        "extend": forms.ExtensionForm,
        "respond": forms.ResponseForm,
    }


class RequestHistoryView(ObjectHistoryView):
    model = DisclosureRequest
    allowed_roles = REQUEST_VIEWER_ROLES


class AnnualReportPdfView(RoleRequiredMixin, View):
    """信息公开年度工作报告 for one calendar year."""

    allowed_roles = REPORT_ROLES

    def get(self, request, year):
        if not 2000 <= year <= timezone.localdate().year:
            raise Http404
        start, end = date(year, 1, 1), date(year, 12, 31)
        context = {"year": year, "generated_at": timezone.localtime(), **stats.annual_report(start, end)}
        pdf = render_pdf("disclosure/annual_report_pdf.html", context)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="disclosure-annual-report-{year}.pdf"'
        return response


class PublicItemListView(ListView):
    """The public page: published proactive items by category, with search. No login."""

    template_name = "disclosure/public/item_list.html"
    paginate_by = 20
    context_object_name = "items"

    def get_queryset(self):
        queryset = DisclosureItem.objects.public().select_related("published_category").only(
            "pk", "state", "number", "published_title", "published_category__name", "published_formed_on",
            "first_published_at", "published_at",
        )  # fmt: skip
        self.category = None
        category = int_param(self.request.GET, "category")
        if category is not None:
            self.category = Category.objects.filter(pk=category).first()
            if self.category:
                queryset = queryset.filter(published_category=self.category)
        self.query = self.request.GET.get("q", "").strip()
        if self.query:
            query = self.query
            queryset = queryset.filter(Q(published_title__icontains=query) | Q(published_body__icontains=query))
        return queryset.order_by("-first_published_at", "-pk")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["categories"] = stats.public_categories()
        context["category"] = self.category
        context["query"] = self.query
        return context


class PublicItemDetailView(DetailView):
    template_name = "disclosure/public/item_detail.html"
    context_object_name = "item"

    def get_queryset(self):
        return DisclosureItem.objects.filter(first_published_at__isnull=False).select_related("published_category")

    def get_object(self, queryset=None):
        item = super().get_object(queryset)
        if item.published_attribute != DisclosureItem.Attribute.PROACTIVE:
            raise Http404
        return item

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["notices"] = self.object.notices.all()
        return context


class LatestItemsFeed(Feed):
    title = _("Public disclosure")
    link = reverse_lazy("public:index")
    description = _("Information published proactively by the hospital")

    def items(self):
        return DisclosureItem.objects.public().order_by("-first_published_at", "-pk")[:30]

    def item_title(self, item):
        return item.published_title

    def item_description(self, item):
        return item.published_body[:500]

    def item_link(self, item):
        return item.get_public_url()

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.published_at
