"""Supervision work pages: the items by kind and state (staff, directors), what an organ owes
and by when (units), the reading before a sitting (members), each item's page, and the staff's
forms. Thin: scoping decides what is seen, the case types what may be done, services write."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, CharField, Exists, OuterRef, Q, Subquery, Value, When
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from renda.ballots import services as ballot_services
from renda.ballots.models import Ballot, Voter
from renda.core.forms import add_service_errors
from renda.core.listing import Column, Filter, Listing, ListingView, year_filter
from renda.core.scoping import actor_of, allowed, get_visible_or_404, require, visible
from renda.meetings.models import Speech
from renda.workflow import calendar
from renda.workflow.documents import DocumentVersion
from renda.workflow.engine import CaseType
from renda.workflow.models import Deadline, Participation

from . import forms, rules, services
from .cases import INQUIRY, INTERPELLATION, INVESTIGATION, LAW_INSPECTION, WORK_REPORT
from .models import Activity, InquiryQuestion, Interpellation, SupervisionPlan

# ---------------------------------------------------------------- the kinds of item


@dataclass(frozen=True)
class ItemKind:
    case_type: CaseType
    slug: str  # the URL part: /work/supervision/<slug>/<pk>/
    route: str  # the name of the item's page

    @property
    def key(self) -> str:
        return self.case_type.key

    @property
    def model(self):
        return self.case_type.model

    @property
    def label(self) -> str:
        return self.case_type.label


KINDS = [
    ItemKind(WORK_REPORT, "reports", "report"),
    ItemKind(LAW_INSPECTION, "inspections", "inspection"),
    ItemKind(INVESTIGATION, "investigations", "investigation"),
    ItemKind(INQUIRY, "inquiries", "inquiry"),
    ItemKind(INTERPELLATION, "interpellations", "interpellation"),
]
BY_KEY = {k.key: k for k in KINDS}
# where the organ must act (the dues page), and what members read before a sitting
WITH_ORGAN = {
    "work_report": WORK_REPORT.states_tagged("with_organ"),
    "law_inspection": LAW_INSPECTION.states_tagged("with_organ"),
    "investigation": INVESTIGATION.states_tagged("with_organ"),
    "inquiry": INQUIRY.states_tagged("with_organ"),
    "interpellation": INTERPELLATION.states_tagged("with_organ"),
}
READING = {  # investigations and 质询案 are not read before a sitting
    "work_report": WORK_REPORT.states_tagged("reading"),
    "law_inspection": LAW_INSPECTION.states_tagged("reading"),
    "inquiry": INQUIRY.states_tagged("reading"),
}
BY_SLUG = {k.slug: k for k in KINDS}


def kind_of(item) -> ItemKind:
    return BY_KEY[item.case_type_key]


def item_url(item) -> str:
    return reverse(f"supervision:{kind_of(item).route}", args=[item.pk])


BADGE = {"concluded": "ok", "withdrawn": "", "rejected": "", "re_reporting": "bad", "voting": "soon"}


def _badge(item) -> str:
    return BADGE.get(item.state, "red")


# ---------------------------------------------------------------- the clocks of a list


def with_clocks(qs, user):
    """Each item with its running clock that falls due first (`next_due`) and whether one is
    overdue or due soon (`clock`), both only where the reader follows the item's process: two
    subqueries in the list's one query."""
    actor = actor_of(user)
    clocks = Deadline.objects.running_for_outer(qs.model)
    today = timezone.localdate()
    soon = today + timezone.timedelta(days=settings.RENDA_REMINDER_DAYS)
    follows = rules.process_q(actor)
    return qs.annotate(
        next_due=Case(
            When(follows, then=Subquery(clocks.order_by("due_on").values("due_on")[:1])),
            default=None,
        ),
        clock=Case(
            When(follows & Exists(clocks.filter(due_on__lt=today)), then=Value("overdue")),
            When(follows & Exists(clocks.filter(due_on__gte=today, due_on__lte=soon)), then=Value("due_soon")),
            default=Value(""),
            output_field=CharField(),
        ),
    )


def _due(item):
    if not getattr(item, "next_due", None):
        return ""
    text, _ = calendar.describe_remaining(item.next_due, timezone.localdate())
    return (item.next_due, f"（{text}）")


def _due_badge(item):
    if not getattr(item, "next_due", None):
        return ""
    return calendar.describe_remaining(item.next_due, timezone.localdate())[1]


# ---------------------------------------------------------------- 监督工作: one list per kind


def _category(item):
    if hasattr(item, "law_title"):
        return item.law_title
    if hasattr(item, "get_kind_display"):
        return item.get_kind_display()
    return ""


def _choices_of(model, field, label_field):
    """Filter chips from the values the reader's items have (one query)."""

    def choices(request):
        rows = (
            visible(request.user, model)
            .exclude(**{f"{field}__isnull": True})
            .order_by(label_field)
            .values_list(field, label_field)
            .distinct()
        )
        return list(rows)

    return choices


def listing_for(kind: ItemKind) -> Listing:
    model = kind.model
    columns = [
        Column("名称", lambda i: i.title, url=item_url, sort="title"),
        Column(
            "类别" if not hasattr(model, "law_title") else "检查的法律法规",
            _category,
            key=True,
        ),
        Column("牵头机构", lambda i: i.body.short_name if i.body_id else "", sort="body__name"),
        Column("被监督机关", lambda i: i.organ.short_name if i.organ_id else "", sort="organ__name", key=True),
        Column("审议会议", lambda i: i.sitting.label if i.sitting_id else ""),
        Column("状态", lambda i: i.state_label, badge=_badge),
        Column("期限", _due, key=True),
        Column("重点", lambda i: "重点监督" if i.key_item else "", key=True),
        Column("列入计划", lambda i: i.planned_on, sort="planned_on"),
    ]
    if kind.key in ("inquiry", "interpellation"):
        columns.pop(1)
    return Listing(
        model=model,
        title=f"监督工作：{kind.label}",
        columns=columns,
        search_fields=("title", "organ__name", "body__name", "summary"),
        search_placeholder="搜索名称、机关或工作要点",
        filters=[
            Filter("state", "状态", "state", lambda r, ct=kind.case_type: [(s.key, s.label) for s in ct.states]),
            Filter("organ", "被监督机关", "organ", _choices_of(model, "organ", "organ__short_name")),
            Filter("body", "牵头机构", "body", _choices_of(model, "body", "body__short_name")),
            year_filter(kind.case_type.year_field),
            Filter("key", "重点", "key_item", lambda r: [("1", "重点监督事项")]),
            Filter("deadline", "期限", "clock", lambda r: [("overdue", "已逾期"), ("due_soon", "即将到期")]),
        ],
        select_related=("body", "organ", "sitting__term"),
        default_order=("-planned_on", "-id"),
        breadcrumbs=[("监督工作", "")],
    )


LISTINGS = {k.key: listing_for(k) for k in KINDS}


class ItemList(ListingView):
    """监督工作: one tab per kind of item (each a scoped list with its filters and export)."""

    template_name = "supervision/index.html"
    listing = LISTINGS["work_report"]

    def dispatch(self, request, *args, **kwargs):
        self.kind = BY_KEY.get(request.GET.get("kind", ""), KINDS[0])
        self.listing = LISTINGS[self.kind.key]
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self, request):
        return with_clocks(super().get_queryset(request), request.user)

    def actions(self, request):
        actions = []
        if allowed(request.user, "add", self.kind.model):
            if self.kind.key == "interpellation":
                actions.append(("提出质询案", reverse("supervision:interpellation_new")))
            else:
                actions.append(("新增监督事项", reverse("supervision:add")))
        if allowed(request.user, "read", self.kind.model):
            actions.append(("会前阅读", reverse("supervision:reading")))
        if allowed(request.user, "owe", self.kind.model):
            actions.append(("本单位待办", reverse("supervision:dues")))
        return actions

    def extra_context(self, request):
        # the directors' meeting adopts the plan: drafts awaiting it (only the oversight roles see drafts)
        awaiting = visible(request.user, SupervisionPlan).filter(state="draft").select_related("congress")
        return {
            "tabs": [(k.label, f"?kind={k.key}", k.key == self.kind.key) for k in KINDS],
            "plans_awaiting": list(awaiting[:20]),
        }


# ---------------------------------------------------------------- 本单位待办 (units)


@login_required
def dues(request):
    """What the user's organ or department owes and by when: items in states where the organ
    must act (tagged with_organ), each with its running clock, soonest first. One query per
    kind of item."""
    actor = actor_of(request.user)
    if not allowed(request.user, "owe", KINDS[0].model):
        raise PermissionDenied("本页供被监督机关和承办部门使用。")
    rows = []
    for kind in KINDS:
        states = WITH_ORGAN[kind.key]
        qs = visible(request.user, kind.model).filter(Q(organ__in=actor.unit_ids) | Q(unit__in=actor.unit_ids))
        qs = qs.filter(state__in=states)
        qs = with_clocks(qs.select_related("body", "organ", "unit", "sitting__term"), request.user)
        clocks = Deadline.objects.running_for_outer(kind.model)
        qs = qs.annotate(clock_label=Subquery(clocks.order_by("due_on").values("label")[:1]))
        rows += [(kind, item) for item in qs]
    rows.sort(key=lambda r: (r[1].next_due or date.max, r[1].pk))
    return render(
        request,
        "supervision/dues.html",
        {
            "page_title": "本单位待办：监督事项",
            "rows": [
                {"kind": k, "item": i, "url": item_url(i), "due": _due(i), "level": _due_badge(i)} for k, i in rows
            ],
            "breadcrumbs": [("监督工作", reverse("supervision:index")), ("本单位待办", "")],
        },
    )


# ---------------------------------------------------------------- 会前阅读 (members)


@login_required
def reading(request):
    """What members read before a sitting: items in states tagged "reading" of the congresses
    where they sit, with the sitting's date and the report's current files; and the open
    satisfaction votes they may cast. A fixed number of queries whatever the number of items."""
    if not allowed(request.user, "read", KINDS[0].model):
        raise PermissionDenied("会前阅读供常委会组成人员使用。")
    actor = actor_of(request.user)
    items = []
    for kind in KINDS:
        if kind.key not in READING:
            continue
        states = READING[kind.key]
        qs = (
            visible(request.user, kind.model)
            .filter(rules.process_q(actor), state__in=states)
            .select_related("body", "organ", "sitting__term")
        )
        found = list(qs)
        files = _report_files(kind.model, [i.pk for i in found])
        items += [{"kind": kind, "item": i, "url": item_url(i), "files": files.get(i.pk, [])} for i in found]
    items.sort(key=lambda r: (r["item"].sitting_on or date.max, r["item"].pk))
    open_votes = (
        visible(request.user, Ballot)
        .filter(state=Ballot.State.OPEN)
        .filter(Exists(Voter.objects.filter(ballot=OuterRef("pk"), user=request.user, cast__isnull=True)))
        .order_by("opened_at")
    )
    return render(
        request,
        "supervision/reading.html",
        {
            "page_title": "会前阅读",
            "items": items,
            "open_votes": list(open_votes),
            "breadcrumbs": [("监督工作", reverse("supervision:index")), ("会前阅读", "")],
        },
    )


def _report_files(model, ids) -> dict[int, list]:
    """The current version of each item's report ("report" documents): one query."""
    if not ids:
        return {}
    ct = ContentType.objects.get_for_model(model)
    versions = (
        DocumentVersion.objects.filter(document__content_type=ct, document__object_id__in=ids, document__kind="report")
        .select_related("document")
        .order_by("document__object_id", "-number")
    )
    found: dict[int, list] = {}
    for v in versions:
        found.setdefault(v.document.object_id, []).append(v)
    return {pk: vs[:1] for pk, vs in found.items()}


# ---------------------------------------------------------------- an item's page


def _item(request, kind_key, pk):
    kind = BY_KEY[kind_key]
    item = get_visible_or_404(request.user, kind.model, pk=pk)
    return kind, kind.model.objects.select_related("body", "organ", "unit", "sitting__term__congress", "plan").get(
        pk=item.pk
    )


def _ballots(request, item) -> list[dict]:
    """The item's satisfaction votes (or proposers' assessments): each closed one with its
    tally to whom may see the result, the open one with the way to vote."""
    ct = ContentType.objects.get_for_model(item)
    found = []
    for ballot in visible(request.user, Ballot).filter(content_type=ct, object_id=item.pk).order_by("created_at"):
        result = None
        if ballot.state == Ballot.State.CLOSED and allowed(request.user, "view_result", ballot):
            result = ballot_services.tally(ballot)
        found.append({"ballot": ballot, "result": result, "url": reverse("ballots:ballot", args=[ballot.pk])})
    return found


def item_page(request, pk, kind_key):
    kind, item = _item(request, kind_key, pk)
    user = request.user
    follows = allowed(user, "view_process", item)
    ct = ContentType.objects.get_for_model(item)
    context = {
        "page_title": item.title,
        "item": item,
        "kind": kind,
        "follows": follows,
        "actions": kind.case_type.available(user, item) if follows else [],
        "speeches": list(services.speeches_of(item, user)),
        "ballots": _ballots(request, item),
        "breadcrumbs": [("监督工作", reverse("supervision:index") + f"?kind={kind.key}"), (item.title[:30], "")],
    }
    if follows:
        context["participants"] = list(
            visible(user, Participation)
            .filter(content_type=ct, object_id=item.pk)
            .select_related("person", "deputy")
            .order_by("capacity", "on", "id")
        )
        context["activities"] = list(visible(user, Activity).filter(content_type=ct, object_id=item.pk))
    if kind.key == "inquiry":
        context["questions"] = list(
            visible(user, InquiryQuestion).filter(inquiry=item).select_related("asker", "asker_deputy", "problem")
        )
        if follows:
            from renda.problems.services import may_open

            context["may_open_problems"] = may_open(item, user)
    may_record = allowed(user, "add", Speech(congress_id=item.congress_id))
    context["may_record"] = may_record
    context["may_add_activity"] = kind.key in ("law_inspection", "investigation") and may_record
    context["may_add_question"] = kind.key == "inquiry" and may_record
    return render(request, "supervision/item.html", context)


def _page_of(kind_key):
    @login_required
    def view(request, pk):
        return item_page(request, pk, kind_key)

    view.__name__ = f"{kind_key}_page"
    return view


report = _page_of("work_report")
inspection = _page_of("law_inspection")
investigation = _page_of("investigation")
inquiry = _page_of("inquiry")
interpellation = _page_of("interpellation")


# ---------------------------------------------------------------- forms (staff)


def _form_page(request, form, title, cancel_url, breadcrumbs):
    return render(
        request,
        "core/form.html",
        {"page_title": title, "form": form, "cancel_url": cancel_url, "breadcrumbs": breadcrumbs},
    )


def _home_congress(request):
    congress = actor_of(request.user).home_congress
    if congress is None:
        raise PermissionDenied("您的账号没有所属的人大。")
    return congress


@login_required
def add(request):
    """新增监督事项: an item of a plan (or outside one), as a case of its kind."""
    require(request.user, "add", KINDS[0].model)
    congress = _home_congress(request)
    form = forms.ItemForm(request.POST or None, congress=congress, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            kwargs = form.service_kwargs()
            item = services.add_item(request.user, kwargs.pop("plan"), kwargs.pop("kind"), **kwargs)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已新增监督事项“{item.title}”。")
            return redirect(item_url(item))
    index = reverse("supervision:index")
    return _form_page(request, form, "新增监督事项", index, [("监督工作", index), ("新增监督事项", "")])


@login_required
def interpellation_new(request):
    """质询案: entered by the staff for the members who propose it jointly (SUP-9)."""
    require(request.user, "add", Interpellation)
    congress = _home_congress(request)
    form = forms.InterpellationForm(request.POST or None, congress=congress)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case = services.propose_interpellation(
                request.user,
                congress,
                title=data["title"],
                organ=data["organ"],
                questions=data["questions"],
                proposers=form.signers(),
                body=data["body"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "质询案已登记，待主任会议决定。")
            return redirect(item_url(case))
    index = reverse("supervision:index") + "?kind=interpellation"
    return _form_page(request, form, "提出质询案", index, [("监督工作", index), ("提出质询案", "")])


def _slug_item(request, slug, pk):
    kind = BY_SLUG.get(slug)
    if kind is None:
        raise Http404("没有这类监督事项。")
    return _item(request, kind.key, pk)


@login_required
def speech(request, slug, pk):
    """审议发言: recorded by the staff for a member or a deputy who spoke."""
    kind, item = _slug_item(request, slug, pk)
    require(request.user, "add", Speech(congress_id=item.congress_id))
    initial = {"spoken_on": item.held_on or timezone.localdate()}
    form = forms.SpeechForm(request.POST or None, initial=initial, congress=item.congress)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person, deputy = form.fields["speaker"].resolve(data["speaker"])
        try:
            services.record_speech(request.user, item, person, data["text"], deputy=deputy, on=data["spoken_on"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已记录{person.name}的审议发言。")
            return redirect(item_url(item))
    return _item_form(request, form, item, "记录审议发言")


@login_required
def activity(request, slug, pk):
    """A dated activity of an inspection or investigation (座谈会、实地检查 …)."""
    kind, item = _slug_item(request, slug, pk)
    if kind.key not in ("law_inspection", "investigation"):
        raise Http404("只有执法检查和调研视察记录检查调研活动。")
    require(request.user, "add", Activity(content_type=ContentType.objects.get_for_model(item), object_id=item.pk))
    form = forms.ActivityForm(request.POST or None, initial={"on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.record_activity(request.user, item, data["kind"], data["on"], data["place"], data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已记录检查调研活动。")
            return redirect(item_url(item))
    return _item_form(request, form, item, "记录检查调研活动")


@login_required
def question(request, pk):
    """One question of a special inquiry: who asked, who answered, what was promised."""
    kind, item = _item(request, "inquiry", pk)
    require(request.user, "add", InquiryQuestion(inquiry=item))
    form = forms.QuestionForm(request.POST or None, congress=item.congress)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person, deputy = form.fields["asker"].resolve(data["asker"])
        try:
            services.add_question(
                request.user,
                item,
                person,
                data["question"],
                data["answerer"],
                answer=data["answer"],
                promises=data["promises"],
                deputy=deputy,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "已记录询问问题。")
            return redirect(item_url(item))
    return _item_form(request, form, item, "记录询问问题")


@login_required
def promise(request, pk):
    """列入问题清单 what the organ promised in answer to one question of an inquiry."""
    from renda.problems.forms import OpenProblemForm
    from renda.problems.services import may_open

    question = get_visible_or_404(request.user, InquiryQuestion, pk=pk)
    kind, item = _item(request, "inquiry", question.inquiry_id)
    if not may_open(item, request.user):
        raise PermissionDenied("只有本级人大机关工作人员可以列入问题清单。")
    initial = {"title": question.question[:200], "measures": question.promises, "unit": item.unit or item.organ}
    form = OpenProblemForm(request.POST or None, initial=initial, congress_id=item.congress_id)
    form.fields["measures"].disabled = True  # the measures are what was promised
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            problem = services.open_problem_from_promise(
                request.user, question, unit=data["unit"], due_on=data["due_on"], title=data["title"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"已列入问题清单：{problem.number} {problem.title}")
            return redirect(item_url(item))
    return _item_form(request, form, item, "承诺列入问题清单")


def _item_form(request, form, item, title):
    url = item_url(item)
    request.nav_path = reverse("supervision:index")
    return _form_page(
        request,
        form,
        f"{title}：{item.title}",
        url,
        [("监督工作", reverse("supervision:index")), (item.title[:30], url), (title, "")],
    )
