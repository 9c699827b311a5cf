"""The authorization matrix: every role × every core page and endpoint, allowed or
refused as designed. The expectations below ARE the design; a change of a rule that
is not mirrored here fails the suite."""

import json

import pytest
from django.apps import apps

from factories import ROLES
from renda.core import scoping
from renda.core.models import Deputy, Role, User
from renda.core.scoping import allowed, visible

SIGNED_IN = [r for r in ROLES if r != "public"]
KEEPERS = ["admin", "staff", "county_staff"]  # keep reference data (staff of a congress, administrators)
CITY_KEEPERS = ["admin", "staff"]
CITY_OVERSIGHT = ["admin", "staff", "director", "member"]
WORKFLOW_READERS = ["admin", "staff", "county_staff", "director"]


def expect(ok_roles, ok=200, refused=403, public=302):
    """role -> expected status: `ok` for ok_roles, `public` for the anonymous visitor
    (work pages send them to the login page), `refused` for the rest."""
    table = {}
    for role in ROLES:
        if role in ok_roles:
            table[role] = ok
        elif role == "public":
            table[role] = public
        else:
            table[role] = refused
    return table


# (name, url builder, expectations)
PAGES = [
    ("portal home", lambda w: "/", expect(ROLES)),
    ("public deputy directory", lambda w: "/deputies/", expect(ROLES)),
    ("login page", lambda w: "/accounts/login/", {**expect(["public"]), **{r: 302 for r in SIGNED_IN}}),
    ("workbench", lambda w: "/work/", expect(SIGNED_IN)),
    ("congress list", lambda w: "/work/congresses/", expect(SIGNED_IN)),
    ("congress detail", lambda w: f"/work/congresses/{w.city.pk}/", expect(SIGNED_IN)),
    ("add congress", lambda w: "/work/congresses/new/", expect(KEEPERS)),
    ("edit city congress", lambda w: f"/work/congresses/{w.city.pk}/edit/", expect(CITY_KEEPERS)),
    ("edit county congress", lambda w: f"/work/congresses/{w.county_a.pk}/edit/", expect(KEEPERS)),
    ("body list", lambda w: "/work/bodies/", expect(SIGNED_IN)),
    ("add body", lambda w: "/work/bodies/new/", expect(KEEPERS)),
    ("edit city body", lambda w: f"/work/bodies/{w.office.pk}/edit/", expect(CITY_KEEPERS)),
    ("unit list", lambda w: "/work/units/", expect(SIGNED_IN)),
    ("unit detail", lambda w: f"/work/units/{w.unit_a.pk}/", expect(SIGNED_IN)),
    ("add unit", lambda w: "/work/units/new/", expect(KEEPERS)),
    ("import units", lambda w: "/work/units/import/", expect(KEEPERS)),
    ("edit city unit", lambda w: f"/work/units/{w.unit_a.pk}/edit/", expect(CITY_KEEPERS)),
    ("edit county unit", lambda w: f"/work/units/{w.county_unit.pk}/edit/", expect(KEEPERS)),
    ("member list", lambda w: "/work/members/", expect(SIGNED_IN)),
    ("add member", lambda w: "/work/members/new/", expect(KEEPERS)),
    ("import members", lambda w: "/work/members/import/", expect(KEEPERS)),
    ("edit city member seat", lambda w: f"/work/members/{w.member.pk}/edit/", expect(CITY_KEEPERS)),
    ("deputy list", lambda w: "/work/deputies/", expect(SIGNED_IN)),
    ("deputy detail (serving)", lambda w: f"/work/deputies/{w.deputy.pk}/", expect(SIGNED_IN)),
    (
        "deputy detail (ended mandate)",
        lambda w: f"/work/deputies/{w.ended_deputy.pk}/",
        expect(CITY_OVERSIGHT, refused=404),
    ),
    ("add deputy", lambda w: "/work/deputies/new/", expect(KEEPERS)),
    ("import deputies", lambda w: "/work/deputies/import/", expect(KEEPERS)),
    ("edit city deputy", lambda w: f"/work/deputies/{w.deputy.pk}/edit/", expect(CITY_KEEPERS)),
    ("edit county deputy", lambda w: f"/work/deputies/{w.county_deputy.pk}/edit/", expect(KEEPERS)),
    ("accounts", lambda w: "/work/accounts/", expect(SIGNED_IN)),
    ("notifications", lambda w: "/work/notifications/", expect(SIGNED_IN)),
    ("api tokens", lambda w: "/work/tokens/", expect(SIGNED_IN)),
    ("case types", lambda w: "/work/workflow/", expect(WORKFLOW_READERS)),
    ("working-day calendar", lambda w: "/work/workflow/calendar/", expect(SIGNED_IN)),
]

API = [
    ("api deputies", "get", lambda w: "/api/deputies", None, expect(ROLES, public=200)),
    (
        "api ended deputy",
        "get",
        lambda w: f"/api/deputies/{w.ended_deputy.pk}",
        None,
        expect(CITY_OVERSIGHT, refused=404, public=404),
    ),
    ("api units", "get", lambda w: "/api/units", None, expect(ROLES, public=200)),
    ("api congresses", "get", lambda w: "/api/congresses", None, expect(ROLES, public=200)),
    ("api me", "get", lambda w: "/api/me", None, expect(SIGNED_IN, public=401)),
    ("api case types", "get", lambda w: "/api/case-types", None, expect(WORKFLOW_READERS, public=403)),
    (
        "api add county unit",
        "post",
        lambda w: "/api/units",
        lambda w: {"congress": w.county_a.pk, "name": "临河区教育局", "short_name": "区教育局", "kind": "department"},
        expect(KEEPERS, ok=201, public=403),
    ),
    # county staff may add units, but not to the city: the congress is not among their choices.
    (
        "api add city unit",
        "post",
        lambda w: "/api/units",
        lambda w: {"congress": w.city.pk, "name": "巴彦淖尔市某局", "short_name": "市某局", "kind": "department"},
        {**expect(CITY_KEEPERS, ok=201, public=403), "county_staff": 422},
    ),
]


@pytest.mark.parametrize("name,url,expected", PAGES, ids=[p[0] for p in PAGES])
def test_page_matrix(world, client_for, name, url, expected):
    target = url(world)
    got = {role: client_for(role).get(target).status_code for role in ROLES}
    assert got == expected, f"{name} {target}"


@pytest.mark.parametrize("name,method,url,body,expected", API, ids=[a[0] for a in API])
def test_api_matrix(world, client_for, name, method, url, body, expected):
    got = {}
    for role in ROLES:
        client = client_for(role)
        if method == "get":
            response = client.get(url(world))
        else:
            payload = body(world)
            payload["name"] += role  # each role tries a distinct record
            response = client.post(url(world), json.dumps(payload), content_type="application/json")
        got[role] = response.status_code
        assert response.status_code < 500
        if response.status_code >= 400:
            assert response.json()["detail"], "every refusal gives a reason"
    assert got == expected, name


def test_every_model_has_a_scoping_rule():
    """A model of Renda with no declared rule would be invisible to everyone, or worse,
    filtered ad hoc in some view: each one must be declared."""
    ours = [m for m in apps.get_models() if m.__module__.startswith("renda.")]
    missing = [m.__name__ for m in ours if m not in scoping.registered_models()]
    assert missing == []


def test_unit_never_sees_another_units_data(world, client_for):
    from renda.workflow.engine import perform
    from workflow_app.models import Petition

    petition = Petition.objects.create(congress=world.city, title="校舍维修", author=world.deputy)
    perform(petition, "submit", world.users["deputy"])
    perform(petition, "assign", world.users["staff"], {"unit": world.unit_a.pk})
    assert list(visible(world.users["unit"], Petition)) == [petition]
    assert list(visible(world.users["other_unit"], Petition)) == []
    assert not allowed(world.users["other_unit"], "view", petition)
    # and the accounts list of a unit shows its own staff only
    body = client_for("other_unit").get("/work/accounts/").content.decode()
    assert "other_unit" in body and ">unit<" not in body
    assert set(visible(world.users["unit"], User).values_list("username", flat=True)) == {"unit"}


def test_personal_data_is_seen_by_self_and_keepers_only(world, client_for):
    url = f"/work/deputies/{world.deputy.pk}/"
    mobile = world.deputy.person.mobile
    seen = {role: mobile in client_for(role).get(url).content.decode() for role in SIGNED_IN}
    assert seen == {
        "admin": True,
        "staff": True,
        "deputy": True,
        "county_staff": False,
        "director": False,
        "member": False,
        "other_deputy": False,
        "unit": False,
        "other_unit": False,
        "noroles": False,
    }
    public = client_for("public").get("/deputies/").content.decode()
    assert world.deputy.person.name in public and mobile not in public
    assert world.ended_deputy.person.name not in public


def test_county_staff_sees_only_their_subtree(world):
    county_staff = world.users["county_staff"]
    assert set(county_staff.actor.congress_ids(Role.STAFF)) == {world.county_a.pk, world.township_a.pk}
    assert not allowed(county_staff, "change", world.city)
    assert allowed(county_staff, "change", world.county_a)
    assert not allowed(county_staff, "change", world.county_b)
    ended_seen = visible(county_staff, Deputy).filter(pk=world.ended_deputy.pk).exists()
    assert not ended_seen


def test_only_administrators_create_accounts(world, client_for):
    got = {role: client_for(role).get("/work/accounts/new/").status_code for role in SIGNED_IN}
    assert got == {r: (200 if r == "admin" else 403) for r in SIGNED_IN}


def test_account_creation_checks_the_role_binding(world, client_for):
    client = client_for("admin")
    data = {
        "username": "newunit",
        "display_name": "新单位联络员",
        "password": "Gx7!pLm2qR",
        "role": "unit",
        "congress": world.city.pk,
    }
    response = client.post("/work/accounts/new/", data)
    assert response.status_code == 200
    assert "承办单位工作人员必须指定所在单位。" in response.content.decode()
    assert 'value="newunit"' in response.content.decode()
    response = client.post("/work/accounts/new/", {**data, "handling_unit": world.unit_b.pk})
    assert response.status_code == 302
    user = User.objects.get(username="newunit")
    assert user.check_password("Gx7!pLm2qR")
    assert list(user.actor.unit_ids) == [world.unit_b.pk]
    response = client.post(
        "/work/accounts/new/", {**data, "username": "weak", "password": "12345678", "handling_unit": world.unit_b.pk}
    )
    assert "这个密码太常见了。" in response.content.decode() or "密码只包含数字" in response.content.decode()
