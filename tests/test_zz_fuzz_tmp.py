"""The JSON API (/api/): authentication (bearer token, session + CSRF, public), Chinese
4xx errors, validation, scoping, pagination, query counts, and a bounded schemathesis
run over the OpenAPI document that must find no 5xx."""
from __future__ import annotations

import re
from datetime import date

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, Phase, settings

from renda.core import services
from renda.core.models import ApiToken, Body, Congress, Delegation, Deputy, HandlingUnit, Person, Role, Term, User

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
    payload = {"term": world.term.pk, "name": "新代表", "gender": "F", "ethnicity": "蒙古族",
               "birth_date": "1980-03-04", "mobile": "13712345678", "delegation": "五原县代表团",
               "occupation": "farmer", "is_grassroots": True, "elected_date": "2017-01-06"}
    payload.update(overrides)
    return payload


def body_payload(congress, **overrides):
    payload = {"congress": congress.pk, "name": "巴彦淖尔市人大常委会研究室", "short_name": "研究室",
               "kind": Body.Kind.OFFICE}
    payload.update(overrides)
    return payload


def unit_payload(congress, **overrides):
    payload = {"congress": congress.pk, "name": "巴彦淖尔市农牧局", "short_name": "市农牧局",
               "kind": HandlingUnit.Kind.DEPARTMENT}
    payload.update(overrides)
    return payload


# ---------------------------------------------------------------- schemathesis

# The schema is read from the WSGI app without touching the database; each generated
# case is sent through the app with a staff bearer token.
schema = schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())


@pytest.fixture
def api_seed(db):
    """A small world built without password hashing (so that it is cheap to build once per
    operation): a city, a county, a term, a body, units, deputies and a staff token."""
    admin = User.objects.create(username="seed-root", is_superuser=True, is_staff=True)
    city = services.create_congress(admin, code="150800000000", region="巴彦淖尔市", level="city")
    county = services.create_congress(admin, code="150802000000", region="临河区", level="county", parent=city)
    term = services.create_term(admin, city, 4, date(2017, 1, 6))
    office = services.create_body(admin, city, "巴彦淖尔市人大常委会办公室", "办公室", Body.Kind.OFFICE)
    gov = services.create_handling_unit(admin, city, "巴彦淖尔市人民政府", "市政府", HandlingUnit.Kind.GOVERNMENT)
    services.create_handling_unit(admin, county, "临河区人民政府", "临河区政府", HandlingUnit.Kind.GOVERNMENT, parent=None)
    services.create_handling_unit(admin, city, "巴彦淖尔市教育局", "市教育局", HandlingUnit.Kind.DEPARTMENT, parent=gov)
    for name in ("王代表", "李代表"):
        person = services.create_person(admin, name=name, gender="M", ethnicity="汉族", mobile="13900000001")
        services.create_deputy(admin, person=person, term=term, elected_date=term.start_date)
    staff = User.objects.create(username="seed-staff")
    services.grant_role(admin, staff, role=Role.STAFF, congress=city, body=office)
    _, secret = services.issue_api_token(staff, "schemathesis")
    assert Congress.objects.count() == 2 and Term.objects.count() == 1
    return secret


@schema.parametrize()
@settings(max_examples=150, deadline=None, database=None, derandomize=False,
          phases=[Phase.explicit, Phase.generate, Phase.shrink],
          suppress_health_check=list(HealthCheck))
def test_api_fuzz_no_server_error(case, api_seed):
    response = case.call(headers={"Authorization": f"Bearer {api_seed}"})
    import collections, json as _j
    with open("/tmp/scratch/statuses.txt", "a") as fh:
        fh.write(f"{case.method} {case.path} {response.status_code}\n")
    assert response.status_code < 500, (case.method, case.formatted_path, case.query, case.body,
                                        response.status_code, response.text[:500])
    if response.status_code >= 400 and response.status_code != 405:
        assert chinese(response.json().get("detail")), (case.method, case.formatted_path, response.text[:300])
