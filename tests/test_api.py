"""The JSON API (/api/): authentication (bearer token, session + CSRF, public), Chinese
4xx errors, validation, scoping, pagination, query counts. The fuzzing of every operation
as every role: tests/test_fuzz_api.py."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from renda.core import services
from renda.core.models import ApiToken, Body, Delegation, Deputy, HandlingUnit, Person, Role, User

CJK = re.compile(r"[\u4e00-\u9fff]")


def chinese(text) -> bool:
    return bool(text) and bool(CJK.search(str(text)))


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


@pytest.fixture
def staff_token(world):
    _, secret = services.issue_api_token(world.users["staff"], "测试")
    return secret


def deputy_payload(world, **overrides):
    payload = {
        "term": world.term.pk,
        "name": "新代表",
        "gender": "F",
        "ethnicity": "蒙古族",
        "birth_date": "1980-03-04",
        "mobile": "13712345678",
        "delegation": "五原县代表团",
        "occupation": "farmer",
        "is_grassroots": True,
        "elected_date": "2017-01-06",
    }
    payload.update(overrides)
    return payload


def body_payload(congress, **overrides):
    payload = {
        "congress": congress.pk,
        "name": "巴彦淖尔市人大常委会研究室",
        "short_name": "研究室",
        "kind": Body.Kind.OFFICE,
    }
    payload.update(overrides)
    return payload


def unit_payload(congress, **overrides):
    payload = {
        "congress": congress.pk,
        "name": "巴彦淖尔市农牧局",
        "short_name": "市农牧局",
        "kind": HandlingUnit.Kind.DEPARTMENT,
    }
    payload.update(overrides)
    return payload


# ---------------------------------------------------------------- the OpenAPI document


def test_openapi_document_is_served(db):
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    for path in (
        "/api/me",
        "/api/congresses",
        "/api/bodies",
        "/api/units",
        "/api/members",
        "/api/deputies",
        "/api/deputies/{deputy_id}",
        "/api/case-types",
    ):
        assert path in doc["paths"], path
    assert set(doc["paths"]["/api/deputies"]) >= {"get", "post"}
    assert "bearer" in {s.get("scheme") for s in doc["components"]["securitySchemes"].values()}


# ---------------------------------------------------------------- public access


def test_public_lists_only_serving_deputies_without_private_fields(world, client_for):
    response = client_for("public").get("/api/deputies")
    assert response.status_code == 200
    data = response.json()
    ids = {item["id"] for item in data["items"]}
    assert ids == {world.deputy.pk, world.other_deputy.pk, world.county_deputy.pk}
    assert world.ended_deputy.pk not in ids
    assert data["count"] == 3
    for item in data["items"]:
        assert "mobile" not in item and "birth_date" not in item
        assert item["status"] == Deputy.Status.SERVING
    body = response.content.decode()
    assert "13900000001" not in body and "1970-01-01" not in body
    assert {item["name"] for item in data["items"]} == {"王代表", "李代表", "孙代表"}


def test_public_cannot_write(world, client_for):
    before = HandlingUnit.objects.count()
    response = client_for("public").post("/api/units", data=unit_payload(world.city), content_type="application/json")
    assert response.status_code == 403
    assert chinese(response.json()["detail"])
    # A real browser-less client is stopped earlier, at the CSRF check of the session auth.
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/api/units", data=unit_payload(world.city), content_type="application/json")
    assert response.status_code == 403
    assert chinese(response.json()["detail"])
    assert HandlingUnit.objects.count() == before


def test_public_me_is_unauthorized(db):
    response = Client().get("/api/me")
    assert response.status_code == 401
    assert chinese(response.json()["detail"])


# ---------------------------------------------------------------- bearer tokens


def test_token_auth_me(world, staff_token):
    response = Client().get("/api/me", **bearer(staff_token))
    assert response.status_code == 200
    data = response.json()
    assert data["username"] == "staff"
    assert [(r["role"], r["congress_id"], r["body_id"]) for r in data["roles"]] == [
        (Role.STAFF, world.city.pk, world.office.pk)
    ]
    token = ApiToken.objects.get(user=world.users["staff"])
    assert token.last_used_at is not None
    assert token.key_hash != staff_token and staff_token not in token.key_hash  # only the hash is stored


def test_token_use_is_written_once_a_minute(world, staff_token):
    """A burst of requests with one token (a deputy voting in ten ballots at once) does not
    write the token's row on each request: "last used" is kept to the minute."""
    client = Client()
    assert client.get("/api/me", **bearer(staff_token)).status_code == 200
    token = ApiToken.objects.get(user=world.users["staff"])
    first = token.last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/me", **bearer(staff_token)).status_code == 200
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("UPDATE") and "core_apitoken" in q["sql"]]
    token.refresh_from_db()
    assert token.last_used_at == first
    # a minute later the next request records its use again
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - services.TOKEN_USE_RESOLUTION)
    assert client.get("/api/me", **bearer(staff_token)).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at > first


@pytest.mark.parametrize("wrong", ["tampered", "unknown", "empty", "case"])
def test_wrong_token_is_401(world, staff_token, wrong):
    secret = {
        "tampered": staff_token[:-1] + ("A" if staff_token[-1] != "A" else "B"),
        "unknown": "rd_" + "A" * 43,
        "empty": "",
        "case": staff_token.upper(),
    }[wrong]
    for url in ("/api/me", "/api/deputies"):  # a wrong token is refused, not served as the public
        response = Client().get(url, HTTP_AUTHORIZATION=f"Bearer {secret}")
        assert response.status_code == 401, url
        assert chinese(response.json()["detail"])


def test_revoked_token_is_401(world, staff_token):
    ApiToken.objects.filter(user=world.users["staff"]).update(revoked_at=timezone.now())
    response = Client().get("/api/me", **bearer(staff_token))
    assert response.status_code == 401
    assert chinese(response.json()["detail"])
    # A revoked token does not fall back to public access either, even for public data.
    response = Client().get("/api/deputies", **bearer(staff_token))
    assert response.status_code == 401


def test_token_of_inactive_user_is_401(world, staff_token):
    User.objects.filter(pk=world.users["staff"].pk).update(is_active=False)
    response = Client().get("/api/me", **bearer(staff_token))
    assert response.status_code == 401


def test_token_writes_need_no_csrf(world, staff_token):
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/api/deputies", data=deputy_payload(world), content_type="application/json", **bearer(staff_token)
    )
    assert response.status_code == 201, response.content
    created = Deputy.objects.select_related("person", "delegation").get(pk=response.json()["id"])
    assert created.person.name == "新代表" and created.person.mobile == "13712345678"
    assert created.term == world.term and created.congress == world.city
    assert created.delegation == Delegation.objects.get(term=world.term, name="五原县代表团")
    assert response.json()["delegation"] == "五原县代表团"
    assert "mobile" not in response.json()


# ---------------------------------------------------------------- session + CSRF


def test_session_write_requires_csrf_token(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["staff"])
    before = Body.objects.count()

    response = client.post("/api/bodies", data=body_payload(world.city), content_type="application/json")
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "CSRF" in detail and chinese(detail)
    assert Body.objects.count() == before

    assert client.get("/work/").status_code == 200
    csrf = client.cookies["csrftoken"].value
    response = client.post(
        "/api/bodies", data=body_payload(world.city), content_type="application/json", HTTP_X_CSRFTOKEN="x" * 32
    )
    assert response.status_code == 403
    response = client.post(
        "/api/bodies", data=body_payload(world.city), content_type="application/json", HTTP_X_CSRFTOKEN=csrf
    )
    assert response.status_code == 201, response.content
    assert response.json()["congress_id"] == world.city.pk
    assert Body.objects.count() == before + 1


def test_session_reads_need_no_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.users["staff"])
    response = client.get("/api/me")
    assert response.status_code == 200 and response.json()["username"] == "staff"


# ---------------------------------------------------------------- validation


def _error_fields(response) -> set[str]:
    return {e["field"] for e in response.json()["errors"]}


def _assert_chinese_422(response):
    assert response.status_code == 422, response.content
    data = response.json()
    assert chinese(data["detail"])
    assert data["errors"], data
    for error in data["errors"]:
        assert chinese(error["message"]), error


@pytest.mark.parametrize(
    "change, fields",
    [
        ({"name": None, "gender": None, "elected_date": None}, {"name", "gender", "elected_date"}),
        ({"elected_date": "2020-13-45"}, {"elected_date"}),
        ({"birth_date": "1980-02-30"}, {"birth_date"}),
        ({"mobile": "12345"}, {"mobile"}),
        ({"gender": "X"}, {"gender"}),
        ({"occupation": "astronaut"}, {"occupation"}),
        ({"term": 987654}, {"term"}),
        ({"term": "abc"}, {"term"}),
    ],
)
def test_create_deputy_validation(world, staff_token, change, fields):
    payload = deputy_payload(world)
    for key, value in change.items():
        if value is None:
            payload.pop(key)
        else:
            payload[key] = value
    deputies, persons = Deputy.objects.count(), Person.objects.count()
    response = Client().post("/api/deputies", data=payload, content_type="application/json", **bearer(staff_token))
    _assert_chinese_422(response)
    assert _error_fields(response) >= fields
    assert (Deputy.objects.count(), Person.objects.count()) == (deputies, persons)


def test_county_staff_cannot_create_in_city(world, client_for):
    client = client_for("county_staff")
    before = Body.objects.count()
    response = client.post("/api/bodies", data=body_payload(world.city), content_type="application/json")
    assert response.status_code in (403, 422)
    assert chinese(response.json()["detail"])
    assert Body.objects.count() == before
    # ... while their own congress is fine.
    response = client.post(
        "/api/bodies", data=body_payload(world.county_a, name="临河区人大常委会研究室"), content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert Body.objects.count() == before + 1

    units = HandlingUnit.objects.count()
    response = client.post("/api/units", data=unit_payload(world.city), content_type="application/json")
    assert response.status_code in (403, 422)
    response = client.post(
        "/api/units", data=unit_payload(world.county_a, parent=world.unit_a.pk), content_type="application/json"
    )
    assert response.status_code in (403, 422)  # a parent outside their scope
    assert HandlingUnit.objects.count() == units

    deputies = Deputy.objects.count()
    response = client.post("/api/deputies", data=deputy_payload(world), content_type="application/json")
    assert response.status_code in (403, 422)
    assert Deputy.objects.count() == deputies


@pytest.mark.parametrize("role", ["deputy", "unit", "member", "director", "noroles"])
def test_roles_without_manage_cannot_create(world, client_for, role):
    before = (Body.objects.count(), HandlingUnit.objects.count(), Deputy.objects.count())
    client = client_for(role)
    for url, payload in (
        ("/api/bodies", body_payload(world.city)),
        ("/api/units", unit_payload(world.city)),
        ("/api/deputies", deputy_payload(world)),
    ):
        response = client.post(url, data=payload, content_type="application/json")
        assert response.status_code == 403, (url, response.content)
        assert chinese(response.json()["detail"])
    assert (Body.objects.count(), HandlingUnit.objects.count(), Deputy.objects.count()) == before


@pytest.mark.parametrize("raw", ["{not json", "", "[1, 2]", '"text"', "null", "\xff\xfe"])
def test_invalid_json_is_4xx_in_chinese(world, staff_token, raw):
    before = Deputy.objects.count()
    response = Client().post("/api/deputies", data=raw, content_type="application/json", **bearer(staff_token))
    assert 400 <= response.status_code < 500, response.content
    assert chinese(response.json()["detail"])
    assert Deputy.objects.count() == before


def test_bad_query_and_path_parameters_are_4xx(world, client_for):
    client = client_for("public")
    for url in (
        "/api/deputies?limit=abc",
        "/api/deputies?limit=0",
        "/api/deputies?offset=-1",
        "/api/deputies?congress=x",
        "/api/deputies/abc",
        "/api/units/999999999",
    ):
        response = client.get(url)
        assert 400 <= response.status_code < 500, url
        assert chinese(response.json()["detail"]), url


BIG = 2**63  # one more than a 64-bit SQL integer holds


@pytest.mark.parametrize(
    "url",
    [
        f"/api/deputies?limit={BIG}",
        f"/api/deputies?offset={BIG}",
        f"/api/congresses?limit={10**30}",
        f"/api/bodies?offset={BIG}",
        f"/api/members?limit={BIG}&offset={BIG}",
        f"/api/units?limit={BIG}",
        f"/api/deputies?congress={BIG}",
        f"/api/bodies?congress={BIG}",
        f"/api/units?congress={-BIG - 1}",
        f"/api/members?congress={BIG}",
    ],
)
def test_out_of_range_integers_are_422_not_500(world, client_for, url):
    # Found by the schemathesis run below: these reached the database and failed there.
    response = client_for("public").get(url)
    assert response.status_code == 422, response.content
    assert chinese(response.json()["detail"])
    assert all(chinese(e["message"]) for e in response.json()["errors"])


@pytest.mark.parametrize(
    "url",
    [
        "/api/deputies?q=%00",
        "/api/deputies?q=%E7%8E%8B%00",
        "/api/congresses?level=%00",
        "/api/units?kind=department%00",
    ],
)
def test_nul_in_text_filters_is_422_not_500(world, client_for, url):
    # PostgreSQL refuses NUL bytes in text: these were 500 there.
    response = client_for("public").get(url)
    assert response.status_code == 422, response.content
    assert chinese(response.json()["detail"]) and chinese(response.json()["errors"][0]["message"])


def test_text_filters_still_work(world, client_for):
    client = client_for("public")
    assert [d["name"] for d in client.get("/api/deputies?q=%E7%8E%8B").json()["items"]] == ["王代表"]  # 王
    assert [c["id"] for c in client.get("/api/congresses?level=township").json()["items"]] == [world.township_a.pk]
    units = client.get("/api/units?kind=department").json()["items"]
    assert {u["id"] for u in units} == {world.unit_a.pk, world.unit_b.pk}


def test_largest_integers_still_accepted(world, client_for):
    response = client_for("public").get(f"/api/units?limit=500&offset={BIG - 1}&congress={BIG - 1}")
    assert response.status_code == 200
    assert response.json()["items"] == []
    assert client_for("public").get("/api/units?limit=501").status_code == 422
    for url in (f"/api/deputies/{BIG}", f"/api/units/{BIG}", f"/api/congresses/{BIG}"):
        assert client_for("public").get(url).status_code == 404, url


# ---------------------------------------------------------------- scoping


def test_county_staff_sees_county_deputies(world, client_for):
    data = client_for("county_staff").get("/api/deputies?limit=100").json()
    ids = {item["id"] for item in data["items"]}
    assert world.county_deputy.pk in ids
    assert world.ended_deputy.pk not in ids  # an ended city mandate is outside their congress
    only_county = client_for("county_staff").get(f"/api/deputies?congress={world.county_a.pk}").json()
    assert [item["id"] for item in only_county["items"]] == [world.county_deputy.pk]


def test_ended_deputy_detail(world, client_for, staff_token):
    url = f"/api/deputies/{world.ended_deputy.pk}"
    response = client_for("public").get(url)
    assert response.status_code == 404
    assert chinese(response.json()["detail"])
    assert client_for("county_staff").get(url).status_code == 404
    response = client_for("staff").get(url)
    assert response.status_code == 200
    assert response.json()["status"] == Deputy.Status.ENDED
    assert Client().get(url, **bearer(staff_token)).status_code == 200
    assert client_for("public").get(f"/api/deputies/{world.deputy.pk}").json()["name"] == "王代表"


def test_staff_list_includes_ended_deputies(world, client_for):
    ids = {item["id"] for item in client_for("staff").get("/api/deputies").json()["items"]}
    assert world.ended_deputy.pk in ids


@pytest.mark.parametrize(
    "role, status", [("public", 403), ("unit", 403), ("deputy", 403), ("staff", 200), ("director", 200), ("admin", 200)]
)
def test_case_types_for_office_staff_only(world, client_for, role, status):
    response = client_for(role).get("/api/case-types")
    assert response.status_code == status
    if status == 403:
        assert chinese(response.json()["detail"])
    else:
        assert isinstance(response.json(), list)


def test_case_types_answer_matches_the_documented_schema(world, client_for):
    """Two response schemas named TransitionOut (the case API's and the workflow
    definition's) were one component in the OpenAPI document: /api/case-types was
    documented with the case API's fields (found by tests/test_fuzz_api.py)."""
    doc = client_for("staff").get("/api/openapi.json").json()
    components = doc["paths"]["/api/case-types"]["get"]["responses"]["200"]["content"]["application/json"]
    case_type = doc["components"]["schemas"][components["schema"]["items"]["$ref"].rsplit("/", 1)[1]]
    transition = doc["components"]["schemas"][case_type["properties"]["transitions"]["items"]["$ref"].rsplit("/", 1)[1]]
    answer = client_for("staff").get("/api/case-types").json()[0]["transitions"][0]
    assert set(transition["required"]) == set(answer)


def test_every_operation_documents_its_chinese_errors(world, client_for):
    doc = client_for("public").get("/api/openapi.json").json()
    assert doc["components"]["schemas"]["Error"]["required"] == ["detail"]
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            assert "4XX" in operation["responses"], (method, path)


def test_inactive_units_hidden_from_public(world, client_for):
    HandlingUnit.objects.filter(pk=world.unit_b.pk).update(is_active=False)
    public = {u["id"] for u in client_for("public").get("/api/units?limit=100").json()["items"]}
    staff = {u["id"] for u in client_for("staff").get("/api/units?limit=100").json()["items"]}
    assert world.unit_b.pk not in public and world.unit_a.pk in public
    assert world.unit_b.pk in staff
    assert client_for("public").get(f"/api/units/{world.unit_b.pk}").status_code == 404


# ---------------------------------------------------------------- pagination


def test_pagination(world, client_for):
    client = client_for("public")
    first = client.get("/api/deputies?limit=1&offset=0").json()
    assert len(first["items"]) == 1 and first["count"] == 3
    second = client.get("/api/deputies?limit=1&offset=1").json()
    assert len(second["items"]) == 1 and second["count"] == 3
    assert first["items"][0]["id"] != second["items"][0]["id"]
    beyond = client.get("/api/deputies?limit=1&offset=50").json()
    assert beyond == {"items": [], "count": 3}


# ---------------------------------------------------------------- query counts


def _add_deputies(world, n, start):
    delegation = services.create_delegation(world.admin, world.term, f"第{start}批代表团")
    for i in range(n):
        person = services.create_person(world.admin, name=f"批量代表{start + i}", gender="F", ethnicity="汉族")
        services.create_deputy(
            world.admin, person=person, term=world.term, elected_date=date(2017, 1, 6), delegation=delegation
        )


def _queries(client, url, **extra) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.json()["items"])


def test_deputy_list_has_constant_query_count(world, client_for, staff_token):
    public, staff = client_for("public"), client_for("staff")
    _add_deputies(world, 5, 0)
    Client().get("/api/deputies", **bearer(staff_token))  # the token's first use is written (once a minute)
    counts = (
        _queries(public, "/api/deputies"),
        _queries(staff, "/api/deputies"),
        _queries(Client(), "/api/deputies", **bearer(staff_token)),
    )
    _add_deputies(world, 20, 100)
    more = (
        _queries(public, "/api/deputies"),
        _queries(staff, "/api/deputies"),
        _queries(Client(), "/api/deputies", **bearer(staff_token)),
    )
    for (before, n_before), (after, n_after) in zip(counts, more):
        assert n_after == n_before + 20
        assert after == before, (counts, more)


# The schemathesis run over every operation, as every role: tests/test_fuzz_api.py.
