"""The one scoping layer: what may this user see, and do, here?

    visible(user, Model) -> QuerySet     every list, detail, export and API endpoint
    allowed(user, action, obj) -> bool   every button, form and endpoint

Rules are declared per model with @rule(Model). Views never filter ad hoc; a model of
Renda without a rule is invisible to everyone (and a test fails).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cached_property, reduce
from operator import or_

from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from .models import Congress, Role

# An anonymous visitor: what the public site shows is what `visible(PUBLIC, …)` returns.
PUBLIC = AnonymousUser()
MANAGE_ROLES = (Role.ADMIN, Role.STAFF)
OVERSIGHT_ROLES = (Role.ADMIN, Role.STAFF, Role.DIRECTOR, Role.MEMBER)


class Actor:
    """A user with their role assignments resolved once (per request: cached on the user)."""

    def __init__(self, user):
        self.user = user if user is not None else AnonymousUser()
        self.is_authenticated = bool(self.user.is_authenticated)

    @cached_property
    def assignments(self) -> list:
        if not self.is_authenticated:
            return []
        return list(self.user.roles.select_related("congress", "body", "handling_unit", "deputy"))

    @cached_property
    def roles(self) -> set[str]:
        roles = {a.role for a in self.assignments}
        if self.is_authenticated and self.user.is_superuser:
            roles.add(Role.ADMIN)
        return roles

    def has(self, *roles: str) -> bool:
        return bool(self.roles.intersection(roles))

    def congresses(self, *roles: str) -> QuerySet:
        """Congresses in which the actor holds one of `roles`, with every congress below them."""
        if self.is_authenticated and self.user.is_superuser and Role.ADMIN in roles:
            return Congress.objects.all()
        paths = {a.congress.path for a in self.assignments if a.role in roles}
        if not paths:
            return Congress.objects.none()
        return Congress.objects.filter(reduce(or_, (Q(path__startswith=p) for p in paths)))

    def congress_ids(self, *roles: str) -> set[int]:
        key = tuple(sorted(roles))
        cache = self.__dict__.setdefault("_congress_ids", {})
        if key not in cache:
            cache[key] = set(self.congresses(*roles).values_list("id", flat=True))
        return cache[key]

    @property
    def is_superuser(self) -> bool:
        return self.is_authenticated and self.user.is_superuser

    def forget(self) -> None:
        """Drop cached congress sets (after the tree changed)."""
        self.__dict__.pop("_congress_ids", None)

    def manages(self, congress_id: int | None) -> bool:
        if congress_id is not None and self.is_superuser:
            return True
        return congress_id is not None and congress_id in self.congress_ids(*MANAGE_ROLES)

    def oversees(self, congress_id: int | None) -> bool:
        return congress_id is not None and congress_id in self.congress_ids(*OVERSIGHT_ROLES)

    @cached_property
    def unit_ids(self) -> set[int]:
        return {a.handling_unit_id for a in self.assignments if a.role == Role.UNIT}

    @cached_property
    def deputy_ids(self) -> set[int]:
        return {a.deputy_id for a in self.assignments if a.role == Role.DEPUTY}

    @cached_property
    def body_ids(self) -> set[int]:
        return {a.body_id for a in self.assignments if a.body_id}

    @cached_property
    def home_congress(self) -> Congress | None:
        """The congress the actor works in (the highest of their assignments)."""
        congresses = sorted((a.congress for a in self.assignments), key=lambda c: c.path)
        return congresses[0] if congresses else None

    def role_labels(self, names: dict | None = None) -> list[str]:
        return [a.label(names) for a in self.assignments] or (["系统管理员"] if Role.ADMIN in self.roles else [])


def actor_of(user) -> Actor:
    if isinstance(user, Actor):
        return user
    if user is None or not user.is_authenticated:
        return Actor(AnonymousUser())
    return user.actor  # cached on the user object


class Rule:
    """Override `visible` and `can`. `obj` is None for model-level actions (add, import)."""

    model: type[Model]

    def visible(self, actor: Actor, qs: QuerySet) -> QuerySet:
        return qs.none()

    def can(self, actor: Actor, action: str, obj) -> bool:
        return False


_rules: dict[type[Model], Rule] = {}


def rule(model: type[Model]):
    def register(cls: type[Rule]):
        instance = cls()
        instance.model = model
        _rules[model] = instance
        return cls

    return register


def rule_for(model: type[Model]) -> Rule:
    try:
        return _rules[model]
    except KeyError:
        raise LookupError(f"No scoping rule is declared for {model.__name__}.") from None


def registered_models() -> Iterable[type[Model]]:
    return tuple(_rules)


def visible(user, model: type[Model], qs: QuerySet | None = None) -> QuerySet:
    base = qs if qs is not None else model._default_manager.all()
    return rule_for(model).visible(actor_of(user), base)


def allowed(user, action: str, target) -> bool:
    model = target if isinstance(target, type) else type(target)
    obj = None if isinstance(target, type) else target
    return rule_for(model).can(actor_of(user), action, obj)


def require(user, action: str, target) -> None:
    if not allowed(user, action, target):
        raise PermissionDenied("您没有执行此操作的权限。")


def get_visible_or_404(user, model: type[Model], **lookup):
    from django.http import Http404

    try:
        return visible(user, model).get(**lookup)
    except (model.DoesNotExist, ValueError):
        raise Http404("未找到该记录，或您无权查看。") from None


def get_record_or_404(user, label: str, pk: int):
    """The record named "app.model" and pk, as the user sees it (404 otherwise): for pages that
    act on any kind of record (assigning experts, opening problems on a case). Only models with
    a congress, a page and a scoping rule qualify."""
    from django.apps import apps
    from django.http import Http404

    try:
        model = apps.get_model(label)
    except (LookupError, ValueError):
        raise Http404("没有这类记录。") from None
    if not hasattr(model, "congress") or not hasattr(model, "get_absolute_url") or model not in _rules:
        raise Http404("没有这类记录。")
    return get_visible_or_404(user, model, pk=pk)
