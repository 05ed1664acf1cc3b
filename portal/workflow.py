"""Guarded state transitions on django-fsm-2, with one append-only log.

A model declares its transitions with ``@transition(..., permission=Guard(...), conditions=[Condition(...)],
custom={"label": _("Dispatch")})``. A model transition changes only the model's own fields.
Each app's service calls :func:`perform`, which locks the row, says why a transition is refused (state,
condition, role or separation of duty), runs it, saves and logs it, and then sends
:data:`transition_done`. Everything a step does beyond its own row (notifications, ledger moves, grants,
spare returns) is a receiver of that signal in the app's ``effects.py``, found by the transition's name,
and runs inside the same atomic block, so a failing effect undoes the step.
The same guards draw the buttons (:func:`available_actions`), so a button shown is a POST that succeeds.
"""

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, FSMField

from .exceptions import ActionRefused
from .models import TransitionLog
from .roles import Role, has_role


class StateField(FSMField):
    """The FSM state column, which migrations record as the plain ``CharField`` it is stored as.

    Historical models in migrations need no transitions, and django-fsm hooks every rendered model
    class; with FSMField in the migration state a fresh ``migrate`` took about fifty seconds.
    """

    def deconstruct(self):
        name, _path, args, kwargs = super().deconstruct()
        kwargs.pop("protected", None)
        return name, "django.db.models.CharField", args, kwargs


class Guard:
    """A permission test on (object, user) that can say why it refuses.

    ``on_behalf(instance, user)``, where given, names the person whose authority the user acts on when the
    guard lets them through as a deputy (a department head's 代理); :func:`perform` records it with the step.
    """

    def __init__(self, test, message, *, on_behalf=None):
        self.test = test
        self.message = message
        self.on_behalf = on_behalf

    def refusal(self, instance, user):
        return None if self.test(instance, user) else self.message

    def principal(self, instance, user):
        """On whose behalf ``user`` takes the step this guard allows, or ``None`` when in their own right."""
        return self.on_behalf(instance, user) if getattr(self, "on_behalf", None) else None

    def __call__(self, instance, user):
        return self.refusal(instance, user) is None

    def __and__(self, other):
        return AllGuards(self, other)


class AllGuards(Guard):
    def __init__(self, *guards):
        self.guards = guards

    def refusal(self, instance, user):
        for guard in self.guards:
            reason = guard.refusal(instance, user)
            if reason:
                return reason
        return None

    def principal(self, instance, user):
        return next((p for guard in self.guards if (p := guard.principal(instance, user)) is not None), None)


class Condition:
    """A test on the object alone (fsm ``conditions``) with the reason shown when it fails."""

    def __init__(self, test, message):
        self.test = test
        self.message = message

    def __call__(self, instance):
        return bool(self.test(instance))


def role_required(*roles):
    labels = "、".join(str(Role(role).label) for role in roles)
    return Guard(
        lambda instance, user: has_role(user, *roles),
        _("Only these roles may do this: %(roles)s.") % {"roles": labels},
    )


def not_same_person(attribute, message):
    """Separation of duties: the user must not be the person named by ``attribute`` on the object."""
    return Guard(lambda instance, user: getattr(instance, f"{attribute}_id") != user.pk, message)


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    style: str
    needs_comment: bool


transition_done = Signal()
"""Sent by :func:`perform` after a step is saved and logged, inside its transaction.

Arguments: ``sender`` (the model class), ``instance`` (the saved row), ``action``, ``from_state``, ``by``,
``comment`` and ``arguments`` (what the step's form gave the transition).
"""


def effects(table):
    """A receiver for :data:`transition_done` that runs ``table[action]``: the app's action→effect table.

    ``@receiver(transition_done, sender=Ticket)`` over ``effects({"dispatch": notify_handler, ...})``;
    each effect takes ``(instance, by=..., comment=..., arguments=...)``.
    """

    def run(sender, instance, action, by, comment, arguments, **_signal):
        effect = table.get(action)
        if effect is not None:
            effect(instance, by=by, comment=comment, arguments=arguments)

    return run


def has_state(model) -> bool:
    return any(isinstance(field, FSMField) for field in model._meta.concrete_fields)


def state_field_name(model) -> str:
    """The name of the model's FSM state column (``state`` on most models, ``status`` on equipment)."""
    for field in model._meta.concrete_fields:
        if isinstance(field, FSMField):
            return field.name
    raise ValueError(f"{model.__name__} has no state field")


def _meta_for(instance, action):
    bound = getattr(instance, action, None)
    meta = getattr(bound, "_django_fsm", None)
    if meta is None:
        raise ValueError(f"{type(instance).__name__}.{action} is not a transition")
    return bound, meta


def refusal(instance, action, user) -> str | None:
    """Why ``user`` may not take ``action`` on ``instance`` now, or ``None`` when they may."""
    _bound, meta = _meta_for(instance, action)
    state = meta.field.get_state(instance)
    if not meta.has_transition(state):
        display = getattr(instance, f"get_{meta.field.name}_display")()
        return _("This cannot be done while the status is “%(state)s”.") % {"state": display}
    spec = meta.get_transition(state)
    for condition in spec.conditions:
        if not condition(instance):
            return getattr(condition, "message", _("The conditions for this step are not met."))
    if spec.permission:
        if isinstance(spec.permission, Guard):
            return spec.permission.refusal(instance, user)
        if not spec.has_perm(instance, user):
            return _("You do not have permission to do this.")
    return None


def acting_for(instance, action, user):
    """The person on whose behalf ``user`` would take ``action`` now (a deputy's head), or ``None``."""
    _bound, meta = _meta_for(instance, action)
    spec = meta.get_transition(meta.field.get_state(instance))
    return spec.permission.principal(instance, user) if isinstance(spec.permission, Guard) else None


def may_take(instance, action, user) -> bool:
    return refusal(instance, action, user) is None


def is_transition(instance, action) -> bool:
    return action in {
        spec.name for spec in getattr(instance, f"get_all_{state_field_name(type(instance))}_transitions")()
    }


def available_actions(instance, user):
    """The transitions this user may take now, for drawing buttons."""
    field = state_field_name(type(instance))
    actions = []
    for spec in getattr(instance, f"get_available_user_{field}_transitions")(user):
        custom = spec.custom
        actions.append(
            Action(
                name=spec.name,
                label=custom.get("label", spec.name),
                style=custom.get("style", "primary"),
                needs_comment=custom.get("needs_comment", False),
            )
        )
    return actions


def perform(instance, action, *, by, comment="", **kwargs):
    """Run transition ``action`` on ``instance`` as ``by``; refuse with a reason or log it.

    The row is locked for the transaction (PostgreSQL ``SELECT ... FOR UPDATE``; SQLite takes the
    write lock at BEGIN), and the model's ConcurrentTransitionMixin refuses a stale save, so two
    people acting at once cannot both succeed.
    """
    model = type(instance)
    try:
        with transaction.atomic():
            locked = model._default_manager.select_for_update().get(pk=instance.pk)
            reason = refusal(locked, action, by)
            if reason:
                raise ActionRefused(reason)
            bound, meta = _meta_for(locked, action)
            from_state = meta.field.get_state(locked)
            principal = acting_for(locked, action, by) if by is not None else None
            bound(by=by, comment=comment, **kwargs)
            locked._change_reason = on_behalf_note(comment, principal)
            locked.save()
            TransitionLog.objects.record(
                TransitionLog(
                    content_type=ContentType.objects.get_for_model(model),
                    object_id=locked.pk,
                    action=action,
                    from_state=from_state,
                    to_state=meta.field.get_state(locked),
                    actor=by,
                    on_behalf_of=principal,
                    comment=comment,
                )
            )
            transition_done.send(
                sender=model,
                instance=locked,
                action=action,
                from_state=from_state,
                by=by,
                comment=comment,
                arguments=kwargs,
            )
    except ConcurrentTransition as exc:
        raise ActionRefused(_("Someone else acted on this at the same moment. Reload the page and try again.")) from exc
    return locked


def on_behalf_note(comment, principal):
    """The comment as the object's history keeps it: with "(on behalf of …)" when a deputy took the step."""
    if principal is None:
        return comment
    note = _("(on behalf of %(head)s)") % {"head": principal}
    return f"{comment} {note}" if comment else str(note)


@dataclass(frozen=True)
class LogEntry:
    action: str
    from_state: str
    to_state: str
    actor: object
    comment: str
    created_at: object
    on_behalf_of: object = None


def acted_for(instance, action: str):
    """The department head on whose behalf a deputy last took ``action`` on ``instance`` (代理), or ``None``."""
    entry = (
        TransitionLog.objects.filter(
            content_type=ContentType.objects.get_for_model(type(instance)), object_id=instance.pk, action=action
        )
        .select_related("on_behalf_of")
        .order_by("-created_at", "-pk")
        .first()
    )
    return entry.on_behalf_of if entry else None


def transition_log(instance):
    """The object's log with translated action and state labels, oldest first."""
    model = type(instance)
    field = state_field_name(model)
    choices = dict(model._meta.get_field(field).flatchoices)
    labels = {}
    for spec in getattr(instance, f"get_all_{field}_transitions")():
        labels[spec.name] = spec.custom.get("label", spec.name)
    entries = TransitionLog.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=instance.pk
    ).select_related("actor", "on_behalf_of")
    return [
        LogEntry(
            action=labels.get(entry.action, entry.action),
            from_state=choices.get(entry.from_state, entry.from_state),
            to_state=choices.get(entry.to_state, entry.to_state),
            actor=entry.actor,
            comment=entry.comment,
            created_at=entry.created_at,
            on_behalf_of=entry.on_behalf_of,
        )
        for entry in entries
    ]
