"""Expected outcomes of the appointments pages and of /api/cases/appointment_batch (see
core/access.py and rules.py). The samples (tests/factories.py::add_appointment_samples) are the
city's 任免案 nominated through unit_a: the city's oversight roles and unit_a find them, everyone
else gets 404. The sample exam belongs to a nominee who is none of the matrix's roles: 404 for all."""

from renda.core.access import CITY_KEEPERS, EVERYONE, KEEPERS, OVERSIGHT, SIGNED_IN, CaseAccess, Expect, declare

SEES = OVERSIGHT + ("unit",)
NOTE = {"note": "提请机关撤回。"}


def batch(state):
    return CaseAccess("appointment_batch", f"appointment_batch_{state}", SEES, SEES)


def sitting(w, role):
    return {"sitting": w.samples["appointment_batch_drafting"].sitting_id}


declare(
    Expect(route="appointments:index", ok=SIGNED_IN),
    Expect(route="appointments:batch", ok=SEES, refused=404, args=("appointment_batch_voting",)),
    # exam results: the oversight roles; the nominating unit finds the batch but not the results
    Expect(
        route="appointments:results",
        ok=OVERSIGHT,
        refused=404,
        overrides={"unit": 403},
        args=("appointment_batch_submitted",),
    ),
    Expect(route="appointments:my_exams", ok=SIGNED_IN),
    # starting an exam: POST only, and only by the nominee (none of the matrix's roles)
    Expect(
        route="appointments:exam_start",
        ok=SIGNED_IN,
        status=405,
        refused=405,
        args=("appointment_nomination",),
        post=lambda w, role: {},
        post_ok=(),
        post_refused=404,
    ),
    Expect(route="appointments:exam", ok=(), refused=404, args=("appointment_exam",), post=lambda w, role: {}),
    # a new batch: the staff (their congress) and the nominating units (their own unit)
    Expect(
        route="appointments:batch_new",
        ok=KEEPERS + ("unit", "other_unit"),
        post="the writes are tested in tests/test_appointment_pages.py (a unit for its own unit only)",
    ),
    # nominations while drafting: the city's staff and the nominating unit; the oversight roles
    # who only read the batch are refused, everyone else does not find it
    Expect(
        route="appointments:nomination_new",
        ok=CITY_KEEPERS + ("unit",),
        refused=404,
        overrides={"director": 403, "member": 403},
        args=("appointment_batch_drafting",),
        post="adding is tested in tests/test_appointment_pages.py",
    ),
    Expect(
        route="appointments:nomination_edit",
        ok=CITY_KEEPERS + ("unit",),
        refused=404,
        overrides={"director": 403, "member": 403},
        args=("appointment_nomination_drafting",),
        post="editing is tested in tests/test_appointment_pages.py",
    ),
    # the oath: the staff of the batch's congress; the others who find the batch are refused
    Expect(
        route="appointments:oath_new",
        ok=CITY_KEEPERS,
        refused=404,
        overrides={"director": 403, "member": 403, "unit": 403},
        args=("appointment_batch_notified",),
        post="recording an oath is tested in tests/test_appointment_pages.py",
    ),
    # the question bank (its answers): the staff and administrators only
    Expect(route="appointments:questions", ok=KEEPERS),
    Expect(route="appointments:question_new", ok=KEEPERS, post="tested in tests/test_appointment_pages.py"),
    Expect(route="appointments:question_import", ok=KEEPERS, post="tested in tests/test_appointment_pages.py"),
    # 任职经历: the oversight roles; a county's staff finds the person through the public 任免名单
    # (their city tenures are not listed to them)
    Expect(route="appointments:person", ok=OVERSIGHT + ("county_staff",), args=("appointment_person",)),
    # the published 任免名单: everyone
    Expect(route="appointments_public:notices", ok=EVERYONE, anonymous=200),
)

b = {s: batch(s) for s in ("drafting", "submitted", "examined", "voting", "voting_last", "decided", "notified")}
declare(
    *b["drafting"].reads(),
    b["drafting"].transition("schedule", by=CITY_KEEPERS, stay=True, body=sitting),
    b["drafting"].transition("submit", by=CITY_KEEPERS + ("unit",)),
    b["drafting"].transition("withdraw", by=CITY_KEEPERS + ("unit",), body=NOTE),
    b["submitted"].transition("examine", by=CITY_KEEPERS),
    b["examined"].transition("open_votes", by=CITY_KEEPERS),
    # two nominations: the first performer closes the first vote and opens the second, the next
    # closes the second
    b["voting"].transition("next_vote", by=CITY_KEEPERS, stay=True),
    # one nomination: 结束表决 closes its vote and decides
    b["voting_last"].transition("decide", by=CITY_KEEPERS),
    b["decided"].transition("notify", by=CITY_KEEPERS),
    b["notified"].transition("swear", by=CITY_KEEPERS),
)
