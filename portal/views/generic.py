"""Base views every app's pages are made of: list, detail, create/edit, transition, history.

An app's view names its model/queryset, filterset, table, form and allowed roles; permission
narrows the queryset first (``visible_to``), so objects outside the user's scope are 404.
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, FormView, UpdateView, View
from django.views.generic.detail import SingleObjectMixin
from django_filters.views import FilterView
from django_tables2 import RequestConfig, SingleTableMixin

from ..attachments import attachments_of
from ..constraints import constraint_message
from ..exceptions import ActionRefused
from ..exports import FORMATS, dataset_response, table_dataset
from ..forms import CommentForm
from ..permissions import RoleRequiredMixin, VisibleQuerysetMixin, visible
from ..workflow import available_actions, has_state, is_transition, may_take, perform, transition_log


class ObjectListView(RoleRequiredMixin, VisibleQuerysetMixin, SingleTableMixin, FilterView):
    """A filtered, sorted, paginated table; ``?export=csv`` or ``xlsx`` gives the whole filtered list."""

    template_name = "generic/object_list.html"
    paginate_by = 50  # rows per page; None for a list that pages itself (the repair queues' keyset pages)
    title = ""
    create_url = None
    export_name = ""

    def get_title(self):
        return self.title or self.model._meta.verbose_name_plural

    def get_paginate_by(self, queryset):
        """Only the table pages the rows (one COUNT): ListView's own pagination would count them a second time."""
        return None

    def get_table_pagination(self, table):
        return {"per_page": self.paginate_by} if self.paginate_by else False

    def get_filterset_kwargs(self, filterset_class):
        # django-filter swallows ImproperlyConfigured from get_queryset and filters the whole table instead.
        return {**super().get_filterset_kwargs(filterset_class), "queryset": self.get_queryset()}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.get_title()
        context["paginator"] = getattr(context["table"], "paginator", None)
        context["create_url"] = self.create_url
        context["export_formats"] = list(FORMATS)
        query = self.request.GET.copy()
        for key in ("page", "export"):
            query.pop(key, None)
        context["export_query"] = query.urlencode()
        return context

    def render_to_response(self, context, **response_kwargs):
        fmt = self.request.GET.get("export")
        if fmt in FORMATS:
            return self.export(fmt)
        return super().render_to_response(context, **response_kwargs)

    def export(self, fmt):
        title = str(self.get_title())
        return dataset_response(self.export_dataset(title), fmt, self.export_name or title)

    def export_dataset(self, title):
        """The whole filtered, sorted list as the table draws it; a list may give other columns instead."""
        table = self.get_table_class()(self.get_table_data(), **self.get_table_kwargs())
        RequestConfig(self.request, paginate=False).configure(table)
        return table_dataset(table, title)


class ObjectDetailView(RoleRequiredMixin, VisibleQuerysetMixin, DetailView):
    template_name = "generic/object_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        if has_state(type(obj)):
            context["actions"] = available_actions(obj, self.request.user)
            context["log"] = transition_log(obj)
        context["attachments"] = attachments_of(obj)
        return context


class ObjectFormMixin(RoleRequiredMixin, VisibleQuerysetMixin):
    template_name = "generic/object_form.html"
    success_message = _("Saved.")
    title = ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title or self.get_title()
        return context

    def get_title(self):
        """新建报修单 or 编辑 BX-…: a page title that says what is created or edited."""
        if getattr(self, "object", None) is not None and self.object.pk:
            return _("Edit %(object)s") % {"object": self.object}
        return _("New %(model)s") % {"model": self.model._meta.verbose_name}

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if getattr(self.form_class, "takes_user", False):
            kwargs["user"] = self.request.user
        return kwargs

    def form_valid(self, form):
        try:
            with transaction.atomic():
                response = self.save_form(form)
                self.check_still_visible(form.instance)
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            return self.form_invalid(form)
        except IntegrityError as error:
            # A rule the form could not see (a row saved meanwhile by someone else): its sentence, never its name.
            form.add_error(None, constraint_message(error))
            return self.form_invalid(form)
        messages.success(self.request, self.success_message)
        return response

    def save_form(self, form):
        return super().form_valid(form)

    def check_still_visible(self, obj):
        """An edit (or a new row) must stay inside what its author may see; otherwise it is rolled back."""
        if not visible(type(obj)._default_manager.filter(pk=obj.pk), self.request.user).exists():
            raise ActionRefused(_("This would put the record outside what you may see or edit; nothing was saved."))


class ObjectCreateView(ObjectFormMixin, CreateView):
    pass


class ObjectEditView(ObjectFormMixin, UpdateView):
    pass


class TransitionView(RoleRequiredMixin, VisibleQuerysetMixin, SingleObjectMixin, View):
    """POST ``<plural>/<pk>/<action>/``: run one transition. GET shows its form when it takes input.

    ``forms`` maps an action to the form whose cleaned data become the transition's arguments;
    actions not listed take only an optional comment, bounded like every other (``CommentForm``).
    The transition runs through :meth:`run`, the app's one service entry point for its steps.
    """

    forms: dict = {}
    template_name = "generic/transition_form.html"

    def get_action(self):
        action = self.kwargs["action"]
        obj = self.get_object()
        if not is_transition(obj, action):
            raise Http404
        return obj, action

    def get_form(self, obj, action, data=None, files=None):
        form_class = self.forms.get(action, CommentForm)
        kwargs = {"data": data, "files": files}
        if getattr(form_class, "takes_object", False):
            kwargs["instance_object"] = obj
        return form_class(**kwargs)

    def get(self, request, *args, **kwargs):
        obj, action = self.get_action()
        if not may_take(obj, action, request.user):
            raise PermissionDenied
        return self.render_form(obj, action, self.get_form(obj, action))

    def render_form(self, obj, action, form):
        label = next((a.label for a in available_actions(obj, self.request.user) if a.name == action), action)
        return render(self.request, self.template_name, {"object": obj, "action": action, "label": label, "form": form})

    def post(self, request, *args, **kwargs):
        obj, action = self.get_action()
        form = self.get_form(obj, action, request.POST, request.FILES)
        if not form.is_valid():
            return self.render_form(obj, action, form)
        arguments = dict(form.cleaned_data)
        comment = arguments.pop("comment", "")
        try:
            self.run(obj, action, comment=comment, **arguments)
        except ActionRefused as refused:
            if action in self.forms:
                form.add_error(None, refused.message)
                return self.render_form(obj, action, form)
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Done."))
        return HttpResponseRedirect(self.get_success_url(obj))

    def run(self, obj, action, **arguments):
        return perform(obj, action, by=self.request.user, **arguments)

    def get_success_url(self, obj):
        return obj.get_absolute_url()


class ServiceFormView(RoleRequiredMixin, FormView):
    """A page whose form runs one service call (:meth:`perform`), for actions that are not transitions.

    A refusal (``ActionRefused``) re-renders the form with the message above it and everything typed kept;
    a ``ValidationError`` puts each message next to its field. Success flashes ``success_message`` and goes
    to :meth:`get_success_url`, which may use ``self.result`` (what the service returned).
    """

    template_name = "generic/object_form.html"
    success_message = _("Done.")
    success_level = messages.SUCCESS
    title = ""

    def perform(self, form):
        raise NotImplementedError

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if getattr(self.form_class, "takes_user", False):
            kwargs["user"] = self.request.user
        return kwargs

    def get_title(self):
        return self.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.get_title()
        return context

    def form_valid(self, form):
        try:
            with transaction.atomic():
                self.result = self.perform(form)
        except ActionRefused as refused:
            form.add_error(None, refused.message)
            return self.form_invalid(form)
        except ValidationError as error:
            for field, errors in (
                error.error_dict if hasattr(error, "error_dict") else {None: error.error_list}
            ).items():
                form.add_error(field if field in form.fields else None, errors)
            return self.form_invalid(form)
        if self.success_message:
            messages.add_message(self.request, self.get_success_level(), self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_level(self):
        """The confirmation's tone: a warning where the step succeeded but found something to look at."""
        return self.success_level


class ServiceObjectFormView(VisibleQuerysetMixin, SingleObjectMixin, ServiceFormView):
    """A :class:`ServiceFormView` about one object the user may see (else 404).

    :meth:`refusal` says why the action cannot be taken on this object now (the same question its button
    asks); then GET is 403 and POST re-renders with the reason. Success returns to the object's page.
    """

    def dispatch(self, request, *args, **kwargs):
        # The role first (403), then the object inside the user's scope (404).
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.permits(request.user):
            raise PermissionDenied
        self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def refusal(self, obj) -> str | None:
        return None

    def get(self, request, *args, **kwargs):
        if self.refusal(self.object):
            raise PermissionDenied(self.refusal(self.object))
        return super().get(request, *args, **kwargs)

    def form_valid(self, form):
        reason = self.refusal(self.object)
        if reason:
            form.add_error(None, reason)
            return self.form_invalid(form)
        return super().form_valid(form)

    def get_title(self):
        return self.title or str(self.object)

    def get_success_url(self):
        return self.object.get_absolute_url()


class ServiceActionView(RoleRequiredMixin, VisibleQuerysetMixin, SingleObjectMixin, View):
    """POST only: one button's service call on one object (:meth:`act`); a refusal is flashed, never a 500."""

    http_method_names = ["post"]
    success_message = _("Done.")

    def act(self, obj):
        raise NotImplementedError

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        try:
            with transaction.atomic():
                self.result = self.act(self.object)
        except ActionRefused as refused:
            messages.error(request, refused.message)
        else:
            if self.success_message:
                messages.success(request, self.success_message)
        return HttpResponseRedirect(self.get_success_url())

    def get_success_url(self):
        return self.object.get_absolute_url()


class ObjectHistoryView(RoleRequiredMixin, VisibleQuerysetMixin, DetailView):
    """The shared history tab: every saved version of the object, who changed what."""

    template_name = "generic/history.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        records = list(
            self.object.history.select_related("history_user").order_by("-history_date", "-history_id")[:200]
        )
        rows = []
        for index, newer in enumerate(records):
            older = records[index + 1] if index + 1 < len(records) else None
            changes = newer.diff_against(older).changes if older is not None else []
            rows.append(
                {
                    "record": newer,
                    "changes": [
                        (self.object._meta.get_field(change.field).verbose_name, change.old, change.new)
                        for change in changes
                    ],
                }
            )
        context["rows"] = rows
        context["content_type"] = ContentType.objects.get_for_model(self.object)
        return context
