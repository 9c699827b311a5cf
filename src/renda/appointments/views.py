"""Appointments pages: the list of batches, a batch, the exam results, the nominee's exams and
the exam itself (phone-friendly), and the public 任免名单. Thin: the rules decide, services act."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_POST

from renda.ballots import services as ballots
from renda.ballots.models import Ballot
from renda.core import clock
from renda.core.listing import Column, Filter, Listing, ListingView, year_filter
from renda.core.models import Person
from renda.core.scoping import MANAGE_ROLES, actor_of, allowed, get_visible_or_404, require, visible
from renda.core.views.pages import form_page, import_page

from . import forms, services
from .cases import BATCH
from .imports import QuestionImporter
from .models import AppointmentBatch, Exam, Nomination, Question, Tenure

LISTING = Listing(
    model=AppointmentBatch,
    title="人事任免：任免案",
    columns=[
        Column("任免案", lambda b: b.title, url=lambda b: reverse("appointments:batch", args=[b.pk]), title=True),
        Column("提请人", lambda b: b.get_nominator_display(), key=True),
        Column("审议会议", lambda b: b.sitting.label if b.sitting_id else "—"),
        Column("提请日期", lambda b: b.submitted_on, sort="submitted_on"),
        Column("状态", lambda b: b.state_label, badge=lambda b: "ok" if b.state in ("notified", "sworn") else ""),
    ],
    search_fields=("title",),
    search_placeholder="搜索任免案",
    filters=[
        Filter("state", "状态", "state", lambda r: [(s.key, s.label) for s in BATCH.states]),
        year_filter("submitted_on"),
    ],
    select_related=("sitting__term", "congress"),
    default_order=("-created_at", "-id"),
    breadcrumbs=[("人事任免", "")],
)


class BatchList(ListingView):
    listing = LISTING

    def actions(self, request):
        found = []
        if allowed(request.user, "add", AppointmentBatch):
            found.append(("新建任免案", reverse("appointments:batch_new")))
        if allowed(request.user, "add", Question):
            found.append(("考试题库", reverse("appointments:questions")))
        return found


def _form(request, form, title, back, *, done):
    """A plain form page: on a valid POST the form's save() calls the service; a refusal
    lands on the form (what was typed is kept, status 422)."""
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        if saved is not None:
            messages.success(request, done(saved))
            return redirect(back)
    response = form_page(request, form, title, back, "人事任免", reverse("appointments:index"))
    if request.method == "POST":
        response.status_code = 422
    return response


@login_required
def batch_new(request):
    require(request.user, "add", AppointmentBatch)
    form = forms.BatchForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = form.save()
        if saved is not None:
            messages.success(request, f"已新建任免案：{saved.title}。请增加任免人员。")
            return redirect("appointments:batch", pk=saved.pk)
    response = form_page(
        request, form, "新建任免案", reverse("appointments:index"), "人事任免", reverse("appointments:index")
    )
    response.status_code = 422 if request.method == "POST" else 200
    return response


def _changeable(request, batch):
    if not allowed(request.user, "change", batch):
        raise PermissionDenied("只有人大机关工作人员和起草中的提请机关可以修改任免人员。")


@login_required
def nomination_new(request, pk):
    b = get_visible_or_404(request.user, AppointmentBatch, pk=pk)
    _changeable(request, b)
    form = forms.NominationForm(request.POST or None, user=request.user, batch=b)
    back = reverse("appointments:batch", args=[b.pk])
    return _form(request, form, f"增加任免人员：{b.title}", back, done=lambda n: f"已增加：{n}")


@login_required
def nomination_edit(request, pk):
    n = get_visible_or_404(request.user, Nomination, pk=pk)
    _changeable(request, n.batch)
    form = forms.NominationForm(request.POST or None, user=request.user, batch=n.batch, instance=n)
    back = reverse("appointments:batch", args=[n.batch_id])
    return _form(request, form, f"修改任免人员：{n}", back, done=lambda n: f"已保存：{n}")


@login_required
def oath_new(request, pk):
    b = get_visible_or_404(request.user, AppointmentBatch, pk=pk)
    if not actor_of(request.user).manages(b.congress_id):
        raise PermissionDenied("只有人大机关工作人员可以记录宪法宣誓。")
    form = forms.OathForm(request.POST or None, user=request.user, batch=b, initial={"on": b.notified_on})
    back = reverse("appointments:batch", args=[b.pk])
    return _form(request, form, f"记录宪法宣誓：{b.title}", back, done=lambda o: f"已记录：{o}")


def _options_marked(q) -> str:
    return "；".join(("✓" if i in q.answers else "") + o for i, o in enumerate(q.options))


class QuestionList(ListingView):
    """The question bank (staff): by category, the right options marked; searched and paged."""

    listing = Listing(
        model=Question,
        title="任前法律知识考试题库",
        columns=[
            Column("类别", lambda q: q.category, sort="category", key=True),
            Column("题干", lambda q: q.stem, title=True),
            Column("选项（✓为正确答案）", _options_marked),
            Column("人大", lambda q: q.congress.region, key=True),
        ],
        search_fields=("stem", "category"),
        search_placeholder="搜索题干或类别",
        select_related=("congress",),
        default_order=("category", "id"),
        breadcrumbs=[("人事任免", reverse_lazy("appointments:index"))],
    )

    def get(self, request, *args, **kwargs):
        require(request.user, "add", Question)  # the bank is the keepers' (answers shown)
        return super().get(request, *args, **kwargs)

    def actions(self, request):
        return [
            ("增加题目", reverse("appointments:question_new")),
            ("从Excel或CSV导入", reverse("appointments:question_import")),
        ]


def _managed(user):
    return actor_of(user).congresses(*MANAGE_ROLES)


@login_required
def question_new(request):
    require(request.user, "add", Question)
    form = forms.QuestionForm(request.POST or None, user=request.user, congresses=_managed(request.user))
    back = reverse("appointments:questions")
    return _form(request, form, "增加考试题目", back, done=lambda q: f"已增加题目：{q}")


@login_required
def question_import(request):
    require(request.user, "add", Question)
    return import_page(
        request,
        importer=QuestionImporter(),
        form_class=forms.QuestionImportForm,
        title="从Excel或CSV导入考试题目",
        list_name="appointments:questions",
        list_title="任前法律知识考试题库",
        context_of=lambda d: {"congress": d["congress"]},
    )


@login_required
def person(request, pk):
    """任职经历: one person's posts over time, from the published 任免名单 (staff and members)."""
    require(request.user, "view", Tenure)
    p = Person.objects.filter(pk=pk).first()
    tenures = visible(request.user, Tenure).filter(person=pk).select_related("started_by__batch", "ended_by__batch")
    nominations = (
        visible(request.user, Nomination).filter(person=pk).select_related("batch").order_by("batch__decided_on", "id")
    )
    tenures, nominations = list(tenures.order_by("started_on", "id")), list(nominations)
    if p is None or not (tenures or nominations):
        raise Http404("未找到该人员的任免记录。")
    # a batch is linked only where the user may open it (a county's staff sees the city's
    # published post history, not the city's batches)
    named = {n.batch_id for n in nominations}
    for t in tenures:
        named |= {r.batch_id for r in (t.started_by, t.ended_by) if r is not None}
    openable = set(visible(request.user, AppointmentBatch).filter(pk__in=named).values_list("pk", flat=True))
    title = f"{p.name}：任职经历"
    return render(
        request,
        "appointments/person.html",
        {
            "page_title": title,
            "breadcrumbs": [("人事任免", reverse("appointments:index")), (title, "")],
            "person": p,
            "tenures": tenures,
            "nominations": nominations,
            "openable": openable,
        },
    )


@login_required
def batch(request, pk):
    b = get_visible_or_404(request.user, AppointmentBatch, pk=pk)
    noms = services.vote_order(b.nominations.select_related("person", "ballot"))
    votes = []
    for n in noms:
        result = ballots.tally(n.ballot) if n.ballot and n.ballot.state == Ballot.State.CLOSED else None
        votes.append((n, result))
    return render(
        request,
        "appointments/batch.html",
        {
            "batch": b,
            "votes": votes,
            "actions": BATCH.available(request.user, b),
            "oaths": b.oaths.prefetch_related("nominations__person").select_related("leader"),
            "may_see_results": allowed(request.user, "results", b),
            "may_change": b.state == "drafting" and allowed(request.user, "change", b),
            "may_swear": b.state == "notified" and actor_of(request.user).manages(b.congress_id),
            "may_see_history": allowed(request.user, "view", Tenure),
        },
    )


@login_required
def results(request, pk):
    b = get_visible_or_404(request.user, AppointmentBatch, pk=pk)
    if not allowed(request.user, "results", b):
        raise PermissionDenied("只有常委会组成人员和人大机关工作人员可以查看考试结果。")
    rows = [(n, exams, services.exam_status(n, exams)) for n, exams in services.results(b)]
    return render(request, "appointments/results.html", {"batch": b, "rows": rows})


@login_required
def my_exams(request):
    """The nominee's own nominations and exams (whoever else comes sees an empty page)."""
    person = request.user.person_id
    noms = (
        Nomination.objects.filter(person=person, exam_required=True).select_related("batch").order_by("-id")
        if person
        else Nomination.objects.none()
    )
    rows = []
    for n in noms.prefetch_related("exams"):
        exams = list(n.exams.all())  # prefetched: one query for the page, whatever the rows
        rows.append((n, exams, services.exam_status(n, exams)))
    return render(request, "appointments/my_exams.html", {"rows": rows, "page_title": "任前法律知识考试"})


@login_required
@require_POST
def exam_start(request, pk):
    nomination = Nomination.objects.filter(pk=pk, person=request.user.person_id or 0).first()
    if nomination is None:
        raise Http404("未找到该考试。")
    try:
        exam = services.start_exam(request.user, nomination)
    except ValidationError as e:
        messages.error(request, "；".join(e.messages))
        return redirect("appointments:my_exams")
    return redirect("appointments:exam", pk=exam.pk)


@login_required
def exam(request, pk):
    """The exam, on a phone: the nominee answers; staff and directors read it on the results page."""
    e = visible(request.user, Exam).filter(pk=pk, nomination__person=request.user.person_id or 0).first()
    if e is None:
        raise Http404("未找到该考试，或您无权查看。")
    questions = services.questions_of(e)
    error = ""
    if request.method == "POST":
        answers = {str(q.pk): request.POST.getlist(f"q{q.pk}") for q in questions}
        try:
            services.submit_exam(request.user, e, answers)
        except ValidationError as err:
            error = "；".join(err.messages)
        else:
            messages.success(request, "已交卷。")
            return redirect("appointments:exam", pk=e.pk)
        e.refresh_from_db()
    done = e.submitted_at is not None or e.passed is not None
    items = [
        (q, [(i, o, i in (e.answers or {}).get(str(q.pk), [])) for i, o in enumerate(q.options)], len(q.answers) > 1)
        for q in questions
    ]
    return render(
        request,
        "appointments/exam.html",
        {"exam": e, "items": items, "done": done, "error": error, "now": clock.now()},
        status=422 if error else 200,
    )


def notices(request):
    """任免名单 (public): the decided, notified nominations."""
    rows = (
        Nomination.objects.filter(services.notified_q())
        .select_related("person", "batch__congress", "batch__sitting__term")
        .order_by("-batch__notified_on", "batch", "order")[:500]
    )
    return render(request, "appointments/public/notices.html", {"rows": rows})
