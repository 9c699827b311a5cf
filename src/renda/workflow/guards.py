"""Guards and deadline recipients that case types share: who acts for a congress, and who is
told of a clock. A module declares its own guards only for people particular to its cases (a
lead deputy, the organ supervised, a nominating unit)."""

from django.db.models import Q

from renda.core.models import Role, User

from .engine import NOBODY, Guard


def congress_roles(label: str, *roles: str) -> Guard:
    """Those holding one of `roles` in the case's congress or in one above it."""
    return Guard(label, lambda a: Q(congress__in=a.congresses(*roles)) if a.has(*roles) else NOBODY)


staff = congress_roles("人大机关工作人员", Role.STAFF, Role.ADMIN)
directors = congress_roles("主任会议成员", Role.DIRECTOR)


def unit_else_staff(deadline):
    """Reminded of a clock: the staff of the unit it is bound to, else the congress's staff."""
    if deadline.handling_unit_id:
        return User.objects.filter(roles__role=Role.UNIT, roles__handling_unit=deadline.handling_unit_id)
    return User.objects.filter(roles__role=Role.STAFF, roles__congress=deadline.congress_id)


def staff_and_directors(deadline):
    """Alerted when a clock is overdue: the congress's staff and directors."""
    return User.objects.filter(
        roles__role__in=(Role.STAFF, Role.DIRECTOR), roles__congress=deadline.congress_id
    ).distinct()
