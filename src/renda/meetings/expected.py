"""Expected outcomes of the meetings pages (see core/access.py and rules.py). Samples
(tests/factories.py::add_meeting_samples): the city's sitting `sitting` with an agenda item
`meeting_item` and a leave request `meeting_leave`. The oversight roles of the city read a sitting;
its staff and administrators act; everyone else (county staff included: a city sitting) gets 404."""

from renda.core.access import CITY_KEEPERS, OVERSIGHT, Expect, declare

READERS_403 = {"director": 403, "member": 403}  # they read the sitting but do not arrange it

declare(
    # the list: whoever holds an oversight role somewhere (a county's staff: their county's sittings)
    Expect(route="meetings:index", ok=OVERSIGHT + ("county_staff",), refused=404),
    Expect(route="meetings:sitting", ok=OVERSIGHT, refused=404, args=("sitting",)),
    Expect(
        route="meetings:add_item",
        ok=CITY_KEEPERS,
        refused=404,
        overrides=READERS_403,
        args=("sitting",),
        post="adding from the candidates is tested in tests/test_meetings.py",
    ),
    # POST only: the permission is checked first (404 / 403), then the method (405)
    Expect(
        route="meetings:move_item",
        ok=CITY_KEEPERS,
        status=405,
        refused=404,
        overrides=READERS_403,
        args=("sitting", "meeting_item", "=down"),
        post=lambda w, role: {},
    ),
    Expect(
        route="meetings:remove_item",
        ok=CITY_KEEPERS,
        status=405,
        refused=404,
        overrides=READERS_403,
        args=("sitting", "meeting_item"),
        post="removing is tested in tests/test_meetings.py (the first remover takes the item away)",
    ),
    Expect(
        route="meetings:attendance",
        ok=CITY_KEEPERS,
        refused=404,
        overrides=READERS_403,
        args=("sitting",),
        post="recording is tested in tests/test_meetings.py",
    ),
    Expect(
        route="meetings:approve_leave",
        ok=CITY_KEEPERS,
        status=405,
        refused=404,
        overrides=READERS_403,
        args=("sitting", "meeting_leave"),
        post=lambda w, role: {},
    ),
    Expect(
        route="meetings:observers",
        ok=CITY_KEEPERS,
        refused=404,
        overrides=READERS_403,
        args=("sitting",),
        post="recording is tested in tests/test_meetings.py",
    ),
    # the minutes and the attendance sheet (Word, PDF): whoever reads the sitting; GET only
    *(
        Expect(route=f"meetings:{name}", ok=OVERSIGHT, refused=404, args=("sitting",))
        for name in ("minutes_docx", "minutes_pdf", "attendance_docx", "attendance_pdf")
    ),
)
