"""Expected outcomes of core's routes and API operations (see core/access.py): reference
data is read by every signed-in user (and by the public through the API) and kept by the
staff and administrators of a congress and those above it; accounts by administrators."""

from .access import AUDIT_READERS, CITY_KEEPERS, EVERYONE, KEEPERS, OVERSIGHT, SIGNED_IN, Expect, declare

FORM = "the form's own validation is tested in test_pages/test_imports; here: who may open and post it"


def _unit(w, role):
    congress = w.county_a if role == "county_staff" else w.city
    return {"congress": congress.pk, "name": f"测试局{role}", "short_name": f"测{role}", "kind": "department"}


def _body(w, role):
    congress = w.county_a if role == "county_staff" else w.city
    return {
        "congress": congress.pk,
        "name": f"测试委员会{role}",
        "short_name": f"测{role}",
        "kind": "working_committee",
    }


def _deputy(w, role):
    term = w.county_term if role == "county_staff" else w.term
    return {"term": term.pk, "name": f"测试代表{role}", "gender": "M", "elected_date": str(term.start_date)}


declare(
    # sign-in pages
    Expect(route="login", ok=("public",), anonymous=200, refused=302),
    Expect(route="logout", ok=EVERYONE, status=405, anonymous=405, post=lambda w, role: {}, post_status=302),
    Expect(route="password_change", ok=SIGNED_IN, post="changing a password: tests/test_signin.py"),
    # two-factor pages (tests/test_signin.py walks them): the world's accounts have no device,
    # so the code step and the pages that need a device send them on
    Expect(route="twofactor", ok=SIGNED_IN),
    Expect(route="twofactor_setup", ok=SIGNED_IN, post="enrolment needs a code of the new key: test_signin"),
    Expect(route="twofactor_verify", ok=SIGNED_IN, status=302, post="the code step: test_signin", post_status=302),
    Expect(route="twofactor_recovery", ok=SIGNED_IN, status=302, post="needs a device: test_signin", post_status=302),
    Expect(route="twofactor_disable", ok=SIGNED_IN, status=302, post="needs a device: test_signin", post_status=302),
    Expect(route="signin_history", ok=SIGNED_IN),
    # the audit log (三员分立): searched by the security and audit administrators, verified (and
    # exported: test_audit_chain) by the audit administrator; lock-outs lifted by the security one
    Expect(route="core:audit_log", ok=AUDIT_READERS),
    Expect(
        route="core:audit_verify",
        ok=SIGNED_IN,
        status=405,
        refused=405,
        post=lambda w, role: {},
        post_ok=("auditor",),
        post_refused=403,
    ),
    Expect(route="core:lockouts", ok=("security",), post="lifting a lock-out is tested in test_audit_chain"),
    # reference data
    Expect(route="core:congress_list", ok=SIGNED_IN),
    Expect(route="core:congress_detail", ok=SIGNED_IN, args=("city",)),
    Expect(route="core:congress_create", ok=KEEPERS, post=FORM),
    Expect(route="core:congress_edit", ok=CITY_KEEPERS, args=("city",), post=FORM),
    Expect(route="core:congress_edit", variant="county", ok=KEEPERS, args=("county_a",), post=FORM),
    Expect(route="core:body_list", ok=SIGNED_IN),
    Expect(route="core:body_create", ok=KEEPERS, post=FORM),
    Expect(route="core:body_edit", ok=CITY_KEEPERS, args=("office",), post=FORM),
    Expect(route="core:unit_list", ok=SIGNED_IN),
    Expect(route="core:unit_detail", ok=SIGNED_IN, args=("unit_a",)),
    Expect(route="core:unit_create", ok=KEEPERS, post=FORM),
    Expect(route="core:unit_import", ok=KEEPERS, post=FORM),
    Expect(route="core:unit_edit", ok=CITY_KEEPERS, args=("unit_a",), post=FORM),
    Expect(route="core:unit_edit", variant="county", ok=KEEPERS, args=("county_unit",), post=FORM),
    Expect(route="core:member_list", ok=SIGNED_IN),
    Expect(route="core:member_create", ok=KEEPERS, post=FORM),
    Expect(route="core:member_import", ok=KEEPERS, post=FORM),
    Expect(route="core:member_edit", ok=CITY_KEEPERS, args=("member",), post=FORM),
    Expect(route="core:deputy_list", ok=SIGNED_IN),
    Expect(route="core:deputy_detail", ok=SIGNED_IN, args=("deputy",)),
    # an ended mandate: only the oversight roles of its congress
    Expect(route="core:deputy_detail", variant="ended mandate", ok=OVERSIGHT, refused=404, args=("ended_deputy",)),
    Expect(route="core:deputy_create", ok=KEEPERS, post=FORM),
    Expect(route="core:deputy_import", ok=KEEPERS, post=FORM),
    Expect(route="core:deputy_edit", ok=CITY_KEEPERS, args=("deputy",), post=FORM),
    Expect(route="core:deputy_edit", variant="county", ok=KEEPERS, args=("county_deputy",), post=FORM),
    # accounts
    Expect(route="core:account_list", ok=SIGNED_IN),
    Expect(route="core:account_create", ok=("admin",), post=FORM),
    Expect(route="core:notifications", ok=SIGNED_IN, post="marking read: one's own notifications"),
    Expect(route="core:api_tokens", ok=SIGNED_IN, post="issuing a token: any signed-in user, for themselves"),
    # POST only; the token is staff's own: nobody else even finds it
    Expect(
        route="core:api_token_revoke",
        ok=("staff",),
        status=405,
        refused=405,
        args=("token",),
        post=lambda w, role: {},
        post_refused=404,
    ),
    # personal data (core.personal): one value in full, POST only; the record is found and the
    # permission checked first (a GET tells outsiders no more than a POST). A deputy's mobile:
    # the deputy and the staff and administrators of their congress; nobody else finds the person.
    Expect(
        route="core:reveal_personal",
        ok=("admin", "staff", "deputy"),
        status=405,
        refused=404,
        args=("=core.person", "deputy_person", "=mobile"),
        post=lambda w, role: {},
        post_status=200,
    ),
    # a review proposer's contact: the staff and administrators who answer it; the other
    # oversight roles see the proposal but not the contact
    Expect(
        route="core:reveal_personal",
        variant="proposal",
        ok=CITY_KEEPERS,
        status=405,
        refused=404,
        overrides={"director": 403, "member": 403},
        args=("=filing.reviewproposal", "proposal", "=contact"),
        post=lambda w, role: {},
        post_status=200,
    ),
    Expect(
        route="core:erase_contact",
        ok=CITY_KEEPERS,
        status=405,
        refused=404,
        overrides={"director": 403, "member": 403},
        args=("=filing.reviewproposal", "proposal"),
        post="erasing the sample's contact would change it for the other checks: test_personal_data",
    ),
    # the API's own pages
    Expect(route="api:openapi-json", ok=EVERYONE, anonymous=200),
    Expect(route="api:openapi-view", ok=EVERYONE, anonymous=200),
    Expect(route="api:api-root", ok=EVERYONE, status=404, anonymous=404),  # the operations live below it
    # API: reference data is public
    Expect(api="GET /api/me", ok=SIGNED_IN, anonymous=401),
    Expect(api="GET /api/congresses", ok=EVERYONE, anonymous=200),
    Expect(api="GET /api/congresses/{congress_id}", ok=EVERYONE, anonymous=200, args=("city",)),
    Expect(api="GET /api/bodies", ok=EVERYONE, anonymous=200),
    Expect(api="GET /api/units", ok=EVERYONE, anonymous=200),
    Expect(api="GET /api/units/{unit_id}", ok=EVERYONE, anonymous=200, args=("unit_a",)),
    Expect(api="GET /api/members", ok=EVERYONE, anonymous=200),
    Expect(api="GET /api/deputies", ok=EVERYONE, anonymous=200),
    Expect(api="GET /api/deputies/{deputy_id}", ok=EVERYONE, anonymous=200, args=("deputy",)),
    Expect(
        api="GET /api/deputies/{deputy_id}",
        variant="ended mandate",
        ok=OVERSIGHT,
        refused=404,
        anonymous=404,
        args=("ended_deputy",),
    ),
    Expect(api="POST /api/bodies", ok=KEEPERS, status=201, anonymous=403, body=_body),
    Expect(api="POST /api/units", ok=KEEPERS, status=201, anonymous=403, body=_unit),
    # county staff may add units, but not to the city: the congress is not among their choices
    Expect(
        api="POST /api/units",
        variant="city unit",
        ok=CITY_KEEPERS,
        status=201,
        anonymous=403,
        overrides={"county_staff": 422},
        body=lambda w, role: {**_unit(w, role), "congress": w.city.pk, "name": f"市测试局{role}"},
    ),
    Expect(api="POST /api/deputies", ok=KEEPERS, status=201, anonymous=403, body=_deputy),
)

# The one download view: the filing's text (a stored file) follows the filing — its filer, the
# city's oversight roles, and, as it is registered and published, deputies and the public.
# Everyone else gets the 404 of a missing file (a URL reveals nothing).
declare(
    Expect(
        route="download",
        ok=("admin", "staff", "director", "member", "deputy", "other_deputy", "noroles"),
        refused=404,
        anonymous=200,
        args=("=workflow.documentversion.file", "text_version"),
    ),
)
