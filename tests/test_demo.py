"""`renda load_demo` rebuilds Bayannur's 2020 through the services, deterministically."""

import hashlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from renda.core.models import AuditEntry, Body, CommitteeMember, Congress, Deputy, HandlingUnit, Role, User


def fingerprint() -> str:
    rows = Deputy.objects.order_by("congress__code", "id").values_list(
        "person__name", "person__gender", "person__mobile", "person__workplace", "delegation__name", "occupation"
    )
    return hashlib.sha256(repr(list(rows)).encode()).hexdigest()


@pytest.fixture
def demo(db) -> str:
    """The demo year, loaded; what `load_demo` printed."""
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_year(demo):
    out = demo
    city = Congress.objects.get(parent__isnull=True)
    assert city.region == "巴彦淖尔市" and city.level == "city"
    assert Congress.objects.filter(level="county", parent=city).count() == 7
    assert Congress.objects.filter(level="township").count() == 21
    assert Deputy.objects.filter(congress=city).count() == 300
    assert Deputy.objects.filter(congress__level="county").count() > 1000
    assert CommitteeMember.objects.filter(congress=city, position="vice_chair").count() == 6
    assert HandlingUnit.objects.filter(congress=city, kind="department").count() >= 30
    for kind in ("government", "supervisory_commission", "court", "procuratorate"):
        assert HandlingUnit.objects.filter(congress=city, kind=kind).count() == 1
    for short in ("办公室", "研究室", "法制委", "财经委", "代表工委", "法工委", "预算工委"):
        assert Body.objects.filter(congress=city, short_name=short).exists(), short
    # every record was written through the services: each has its audit entry
    assert AuditEntry.objects.filter(model="core.Deputy").count() == Deputy.objects.count()
    # an account for every role, each printed with its password
    for role in Role.values:
        if role != Role.ADMIN:
            assert User.objects.filter(roles__role=role).exists(), role
    for username in ("admin", "bangongshi", "zhuren", "daibiao1", "jiaoyuju", "linhe", "anquan", "shenji"):
        assert username in out
    # the demo's audit log is one intact chain
    verified = StringIO()
    call_command("audit", "verify", stdout=verified)
    assert AuditEntry.objects.count() > 1000 and str(AuditEntry.objects.count()) in verified.getvalue()
    # the party and self-building figures of the seed, each counted from the demo records
    summary = StringIO()
    call_command("report", "summary", "--year", "2020", "--format", "md", stdout=summary)
    text = summary.getvalue()
    for phrase in (
        "全年共召开党组中心组学习会12次，理论研讨5次，专题辅导讲座2次，组成人员专题培训1期，代表培训6期，机关集体学习30次",
        "向市委报告12次",
        "提请市委研究7次",
        "举办各类培训班6期，培训人数550余人次",
        "制定修订工作制度10项",
        "全年收到代表建议140件，办结140件，代表满意率98.6%",
        # section 五, counted from the sittings' observers, the teams' invited deputies and 双联系
        "邀请代表列席常委会会议52人次，参加执法检查、视察、调研150余人次；"
        "常委会组成人员联系走访代表800余人次，基层代表联系群众15600余人次。",
        "市政府报送的17件规范性文件全部及时进行了备案审查，审查发现问题3件，督促纠正3件",
        # section 三, counted from the supervision year (seed: 4 + 1 reports, 1 inspection, 2 inquiries,
        # 4 items evaluated, problem lists on 2 key items)
        "全年听取审议市政府专项工作报告4项，听取审议“一委两院”专项工作报告1项（其中检察机关1项）",
        "开展执法检查1次、执法调研1次、专题调研6次，开展视察1次（其中主任集体视察1次），对审议意见落实等情况开展跟踪监督2次",
        "开展专题询问2次",
        "对4项工作进行了满意度测评（共测评5次，结果为满意4次、不满意1次）",
        "对2个重点监督事项设立问题清单",
        # section 四: twelve resolutions and decisions adopted at the 2020 sittings (decisions/demo.py)
        "全年作出决议决定12件",
        # section 四, counted from the appointments year (seed: 任免国家机关工作人员5批次61人次)
        "全年任免国家机关工作人员5批次61人次（任命40人次，免职、接受辞职21人次）",
        "组织任前法律知识考试43人次（合格40人次），组织宪法宣誓6次、宣誓40人",
        # section 二's legislation, counted from the two regulations of the year (seed: named)
        "全年制定出台地方性法规2件，即《巴彦淖尔市农药污染防治条例》《巴彦淖尔市城市客运交通管理条例》",
        "法规草案公开征求意见2次，收到意见建议32条",
    ):
        assert phrase in text, phrase
    # stations, 码上见代表 and report-backs: the sentence follows the demo's records, counted here
    from renda.deputies.models import MeetMessage, Reception, ReportBack

    receptions = Reception.objects.filter(congress=city, on__year=2020).count()
    answered = MeetMessage.objects.filter(congress=city, answered_at__year=2020).exclude(state="new").count()
    reported = ReportBack.objects.filter(congress=city, held_on__year=2020).count()
    assert receptions and answered and reported
    assert (
        f"代表联络站接待日{receptions}次，答复“码上见代表”群众留言{answered}件，代表向原选举单位述职{reported}人次。"
    ) in text, text[text.find("代表联络站") :][:200]
    # each regulation: three drafts, read twice, voted, approved within four months, promulgated;
    # the second draft cites the comments adopted on the first and the opinions received
    from renda.legislation.models import Bill, Cause

    for bill in Bill.objects.filter(congress=city):
        assert bill.state == "promulgated" and bill.readings_done == 2 and bill.approved_on.year == 2020
        causes = Cause.objects.filter(bill=bill)
        assert causes.filter(suggested=True, comment__handling__in=("adopted", "partly")).count() >= 3
        assert causes.filter(opinion__isnull=False).exists()
        assert bill.periods.get().summary_id
    # the supervision teams' invited deputies (seed section 五: 150余人次 in inspections and investigations)
    from renda.supervision.models import Investigation, LawInspection
    from renda.workflow.models import Participation

    invited = Participation.objects.filter(
        capacity=Participation.Capacity.DEPUTY,
        content_type__app_label="supervision",
        content_type__model__in=[m._meta.model_name for m in (Investigation, LawInspection)],
        on__year=2020,
    )
    assert 150 <= invited.count() < 160
    # the filing year: 17 filed on time, all reviewed, three corrected after written opinions
    from renda.filing.models import Filing, ReviewProposal

    filings = Filing.objects.filter(congress=city).exclude(kind=Filing.Kind.REGULATION)
    # the city's two regulations are its own filings, sent on to the region (legislation's promulgation)
    assert Filing.objects.filter(congress=city, kind=Filing.Kind.REGULATION, state="forwarded").count() == 2
    assert filings.count() == 17 and filings.filter(on_time=True, state__in=("closed", "corrected")).count() == 17
    assert sorted(filings.filter(problem_found=True).values_list("state", flat=True)) == ["corrected"] * 3
    assert set(ReviewProposal.objects.values_list("state", flat=True)) == {"answered", "transferred"}
    # each text was sent as a file: version 1 of the filing's 备案文件文本, received the day it was filed
    from renda.workflow.documents import DocumentVersion

    versions = DocumentVersion.objects.filter(
        number=1, document__kind="text", document__content_type__app_label="filing"
    ).values_list("document__object_id", "uploaded_at")
    filed_on = dict(filings.values_list("pk", "filed_on"))
    assert {pk: timezone.localtime(at).date() for pk, at in versions} == filed_on
    # a pre-study of the party group names the filing whose written opinion it agreed, before it was sent
    from renda.party.models import PreStudy
    from renda.workflow.links import links_of

    (study,) = [p for p in PreStudy.objects.all() if links_of(p)]
    (concerned,) = links_of(study)
    sent = concerned.other.events().get(transition="send_opinion")
    assert concerned.phrase == "涉及…" and study.date < timezone.localtime(sent.at).date()
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    page = client.get(concerned.other.get_absolute_url()).content.decode()
    # the 2020 legislative plan (legislation/plan_demo.py): two formal projects, needs of every source
    from renda.legislation.plan_models import LegislativeNeed, LegislativePlan

    plan = LegislativePlan.objects.get(congress=city, year=2020)
    assert plan.state == "published" and plan.adopted_on.isoformat() == "2020-01-10"
    formal = set(plan.items.filter(category="formal").values_list("title", flat=True))
    assert formal == {"巴彦淖尔市农药污染防治条例", "巴彦淖尔市城市客运交通管理条例"}
    assert set(LegislativeNeed.objects.values_list("source", flat=True)) == {
        "government",
        "deputy",
        "committee",
        "public",
    }
    (refused,) = LegislativeNeed.objects.filter(state="refused")
    assert "立法法第十一条" in refused.events().get(transition="refuse").note
    assert f'为<a href="{study.get_absolute_url()}">{study.matter}</a>所涉及' in page
    _check_sittings(city)
    if connection.vendor == "sqlite":  # the builders are DB-independent; rebuild the people once more
        first = fingerprint()
        call_command("load_demo", quiet=True, only="core")
        assert fingerprint() == first


def _check_sittings(city):
    """The 2020 sittings (meetings/demo.py): each with its roll taken and quorum, its agenda linked
    to the cases acted on there, every vote behind a decision an agenda item's vote, 52 deputy
    observer seats (seed section 五), and the minutes listing the votes' results."""
    from renda.ballots.models import Ballot
    from renda.core.models import CommitteeMeeting
    from renda.meetings import hall, services
    from renda.meetings.minutes import minutes, minutes_docx
    from renda.reports.metrics import Period, Scope, compute

    from .test_minutes import docx_text

    sittings = CommitteeMeeting.objects.filter(term__congress=city, kind="standing_committee", start_date__year=2020)
    assert sittings.count() == 7
    staff = User.objects.get(username="bangongshi")
    voted = 0
    for sitting in sittings:
        q = services.quorum(sitting)
        assert q.met and q.unrecorded == 0 and q.on_leave >= 2, sitting
        items = services.agenda(sitting, staff)
        assert items, sitting
        for row in items:
            for ballot in hall.ballots_of(row.item):
                assert ballot.state == Ballot.State.CLOSED
                present = ballot.voters.filter(present=True).count()
                assert present == q.present and ballot.voters.filter(cast__isnull=False, present=False).count() == 0
                voted += 1
    # every closed ballot about a case of the city (but the deputies' own) was cast at a sitting
    assert voted == Ballot.objects.filter(congress=city, state="closed").exclude(rule="n_of_m").count()
    assert compute("deputies.observer_attendances", Scope(city, Period.year(2020))).value == 52
    last = sittings.order_by("-start_date").first()
    text = docx_text(minutes_docx(minutes(last, staff)))
    assert "赞成" in text and "通过" in text and "出席" in text


def test_demo_dates_follow_the_process(demo):
    """Every case's events in order, none before its case nor after today; notifications
    stamped at their act and read once the act they ask for is done (demo/consistency.py)."""
    from renda.demo.consistency import problems
    from renda.filing.models import Filing
    from renda.workflow import calendar

    assert problems() == []
    # 备〔2020〕5号: the correction issued on 18 September, after the opinion, confirmed three working days later
    steps = {e.transition: timezone.localtime(e.at) for e in Filing.objects.get(number="备〔2020〕5号").events()}
    assert (
        steps["send_opinion"] < steps["report_correction"]
        and steps["report_correction"].date().isoformat() == "2020-09-18"
    )
    assert steps["confirm_correction"].date() == calendar.add_working_days(steps["report_correction"].date(), 3)
    # the staff's and units' acts fall on working days (public holidays skipped)
    from renda.workflow.models import Event

    acts = Event.objects.exclude(transition__in=("submit", "confirm", "receive")).values_list("at", flat=True)
    assert all(calendar.is_workday(timezone.localdate(at)) for at in acts)
    # the deputy was told of the reply when it came, and read it by evaluating
    deputy = User.objects.get(username="daibiao1")
    (told,) = deputy.notifications.filter(text__contains="请测评")
    assert timezone.localdate(told.created_at).year == 2020 and told.read_at is not None


@pytest.mark.django_db
def test_consistency_check_finds_what_does_not_add_up(world):
    """The check fails on a case acted on before it was created and on acts out of order."""
    from datetime import date

    from renda.demo.consistency import problems
    from renda.workflow.engine import perform
    from workflow_app.models import Petition

    assert problems() == []
    petition = Petition.objects.create(congress=world.city, author=world.deputy, title="x")
    perform(petition, "submit", world.users["deputy"], today=date(2020, 5, 6))
    perform(petition, "assign", world.users["staff"], {"unit": world.unit_a.pk}, today=date(2020, 5, 5))
    found = problems()
    assert any("“提交”(2020-05-06 09:00)早于案件创建" in p for p in found), found
    assert any("第2步“交办”(2020-05-05 09:00)不晚于第1步“提交”" in p for p in found), found
