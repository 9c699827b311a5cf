"""The problem ledger (问题清单台账): opening problems on any case, the unit's path from
signing to closure with evidence, the body in charge accepting (never the unit), re-checks,
the clock and its escalation, who sees what, the ledger's queries at any size, the metrics."""

from datetime import date, timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from factories import SUGGESTION_TEXT
from renda.core.models import Notification
from renda.core.scoping import visible
from renda.problems import services
from renda.problems.cases import PROBLEM
from renda.problems.models import ProblemItem, ProblemList
from renda.reports.metrics import Period, Scope, compute
from renda.workflow import tasks
from renda.workflow.engine import WorkflowError, perform
from renda.workflow.links import links_of
from renda.workflow.models import Deadline, DeadlineExtension, Link

TODAY = timezone.localdate()


@pytest.fixture
def source(world):
    """A registered suggestion of the city: the case the problems come from."""
    from renda.suggestions import services as suggestion_services

    s = suggestion_services.save_draft(
        world.users["deputy"],
        lead=world.deputy,
        title="关于加快农村饮水工程改造的建议",
        content=SUGGESTION_TEXT,
        category="农牧水利",
        cosigners=[],
    )
    perform(s, "submit", world.users["deputy"])
    perform(s, "register", world.users["staff"], {"category": "农牧水利", "published": "on"})
    return s


def open_one(world, source, title="农村饮水管网老化", due=None, unit=None, on=None):
    return services.open_problem(
        source,
        world.users["staff"],
        title=title,
        unit=unit or world.unit_a,
        due_on=due or TODAY + timedelta(days=90),
        measures="更换老化管网，建立管护机制。",
        on=on,
    )


def evidence(name="整改报告.txt"):
    return {"files": [SimpleUploadedFile(name, "管网已全部更换。".encode(), content_type="text/plain")]}


def rectify_clock(item):
    return Deadline.objects.for_case(item).filter(key="rectify").order_by("-id").first()


# ---------------------------------------------------------------- opening problems


def test_open_problem_numbers_links_and_starts_the_clock(world, source):
    staff = world.users["staff"]
    item = open_one(world, source)
    assert item.state == "listed" and item.number == f"问〔{TODAY.year}〕1号"
    assert item.body == world.office  # the opener's own body is in charge by default
    second = open_one(world, source, title="水质检测不及时", unit=world.unit_b)
    assert second.number == f"问〔{TODAY.year}〕2号"
    assert second.problem_list == item.problem_list  # one list per source
    assert ProblemList.objects.count() == 1

    # the list comes from the suggestion: a 源于 link, seen from both ends
    link = Link.objects.get()
    assert (link.kind, link.to_id, link.from_id) == (Link.Kind.ARISES_FROM, source.pk, item.problem_list.pk)
    [seen] = links_of(source, staff)
    assert (seen.phrase, seen.title, seen.url) == (
        "引出…",
        item.problem_list.title,
        item.problem_list.get_absolute_url(),
    )

    # one clock: due on the item's own deadline, bound to the unit (its inbox and reminders)
    clock = rectify_clock(item)
    assert (clock.due_on, clock.handling_unit, clock.status) == (item.due_on, world.unit_a, Deadline.Status.RUNNING)
    assert Notification.objects.filter(user=world.users["unit"], text__contains="请签收").exists()

    with CaptureQueriesContext(connection) as ctx:
        found = list(services.problems_of(source, world.users["unit"]))
    assert found == [item] and len(ctx.captured_queries) <= 2  # the content type may be read once


def test_records_entered_after_the_fact(world, source):
    item = open_one(world, source, due=date(2020, 9, 30), on=date(2020, 6, 1))
    assert item.number == "问〔2020〕1号" and item.listed_on == date(2020, 6, 1)
    assert timezone.localdate(item.events().get().at) == date(2020, 6, 1)
    assert rectify_clock(item).started_on == date(2020, 6, 1)


def test_who_may_open_and_what_is_refused(world, source):
    for role in ("unit", "deputy", "member", "director", "county_staff"):
        with pytest.raises(PermissionDenied):
            services.open_problem(source, world.users[role], title="x", unit=world.unit_a, due_on=TODAY)
    with pytest.raises(ValidationError) as refused:
        services.open_problem(
            source, world.users["staff"], title="", unit=world.county_unit, due_on=TODAY - timedelta(days=1)
        )
    assert refused.value.message_dict == {
        "title": ["请填写问题。"],
        "unit": ["责任单位须为本级人大的承办单位。"],
        "due_on": ["整改期限不能早于列入日期。"],
    }
    assert not ProblemItem.objects.exists() and not ProblemList.objects.exists()


# ---------------------------------------------------------------- the path, the refusals


def test_unit_path_refused_closure_return_accept_and_recheck(world, source):
    staff, unit, other_unit = world.users["staff"], world.users["unit"], world.users["other_unit"]
    item = open_one(world, source)
    assert [t.key for t in PROBLEM.available(unit, item)] == ["sign", "report_progress"]
    with pytest.raises(PermissionDenied):
        perform(item, "sign", other_unit)
    perform(item, "sign", unit)
    perform(item, "report_progress", unit, {"note": "已更换管网3公里。"}, evidence("进展.txt"))
    assert item.state == "rectifying"

    # 销号 without evidence: refused, nothing moves
    with pytest.raises(ValidationError) as refused:
        perform(item, "request_closure", unit, {"note": "已全部整改。"})
    assert refused.value.message_dict == {"files": ["申请销号须附整改佐证材料。"]}
    item.refresh_from_db()
    assert item.state == "rectifying" and item.events().count() == 3

    perform(item, "request_closure", unit, {"note": "已全部整改。"}, evidence())
    assert item.state == "closure_requested" and rectify_clock(item).status == Deadline.Status.STOPPED
    assert item.events().last().attachments.get().name == "整改报告.txt"

    # units cannot close their own problems
    assert [t.key for t in PROBLEM.available(unit, item)] == []
    for key in ("accept_closure", "return_closure"):
        with pytest.raises(PermissionDenied):
            perform(item, key, unit, {"note": "自行验收。"})

    # returned once: rectifying again, on the same deadline
    perform(item, "return_closure", staff, {"note": "佐证材料不全，请补充水质检测报告。"})
    clock = rectify_clock(item)
    assert item.state == "rectifying" and clock.status == Deadline.Status.RUNNING and clock.due_on == item.due_on
    perform(item, "request_closure", unit, {"note": "已补充检测报告。"}, evidence("检测报告.txt"))
    perform(item, "accept_closure", staff)
    assert (item.state, item.closed_on) == ("closed", TODAY)

    # re-check after closure: the problem came back, a new deadline and a new clock
    with pytest.raises(PermissionDenied):
        perform(item, "recheck_fail", unit, {"note": "x", "new_due_on": TODAY + timedelta(days=30)})
    with pytest.raises(ValidationError) as late:
        perform(item, "recheck_fail", staff, {"note": "又出现停水。", "new_due_on": TODAY})
    assert late.value.message_dict == {"new_due_on": ["新的整改期限须晚于复查之日。"]}
    new_due = TODAY + timedelta(days=45)
    perform(item, "recheck_fail", staff, {"note": "又出现停水。", "new_due_on": new_due})
    assert (item.state, item.due_on, item.closed_on) == ("rectifying", new_due, None)
    assert rectify_clock(item).due_on == new_due
    perform(item, "request_closure", unit, {"note": "再次整改完毕。"}, evidence())
    perform(item, "accept_closure", world.users["director"])  # the directors may accept too
    perform(item, "recheck_pass", staff)
    assert item.state == "rechecked" and PROBLEM.state("rechecked").terminal
    with pytest.raises(WorkflowError):
        perform(item, "recheck_fail", staff, {"note": "x", "new_due_on": new_due})


def test_a_unit_that_is_also_staff_never_accepts_its_own(world, source):
    """Even an account holding both roles cannot close its own unit's problem."""
    from renda.core import services as core
    from renda.core.models import Role

    both = core.create_account(
        world.admin,
        username="both",
        password="x",
        display_name="兼职",
        roles=[
            dict(role=Role.UNIT, congress=world.city, handling_unit=world.unit_a),
            dict(role=Role.DIRECTOR, congress=world.city),
        ],
    )
    item = open_one(world, source)
    perform(item, "sign", both)
    perform(item, "request_closure", both, {"note": "已整改。"}, evidence())
    with pytest.raises(PermissionDenied):
        perform(item, "accept_closure", both)


def test_extend_and_urge(world, source):
    staff, unit = world.users["staff"], world.users["unit"]
    item = open_one(world, source)
    later = item.due_on + timedelta(days=30)
    with pytest.raises(PermissionDenied):
        perform(item, "extend", unit, {"note": "请求延期。", "new_due_on": later})
    perform(item, "extend", staff, {"note": "涉及资金安排，同意延期。", "new_due_on": later})
    assert item.due_on == later and rectify_clock(item).due_on == later
    assert DeadlineExtension.objects.get().reason == "涉及资金安排，同意延期。"
    perform(item, "urge", world.users["director"], {"note": "请加快进度。"})
    assert item.state == "listed"
    assert Notification.objects.filter(user=unit, kind="reminder", text__contains="催办").exists()


def test_overdue_problems_escalate_through_the_reminders(world, source):
    item = open_one(world, source, due=TODAY - timedelta(days=3), on=TODAY - timedelta(days=40))
    soon = open_one(world, source, title="水源地保护", due=TODAY + timedelta(days=2))
    assert tasks.escalate_overdue(TODAY) >= 3  # staff, director, the unit's account
    for role in ("staff", "director", "unit"):
        assert Notification.objects.filter(
            user=world.users[role], kind="overdue", url=item.get_absolute_url(), text__contains="逾期3天"
        ).exists(), role
    tasks.send_reminders(TODAY)
    assert Notification.objects.filter(user=world.users["unit"], kind="reminder", url=soon.get_absolute_url()).exists()
    assert not Notification.objects.filter(user=world.users["other_unit"]).exists()


# ---------------------------------------------------------------- who sees what


def test_scoping(world, source, client_for):
    item = open_one(world, source)
    other = open_one(world, source, title="水质检测不及时", unit=world.unit_b)
    assert set(visible(world.users["unit"], ProblemItem)) == {item}
    assert set(visible(world.users["other_unit"], ProblemItem)) == {other}
    assert set(visible(world.users["member"], ProblemItem)) == {item, other}
    for role in ("deputy", "county_staff", "noroles"):
        assert not visible(world.users[role], ProblemItem).exists(), role

    unit = client_for("unit")
    assert unit.get(f"/work/problems/{item.pk}/").status_code == 200
    assert unit.get(f"/work/problems/{other.pk}/").status_code == 404  # another unit's item
    assert unit.get(f"/api/cases/problem_item/{other.pk}").status_code == 404
    page = unit.get("/work/problems/").content.decode()
    assert "本单位整改事项" in page and item.title in page and other.title not in page
    assert client_for("deputy").get("/work/problems/").status_code == 403
    # the list shows a unit only its own items
    listing = unit.get(item.problem_list.get_absolute_url()).content.decode()
    assert item.title in listing and other.title not in listing
    assert client_for("other_unit").get(f"/work/problems/lists/{item.problem_list.pk}/").status_code == 200
    assert client_for("deputy").get(f"/work/problems/lists/{item.problem_list.pk}/").status_code == 404


def test_unit_ledger_is_what_it_owes_by_when(world, source, client_for):
    late = open_one(world, source, title="最晚的问题", due=TODAY + timedelta(days=200))
    first = open_one(world, source, title="最早的问题", due=TODAY + timedelta(days=10))
    page = client_for("unit").get("/work/problems/").content.decode()
    assert page.index(first.title) < page.index(late.title)
    assert "剩余10天" in page


# ---------------------------------------------------------------- the case API and the pages


def test_the_case_api_drives_it(world, source, client_for):
    item = open_one(world, source)
    unit, staff = client_for("unit"), client_for("staff")
    base = f"/api/cases/problem_item/{item.pk}"
    detail = unit.get(base).json()
    assert detail["state"] == "listed" and detail["fields"]["unit"]["id"] == world.unit_a.pk
    assert [t["key"] for t in detail["transitions"]] == ["sign", "report_progress"]
    assert unit.post(f"{base}/transitions/sign", {}, content_type="application/json").status_code == 200
    refused = unit.post(f"{base}/transitions/request_closure", {"note": "已整改。"}, content_type="application/json")
    assert refused.status_code == 422
    assert refused.json()["errors"] == [{"field": "files", "message": "申请销号须附整改佐证材料。"}]
    done = unit.post(
        f"{base}/transitions/request_closure",
        {
            "note": "已整改。",
            "files": SimpleUploadedFile("整改报告.txt", "已完成。".encode(), content_type="text/plain"),
        },
    )
    assert done.status_code == 200, done.content
    # the unit cannot accept its own closure: 403 through the API and the page
    assert unit.post(f"{base}/transitions/accept_closure", {}, content_type="application/json").status_code == 403
    assert unit.get(f"/work/workflow/case/problem_item/{item.pk}/accept_closure/").status_code == 403
    assert unit.post(f"/work/workflow/case/problem_item/{item.pk}/accept_closure/").status_code == 403
    assert staff.post(f"{base}/transitions/accept_closure", {}, content_type="application/json").status_code == 200
    item.refresh_from_db()
    assert item.state == "closed"
    listed = staff.get("/api/cases/problem_item", {"state": "closed", "year": TODAY.year}).json()
    assert [row["id"] for row in listed["items"]] == [item.pk]
    events = staff.get(f"{base}/events").json()
    assert [e["transition"] for e in events["events"]] == ["list", "sign", "request_closure", "accept_closure"]


def test_pages(world, source, client_for):
    item = open_one(world, source)
    perform(item, "sign", world.users["unit"])
    perform(item, "report_progress", world.users["unit"], {"note": "已更换管网3公里。"})
    staff = client_for("staff")
    page = staff.get(f"/work/problems/{item.pk}/").content.decode()
    assert item.number in page and "引出" not in page and "源于" in page and source.title in page
    assert "催办" in page and "延期" in page  # the staff's buttons
    listing = staff.get(item.problem_list.get_absolute_url()).content.decode()
    assert "已更换管网3公里。" in listing and "共 1 个问题，已销号 0 个" in listing
    ledger = staff.get("/work/problems/").content.decode()
    assert "问题清单台账" in ledger and "已更换管网3公里。" in ledger
    # the source's page names the list it brought about
    assert "引出" in staff.get(source.get_absolute_url()).content.decode()


def test_ledger_filters_and_export(world, source, client_for):
    late = open_one(world, source, title="逾期的问题", due=TODAY - timedelta(days=1), on=TODAY - timedelta(days=30))
    open_one(world, source, title="按期的问题", unit=world.unit_b)
    staff = client_for("staff")

    def titles(query):
        page = staff.get("/work/problems/", query).content.decode()
        return {t for t in ("逾期的问题", "按期的问题") if t in page}

    assert titles({"timing": "overdue"}) == {"逾期的问题"}
    assert titles({"unit": world.unit_b.pk}) == {"按期的问题"}
    assert titles({"q": "逾期"}) == {"逾期的问题"}
    source_type = ContentType.objects.get_for_model(source).pk
    assert titles({"source": source_type}) == {"逾期的问题", "按期的问题"}
    assert "代表建议" in staff.get("/work/problems/").content.decode()  # the source kind's chip
    export = staff.get("/work/problems/", {"export": "xlsx"})
    assert export.status_code == 200 and export["Content-Type"].startswith("application/vnd.openxml")
    assert late.title


def _bulk(world, source, n):
    """n problems on the source's list, written at once (the query-count tests)."""
    item = open_one(world, source)
    units = [world.unit_a, world.unit_b]
    ProblemItem.objects.bulk_create(
        ProblemItem(
            congress=world.city,
            state=["listed", "rectifying", "closure_requested", "closed"][i % 4],
            title=f"问题{i}",
            # numbered outside the counter's range (the counter numbers the items opened above)
            number=f"问〔{TODAY.year - 20}〕{item.pk * 10000 + i}号",
            year=TODAY.year - 20,
            sequence=item.pk * 10000 + i,
            problem_list=item.problem_list,
            body=world.office,
            unit=units[i % 2],
            due_on=TODAY + timedelta(days=i % 200 - 100),
            listed_on=TODAY - timedelta(days=i % 300),
        )
        for i in range(n - 1)
    )


def _ledger_queries(client, path="/work/problems/") -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("role", ["staff", "unit"])
def test_ledger_queries_are_constant(world, source, client_for, role):
    client = client_for(role)
    _bulk(world, source, 5)
    few = _ledger_queries(client)
    _bulk(world, Source2.make(world), 45)  # another source: another list, more chips of the same kind
    assert visible(world.users["staff"], ProblemItem).count() == 50
    assert _ledger_queries(client) == few
    assert _ledger_queries(client, "/work/problems/?timing=overdue&sort=due_on") <= few


def test_ledger_at_100_times_keeps_its_query_count(world, source, client_for):
    staff = client_for("staff")
    _bulk(world, source, 20)
    at_1x = _ledger_queries(staff)
    _bulk(world, Source2.make(world), 1980)
    assert ProblemItem.objects.count() == 2000
    assert _ledger_queries(staff) == at_1x
    plist = ProblemList.objects.order_by("-id").first()
    with CaptureQueriesContext(connection) as ctx:
        staff.get(plist.get_absolute_url())
    assert len(ctx.captured_queries) < 30  # its 1980 items, a fixed number of queries


class Source2:
    @staticmethod
    def make(world):
        from renda.suggestions import services as suggestion_services

        s = suggestion_services.save_draft(
            world.users["deputy"],
            lead=world.deputy,
            title="关于加强水源地保护的建议",
            content=SUGGESTION_TEXT,
            category="农牧水利",
            cosigners=[],
        )
        perform(s, "submit", world.users["deputy"])
        perform(s, "register", world.users["staff"], {"category": "农牧水利"})
        return s


# ---------------------------------------------------------------- metrics


def test_metrics(world, source):
    staff, unit = world.users["staff"], world.users["unit"]
    year = Scope(world.city, Period.year(TODAY.year))
    on_time = open_one(world, source, title="按期销号")
    late = open_one(world, source, title="逾期未销号", due=TODAY - timedelta(days=1), on=TODAY - timedelta(days=20))
    if late.listed_on.year != TODAY.year:  # early January: keep the test's year whole
        pytest.skip("the overdue item falls into the previous year")
    open_one(world, source, title="在办")
    perform(on_time, "sign", unit)
    perform(on_time, "request_closure", unit, {"note": "已整改。"}, evidence())
    perform(on_time, "accept_closure", staff)
    assert compute("problems.lists", year).value == 1
    assert compute("problems.listed", year).value == 3
    assert compute("problems.closed", year).value == 1
    assert compute("problems.closed_on_time", year).value == 1
    assert compute("problems.overdue", year).value == 1
    assert [i.title for i in compute("problems.overdue", year).records()] == ["逾期未销号"]
    assert compute("problems.listed", Scope(world.county_a, Period.year(TODAY.year))).value == 0
