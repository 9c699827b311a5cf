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


# ---------------------------------------------------------------- point 10: smaller items


def test_transition_page_highlights_the_case_module_only(world, client_for):
    s = registered(world)
    html = client_for("staff").get(f"/work/workflow/case/suggestion/{s.pk}/assign/").content.decode()
    active = re.findall(r'<a href="([^"]+)" class="active" aria-current="page">([^<]+)</a>', html)
    assert active == [("/work/suggestions/", "代表建议")]
    html = client_for("staff").get("/work/workflow/calendar/").content.decode()
    active = re.findall(r'<a href="([^"]+)" class="active" aria-current="page">([^<]+)</a>', html)
    assert active == [("/work/workflow/calendar/", "工作日历")]  # not 流程图 as well


def test_password_change_is_in_the_menu_for_phones(world, client_for):
    html = client_for("unit").get("/work/").content.decode()
    nav = re.search(r'<nav class="sidenav".*?</nav>', html, re.S).group(0)
    from django.urls import reverse

    assert f'<a href="{reverse("password_change")}">修改密码</a>' in nav
    assert 'aria-expanded="false"' in html


def test_a_filing_unit_acts_as_the_issuing_body(world):
    from factories import add_samples

    add_samples(world)
    filing = world.samples["filing"]  # filed by gov_clerk, a unit's staff
    event = filing.events().order_by("sequence").first()
    assert "制定机关工作人员 · 市政府" in event.actor_label and "承办单位" not in event.actor_label
    s = assigned(world)
    perform(s, "sign", world.users["unit"])
    assert "承办单位工作人员 · 市教育局" in s.events().order_by("-sequence").first().actor_label


def test_a_corrected_filing_shows_one_badge(world, client_for):
    from factories import add_samples

    add_samples(world)
    f = world.samples["filing_correction_reported"]
    perform(f, "confirm_correction", world.users["staff"], {})
    f.refresh_from_db()
    assert f.state == "corrected"
    html = client_for("staff").get(f"/work/filing/{f.pk}/").content.decode()
    assert html.count(">已纠正</span>") == 1
    assert '<span class="badge ok" data-testid="state">已纠正</span>' in html


def test_open_api_is_a_chinese_page_linking_the_docs(world, client_for):
    home = client_for("public").get("/").content.decode()
    assert '<a href="/open-api/">开放接口</a>' in home and 'href="/api/docs">开放接口' not in home
    page = client_for("public").get("/open-api/").content.decode()
    assert "开放接口" in page and 'href="/api/docs"' in page and 'href="/"' in page


def test_too_long_text_is_refused_in_plain_chinese(world, client_for):
    response = client_for("deputy").post(
        "/work/suggestions/new/",
        {"title": "关" * 201, "content": CONTENT, "category": "农牧水利", "cosigners": "", "action": "save"},
    )
    assert "不能超过200个字（当前201个）" in response.content.decode()
    assert "确保该变量" not in response.content.decode()


def test_a_unit_sees_chips_only_for_states_it_handles(world, client_for):
    assigned(world)
    unit = client_for("unit").get("/work/suggestions/").content.decode()
    staff = client_for("staff").get("/work/suggestions/").content.decode()
    for label in ("待签收", "办理中", "已办结"):
        assert f"state={_key(label)}" in unit
    for label in ("草稿", "待附议", "待立案", "待交办", "不予立案", "已并案"):
        assert f"state={_key(label)}" not in unit
        assert f"state={_key(label)}" in staff


def _key(label):
    from renda.suggestions.cases import SUGGESTION

    return next(s.key for s in SUGGESTION.states if s.label == label)


def test_warm_up_runs_each_module_s_loaders(settings, tmp_path, world):
    from renda.assist import routing as assist_routing
    from renda.manifest import manifests, warm_up

    declared = [p for _, m in manifests() for p in m.warm_up]
    assert {"renda.suggestions.routing.warm_up", "renda.assist.lawindex.load_index"} <= set(declared)
    settings.VAR_DIR = tmp_path
    timings = warm_up()
    assert set(timings) == set(declared)
    assert assist_routing._jieba is not None  # jieba's dictionary is loaded
