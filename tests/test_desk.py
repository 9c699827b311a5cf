"""Issue 10, points 5, 6 and 10: the workbench's to-dos and clocks, the 交办 form's units,
and the smaller items (navigation, labels, messages, filter chips, warming up)."""

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renda.core import services as core_services
from renda.core.models import HandlingUnit
from renda.suggestions import services
from renda.workflow.engine import perform

CONTENT = (
    "临河区部分农村饮水工程建成年代早、管网老化，夏季用水高峰时段经常停水，群众反映强烈。"
    "建议市水利局会同有关部门将管网改造纳入年度计划，加大资金投入，并建立长效管护机制。"
)


def registered(world, title="关于加快农村饮水工程改造的建议", day=date(2020, 5, 10)):
    s = services.save_draft(
        world.users["deputy"], lead=world.deputy, title=title, content=CONTENT, category="农牧水利", cosigners=[]
    )
    perform(s, "submit", world.users["deputy"], today=day)
    perform(s, "register", world.users["staff"], {"category": "农牧水利", "published": "on"}, today=day)
    return s


def assigned(world, unit=None, day=date(2020, 5, 10), **kwargs):
    s = registered(world, day=day, **kwargs)
    perform(s, "assign", world.users["staff"], {"lead_unit": (unit or world.unit_a).pk, "period": "3"}, today=day)
    return s


# ---------------------------------------------------------------- point 6: 交办's units


@pytest.fixture
def lower_government(world):
    """As in the demo: the county's government is also a unit of the city (下级人民政府),
    with the same name as the county congress's own record of it."""
    return core_services.create_handling_unit(
        world.admin, world.city, "临河区人民政府", "临河区政府", HandlingUnit.Kind.LOWER_GOVERNMENT
    )


def options(html, name):
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d+)"[^>]*>([^<]*)</option>', select)


def test_assign_lists_the_congress_units_once_by_full_name(world, client_for, lower_government):
    s = registered(world)
    page = client_for("staff").get(f"/work/workflow/case/suggestion/{s.pk}/assign/").content.decode()
    city_units = HandlingUnit.objects.filter(congress=world.city, is_active=True)
    for name in ("lead_unit", "assisting_units"):
        listed = options(page, name)
        assert sorted(int(pk) for pk, _ in listed) == sorted(city_units.values_list("pk", flat=True))
        labels = [label for _, label in listed]
        assert len(labels) == len(set(labels))  # nothing listed twice under one name
        assert "巴彦淖尔市教育局" in labels and "临河区人民政府" in labels and "市教育局" not in labels
        assert str(world.county_unit.pk) not in dict(listed)


def test_assign_to_another_congress_unit_is_refused_in_chinese(world):
    s = registered(world)
    with pytest.raises(ValidationError) as exc:
        perform(s, "assign", world.users["staff"], {"lead_unit": world.county_unit.pk, "period": "3"})
    assert "选择" in str(exc.value.message_dict["lead_unit"])
    s.refresh_from_db()
    assert s.state == "registered"


def test_case_api_lists_the_narrowed_units(world, client_for, lower_government):
    s = registered(world)
    body = client_for("staff").get(f"/api/cases/suggestion/{s.pk}").json()
    assign = next(t for t in body["transitions"] if t["key"] == "assign")
    lead = assign["input_schema"]["properties"]["lead_unit"]
    assert world.county_unit.pk not in lead["enum"] and world.unit_a.pk in lead["enum"]
    labels = dict(zip(lead["enum"], lead["x-enum-labels"], strict=True))
    assert labels[world.unit_a.pk] == "巴彦淖尔市教育局" and labels[lower_government.pk] == "临河区人民政府"


# ---------------------------------------------------------------- point 5: the workbench


def clocks_panel(html, heading):
    """The items of the workbench's panel `heading` (即将到期 / 已逾期) as text with their links."""
    section = re.search(rf"<h2[^>]*>{heading}</h2>(.*?)</section>", html, re.S).group(1)
    return re.findall(r'<li data-testid="clock"><a href="([^"]+)">([^<]+)</a>(.*?)</li>', section, re.S)


def test_pending_cases_are_links_with_number_title_and_state(world, client_for):
    s = assigned(world)
    body = client_for("unit").get("/work/").content.decode()
    assert f'<a href="/work/suggestions/{s.pk}/">{s.number} {s.title}</a> <span class="badge">待签收</span>' in body


def test_clocks_say_which_case_and_whose(world, client_for):
    from django.utils import timezone

    late = assigned(world, title="关于逾期未签收之事的建议")  # 2020: overdue
    soon = assigned(world, unit=world.unit_b, day=timezone.localdate(), title="关于刚刚交办之事的建议")
    overdue = clocks_panel(client_for("staff").get("/work/").content.decode(), "已逾期")
    assert (f"/work/suggestions/{late.pk}/", f"{late.number} {late.title}") in [(u, t) for u, t, _ in overdue]
    rest = next(r for u, t, r in overdue if u == f"/work/suggestions/{late.pk}/" and "签收期限" in r)
    assert "责任方：巴彦淖尔市教育局" in rest and "待签收" in rest
    due_soon = clocks_panel(client_for("staff").get("/work/").content.decode(), "即将到期")
    assert any(
        u == f"/work/suggestions/{soon.pk}/" and "责任方：巴彦淖尔市住房和城乡建设局" in r for u, _, r in due_soon
    )


def test_each_role_follows_the_clocks_it_acts_on_or_supervises(world, client_for):
    ours = assigned(world)  # unit_a must sign (签收期限) and reply (答复期限)
    theirs = assigned(world, unit=world.unit_b, title="关于住建事项的建议")
    replied = assigned(world, title="关于已答复之事的建议")
    perform(replied, "sign", world.users["unit"], today=date(2020, 5, 10))
    reply = {"category": "B", "text": "已将管网改造纳入明年计划，分两期实施，今年完成一期工程。", "signed_by": "张局长"}
    perform(replied, "reply", world.users["unit"], reply, today=date(2020, 5, 20))  # the deputy's 测评期限

    def followed(role):
        items = clocks_panel(client_for(role).get("/work/").content.decode(), "已逾期")
        return {(int(re.search(r"/(\d+)/$", u).group(1)), re.search(r"· (\S+期限)", r).group(1)) for u, _, r in items}

    every = {
        (ours.pk, "签收期限"),
        (ours.pk, "答复期限"),
        (theirs.pk, "签收期限"),
        (theirs.pk, "答复期限"),
        (replied.pk, "测评期限"),
    }
    assert every <= followed("staff")  # staff supervise the congress's clocks
    assert every <= followed("director")  # a director too (this account is also a member)
    assert followed("member") == set()  # a committee member acts on none of them
    assert followed("unit") == {(ours.pk, "签收期限"), (ours.pk, "答复期限")}
    assert followed("other_unit") == {(theirs.pk, "签收期限"), (theirs.pk, "答复期限")}
    assert followed("deputy") == {(replied.pk, "测评期限")}  # the author evaluates; signing is the unit's
    assert followed("other_deputy") == set()
    assert followed("county_staff") == set()  # staff of a county do not supervise the city's clocks
    body = client_for("deputy").get("/work/").content.decode()
    assert "责任方：领衔代表" in body


def test_workbench_issues_constant_queries(world, client_for):
    assigned(world)
    clients = {role: client_for(role) for role in ("staff", "unit", "deputy", "member")}

    def counts():
        result = {}
        for role, client in clients.items():
            with CaptureQueriesContext(connection) as ctx:
                assert client.get("/work/").status_code == 200
            result[role] = len(ctx.captured_queries)
        return result

    counts()
    small = counts()
    for i in range(6):
        replied = assigned(world, title=f"关于第{i}件事的建议")
        perform(replied, "sign", world.users["unit"], today=date(2020, 5, 10))
    assert counts() == small
