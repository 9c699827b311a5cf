"""The metrics API (/api/metrics…): values follow the records they count, the records are
listed, only the oversight roles of a congress read its figures, odd input is 4xx, and the
records list costs a constant number of queries."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from factories import ROLES
from renda.core import services as core_services
from renda.core.models import Person
from renda.party import services
from renda.party.models import StudySession, Training
from renda.reports import metrics
from renda.reports.metrics import Metric, Period, Scope
from renda.workflow.models import Participation

CJK = re.compile(r"[\u4e00-\u9fff]")
BIG = 2**63  # one more than a 64-bit SQL integer holds
READERS = ["admin", "staff", "director", "member"]
STUDY = "/api/metrics/party.study_sessions"


def chinese(text) -> bool:
    return bool(text) and bool(CJK.search(str(text)))


def study(world, day=date(2020, 3, 20), congress=None, kind=StudySession.Kind.CENTRAL_GROUP):
    return services.save_register(
        world.admin,
        StudySession(congress=congress or world.city, kind=kind, date=day, topic="学习党的十九届五中全会精神"),
    )


def people(n, prefix="参训人"):
    return Person.objects.bulk_create([Person(name=f"{prefix}{i}", gender="F") for i in range(n)])


def training(world, participants, start=date(2020, 6, 16), hosted=True, congress=None):
    return services.save_training(
        world.admin,
        Training(
            congress=congress or world.city,
            title="人大代表履职学习培训班",
            audience=Training.Audience.DEPUTIES,
            start_date=start,
            end_date=start + timedelta(days=2),
            organizer="巴彦淖尔市人大常委会",
            hosted=hosted,
        ),
        participants,
    )


# ---------------------------------------------------------------- definitions and values


def test_metric_definitions(world, client_for):
    response = client_for("staff").get("/api/metrics")
    assert response.status_code == 200
    listed = response.json()
    assert [m["id"] for m in listed] == [m.id for m in metrics.all_metrics()]
    first = next(m for m in listed if m["id"] == "party.study_sessions")
    assert first == {
        "id": "party.study_sessions",
        "label": "党组中心组学习会",
        "unit": "次",
        "section": "party",
        "kind": "count",
        "definition": metrics.get("party.study_sessions").definition,
        "parts": None,
    }
    assert {m["kind"] for m in listed} <= {"count", "sum", "ratio"}


def test_value_follows_the_records(world, client_for):
    client = client_for("staff")
    url = f"{STUDY}?congress={world.city.pk}&year=2020"
    before = client.get(url).json()
    assert (before["value"], before["text"]) == (0, "0次")
    assert before["scope"] == {
        "congress_id": world.city.pk,
        "congress": world.city.name,
        "year": 2020,
        "include_lower": False,
        "label": "2020年",
        "start": "2020-01-01",
        "end": "2020-12-31",
    }
    record = study(world)
    after = client.get(url).json()
    assert (after["value"], after["text"]) == (1, "1次")
    assert after["numerator"] is None and after["denominator"] is None
    assert after["page_url"] == f"/work/reports/metrics/party.study_sessions/?congress={world.city.pk}&year=2020"
    assert client.get(after["records_url"]).json()["items"][0]["id"] == record.pk
    record.delete()
    assert client.get(url).json()["value"] == 0


def test_value_is_the_registry_value_in_every_scope(world, client_for):
    study(world)
    study(world, date(2019, 5, 1))
    study(world, congress=world.county_a)
    study(world, congress=world.township_a)
    client = client_for("admin")
    for congress in (world.city, world.county_a, world.county_b, world.township_a):
        for year in (2019, 2020):
            for lower in (False, True):
                got = client.get(f"{STUDY}?congress={congress.pk}&year={year}&lower={str(lower).lower()}").json()
                expected = metrics.compute("party.study_sessions", Scope(congress, Period.year(year), lower)).value
                assert got["value"] == expected, (congress, year, lower)
                assert got["scope"]["include_lower"] is lower
    assert client.get(f"{STUDY}?congress={world.city.pk}&year=2020&lower=1").json()["value"] == 3
    assert client.get(f"{STUDY}?congress={world.county_a.pk}&year=2020&lower=true").json()["value"] == 2


def test_approximate_figures_are_written_as_documents_write_them(world, client_for):
    training(world, people(123))
    got = (
        client_for("staff")
        .get(f"/api/metrics/selfbuilding.training_participants?congress={world.city.pk}&year=2020")
        .json()
    )
    assert (got["value"], got["text"]) == (123, "120余人次")


def test_ratio_has_numerator_and_denominator_and_no_records(world, client_for, monkeypatch):
    monkeypatch.setitem(
        metrics._registry,
        "test.central_share",
        Metric(
            id="test.central_share",
            label="中心组学习占比",
            unit="%",
            definition="测试用比率。",
            ratio=("party.study_sessions", "party.collective_studies"),
        ),
    )
    client = client_for("staff")
    url = f"/api/metrics/test.central_share?congress={world.city.pk}&year=2020"
    empty = client.get(url).json()
    assert (empty["value"], empty["text"], empty["numerator"], empty["denominator"]) == (None, "暂无", 0, 0)
    assert empty["records_url"] is None and empty["metric"]["parts"] == [
        "party.study_sessions",
        "party.collective_studies",
    ]
    study(world)
    for day in (1, 2, 3):
        study(world, date(2020, 4, day), kind=StudySession.Kind.COLLECTIVE)
    got = client.get(url).json()
    assert (got["value"], got["text"], got["numerator"], got["denominator"]) == (33.3, "33.3%", 1, 3)
    response = client.get(f"/api/metrics/test.central_share/records?congress={world.city.pk}&year=2020")
    assert response.status_code == 404 and chinese(response.json()["detail"])


# ---------------------------------------------------------------- records


def test_records_listed_are_the_records_counted(world, client_for):
    counted = [study(world, date(2020, m, 10)) for m in (1, 2, 3)]
    study(world, date(2019, 12, 31))  # another year
    study(world, kind=StudySession.Kind.LECTURE)  # another metric
    lower = study(world, congress=world.county_a)
    client = client_for("staff")
    got = client.get(f"{STUDY}/records?congress={world.city.pk}&year=2020").json()
    assert got["count"] == 3 == client.get(f"{STUDY}?congress={world.city.pk}&year=2020").json()["value"]
    assert [r["id"] for r in got["items"]] == [r.pk for r in counted]
    assert got["items"][0] == {
        "id": counted[0].pk,
        "label": "党组中心组学习会：学习党的十九届五中全会精神",
        "url": f"/work/party/study/{counted[0].pk}/",
    }
    with_lower = client.get(f"{STUDY}/records?congress={world.city.pk}&year=2020&lower=1").json()
    assert [r["id"] for r in with_lower["items"]] == [r.pk for r in counted] + [lower.pk]
    page = client.get(f"{STUDY}/records?congress={world.city.pk}&year=2020&limit=2&offset=1").json()
    assert page["count"] == 3 and [r["id"] for r in page["items"]] == [r.pk for r in counted[1:]]
    assert client.get(f"{STUDY}/records?year=2020&offset=50").json()["items"] == []


def test_participant_records(world, client_for):
    t = training(world, people(3))
    training(world, people(2, "上级培训"), hosted=False)  # not held by this congress: not counted
    got = client_for("staff").get("/api/metrics/selfbuilding.training_participants/records?year=2020").json()
    rows = Participation.objects.filter(training=t).order_by("pk")
    assert got["count"] == 3 and [r["id"] for r in got["items"]] == [p.pk for p in rows]
    assert all(r["url"] == f"/work/party/training/{t.pk}/" for r in got["items"])
    assert all(chinese(r["label"]) for r in got["items"])


def _queries(client, url) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(ctx.captured_queries), len(response.json()["items"])


@pytest.mark.parametrize("metric", ["party.study_sessions", "selfbuilding.training_participants"])
def test_records_endpoint_has_constant_query_count(world, client_for, metric):
    client = client_for("staff")
    url = f"/api/metrics/{metric}/records?year=2020&limit=500"
    _, secret = core_services.issue_api_token(world.users["staff"], "测试")
    token = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")

    def add(n, start):
        if metric == "party.study_sessions":
            for i in range(n):
                study(world, date(2020, 1, 1) + timedelta(days=start + i))
        else:
            training(world, people(n, f"第{start}批"), start=date(2020, 1, 1) + timedelta(days=start))

    add(5, 0)
    _queries(token, url)  # the token's first use is written (then once a minute)
    before = [_queries(client, url), _queries(token, url)]
    add(30, 100)
    after = [_queries(client, url), _queries(token, url)]
    for (q_before, n_before), (q_after, n_after) in zip(before, after):
        assert n_after == n_before + 30
        assert q_after == q_before, (before, after)


# ---------------------------------------------------------------- who may read


def _expected(role, oversees_city=True):
    if role == "public":
        return 401
    if role in READERS:
        return 200
    if role == "county_staff":
        return 404 if oversees_city else 200
    return 403


@pytest.mark.parametrize("path", ["", "/records"])
def test_only_the_oversight_roles_of_a_congress_read_its_figures(world, client_for, path):
    url = f"{STUDY}{path}?congress={world.city.pk}&year=2020"
    got = {role: client_for(role).get(url).status_code for role in ROLES}
    assert got == {role: _expected(role) for role in ROLES}
    # a county's figures: the city's readers and the county's staff
    url = f"{STUDY}{path}?congress={world.county_a.pk}&year=2020"
    got = {role: client_for(role).get(url).status_code for role in ROLES}
    assert got == {role: _expected(role, oversees_city=False) for role in ROLES}
    # refusals are explained in Chinese
    for role in ("public", "deputy", "unit", "noroles", "county_staff"):
        response = client_for(role).get(f"{STUDY}{path}?congress={world.city.pk}")
        assert chinese(response.json()["detail"]), role


def test_definitions_are_for_readers_too(world, client_for):
    got = {role: client_for(role).get("/api/metrics").status_code for role in ROLES}
    assert got == {r: 200 if r in READERS + ["county_staff"] else 401 if r == "public" else 403 for r in ROLES}


def test_default_congress_is_the_users_own(world, client_for):
    assert client_for("staff").get(STUDY).json()["scope"]["congress_id"] == world.city.pk
    assert client_for("county_staff").get(STUDY).json()["scope"]["congress_id"] == world.county_a.pk
    # a deputy of the city who is staff of a county: the county, not the city they do not oversee
    user = core_services.create_account(
        world.admin,
        username="both",
        password="Test-Passw0rd!",
        display_name="两职",
        roles=[
            dict(role="deputy", congress=world.city, deputy=world.deputy),
            dict(role="staff", congress=world.county_a, body=world.county_office),
        ],
    )
    client = Client()
    client.force_login(user)
    assert client.get(STUDY).json()["scope"]["congress_id"] == world.county_a.pk
    assert client.get(f"{STUDY}?congress={world.city.pk}").status_code == 404


def test_bearer_token(world):
    _, secret = core_services.issue_api_token(world.users["director"], "测试")
    study(world)
    response = Client().get(f"{STUDY}?year=2020", HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert response.status_code == 200 and response.json()["value"] == 1
    assert Client().get(STUDY, HTTP_AUTHORIZATION="Bearer rd_wrong").status_code == 401


def test_unknown_metric_is_404(world, client_for):
    for url in (
        "/api/metrics/party.nothing",
        "/api/metrics/nothing/records",
        "/api/metrics/%E5%85%9A",
        "/api/metrics/" + "x" * 2000,
        "/api/metrics/party.study_sessions%00",
    ):
        response = client_for("staff").get(url)
        assert response.status_code == 404, url
        assert chinese(response.json()["detail"]), url


ODD = [
    "congress=abc",
    f"congress={BIG}",
    f"congress={-BIG - 1}",
    "congress=1.5",
    "congress=%00",
    "congress=-1",
    "congress=0",
    f"congress={BIG - 1}",
    "year=abc",
    "year=0",
    "year=1948",
    "year=2101",
    f"year={10**30}",
    "lower=maybe",
    "lower=%00",
]
ODD_PAGES = ["limit=0", "limit=501", f"limit={BIG}", "limit=x", "offset=-1", f"offset={BIG}", "offset=%00"]


@pytest.mark.parametrize("url", [f"{STUDY}?{q}" for q in ODD] + [f"{STUDY}/records?{q}" for q in ODD + ODD_PAGES])
def test_odd_input_is_4xx_in_chinese(world, client_for, url):
    response = client_for("staff").get(url)
    assert 400 <= response.status_code < 500, (url, response.status_code, response.content[:300])
    assert chinese(response.json()["detail"])


def test_bounds_still_accepted(world, client_for):
    client = client_for("staff")
    for query in ("year=1949", "year=2100", f"limit=500&offset={BIG - 1}", "lower=0", "lower=false", "lower=1"):
        assert client.get(f"{STUDY}/records?{query}").status_code == 200, query
