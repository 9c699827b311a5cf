"""Section 三 of the work summary: every figure counted from supervision records of the year,
and the sentence follows when a record is added, moved to another year or withdrawn."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from renda.ballots import services as ballots
from renda.core import services as core
from renda.core.models import Body, HandlingUnit, Role
from renda.problems.services import open_problem
from renda.reports import summary
from renda.reports.metrics import Period, Scope, compute
from renda.supervision import effects, services
from renda.supervision.models import WorkReport
from renda.workflow.engine import perform

pytestmark = pytest.mark.django_db


def upload(name="报告.txt"):
    return SimpleUploadedFile(name, "关于有关工作情况的报告。".encode(), content_type="text/plain")


@pytest.fixture
def sup(world):
    admin = world.admin
    body = core.create_body(
        admin, world.city, "巴彦淖尔市人大常委会监察和司法工作委员会", "监司工委", Body.Kind.WORKING_COMMITTEE
    )
    procuratorate = core.create_handling_unit(
        admin, world.city, "巴彦淖尔市人民检察院", "市检察院", HandlingUnit.Kind.PROCURATORATE
    )
    prosecutor = core.create_account(
        admin,
        username="jcy",
        password="Renda-Test-2020",
        roles=[dict(role=Role.UNIT, congress=world.city, handling_unit=procuratorate)],
    )
    sittings = {
        2020: core.create_committee_meeting(admin, world.term, 21, date(2020, 10, 9)),
        2021: core.create_committee_meeting(admin, world.term, 26, date(2021, 2, 26)),
    }
    return dict(body=body, procuratorate=procuratorate, prosecutor=prosecutor, sittings=sittings)


def add(world, sup, case_kind, title, /, organ=None, **fields):
    return services.add_item(
        world.users["staff"],
        None,
        case_kind,
        congress=world.city,
        title=title,
        body=sup["body"],
        organ=organ or world.unit_a,
        on=date(2020, 3, 2),
        **fields,
    )


def hear(world, sup, report, year=2020, organ_user=None):
    """A report from scheduling to its deliberation at the year's sitting."""
    staff, organ = world.users["staff"], organ_user or world.users["unit"]
    sitting = sup["sittings"][year]
    perform(report, "schedule", staff, {"sitting": sitting.pk}, today=date(2020, 3, 10))
    perform(report, "submit_draft", organ, {}, {"files": [upload()]}, today=date(2020, 3, 11))
    perform(report, "submit_report", organ, {}, {"files": [upload("正式报告.txt")]}, today=date(2020, 3, 12))
    perform(report, "distribute", staff, {}, today=date(2020, 3, 13))
    perform(report, "deliberate", staff, {}, today=sitting.start_date)
    return report


def vote(world, report, choice, day):
    perform(report, "open_vote", world.users["staff"], {}, today=day)
    ballot = effects.open_ballot_of(report)
    option = ballot.options.get(label=choice)
    ballots.cast(ballot, world.users["director"], [option], idempotency_key=f"k{ballot.pk}")
    perform(report, "close_vote", world.users["staff"], {}, today=day)
    return ballot


def section_three(world, year=2020) -> str:
    text = summary.to_markdown(summary.build(world.city, year))
    return text.split("## 三、")[1].split("## 四、")[0]


def figure(world, metric_id, year=2020):
    return compute(metric_id, Scope(world.city, Period.year(year))).value


def test_reports_heard_by_organ_follow_the_records(world, sup):
    text = section_three(world)
    assert "监督模块尚未上线" not in text
    assert "全年听取审议市政府专项工作报告0项" in text

    first = hear(world, sup, add(world, sup, "work_report", "关于教育工作情况的报告"))
    hear(world, sup, add(world, sup, "work_report", "关于环境状况的报告", kind=WorkReport.Kind.ENVIRONMENT))
    hear(
        world,
        sup,
        add(world, sup, "work_report", "关于未成年人检察工作情况的报告", organ=sup["procuratorate"]),
        organ_user=sup["prosecutor"],
    )
    # not counted: a statutory finance report, one heard in 2021, one only planned, one withdrawn
    hear(world, sup, add(world, sup, "work_report", "决算报告", kind=WorkReport.Kind.FINAL_ACCOUNTS))
    hear(world, sup, add(world, sup, "work_report", "关于就业工作的报告"), year=2021)
    add(world, sup, "work_report", "关于养老服务的报告")
    withdrawn = add(world, sup, "work_report", "关于文物保护的报告")
    perform(withdrawn, "withdraw", world.users["staff"], {"note": "调整至明年"}, today=date(2020, 4, 1))

    assert WorkReport.objects.get(title="关于环境状况的报告").kind == "environment"  # add_item passes the kind
    text = section_three(world)
    assert "全年听取审议市政府专项工作报告2项，听取审议“一委两院”专项工作报告1项（其中检察机关1项）" in text
    assert figure(world, "supervision.finance_reports_heard") == 1
    assert "市政府专项工作报告1项" in section_three(world, 2021)

    # one more heard: the sentence follows
    hear(world, sup, add(world, sup, "work_report", "关于体育工作情况的报告"))
    assert "全年听取审议市政府专项工作报告3项" in section_three(world)
    assert {v.pk for v in compute("supervision.reports_heard", Scope(world.city, Period.year(2020))).records()} >= {
        first.pk
    }


def test_inspections_inquiries_votes_opinions_and_problems(world, sup):
    staff, unit, director = world.users["staff"], world.users["unit"], world.users["director"]
    inspection = add(world, sup, "law_inspection", "《中华人民共和国传染病防治法》执法检查", law_title="传染病防治法")
    perform(
        inspection,
        "start",
        staff,
        {"team": [world.member.pk], "deputies": [world.deputy.pk]},
        today=date(2020, 6, 15),
    )
    for kind, on in (("investigation", date(2020, 5, 11)), ("follow_up", date(2020, 9, 7))):
        item = add(world, sup, "investigation", f"调研{kind}", kind=kind)
        perform(item, "start", staff, {"team": [world.member.pk]}, today=on)
    inquiry = add(world, sup, "inquiry", "关于大气污染防治工作的专题询问")
    perform(inquiry, "schedule", staff, {"sitting": sup["sittings"][2020].pk}, today=date(2020, 9, 1))
    text = section_three(world)
    assert "开展执法检查1次、执法调研0次、专题调研1次" in text
    assert "对审议意见落实等情况开展跟踪监督1次" in text
    assert "开展专题询问0次" in text  # scheduled, not held yet
    perform(inquiry, "hold", staff, {}, today=date(2020, 10, 9))
    assert "开展专题询问1次" in section_three(world)

    # a report voted unsatisfactory, reported again, then satisfied: one item, two votes
    report = hear(world, sup, add(world, sup, "work_report", "关于国有资产管理情况的报告"))
    first = vote(world, report, "不满意", date(2020, 10, 9))
    assert report.state == "re_reporting"
    first.refresh_from_db()
    assert timezone.localtime(first.closed_at).date() == date(2020, 10, 9)  # the ballot's times follow the dated act
    assert "对1项工作进行了满意度测评（共测评1次，结果为满意0次、不满意1次）" in section_three(world)
    perform(
        report,
        "respond",
        unit,
        {"response": "已按要求重新报告整改情况。", "signed_by": "张局长"},
        today=date(2020, 11, 2),
    )
    vote(world, report, "满意", date(2020, 11, 6))
    report.refresh_from_db()
    assert report.state == "concluded" and report.concluded_on == date(2020, 11, 6)
    assert "对1项工作进行了满意度测评（共测评2次，结果为满意1次、不满意1次）" in section_three(world)

    # opinions: one answered on time, one late
    perform(inspection, "report", staff, {}, {"files": [upload()]}, today=date(2020, 8, 7))
    perform(inspection, "submit_to_sitting", staff, {"sitting": sup["sittings"][2020].pk}, today=date(2020, 8, 10))
    perform(inspection, "deliberate", staff, {}, today=date(2020, 10, 9))
    perform(
        inquiry,
        "send_opinions",
        staff,
        {"opinions": "一、加快清洁取暖改造。二、加强扬尘治理。"},
        today=date(2020, 10, 16),
    )
    perform(
        inspection,
        "send_opinions",
        staff,
        {"opinions": "一、补齐疾控短板。二、规范发热门诊。"},
        today=date(2020, 10, 16),
    )
    perform(
        inquiry, "respond", unit, {"response": "已制定整改方案并落实。", "signed_by": "李局长"}, today=date(2021, 1, 8)
    )
    perform(
        inspection,
        "respond",
        unit,
        {"response": "已制定整改方案并落实。", "signed_by": "李局长"},
        today=date(2021, 3, 1),
    )
    assert "向有关机关交办审议意见2件，其中按期报送研究处理情况1件" in section_three(world)
    # the evidence (the response clocks) is listed to those who follow them, not to another unit
    sent = compute("supervision.opinions_sent", Scope(world.city, Period.year(2020)))
    seen, hidden = sent.records_seen_by(staff)
    assert (seen.count(), hidden) == (2, 0)
    assert sent.records_seen_by(unit)[0].count() == 2
    seen, hidden = sent.records_seen_by(world.users["other_unit"])
    assert (seen.count(), hidden) == (0, 2)

    # problem lists: on the inspection only so far, then on the inquiry too
    assert "对0个重点监督事项设立问题清单，列入问题0个，已销号0个" in section_three(world)
    problem = open_problem(
        inspection,
        staff,
        title="疾控实验室检测能力不足",
        unit=world.unit_a,
        due_on=date(2020, 12, 31),
        on=date(2020, 10, 20),
    )
    open_problem(
        inquiry, staff, title="施工扬尘治理不到位", unit=world.unit_a, due_on=date(2020, 12, 31), on=date(2020, 10, 20)
    )
    assert "对2个重点监督事项设立问题清单，列入问题2个，已销号0个" in section_three(world)
    perform(problem, "sign", unit, {}, today=date(2020, 10, 21))
    perform(
        problem, "request_closure", unit, {"note": "已整改"}, {"files": [upload("佐证.txt")]}, today=date(2020, 11, 2)
    )
    perform(problem, "accept_closure", director, {}, today=date(2020, 11, 4))
    assert "列入问题2个，已销号1个" in section_three(world)
    assert "{" not in section_three(world)
