"""Scoped list pages: search, filter chips, sortable columns, pagination and Excel
export, over `scoping.visible` — a list page never filters by permission itself.

Below a breakpoint (renda.css, 700px) the same table renders each row as a card: the
title column as its heading (and link), the key columns and the badges as "label: value"
lines, the other columns folded behind 更多. A phone gets `Listing.phone_per_page` rows:
renda.js keeps a `renda_narrow` cookie with the viewport's width class, and a mobile
browser's first request says so itself (Sec-CH-UA-Mobile).

Each page issues a constant number of queries whatever its size: columns declare the
relations they need (select_related) and cells read only loaded attributes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import reduce
from operator import or_
from typing import Any

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.db.models.functions import ExtractYear
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.text import slugify
from django.views import View

from .excel import write_workbook
from .personal import mask
from .scoping import allowed, visible
from .services import audit
from .templatetags.renda import cn_date, cn_datetime


@dataclass
class Column:
    label: str
    # the cell's value: dates are written by the list (cn_date); a tuple joins parts, so that
    # a date inside a longer text is written the same way: (f.filed_on, "（迟报）")
    value: Callable[[Any], Any]
    sort: str = ""  # ORM field to order by
    numeric: bool = False
    url: Callable[[Any], str] | None = None
    badge: Callable[[Any], str] | None = None  # CSS class of a status badge
    # On a phone: the card's heading (default: the first column with a url, else the first)
    title: bool = False
    # On a phone: a "label: value" line of the card; the other columns fold behind 更多.
    # A badge column is always key; a listing that declares no key column folds nothing.
    key: bool = False
    # Personal data (core.personal): the mask kind ("mobile", "contact", "address"). The page
    # shows the value masked to whom may `view_contact` the row, and nothing to others; an
    # export gives it in full to whom may, masked to others, and is audited.
    personal: str = ""


@dataclass
class Filter:
    param: str
    label: str
    field: str
    choices: Callable[[Any], list[tuple[str, str]]] | None = None  # (request) -> choices
    # a year filter (`year_filter`): the date field whose years the listed records have
    year_of: str = ""


def year_filter(date_field: str, label: str = "年度", param: str = "year") -> Filter:
    """年度 by the record's own date (for a case, its case type's `year_field`: a suggestion's
    submitted_on, not when the row was created); the choices are the years that have records
    in the list, newest first (one query)."""
    return Filter(param, label, f"{date_field}__year", year_of=date_field)


def _years_of(qs: QuerySet, date_field: str) -> list[tuple[int, str]]:
    years = qs.order_by().annotate(_year=ExtractYear(date_field)).values_list("_year", flat=True).distinct()
    return [(y, f"{y}年") for y in sorted((y for y in years if y is not None), reverse=True)]


NARROW_COOKIE = "renda_narrow"  # set by renda.js: "1" below the cards' breakpoint, "0" above


def is_narrow(request) -> bool:
    """Whether the page is read on a phone-sized screen (for the page size only: the
    layout itself is CSS)."""
    cookie = request.COOKIES.get(NARROW_COOKIE)
    if cookie in ("0", "1"):
        return cookie == "1"
    return request.headers.get("Sec-CH-UA-Mobile") == "?1"


@dataclass
class Listing:
    model: type
    title: str
    columns: list[Column]
    search_fields: tuple[str, ...] = ()
    search_placeholder: str = "搜索"
    filters: list[Filter] = field(default_factory=list)
    select_related: tuple[str, ...] = ()
    default_order: tuple[str, ...] = ()
    per_page: int = 50
    phone_per_page: int = 20
    breadcrumbs: list[tuple[str, str]] = field(default_factory=list)

    def card_roles(self) -> list[str]:
        """Each column's part in a row's phone card: "title", "key" or "minor"."""
        title = next((c for c in self.columns if c.title), None)
        title = title or next((c for c in self.columns if c.url), None) or self.columns[0]
        declared = any(c.key for c in self.columns)
        return [
            "title" if c is title else "key" if (c.key or c.badge or not declared) else "minor" for c in self.columns
        ]


class ListingView(LoginRequiredMixin, View):
    listing: Listing
    public = False  # a public list (portal) needs no login
    template_name = "core/list.html"
    # A "修改" link per row for users who keep this kind of record (the edit view
    # checks each object again).
    edit_url_name = ""
    # Refuse the page (403) to users who may not view this kind of record at all, rather
    # than showing them an empty list (for internal registers).
    require_model_view = False

    def dispatch(self, request, *args, **kwargs):
        if self.public:
            return View.dispatch(self, request, *args, **kwargs)
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self, request) -> QuerySet:
        qs = visible(request.user, self.listing.model)
        if self.listing.select_related:
            qs = qs.select_related(*self.listing.select_related)
        return qs

    def actions(self, request) -> list[tuple[str, str]]:
        return []

    def extra_context(self, request) -> dict:
        """More for a page's own template (template_name)."""
        return {}

    def filtered(self, request):
        listing = self.listing
        qs = base = self.get_queryset(request)  # choices from data come from the unfiltered list
        q = request.GET.get("q", "").replace("\x00", "").strip()[:100]  # PostgreSQL refuses NUL in text
        if q and listing.search_fields:
            qs = qs.filter(reduce(or_, (Q(**{f"{f}__icontains": q}) for f in listing.search_fields)))
        active_filters = []
        for f in listing.filters:
            current = request.GET.get(f.param, "")
            options = _years_of(base, f.year_of) if f.year_of else f.choices(request)
            choices = [(str(v), str(lbl)) for v, lbl in options]
            if current and current in {v for v, _ in choices}:
                qs = qs.filter(**{f.field: current})
            else:
                current = ""
            active_filters.append({"param": f.param, "label": f.label, "choices": choices, "current": current})
        sort = request.GET.get("sort", "")
        sortable = {c.sort for c in listing.columns if c.sort}
        key = sort.lstrip("-")
        if key in sortable:
            qs = qs.order_by(sort, "pk")
        elif listing.default_order:
            qs = qs.order_by(*listing.default_order)
        return qs, q, active_filters, sort

    def get(self, request, *args, **kwargs):
        listing = self.listing
        if self.require_model_view and not allowed(request.user, "view", listing.model):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied("您无权查看此类记录。")
        qs, q, active_filters, sort = self.filtered(request)
        if request.GET.get("export") == "xlsx":
            return self.export_for(request, qs)
        per_page = listing.phone_per_page if is_narrow(request) else listing.per_page
        page_obj = Paginator(qs, per_page).get_page(request.GET.get("page"))
        editable = bool(self.edit_url_name) and allowed(request.user, "add", listing.model)
        roles = listing.card_roles()
        rows = [
            [
                {
                    "value": _personal_cell(request.user, c, obj) if c.personal else _display(c.value(obj)),
                    "numeric": c.numeric,
                    "url": c.url(obj) if c.url else "",
                    "badge": c.badge(obj) if c.badge else "",
                    "label": c.label,
                    "role": role,
                }
                for c, role in zip(listing.columns, roles, strict=True)
            ]
            + (
                [{"value": "修改", "url": reverse(self.edit_url_name, args=[obj.pk]), "label": "", "role": "action"}]
                if editable
                else []
            )
            for obj in page_obj.object_list
        ]
        columns = []
        for c in listing.columns:
            sorted_state = "asc" if sort == c.sort else "desc" if sort == f"-{c.sort}" else ""
            columns.append(
                {
                    "label": c.label,
                    "numeric": c.numeric,
                    "sort": c.sort,
                    "sorted": sorted_state,
                    "sort_toggle": f"-{c.sort}" if sorted_state == "asc" else c.sort,
                }
            )
        if editable:
            columns.append({"label": "操作", "numeric": False, "sort": "", "sorted": "", "sort_toggle": ""})
        kept = [(k, v) for k, v in request.GET.items() if k not in ("q", "page", "export")]
        return render(
            request,
            self.template_name,
            {
                "page_title": listing.title,
                "columns": columns,
                "sortable": any(c.sort for c in listing.columns),
                "folded": [c.label for c, role in zip(listing.columns, roles, strict=True) if role == "minor"],
                "rows": rows,
                "page_obj": page_obj,
                "q": q,
                "filters": active_filters,
                "kept_params": kept,
                "actions": self.actions(request),
                "can_export": self.may_export(request.user),
                "search_placeholder": listing.search_placeholder,
                "breadcrumbs": listing.breadcrumbs + [(listing.title, "")],
                **self.extra_context(request),
            },
        )

    def may_export(self, user) -> bool:
        """Exports are for signed-in users (a public list's whole table in one request is
        cheap to ask for and dear to make), of a list they may export."""
        return user.is_authenticated and (self.public or allowed(user, "export", self.listing.model))

    def export_for(self, request, qs) -> HttpResponse:
        """The list as a workbook for this user: signed in (else to the login page), allowed,
        within RENDA_EXPORTS_PER_MINUTE, audited (the model and the row count: no rows, no
        search text, which may name a person)."""
        from django.conf import settings
        from django.contrib.auth.views import redirect_to_login
        from django.core.exceptions import PermissionDenied

        from .http import throttled

        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not self.may_export(request.user):
            raise PermissionDenied("您无权导出此列表。")
        limit = settings.RENDA_EXPORTS_PER_MINUTE
        if throttled(f"listing:export:{request.user.pk}", limit, seconds=60):
            message = f"导出过于频繁（每分钟最多{limit}次），请稍后再试。"
            return render(request, "429.html", {"message": message}, status=429)
        return self.export(qs, request)

    def export(self, qs, request) -> HttpResponse:
        listing = self.listing
        user = request.user
        headers = [c.label for c in listing.columns]
        personal_columns = [c.label for c in listing.columns if c.personal]
        counts = {"rows": 0, "full": 0}

        def row(obj):
            full = bool(personal_columns) and allowed(user, "view_contact", obj)
            counts["rows"] += 1
            counts["full"] += full
            # as on the page: the value to those who may see it, nothing to the others (a masked
            # number still carries its last four digits, the public lookup's check)
            return [(c.value(obj) if full else "") if c.personal else _display(c.value(obj)) for c in listing.columns]

        data = write_workbook(listing.title, headers, (row(obj) for obj in qs.iterator(chunk_size=2000)))
        # every export is in the audit log: which list, how many rows, its filters; not the search
        # text (it may be a name or a number) nor any row's content
        # only the list's own filters, under their own key: a query parameter cannot overwrite the count
        declared = {f.param for f in listing.filters}
        filters = {k: v[:40] for k, v in request.GET.items() if k in declared}
        changes = {"list": listing.title, "rows": counts["rows"], "searched": bool(request.GET.get("q"))}
        if filters:
            changes["filters"] = filters
        audit(user, "export", listing.model, changes, request=request)
        if personal_columns:  # who took personal data out, how much of it: never the values
            audit(
                user,
                "export_personal",
                listing.model,
                {**counts, "withheld": counts["rows"] - counts["full"], "columns": personal_columns},
                request=request,
            )
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        name = slugify(listing.model._meta.model_name) or "export"
        response["Content-Disposition"] = (
            f"attachment; filename={name}.xlsx; filename*=UTF-8''{_quote(listing.title)}.xlsx"
        )
        return response


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


def _personal_cell(user, column: Column, obj) -> str:
    """A personal value on a list page: masked, and only for whom may see it."""
    return mask(column.value(obj), column.personal) if allowed(user, "view_contact", obj) else ""


def _display(value):
    """A cell's text. Every date is written one way, as documents write it (2020年12月22日);
    a tuple is a cell of several parts (e.g. a date and a note), each written so."""
    if value is None:
        return ""
    if isinstance(value, tuple):
        return "".join(str(_display(part)) for part in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, datetime):
        return cn_datetime(value)
    if isinstance(value, date):
        return cn_date(value)
    return value
