"""Expected outcomes of the workflow's routes (see core/access.py): the workbench and the
calendar for every signed-in user (its overrides kept by the root congress's staff), the case-type
declarations for administrators, staff and directors (`view_definitions` on Event), and
a transition's page for whoever may perform it on a case they see."""

from renda.core.access import CITY_KEEPERS, EVERYONE, SIGNED_IN, SUPERVISORS, Expect, declare

declare(
    Expect(route="workflow:workbench", ok=SIGNED_IN),
    Expect(route="workflow:case_types", ok=SUPERVISORS),
    Expect(route="workflow:diagram", ok=SUPERVISORS, args=("=suggestion", "=mmd")),
    Expect(api="GET /api/case-types", ok=SUPERVISORS, anonymous=403),
    Expect(
        route="workflow:calendar",
        ok=SIGNED_IN,
        post="saving an override is tested in test_calendar",
        post_ok=CITY_KEEPERS,  # the root congress's keepers: a county's staff get 403
    ),
    # 答复 on the sample suggestion (办理中, assigned to unit): the lead unit only; those who see
    # the suggestion but may not reply are refused, the others do not find it
    Expect(
        route="workflow:transition",
        ok=("unit",),
        refused=403,
        # the security and audit administrators hold an assignment: published cases are not theirs to see
        overrides={"county_staff": 404, "other_unit": 404, "security": 404, "auditor": 404},
        args=("=suggestion", "suggestion", "=reply"),
        post="performing transitions is tested in test_suggestions and test_workflow_engine",
    ),
)


# The case API's catch-alls: a case type (or a transition) that does not exist is 404 for
# everyone, signed in or not; a method the path does not route is 405 (a case is read by GET,
# a transition performed by POST).
def _unknown(route, *args, get=404, post=404, variant=""):
    return Expect(
        route=route,
        variant=variant,
        ok=EVERYONE,
        status=get,
        anonymous=get,
        args=args,
        post=lambda w, role: {},
        post_status=post,
    )


declare(
    _unknown("api:unknown_case_type", "=nosuch"),
    _unknown("api:unknown_case", "=nosuch", "=1", post=405),
    _unknown("api:unknown_case_events", "=nosuch", "=1", post=405),
    _unknown("api:unknown_transition", "=nosuch", "=1", "=reply", get=405),
    # a known case type: its unknown transition
    _unknown("api:unknown_transition", "=suggestion", "suggestion", "=nosuch", get=405, variant="known case type"),
)
