"""Expected outcomes of the suggestion pages (see core/access.py and rules.py). The sample
suggestion is registered, published and assigned to `unit`; the draft is `deputy`'s."""

from renda.core.access import (
    CITY_KEEPERS,
    DEPUTIES,
    OVERSEERS,
    OVERSIGHT,
    SIGNED_IN,
    SUPERVISORS,
    UNITS,
    CaseAccess,
    Expect,
    declare,
)

declare(
    Expect(route="suggestions:index", ok=SIGNED_IN),
    Expect(route="suggestions:create", ok=DEPUTIES, post="drafting is tested in test_suggestions"),
    Expect(route="suggestions:board", ok=SUPERVISORS),
    Expect(route="suggestions:unit_stats", ok=OVERSEERS + UNITS),
    # the authors, the assigned unit, the city's oversight roles, and (published) deputies and
    # the public; another county's staff and another unit do not find it
    Expect(
        route="suggestions:detail",
        ok=OVERSIGHT + DEPUTIES + ("unit", "noroles"),
        refused=404,
        args=("suggestion",),
    ),
    # a draft: its lead deputy only (never the oversight roles)
    Expect(route="suggestions:edit", ok=("deputy",), refused=404, args=("draft",), post="drafting: test_suggestions"),
    # writing help (JSON) beside the drafting page: POST only (a draft's text never goes into a
    # URL, nor the logs); whoever may write there
    Expect(
        route="suggestions:assist",
        ok=(),
        refused=405,
        post="writing help: test_deputy_writing",
        post_ok=DEPUTIES,
        post_refused=403,
    ),
    Expect(
        route="suggestions:assist_edit",
        ok=(),
        refused=405,
        args=("draft",),
        post="writing help: test_deputy_writing",
        post_ok=("deputy",),
        post_refused=404,
    ),
)

# ---------------------------------------------------------------- the case API (/api/cases/suggestion)
# Whoever sees a suggestion reads it; its handling (timeline, transitions) is followed by its
# authors, the units it is assigned to and the city's oversight roles (rules.py: process_q), not
# by other deputies or the public, who read a published one's text and replies.
# The sample (办理中, published, assigned to unit): seen by its authors, the unit, the city's
# oversight roles, and as a published suggestion deputies and the public; not by another
# county's staff nor another unit.
HANDLING = OVERSIGHT + DEPUTIES + ("unit", "noroles", "public")
FOLLOW_HANDLING = OVERSIGHT + ("deputy", "unit")
# not yet registered (待附议, 待立案): its authors and the city's oversight roles
UNREGISTERED = OVERSIGHT + ("deputy",)
# registered and published (待交办 …): the oversight roles, deputies and the public
PUBLISHED = OVERSIGHT + DEPUTIES + ("noroles", "public")


def _sample(name, sees, follows=None):
    return CaseAccess("suggestion", name, sees, sees if follows is None else follows)


handling = _sample("suggestion", HANDLING, FOLLOW_HANDLING)
draft = _sample("draft", ("deputy",))  # a draft: its lead deputy only
cosigning = _sample("suggestion_cosigning", OVERSIGHT + DEPUTIES)  # other_deputy co-signs it
submitted = _sample("suggestion_submitted", UNREGISTERED)
registered = _sample("suggestion_registered", PUBLISHED, UNREGISTERED)
assigned = _sample("suggestion_assigned", PUBLISHED + UNITS, UNREGISTERED + UNITS)  # unit_a leads, unit_b assists
extension = _sample("suggestion_extension_requested", HANDLING, FOLLOW_HANDLING)
replied = _sample("suggestion_replied", HANDLING, FOLLOW_HANDLING)

NOTE = {"note": "经研究，按规定办理。"}


def _draft(w, role):
    return {
        "title": f"关于加强校园周边交通安全的建议（{role}）",
        "content": "校园周边交通秩序混乱，上下学时段车辆拥堵，学生安全隐患突出。" * 2 + "建议增设信号灯和人行横道。",
        "category": "城乡建设",
        "cosigners": "",
    }


REPLY = {"category": "A", "text": "经研究，已于年内完成管网改造，群众用水问题已经解决。", "signed_by": "张局长"}

declare(
    *handling.reads(),
    # a deputy drafts (the lead deputy is their own serving mandate)
    handling.create(ok=DEPUTIES, body=_draft),
    draft.transition("submit", by=("deputy",)),
    cosigning.transition("confirm", by=("other_deputy",)),
    # the staff (and administrators) of the congress register, reject, refer or merge
    submitted.transition("register", by=CITY_KEEPERS, body={"category": "农牧水利"}),
    submitted.transition("reject", by=CITY_KEEPERS, body=NOTE),
    submitted.transition("to_reference", by=CITY_KEEPERS, body=NOTE),
    submitted.transition("merge", by=CITY_KEEPERS, body=lambda w, role: {"into": w.samples["suggestion"].pk, **NOTE}),
    # assigned to unit_a, which then finds it, too late
    registered.transition(
        "assign",
        by=CITY_KEEPERS,
        body=lambda w, role: {"lead_unit": w.unit_a.pk, "period": "3"},
        then={"unit": 409},
    ),
    # the lead unit signs or returns it (returned: the assisting unit no longer finds it)
    assigned.transition("sign", by=("unit",)),
    assigned.transition("return", by=("unit",), body=NOTE, then={"other_unit": 404}),
    assigned.transition("assist_opinion", by=("other_unit",), stay=True, body={"opinion": "同意主办单位意见。"}),
    handling.transition("request_extension", by=("unit",), body=NOTE),
    extension.transition("approve_extension", by=CITY_KEEPERS),
    extension.transition("deny_extension", by=CITY_KEEPERS, body=NOTE),
    handling.transition("reply", by=("unit",), body=REPLY),
    replied.transition("evaluate", by=("deputy",), body={"satisfaction": "satisfied"}),
    # 重点督办: the directors; 催办: staff and directors (neither moves the case)
    handling.transition("mark_key", by=("director",), stay=True, body={"responsible_leader": "周主任"}),
    handling.transition("remind", by=CITY_KEEPERS + ("director",), stay=True, body=NOTE),
)

# ---------------------------------------------------------------- the routing model's log (views_routing.py)
# administrators and staff (a county's staff for their county); texts of messages stay with them
declare(Expect(route="suggestions:routing_log", ok=CITY_KEEPERS + ("county_staff",)))
