"""Services for the core records. Views, the API, imports and the demo all call these,
so permission checks and the audit trail apply to every path alike."""

from __future__ import annotations

import functools
import hashlib
import secrets
from datetime import timedelta

from django.db import connection, transaction
from django.forms.models import model_to_dict
from django.utils import timezone

from . import clock
from .dbhealth import first_read
from .models import (
    ApiToken,
    AuditEntry,
    Body,
    CommitteeMember,
    Congress,
    Constituency,
    Delegation,
    Deputy,
    DeputyGroup,
    HandlingUnit,
    Notification,
    Person,
    PlenarySession,
    Role,
    RoleAssignment,
    Term,
    User,
)
from .scoping import actor_of, allowed, require  # noqa: F401 (allowed is re-exported)


def _label(user) -> str:
    if user is None:
        return "系统"
    return f"{user}（{'、'.join(actor_of(user).role_labels()) or '无角色'}）"


def audit(by, action: str, obj, changes: dict | None = None, *, request=None) -> AuditEntry:
    """An entry of the audit chain for a write (or an export …) by `by` on `obj` (a record, or a
    model for an act on many: an export). The values of the model's `personal_fields` are left
    out: the entry says which changed, not to what."""
    from .audit import append, clean_changes
    from .http import client_ip

    # obj._meta.model, not type(obj): request.user is a lazy wrapper whose type is not the model
    model = obj if isinstance(obj, type) else obj._meta.model
    return append(
        actor=by,
        actor_label=_label(by),
        action=action,
        model=model._meta.label,
        object_id="" if obj is model else str(obj.pk),
        object_label=str(model._meta.verbose_name if obj is model else obj)[:200],
        changes=clean_changes(model, changes),
        ip=client_ip(request) if request is not None else "",
    )


def _loaded_relations(instance) -> list[str]:
    """Foreign keys whose related object is already loaded (and saved): full_clean would
    query the database again to check it exists; the FK constraint still guards it."""
    cache = instance._state.fields_cache
    return [
        f.name
        for f in instance._meta.concrete_fields
        if f.is_relation and f.name in cache and cache[f.name] is not None and cache[f.name].pk is not None
    ]


@transaction.atomic
def save_record(by, instance, *, check: bool = True):
    """Create or update a reference record, with a permission check and an audit entry."""
    creating = instance._state.adding
    if check:
        if creating:
            require(by, "add", type(instance))
            require(by, "add", instance)
        else:
            require(by, "change", instance)
    before = {} if creating else model_to_dict(type(instance)._default_manager.get(pk=instance.pk))
    instance.full_clean(exclude=_loaded_relations(instance))
    instance.save()
    after = model_to_dict(instance)
    changes = {k: v for k, v in after.items() if before.get(k) != v}
    audit(by, "create" if creating else "update", instance, changes)
    return instance


def create_congress(by, *, code, region, level, parent=None, has_standing_committee=True, is_active=True) -> Congress:
    congress = Congress(
        code=code,
        region=region,
        level=level,
        parent=parent,
        has_standing_committee=has_standing_committee,
        is_active=is_active,
    )
    if parent is None:
        # A root congress can only be created by a superuser (deployment set-up).
        if by is not None and not by.is_superuser:
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("只有系统管理员可以创建顶级人大。")
        return save_record(by, congress, check=False)
    require(by, "add", parent)
    congress = save_record(by, congress, check=False)
    if by is not None:
        actor_of(by).forget()  # the congress sets cached for this user now have one more member
    return congress


CONGRESS_PLACE = ("parent_id", "level", "code")


@transaction.atomic
def update_congress(by, congress: Congress) -> Congress:
    """Save a congress's details; its place in the tree (parent, level, code) changes only
    for those allowed to `move` it, below a congress they keep (a new root: superuser)."""
    from django.core.exceptions import PermissionDenied

    old = Congress.objects.get(pk=congress.pk)
    if any(getattr(old, f) != getattr(congress, f) for f in CONGRESS_PLACE):
        require(by, "move", old)
        if congress.parent_id is None:
            if not (by is not None and by.is_superuser):
                raise PermissionDenied("只有系统管理员可以设立顶级人大。")
        elif congress.parent_id != old.parent_id:
            require(by, "add", congress.parent)
    congress = save_record(by, congress)
    if by is not None:
        actor_of(by).forget()  # congress sets cached for this user follow the tree
    return congress


def create_term(by, congress, number, start_date, end_date=None) -> Term:
    return save_record(by, Term(congress=congress, number=number, start_date=start_date, end_date=end_date))


def create_plenary_session(by, term, number, start_date, end_date) -> PlenarySession:
    return save_record(by, PlenarySession(term=term, number=number, start_date=start_date, end_date=end_date))


def create_committee_meeting(by, term, number, start_date, end_date=None, kind="standing_committee"):
    from .models import CommitteeMeeting

    return save_record(
        by, CommitteeMeeting(term=term, kind=kind, number=number, start_date=start_date, end_date=end_date)
    )


def create_body(by, congress, name, short_name, kind, order=100) -> Body:
    return save_record(by, Body(congress=congress, name=name, short_name=short_name, kind=kind, order=order))


def create_handling_unit(by, congress, name, short_name, kind, parent=None) -> HandlingUnit:
    return save_record(by, HandlingUnit(congress=congress, name=name, short_name=short_name, kind=kind, parent=parent))


def create_person(by, **fields) -> Person:
    require(by, "add", Person)
    return save_record(by, Person(**fields), check=False)


def create_committee_member(by, *, term, person, position, start_date, body=None) -> CommitteeMember:
    return save_record(
        by,
        CommitteeMember(
            congress=term.congress, term=term, person=person, position=position, body=body, start_date=start_date
        ),
    )


def create_delegation(by, term, name) -> Delegation:
    return save_record(by, Delegation(term=term, name=name))


def create_deputy_group(by, term, name) -> DeputyGroup:
    return save_record(by, DeputyGroup(term=term, name=name))


def create_constituency(by, term, name) -> Constituency:
    return save_record(by, Constituency(term=term, name=name))


def create_deputy(
    by,
    *,
    person,
    term,
    elected_date,
    delegation=None,
    group=None,
    constituency=None,
    occupation=Deputy.Occupation.OTHER,
    is_grassroots=False,
) -> Deputy:
    return save_record(
        by,
        Deputy(
            person=person,
            congress=term.congress,
            term=term,
            delegation=delegation,
            group=group,
            constituency=constituency,
            occupation=occupation,
            is_grassroots=is_grassroots,
            elected_date=elected_date,
        ),
    )


@transaction.atomic
def end_mandate(by, deputy: Deputy, ended_date, reason: str) -> Deputy:
    deputy.status = Deputy.Status.ENDED
    deputy.ended_date = ended_date
    deputy.end_reason = reason
    return save_record(by, deputy)


@transaction.atomic
def create_account(
    by,
    *,
    username,
    password=None,
    password_hash=None,
    display_name="",
    person=None,
    roles=(),
    must_change_password=False,
) -> User:
    """roles: iterable of dicts with role, congress and body / handling_unit / deputy.
    `password_hash`: an Argon2 hash made elsewhere (accounts moved from another system,
    or many demo accounts sharing one password) instead of a plain password.
    `must_change_password`: an administrator chose the password (the account form does), so
    its holder must replace it at first sign-in."""
    require(by, "add", User)
    user = User(username=username, display_name=display_name, person=person, must_change_password=must_change_password)
    if password_hash:
        user.password = password_hash
    else:
        user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit(by, "create", user, {"username": username})
    for spec in roles:
        grant_role(by, user, **spec)
    return user


@transaction.atomic
def reset_password(by, user: User, password: str) -> User:
    """An administrator sets a new password for `user`, who must change it at next sign-in."""
    require(by, "change", user)
    user.set_password(password)
    user.must_change_password = True
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    revoked = revoke_tokens(user)
    audit(by, "reset_password", user, {"tokens_revoked": revoked})
    return user


def revoke_tokens(user: User) -> int:
    """Revokes the account's API tokens: a token passes neither the password nor the second
    factor, so it must not outlive a reset password or a second factor turned off."""
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(revoked_at=timezone.now())


def grant_role(by, user, *, role, congress, body=None, handling_unit=None, deputy=None) -> RoleAssignment:
    assignment = RoleAssignment(
        user=user, role=role, congress=congress, body=body, handling_unit=handling_unit, deputy=deputy
    )
    require(by, "add", assignment)
    assignment.full_clean()
    assignment.save()
    audit(
        by,
        "grant",
        user,
        {
            "role": role,
            "congress": congress.pk,
            "body": body and body.pk,
            "handling_unit": handling_unit and handling_unit.pk,
        },
    )
    return assignment


def issue_api_token(by, name: str) -> tuple[ApiToken, str]:
    """Returns the token record and the secret, which is shown once and never stored."""
    require(by, "add", ApiToken)
    secret = "rd_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=by, name=name, prefix=secret[:8], key_hash=hashlib.sha256(secret.encode()).hexdigest()
    )
    audit(by, "issue_token", by, {"token": token.prefix})
    return token, secret


TOKEN_USE_RESOLUTION = timedelta(minutes=1)


def user_for_token(secret: str) -> User | None:
    """The active user a live (not revoked) API token belongs to, or None. Every API request
    with a token starts here, a vote storm's included: one statement, written once
    (`_token_sql`), not compiled by the ORM on each request."""
    digest = hashlib.sha256(secret.encode()).hexdigest()
    now = timezone.now()
    # "Last used" to the minute: a client sending many requests at once (a deputy voting in
    # ten ballots during a plenary) writes — and locks — the token's row once a minute, not
    # on every request (bench/load.py).
    stale = ApiToken._meta.get_field("last_used_at").get_db_prep_value(now - TOKEN_USE_RESOLUTION, connection)
    # the request's first statement stands for the connection's health check (core.dbhealth)
    user = first_read(_token_user, stale, digest)
    if user is None:
        return None
    if user._api_token_stale:
        ApiToken.objects.filter(pk=user._api_token_id).update(last_used_at=now)
    return user


def _token_user(stale, digest) -> User | None:
    return next(iter(User.objects.raw(_token_sql(connection.vendor), [stale, digest])), None)


@functools.cache
def _token_sql(vendor: str) -> str:
    q = connection.ops.quote_name
    token, user = q(ApiToken._meta.db_table), q(User._meta.db_table)

    def col(model, name):
        return q(model._meta.get_field(name).column)

    used = col(ApiToken, "last_used_at")
    return (
        f"SELECT u.*, t.{col(ApiToken, 'id')} AS _api_token_id, "
        f"(t.{used} IS NULL OR t.{used} <= %s) AS _api_token_stale "
        f"FROM {token} t JOIN {user} u ON u.{col(User, 'id')} = t.{col(ApiToken, 'user')} "
        f"WHERE t.{col(ApiToken, 'key_hash')} = %s AND t.{col(ApiToken, 'revoked_at')} IS NULL "
        f"AND u.{col(User, 'is_active')}"
    )


def notify(users, text: str, url: str = "", kind: str = "info") -> int:
    items = Notification.objects.bulk_create([Notification(user=u, text=text[:200], url=url, kind=kind) for u in users])
    if (at := clock.dated_at()) and items:  # created_at is auto_now_add: restamp at the event's time
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(created_at=at)
    return len(items)


def root_congress() -> Congress | None:
    from django.conf import settings

    qs = Congress.objects.all()
    if settings.RENDA_ROOT_CONGRESS:
        return qs.filter(code=settings.RENDA_ROOT_CONGRESS).first()
    # The top of the tree: no parent, the highest level (a stray top-level congress of a
    # lower level, or one with a smaller code, must not take over), then by code.
    from django.db.models import Case, IntegerField, Value, When

    rank = Case(
        *(When(level=level, then=Value(i)) for i, (level, _) in enumerate(Congress.Level.choices)),
        output_field=IntegerField(),
    )
    return qs.filter(parent__isnull=True).order_by(rank, "path").first()


def congress_for_command(code: str | None) -> Congress:
    """The congress a management command works on: by its code, else the deployment's
    root; CommandError (in Chinese) when there is none."""
    from django.core.management.base import CommandError

    if code:
        congress = Congress.objects.filter(code=code).first()
        if congress is None:
            raise CommandError(f"没有区划代码为 {code} 的人大。")
        return congress
    congress = root_congress()
    if congress is None:
        raise CommandError("尚未设立人大：请先运行 renda load_demo 或创建本级人大。")
    return congress


def manageable_roles() -> list[tuple[str, str]]:
    return list(Role.choices)


def grouping(by, term, delegation: str = "", group: str = "", constituency: str = "") -> dict:
    """Find or create the delegation, deputy group and constituency named for a term."""
    result = {}
    for key, model, name in (
        ("delegation", Delegation, delegation),
        ("group", DeputyGroup, group),
        ("constituency", Constituency, constituency),
    ):
        name = (name or "").strip()
        if not name:
            result[key] = None
            continue
        found = model.objects.filter(term=term, name=name).first()
        result[key] = found or save_record(by, model(term=term, name=name))
    return result
