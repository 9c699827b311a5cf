"""Pages of the party and self-building registers: one index, a list and an edit form
per register. Thin: scoping decides, forms validate, services write."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from renda.core.listing import Column, Filter, Listing, ListingView, year_filter
from renda.core.scoping import allowed, get_visible_or_404, require
from renda.core.services import root_congress
from renda.reports.dashboard import year_and_choices
from renda.reports.metrics import Period, Scope, compute

from . import forms, services
from .models import PartyReport, PreStudy, StudySession, Training, WorkRule

BREAD = [("党建与自身建设", "/work/party/")]
INDEX_METRICS = [
    "party.study_sessions",
    "party.theory_seminars",
    "party.lectures",
    "party.collective_studies",
    "party.member_trainings",
    "party.deputy_trainings",
    "selfbuilding.trainings_held",
    "selfbuilding.training_participants",
    "party.reports_to_committee",
    "party.requests_for_study",
    "party.pre_studies",
    "selfbuilding.work_rules",
]


@login_required
def index(request):
    require(request.user, "view", StudySession)
    congress = request.user.actor.home_congress or root_congress()
    year, years = (
        year_and_choices(congress, request.GET.get("year"), modules=("party", "selfbuilding"))
        if congress
        else (timezone.localdate().year, [])
    )
    values = [compute(m, Scope(congress, Period.year(year))) for m in INDEX_METRICS] if congress else []
    registers = [
        (
            label,
            reverse(f"party:{name}_list"),
            reverse(f"party:{name}_create") if allowed(request.user, "add", model) else "",
        )
        for label, name, model in REGISTERS
    ]
    return render(
        request,
        "party/index.html",
        {
            "page_title": "党建与自身建设",
            "values": values,
            "year": year,
            "years": years,
            "congress": congress,
            "registers": registers,
            "breadcrumbs": [("党建与自身建设", "")],
        },
    )


REGISTERS = [
    ("学习", "study", StudySession),
    ("培训", "training", Training),
    ("请示报告", "report", PartyReport),
    ("党组前置研究", "prestudy", PreStudy),
    ("工作制度", "rule", WorkRule),
]


class RegisterList(ListingView):
    """A register's list: refused to those who may not read it; a 登记 button for keepers."""

    require_model_view = True
    name = ""  # the register's URL prefix: party:<name>_create / _edit
    create_label = ""

    @property
    def edit_url_name(self):
        return f"party:{self.name}_edit"

    def actions(self, request):
        if not allowed(request.user, "add", self.listing.model):
            return []
        return [(self.create_label, reverse(f"party:{self.name}_create"))]


class StudyList(RegisterList):
    name, create_label = "study", "登记学习"
    listing = Listing(
        model=StudySession,
        title="学习登记",
        breadcrumbs=BREAD,
        columns=[
            Column("日期", lambda s: s.date, sort="date", key=True),
            Column("类别", lambda s: s.get_kind_display(), sort="kind", key=True),
            Column("学习内容", lambda s: s.topic, title=True),
            Column("主讲人", lambda s: s.speaker, key=True),
        ],
        search_fields=("topic", "speaker"),
        search_placeholder="搜索学习内容或主讲人",
        filters=[Filter("kind", "类别", "kind", lambda r: StudySession.Kind.choices), year_filter("date")],
        default_order=("-date", "-id"),
    )


class TrainingList(RegisterList):
    name, create_label = "training", "登记培训"
    listing = Listing(
        model=Training,
        title="培训登记",
        breadcrumbs=BREAD,
        columns=[
            Column("开始日期", lambda t: t.start_date, sort="start_date", key=True),
            Column("培训名称", lambda t: t.title, title=True),
            Column("培训对象", lambda t: t.get_audience_display(), sort="audience"),
            Column("主办单位", lambda t: t.organizer),
            Column("本级举办", lambda t: t.hosted),
            Column("参训人次", lambda t: t.participant_count, numeric=True, sort="participant_count", key=True),
        ],
        search_fields=("title", "organizer"),
        search_placeholder="搜索培训名称",
        filters=[
            Filter("audience", "对象", "audience", lambda r: Training.Audience.choices),
            year_filter("start_date"),
        ],
        default_order=("-start_date", "-id"),
    )

    def get_queryset(self, request):
        trainees = Q(participations__capacity=services.TRAINEE)
        return super().get_queryset(request).annotate(participant_count=Count("participations", filter=trainees))


class ReportList(RegisterList):
    name, create_label = "report", "登记请示报告"
    listing = Listing(
        model=PartyReport,
        title="请示报告登记",
        breadcrumbs=BREAD,
        columns=[
            Column("日期", lambda r: r.date, sort="date", key=True),
            Column("类别", lambda r: r.get_kind_display(), sort="kind"),
            Column("事项", lambda r: r.matter, title=True),
            Column("文号", lambda r: r.document_number, key=True),
        ],
        search_fields=("matter", "document_number"),
        search_placeholder="搜索事项或文号",
        filters=[Filter("kind", "类别", "kind", lambda r: PartyReport.Kind.choices), year_filter("date")],
        default_order=("-date", "-id"),
    )


class PreStudyList(RegisterList):
    name, create_label = "prestudy", "登记前置研究"
    listing = Listing(
        model=PreStudy,
        title="党组前置研究",
        breadcrumbs=BREAD,
        columns=[
            Column("日期", lambda p: p.date, sort="date", key=True),
            Column("研究事项", lambda p: p.matter, title=True),
            Column("研究意见", lambda p: p.conclusion[:60]),
        ],
        search_fields=("matter",),
        search_placeholder="搜索研究事项",
        filters=[year_filter("date")],
        default_order=("-date", "-id"),
    )


class RuleList(RegisterList):
    name, create_label = "rule", "登记工作制度"
    listing = Listing(
        model=WorkRule,
        title="工作制度",
        breadcrumbs=BREAD,
        columns=[
            Column("通过日期", lambda w: w.adopted_on, sort="adopted_on", key=True),
            Column("制度名称", lambda w: w.title, title=True),
            Column("制定或修订", lambda w: w.get_action_display(), sort="action", key=True),
            Column("通过会议", lambda w: w.adopted_by),
        ],
        search_fields=("title",),
        search_placeholder="搜索制度名称",
        filters=[Filter("action", "类别", "action", lambda r: WorkRule.Action.choices), year_filter("adopted_on")],
        default_order=("-adopted_on", "-id"),
    )


def _edit(request, model, form_class, pk, title, list_name, save, template="core/form.html"):
    instance = get_visible_or_404(request.user, model, pk=pk) if pk else None
    if instance is not None:
        require(request.user, "change", instance)
    else:
        require(request.user, "add", model)
    form = form_class(request.POST or None, instance=instance, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(request.user, form)
        except PermissionDenied:
            form.add_error(None, "您无权在所选的人大下登记此记录。")
        else:
            messages.success(request, f"已保存：{saved}")
            return redirect(list_name)
    list_url = reverse(list_name)
    return render(
        request,
        template,
        {
            "form": form,
            "page_title": title,
            "cancel_url": list_url,
            "breadcrumbs": BREAD + [(model._meta.verbose_name, list_url), (title, "")],
        },
    )


def _plain_save(user, form):
    return services.save_register(user, form.instance)


def _training_save(user, form):
    return services.save_training(user, form.instance, form.matched)


def _prestudy_save(user, form):
    return services.save_prestudy(user, form.instance, form.case, relink="case" in form.changed_data)


def make_edit(model, form_class, name, noun, save=_plain_save, template="core/form.html"):
    @login_required
    def view(request, pk=None):
        title = f"修改{noun}" if pk else f"登记{noun}"
        return _edit(request, model, form_class, pk, title, f"party:{name}_list", save, template)

    view.__name__ = f"{name}_edit"
    return view


study_edit = make_edit(StudySession, forms.StudySessionForm, "study", "学习")
training_edit = make_edit(Training, forms.TrainingForm, "training", "培训", save=_training_save)
report_edit = make_edit(PartyReport, forms.PartyReportForm, "report", "请示报告")
prestudy_edit = make_edit(
    PreStudy, forms.PreStudyForm, "prestudy", "党组前置研究", save=_prestudy_save, template="party/prestudy_form.html"
)
rule_edit = make_edit(WorkRule, forms.WorkRuleForm, "rule", "工作制度")
