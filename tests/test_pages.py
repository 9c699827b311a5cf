"""Work pages: forms keep what the user typed and answer in Chinese; list pages issue a
constant number of queries whatever their size."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from factories import person
from renda.core import services
from renda.core.models import AuditEntry, Deputy, HandlingUnit


def test_deputy_form_keeps_input_and_explains_errors(world, client_for):
    client = client_for("staff")
    before = Deputy.objects.count()
    response = client.post(
        "/work/deputies/new/",
        {
            "name": "新代表甲",
            "gender": "M",
            "ethnicity": "蒙古族",
            "mobile": "12345",
            "term": world.term.pk,
            "workplace": "乌拉特前旗某嘎查",
            "occupation": "farmer",
            "elected_date": "2020-02-30",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "请输入11位手机号码。" in body
    assert "输入一个有效的日期。" in body  # Django's own zh-hans message
    # what the user typed is still there
    assert 'value="新代表甲"' in body and 'value="乌拉特前旗某嘎查"' in body and 'value="12345"' in body
    assert Deputy.objects.count() == before


def test_required_fields_are_marked_and_reported(world, client_for):
    response = client_for("staff").post("/work/units/new/", {"name": ""})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count("这个字段是必填项。") >= 3
    assert 'class="required"' in body


def test_deputy_created_through_form_is_audited(world, client_for):
    client = client_for("staff")
    response = client.post(
        "/work/deputies/new/",
        {
            "name": "新代表乙",
            "gender": "F",
            "ethnicity": "汉族",
            "mobile": "13912345678",
            "term": world.term.pk,
            "delegation": "五原县代表团",
            "occupation": "professional",
            "elected_date": "2017-01-06",
        },
    )
    assert response.status_code == 302
    deputy = Deputy.objects.get(person__name="新代表乙")
    assert deputy.delegation.name == "五原县代表团"
    entry = AuditEntry.objects.filter(model="core.Deputy", object_id=str(deputy.pk)).get()
    assert entry.actor == world.users["staff"] and entry.action == "create"


def test_county_staff_cannot_save_into_the_city(world, client_for):
    response = client_for("county_staff").post(
        "/work/units/new/",
        {
            "congress": world.city.pk,
            "name": "越权单位",
            "short_name": "越权",
            "kind": "department",
        },
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()
    assert not HandlingUnit.objects.filter(name="越权单位").exists()


def _add_deputies(world, n):
    for i in range(n):
        services.create_deputy(
            world.admin, person=person(world.admin, f"批量代表{i}"), term=world.term, elected_date=date(2017, 1, 6)
        )


def _add_units(world, n):
    for i in range(n):
        services.create_handling_unit(world.admin, world.city, f"测试单位{i}", f"测试{i}", "department")


LISTS = [
    ("/work/deputies/", _add_deputies),
    ("/work/deputies/?q=代表&occupation=other&sort=-person__name", _add_deputies),
    ("/deputies/", _add_deputies),
    ("/work/units/", _add_units),
    (
        "/work/bodies/",
        lambda w, n: [services.create_body(w.admin, w.city, f"测试机构{i}", f"机构{i}", "office") for i in range(n)],
    ),
    (
        "/work/members/",
        lambda w, n: [
            services.create_committee_member(
                w.admin, term=w.term, person=person(w.admin, f"委员{i}"), position="member", start_date=date(2017, 1, 6)
            )
            for i in range(n)
        ],
    ),
    (
        "/work/congresses/",
        lambda w, n: [
            services.create_congress(
                w.admin, code=f"1508023{i:02d}000", region=f"测试镇{i}", level="township", parent=w.county_a
            )
            for i in range(n)
        ],
    ),
    (
        "/work/accounts/",
        lambda w, n: [
            services.create_account(
                w.admin, username=f"u{i}", password="x", roles=[dict(role="member", congress=w.city)]
            )
            for i in range(n)
        ],
    ),
]


@pytest.mark.parametrize("url,grow", LISTS, ids=[u for u, _ in LISTS])
def test_list_pages_issue_constant_queries(world, client_for, url, grow):
    client = client_for("staff")
    client.get(url)  # warm caches (content types, sessions)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    small = count()
    grow(world, 30)
    large = count()
    assert large == small, f"{url}: {small} queries with few rows, {large} with 30 more"


def test_export_to_excel(world, client_for):
    from io import BytesIO

    from openpyxl import load_workbook

    response = client_for("staff").get("/work/deputies/?export=xlsx")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][0] == "姓名"
    names = {r[0] for r in rows[1:]}
    assert world.deputy.person.name in names and world.ended_deputy.person.name in names


def test_search_filter_and_pagination(world, client_for):
    _add_deputies(world, 60)
    client = client_for("staff")
    body = client.get("/work/deputies/").content.decode()
    assert "第 1 / 2 页" in body
    body = client.get("/work/deputies/?q=王代表").content.decode()
    assert "共 1 条" in body
    body = client.get("/work/deputies/?status=ended").content.decode()
    assert world.ended_deputy.person.name in body and world.deputy.person.name not in body


OUTSIDE = __import__("re").compile(r"""(?:src|href)=["']https?://(?!127\.0\.0\.1|localhost|testserver)""")


@pytest.mark.parametrize(
    "role,url",
    [
        ("public", "/"),
        ("public", "/deputies/"),
        ("public", "/accounts/login/"),
        ("staff", "/work/"),
        ("staff", "/work/deputies/"),
        ("public", "/api/docs"),
    ],
)
def test_every_asset_is_served_by_renda(world, client_for, role, url):
    """Government networks are closed: no page loads anything from another host."""
    response = client_for(role).get(url)
    assert response.status_code == 200
    assert not OUTSIDE.findall(response.content.decode()), url


def test_search_with_odd_input_never_fails(world, client_for):
    client = client_for("staff")
    for q in ("\x00", "王\x00代表", "%", "_", "' OR 1=1 --", "代" * 500):
        response = client.get("/work/deputies/", {"q": q, "page": "abc", "sort": "password"})
        assert response.status_code == 200
