"""Authorization beyond the route matrix (which test_authorization_matrix.py generates from
every route and API operation and the expectations each module declares in expected.py):
every model has a rule, units and personal data stay private, county staff stay in their
subtree, accounts are created by administrators."""

from django.apps import apps

from factories import ROLES
from renda.core import scoping
from renda.core.models import Deputy, Role, User
from renda.core.scoping import allowed, visible

SIGNED_IN = [r for r in ROLES if r != "public"]


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
    from renda.core.personal import mask

    mobile = world.deputy.person.mobile
    pages = {role: client_for(role).get(url).content.decode() for role in SIGNED_IN}
    assert not any(mobile in page for page in pages.values())  # in full only on request (audited)
    # the masked number and the way to ask for it in full: the person and the keepers only
    seen = {role: mask(mobile, "mobile") in page and "显示完整号码" in page for role, page in pages.items()}
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
        "security": False,
        "auditor": False,
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
