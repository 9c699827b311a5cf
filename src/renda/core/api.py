"""API endpoints of the core records. They use the same scoping and the same forms and
services as the pages."""

from __future__ import annotations

from datetime import date

from ninja import Field, Query, Router, Schema, Status
from ninja.pagination import LimitOffsetPagination, paginate

from . import forms
from .models import Body, CommitteeMember, Congress, Deputy, HandlingUnit
from .scoping import get_visible_or_404, require, visible

router = Router(tags=["基础数据"])

# Filter values must be storable by the database: integers that fit its 64-bit columns,
# text without NUL bytes (PostgreSQL refuses them). Others are refused with 422, not 500.
SQL_INT_MAX = 2**63 - 1
MAX_PAGE = 500  # items per page: a client reads a large list page by page


def id_filter():
    return Query(None, ge=-SQL_INT_MAX - 1, le=SQL_INT_MAX)


def text_filter():
    return Query(None, pattern=r"^[^\x00]*$")


class Pagination(LimitOffsetPagination):
    class Input(Schema):
        limit: int = Field(100, ge=1, le=MAX_PAGE)
        offset: int = Field(0, ge=0, le=SQL_INT_MAX)


class RoleOut(Schema):
    role: str
    label: str
    congress_id: int
    body_id: int | None
    handling_unit_id: int | None
    deputy_id: int | None


class MeOut(Schema):
    username: str
    display_name: str
    roles: list[RoleOut]


class CongressOut(Schema):
    id: int
    code: str
    region: str
    name: str
    level: str
    parent_id: int | None


class BodyOut(Schema):
    id: int
    congress_id: int
    name: str
    short_name: str
    kind: str
    is_active: bool


class BodyIn(Schema):
    congress: int = Field(description="所属人大 id")
    name: str = Field(max_length=80)
    short_name: str = Field(max_length=30)
    kind: str
    order: int = Field(100, ge=0, le=32767)
    is_active: bool = True


class UnitOut(Schema):
    id: int
    congress_id: int
    name: str
    short_name: str
    kind: str
    parent_id: int | None
    is_active: bool


class UnitIn(Schema):
    congress: int
    name: str = Field(max_length=80)
    short_name: str = Field(max_length=30)
    kind: str
    parent: int | None = None
    contact_phone: str = Field("", max_length=30)
    is_active: bool = True


class MemberOut(Schema):
    id: int
    congress_id: int
    term_id: int
    name: str = Field(alias="person.name")
    position: str
    body_id: int | None
    start_date: date
    end_date: date | None


class DeputyOut(Schema):
    id: int
    congress_id: int
    term_id: int
    name: str = Field(alias="person.name")
    gender: str = Field(alias="person.gender")
    ethnicity: str = Field(alias="person.ethnicity")
    workplace: str = Field(alias="person.workplace")
    delegation: str | None = Field(None, alias="delegation.name")
    group: str | None = Field(None, alias="group.name")
    occupation: str
    status: str


class DeputyIn(Schema):
    term: int
    name: str = Field(max_length=40)
    gender: str = Field(description="M 或 F")
    ethnicity: str = Field("汉族", max_length=12)
    birth_date: date | None = None
    party: str = Field("", max_length=20)
    education: str = Field("", max_length=20)
    workplace: str = Field("", max_length=120)
    mobile: str = Field("", max_length=20)
    delegation: str = Field("", max_length=60)
    group: str = Field("", max_length=60)
    constituency: str = Field("", max_length=80)
    occupation: str = "other"
    is_grassroots: bool = False
    elected_date: date


def _form_or_422(form):
    if not form.is_valid():
        from django.core.exceptions import ValidationError

        raise ValidationError({f: [e["message"] for e in errs] for f, errs in form.errors.get_json_data().items()})
    return form


@router.get("/me", response=MeOut, summary="当前账号及其角色")
def me(request):
    if not request.user.is_authenticated:
        from ninja.errors import HttpError

        raise HttpError(401, "未登录：请携带令牌或先登录。")
    roles = [
        RoleOut(
            role=a.role,
            label=str(a),
            congress_id=a.congress_id,
            body_id=a.body_id,
            handling_unit_id=a.handling_unit_id,
            deputy_id=a.deputy_id,
        )
        for a in request.user.actor.assignments
    ]
    return MeOut(username=request.user.username, display_name=request.user.display_name, roles=roles)


@router.get("/congresses", response=list[CongressOut], summary="人大组织（公开）")
@paginate(Pagination)
def list_congresses(request, level: str | None = text_filter()):
    qs = visible(request.user, Congress).order_by("path")
    return qs.filter(level=level) if level else qs


@router.get("/congresses/{congress_id}", response=CongressOut, summary="一个人大")
def get_congress(request, congress_id: int):
    return get_visible_or_404(request.user, Congress, pk=congress_id)


@router.get("/bodies", response=list[BodyOut], summary="机构（公开）")
@paginate(Pagination)
def list_bodies(request, congress: int | None = id_filter()):
    qs = visible(request.user, Body).order_by("congress__path", "order", "id")
    return qs.filter(congress_id=congress) if congress else qs


@router.post("/bodies", response={201: BodyOut}, summary="新增机构")
def create_body(request, payload: BodyIn):
    require(request.user, "add", Body)
    form = _form_or_422(forms.BodyForm(data=payload.dict(), user=request.user))
    return Status(201, form.save())


@router.get("/units", response=list[UnitOut], summary="承办单位（公开）")
@paginate(Pagination)
def list_units(request, congress: int | None = id_filter(), kind: str | None = text_filter()):
    qs = visible(request.user, HandlingUnit).order_by("congress__path", "kind", "id")
    if congress:
        qs = qs.filter(congress_id=congress)
    return qs.filter(kind=kind) if kind else qs


@router.get("/units/{unit_id}", response=UnitOut, summary="一个承办单位")
def get_unit(request, unit_id: int):
    return get_visible_or_404(request.user, HandlingUnit, pk=unit_id)


@router.post("/units", response={201: UnitOut}, summary="新增承办单位")
def create_unit(request, payload: UnitIn):
    require(request.user, "add", HandlingUnit)
    form = _form_or_422(forms.HandlingUnitForm(data=payload.dict(), user=request.user))
    return Status(201, form.save())


@router.get("/members", response=list[MemberOut], summary="常委会组成人员（公开）")
@paginate(Pagination)
def list_members(request, congress: int | None = id_filter()):
    qs = visible(request.user, CommitteeMember).select_related("person").order_by("congress__path", "position", "id")
    return qs.filter(congress_id=congress) if congress else qs


@router.get("/deputies", response=list[DeputyOut], summary="人大代表（公众可见在任代表的基本信息）")
@paginate(Pagination)
def list_deputies(request, congress: int | None = id_filter(), q: str | None = text_filter()):
    qs = visible(request.user, Deputy).select_related("person", "delegation", "group").order_by("congress__path", "id")
    if congress:
        qs = qs.filter(congress_id=congress)
    if q:
        qs = qs.filter(person__name__icontains=q[:40])
    return qs


@router.get("/deputies/{deputy_id}", response=DeputyOut, summary="一名代表")
def get_deputy(request, deputy_id: int):
    deputy = get_visible_or_404(request.user, Deputy, pk=deputy_id)
    return Deputy.objects.select_related("person", "delegation", "group").get(pk=deputy.pk)


@router.post("/deputies", response={201: DeputyOut}, summary="新增代表")
def create_deputy(request, payload: DeputyIn):
    require(request.user, "add", Deputy)
    data = payload.dict()
    form = _form_or_422(forms.DeputyForm(data=data, user=request.user))
    return Status(201, form.save())
