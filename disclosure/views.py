"""Disclosure pages: the overview, items and their review, requests, the annual report, and the public page."""

from datetime import date

from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, ListView, TemplateView, View

from portal.attachments import attach
from portal.params import int_param
from portal.pdf import pdf_response, render_pdf
from portal.permissions import RoleRequiredMixin
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
from .models import Category, DisclosureItem, DisclosureRequest
from .permissions import (
    COLLECTOR_ROLES,
    ITEM_ROLES,
    REPORT_ROLES,
    REQUEST_HANDLER_ROLES,
    REQUEST_VIEWER_ROLES,
    may_edit_in_place,
    may_read_reports,
    may_read_requests,
)
from .tables import ItemTable, RequestTable


class DisclosureTransitionView(TransitionView):
    """A step of either workflow, through the app's one entry point."""

    def run(self, obj, action, **arguments):
        return services.take_step(obj, action, by=self.request.user, **arguments)


class DisclosureIndexView(RoleRequiredMixin, TemplateView):
    allowed_roles = ITEM_ROLES
    template_name = "disclosure/index.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        per_state = DisclosureItem.objects.visible_to(user).values_list("state").annotate(n=Count("pk"))
        counts = dict(per_state.values_list("state", "n"))
        context["stages"] = [(value, label, counts.get(value, 0)) for value, label in DisclosureItem.State.choices]
        if may_read_requests(user):
            context["requests"] = DisclosureRequest.objects.open().aggregate(
                open=Count("pk"), overdue=Count("pk", filter=Q(due_on__lt=timezone.localdate()))
            )
        if may_read_reports(user):
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
    create_url = reverse_lazy("disclosure:item_create")


class ServiceSaveMixin:
    """A create or edit form saved by the app's service (:meth:`save`), its attachments kept with the result."""

    def save(self, data):
        raise NotImplementedError

    def save_form(self, form):
        data = dict(form.cleaned_data)
        files = data.pop("attachments", None)
        self.object = form.instance = self.save(data)
        if files:
            attach(self.object, files, by=self.request.user)
        return redirect(self.object)


class ItemCreateView(ServiceSaveMixin, ObjectCreateView):
    model = DisclosureItem
    form_class = forms.ItemForm
    allowed_roles = COLLECTOR_ROLES

    def save(self, data):
        return services.item_collect(by=self.request.user, **data)


class ItemEditView(ServiceSaveMixin, ObjectEditView):
    model = DisclosureItem
    form_class = forms.ItemForm
    allowed_roles = ITEM_ROLES

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            item = self.get_object()
            if not item.editable_in_place:
                return redirect("disclosure:item_action", item.pk, "revise")
            if not may_edit_in_place(request.user, item):
                raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def save(self, data):
        item = DisclosureItem.objects.get(pk=self.object.pk)
        return services.item_edit(item=item, by=self.request.user, **data)


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
        # Revising is the edit button's second form, drawn by the template with the in-place edit.
        context["actions"] = [action for action in context["actions"] if action.name != "revise"]
        context["notices"] = self.object.notices.select_related("made_by")
        return context


class ItemTransitionView(DisclosureTransitionView):
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
    create_url = reverse_lazy("disclosure:request_create")


class RequestCreateView(ServiceSaveMixin, ObjectCreateView):
    model = DisclosureRequest
    form_class = forms.RequestForm
    allowed_roles = REQUEST_HANDLER_ROLES

    def save(self, data):
        return services.request_register(by=self.request.user, **data)


class RequestDetailView(ObjectDetailView):
    model = DisclosureRequest
    queryset = DisclosureRequest.objects.select_related("registered_by", "extension_approved_by", "responded_by")
    allowed_roles = REQUEST_VIEWER_ROLES
    template_name = "disclosure/request_detail.html"


class RequestTransitionView(DisclosureTransitionView):
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
        return pdf_response(pdf, f"disclosure-annual-report-{year}.pdf")


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
