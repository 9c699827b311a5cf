"""数据看板: who sees it, its numbers are the registry's (in the JSON and in the page's
tables), every asset is served by Renda, and the meeting-room display (大屏) renders."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from factories import PASSWORD, ROLES
from renda.core import services as core_services
from renda.core.models import Person
from renda.party import services
from renda.party.models import PartyReport, StudySession, Training, WorkRule
from renda.reports import dashboard, metrics
from renda.reports.metrics import Period, Scope

PAGE = "/work/reports/dashboard/"
DATA = "/work/reports/dashboard/data/"
OUTSIDE = re.compile(r"""(?:src|href)=["'](?:https?:)?//(?!127\.0\.0\.1|localhost|testserver)""")
BIG = 2**63


def seed(world):
    """Records in the city, a county and a township, in 2020 and 2019."""
    admin = world.admin

    def study(congress, kind, day):
        services.save_register(
            admin,
            StudySession(
                congress=congress,
                kind=kind,
                date=day,
                topic="学习",
                body=world.office if congress == world.city else None,
            ),
        )

    for month in range(1, 13):
        study(world.city, StudySession.Kind.CENTRAL_GROUP, date(2020, month, 20))
        if month % 2:
            study(world.city, StudySession.Kind.COLLECTIVE, date(2020, month, 8))
            study(world.county_a, StudySession.Kind.CENTRAL_GROUP, date(2020, month, 15))
    study(world.township_a, StudySession.Kind.COLLECTIVE, date(2020, 5, 5))
    study(world.county_b, StudySession.Kind.SEMINAR, date(2020, 9, 9))
    for month in (2, 4, 6):
        study(world.city, StudySession.Kind.CENTRAL_GROUP, date(2019, month, 20))
    persons = Person.objects.bulk_create([Person(name=f"参训人{i}", gender="M") for i in range(130)])
    for n, (month, hosted) in enumerate(((6, True), (8, True), (11, False))):
        start = date(2020, month, 16)
        services.save_training(
            admin,
            Training(
                congress=world.city,
                title=f"代表培训班{n}",
                audience=Training.Audience.DEPUTIES,
                start_date=start,
                end_date=start + timedelta(days=2),
                organizer="巴彦淖尔市人大常委会",
                hosted=hosted,
            ),
            persons[n * 10 :],
        )
    for month in (1, 4, 7, 10):
        services.save_register(
            admin,
            PartyReport(
                congress=world.city,
                kind=PartyReport.Kind.REPORT,
                date=date(2020, month, 25),
                matter="关于人大工作的报告",
            ),
        )
    services.save_register(
        admin,
        WorkRule(
            congress=world.county_a, title="工作规则", action="made", adopted_on=date(2020, 3, 3), adopted_by="主任会议"
        ),
    )


class Tables(HTMLParser):
    """The page's tables: {table id: [[cell text, …], …]} (body rows, header cell first)."""

    def __init__(self, html):
        super().__init__()
        self.tables, self.table, self.row, self.cell = {}, None, None, None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table":
            self.table = self.tables.setdefault(attrs.get("id") or f"table{len(self.tables)}", [])
        elif tag == "tr" and self.table is not None:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = ""

    def handle_data(self, data):
        if self.cell is not None:
            self.cell += data

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self.cell is not None:
            self.row.append(self.cell.strip())
            self.cell = None
        elif tag == "tr" and self.row is not None:
            self.table.append(self.row)
            self.row = None
        elif tag == "table":
            self.table = None


def rows_by_label(table) -> dict:
    return {row[0]: row[1:] for row in table[1:]}


def shown(value) -> str:
    return "暂无" if value is None else str(value)


# ---------------------------------------------------------------- who sees it


def test_who_sees_the_dashboard(world, client_for):
    got = {role: client_for(role).get(PAGE).status_code for role in ROLES}
    assert got == {
        r: 200 if r in ("admin", "staff", "director", "member", "county_staff") else 302 if r == "public" else 403
        for r in ROLES
    }
    assert client_for("public").get(PAGE)["Location"].startswith("/accounts/login/")
    got = {role: client_for(role).get(DATA).status_code for role in ROLES}
    assert got == {
        r: 200 if r in ("admin", "staff", "director", "member", "county_staff") else 401 if r == "public" else 403
        for r in ROLES
    }
    assert "查看统计" in client_for("unit").get(DATA).json()["detail"]


def test_a_congress_the_user_does_not_oversee_is_404(world, client_for):
    client = client_for("county_staff")
    assert client.get(PAGE, {"congress": world.city.pk}).status_code == 404
    assert client.get(DATA, {"congress": world.city.pk}).status_code == 404
    assert client.get(DATA).json()["scope"]["congress_id"] == world.county_a.pk
    # the city's staff read the counties below the city
    assert client_for("staff").get(DATA, {"congress": world.county_a.pk}).json()["scope"]["region"] == "临河区"


def test_default_congress_is_one_the_user_oversees(world):
    user = core_services.create_account(
        world.admin,
        username="both",
        password=PASSWORD,
        display_name="两职",
        roles=[
            dict(role="deputy", congress=world.city, deputy=world.deputy),
            dict(role="staff", congress=world.county_a, body=world.county_office),
        ],
    )
    client = Client()
    client.force_login(user)
    assert client.get(PAGE).status_code == 200
    assert client.get(DATA).json()["scope"]["congress_id"] == world.county_a.pk


@pytest.mark.parametrize(
    "query", ["congress=abc", f"congress={BIG}", f"congress={-BIG - 1}", "congress=%00", "congress=999999"]
)
def test_unreadable_congress_is_404_never_500(world, client_for, query):
    client = client_for("staff")
    assert client.get(f"{PAGE}?{query}").status_code == 404
    response = client.get(f"{DATA}?{query}")
    assert response.status_code == 404 and "无权" in response.json()["detail"]


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=0",
        f"year={BIG}",
        "year=%00",
        "lower=maybe",
        "m=nothing",
        "m=%00",
        "m=" + "x" * 5000,
        "screen=yes",
        "m=party.lectures,,party.nothing",
    ],
)
def test_odd_input_falls_back_to_defaults(world, client_for, query):
    client = client_for("staff")
    assert client.get(f"{PAGE}?{query}").status_code == 200
    assert client.get(f"{DATA}?{query}").status_code == 200


# ---------------------------------------------------------------- the numbers are the registry's


def test_data_numbers_are_registry_values(world, client_for):
    seed(world)
    for lower in (False, True):
        scope = Scope(world.city, Period.year(2020), lower)
        previous = Scope(world.city, Period.year(2019), lower)
        data = client_for("staff").get(DATA, {"year": 2020, "lower": "1" if lower else ""}).json()
        assert data["scope"]["include_lower"] is lower and data["scope"]["year"] == 2020
        assert [t["id"] for t in data["totals"]] == [m.id for m in metrics.all_metrics()]
        for t in data["totals"]:
            now, before = metrics.compute(t["id"], scope), metrics.compute(t["id"], previous)
            assert t["value"] == dashboard.number(now.value) and t["text"] == now.text, t["id"]
            assert t["previous"] == dashboard.number(before.value), t["id"]
        for s in data["monthly"]["series"]:
            assert s["values"] == [n for _, n in metrics.by_month(s["id"], scope)], s["id"]
            # the months add up to the year's figure
            assert s["total"] == sum(s["values"]) == metrics.compute(s["id"], scope).value, s["id"]
        assert {s["id"] for s in data["monthly"]["series"]} == {m.id for m in dashboard.monthly_metrics()}
    totals = {t["id"]: t for t in data["totals"]}
    assert totals["party.study_sessions"]["value"] == 18 and totals["party.study_sessions"]["previous"] == 3
    assert totals["selfbuilding.training_participants"]["text"] == "250人次"  # 130 + 120 in the trainings held
    assert totals["selfbuilding.trainings_held"]["value"] == 2
    assert data["screen"][0]["id"] == "party.study_sessions" and data["screen"][0]["figure"] == "18"


def test_tree_columns_add_up_to_the_figure_with_lower_congresses(world, client_for):
    seed(world)
    tree = client_for("staff").get(DATA, {"year": 2020}).json()["tree"]
    assert [c["label"] for c in tree["columns"]] == ["巴彦淖尔市（本级）", "临河区", "五原县"]
    assert tree["has_lower"]
    parts = [(world.city, False), (world.county_a, True), (world.county_b, True)]
    for row in tree["rows"]:
        expected = [
            dashboard.number(metrics.compute(row["id"], Scope(c, Period.year(2020), lower)).value) for c, lower in parts
        ]
        assert row["values"] == expected, row["id"]
        total = metrics.compute(row["id"], Scope(world.city, Period.year(2020), True)).value
        assert row["total"] == dashboard.number(total)
        if row["kind"] == "count":
            assert sum(row["values"]) == row["total"], row["id"]
    study = next(r for r in tree["rows"] if r["id"] == "party.study_sessions")
    assert study["values"] == [12, 6, 0] and study["total"] == 18  # 临河区 with its township
    county = client_for("staff").get(DATA, {"year": 2020, "congress": world.county_b.pk}).json()["tree"]
    assert not county["has_lower"] and [c["label"] for c in county["columns"]] == ["五原县（本级）"]


def test_tables_show_the_numbers(world, client_for):
    seed(world)
    response = client_for("staff").get(PAGE, {"year": 2020, "lower": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    data = client_for("staff").get(DATA, {"year": 2020, "lower": "1"}).json()
    tables = Tables(html).tables

    monthly = rows_by_label(tables["table-monthly"])
    assert tables["table-monthly"][0] == ["指标"] + [f"{m}月" for m in range(1, 13)] + ["全年"]
    for s in data["monthly"]["series"]:
        assert monthly[f"{s['label']}（{s['unit']}）"] == [str(v) for v in s["values"]] + [str(s["total"])]
    assert monthly["党组中心组学习会（次）"][:3] == ["2", "1", "2"]  # the city's, and 临河区's in odd months

    compare = rows_by_label(tables["table-compare"])
    for t in data["totals"]:
        change = "—" if t["change"] is None else f"+{t['change']}" if t["change"] > 0 else str(t["change"])
        assert compare[t["label"]] == [t["unit"], shown(t["value"]), shown(t["previous"]), change], t["id"]
    assert compare["党组中心组学习会"] == ["次", "18", "3", "+15"]

    tree = rows_by_label(tables["table-tree"])
    assert tables["table-tree"][0] == ["指标", "巴彦淖尔市（本级）", "临河区", "五原县", "合计（含下级）"]
    for row in data["tree"]["rows"]:
        assert tree[f"{row['label']}（{row['unit']}）"] == [shown(v) for v in row["values"]] + [shown(row["total"])]
    assert "table-bodies" not in tables  # no metric declares a body dimension

    # each figure links to the records it counts
    assert (
        f'href="/work/reports/metrics/party.study_sessions/?congress={world.city.pk}&amp;year=2020&amp;lower=1"' in html
    )


def test_chart_by_body_appears_when_a_metric_declares_bodies(world, client_for, monkeypatch):
    seed(world)
    monkeypatch.setattr(metrics.get("party.study_sessions"), "body_field", "body", raising=False)
    data = client_for("staff").get(DATA, {"year": 2020, "lower": "1"}).json()
    assert data["bodies"]["columns"] == [
        {"id": world.office.pk, "label": "办公室"},
        {"id": None, "label": "未注明机构"},
    ]
    assert data["bodies"]["rows"][0]["values"] == [12, 6]  # the city's with its office; 临河区's without
    html = client_for("staff").get(PAGE, {"year": 2020, "lower": "1"}).content.decode()
    assert rows_by_label(Tables(html).tables["table-bodies"])["党组中心组学习会（次）"] == ["12", "6"]


def test_data_costs_the_same_queries_with_more_records(world, client_for):
    client = client_for("staff")

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(DATA, {"year": 2020, "lower": "1"}).status_code == 200
        return len(ctx.captured_queries)

    seed(world)
    before = queries()
    seed(world)
    assert queries() == before


# ---------------------------------------------------------------- assets and the display


def test_every_asset_is_served_by_renda(world, client_for):
    for query in ("", "?screen=1"):
        html = client_for("staff").get(PAGE + query).content.decode()
        assert not OUTSIDE.findall(html)
        assets = re.findall(r"""<(?:script|link)[^>]+(?:src|href)=["']([^"']+)""", html)
        assert "/static/reports/vendor/echarts/echarts.min.js" in assets
        assert "/static/reports/dashboard.js" in assets and "/static/reports/dashboard.css" in assets
        assert all(a.startswith("/static/") for a in assets), assets
    for path in (
        "reports/vendor/echarts/echarts.min.js",
        "reports/vendor/echarts/LICENSE",
        "reports/dashboard.js",
        "reports/dashboard.css",
    ):
        assert finders.find(path), path
    script = open(finders.find("reports/dashboard.js"), encoding="utf-8").read()
    assert "http://" not in script and "https://" not in script


def test_meeting_room_display(world, client_for):
    seed(world)
    html = client_for("director").get(PAGE, {"year": 2020, "screen": "1"}).content.decode()
    assert 'class="dash is-screen"' in html
    assert "巴彦淖尔市人大常委会 · 2020年" in html
    tiles = re.findall(
        r'<li class="tile" data-metric="([^"]+)">.*?<span class="tile-figure">([^<]*)</span>'
        r'<span class="tile-unit">([^<]*)</span>',
        html,
        re.S,
    )
    assert tiles[0] == ("party.study_sessions", "12", "次")
    assert ("selfbuilding.training_participants", "250", "人次") in tiles
    assert 2 <= len(tiles) <= 8  # a few figures, legible across a room
    # the display's chart has its table too (for screen readers), and no other tables
    tables = Tables(html).tables
    assert set(tables) == {"table-screen"}
    assert rows_by_label(tables["table-screen"])["党组中心组学习会（次）"] == ["1"] * 12
    # its periodic refresh computes only what it shows
    light = client_for("director").get(DATA, {"year": 2020, "screen": "1"}).json()
    assert light["tree"] is None and light["screen"][0]["figure"] == "12"
    assert 'class="dash"' in client_for("director").get(PAGE).content.decode()  # normal mode by default
