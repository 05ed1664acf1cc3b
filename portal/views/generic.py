"""Base views every app's pages are made of: list, detail, create/edit, transition, history.

An app's view names its model/queryset, filterset, table, form and allowed roles; permission
narrows the queryset first (``visible_to``), so objects outside the user's scope are 404.
"""

from django.contrib import messages
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.generic import CreateView, DetailView, UpdateView, View
from django.views.generic.detail import SingleObjectMixin
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from ..attachments import attachments_of
from ..constraints import constraint_message
from ..exceptions import ActionRefused
from ..forms import CommentForm
from ..permissions import RoleRequiredMixin, VisibleQuerysetMixin
from ..workflow import available_actions, perform, transition_log


class ObjectListView(RoleRequiredMixin, VisibleQuerysetMixin, SingleTableMixin, FilterView):
    template_name = "generic/object_list.html"
    paginate_by = 50
    title = ""
    create_url = None

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title or self.model._meta.verbose_name_plural
        context["create_url"] = self.create_url
        return context


class ObjectDetailView(RoleRequiredMixin, VisibleQuerysetMixin, DetailView):
    template_name = "generic/object_detail.html"
    state_field = "state"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        obj = self.object
        if hasattr(obj, f"get_available_user_{self.state_field}_transitions"):
            context["actions"] = available_actions(obj, self.request.user, self.state_field)
            context["log"] = transition_log(obj, self.state_field)
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


class ObjectCreateView(ObjectFormMixin, CreateView):
    pass


class ObjectEditView(ObjectFormMixin, UpdateView):
    pass


class TransitionView(RoleRequiredMixin, VisibleQuerysetMixin, SingleObjectMixin, View):
    """POST ``<plural>/<pk>/<action>/``: run one transition. GET shows its form when it takes input.

    ``forms`` maps an action to the form whose cleaned data become the transition's arguments;
    actions not listed take only an optional comment, bounded like every other (``CommentForm``).
    """

    forms: dict = {}
    template_name = "generic/transition_form.html"

    def get_action(self):
        action = self.kwargs["action"]
        obj = self.get_object()
        known = {spec.name for spec in obj.get_all_state_transitions()}
        if action not in known:
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
        if not self.may_take(obj, action):
            raise PermissionDenied
        return self.render_form(obj, action, self.get_form(obj, action))

    def may_take(self, obj, action):
        """The question the object's buttons ask, so no form is shown that no button leads to."""
        field = getattr(obj, action)._django_fsm.field.name
        return any(choice.name == action for choice in available_actions(obj, self.request.user, field))

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
