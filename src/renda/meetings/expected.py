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
    # group deliberation: the sitting's staff and its people (the matrix's sitting: the chair,
    # i.e. the director); a member without a person, deputies not observing: 404
    Expect(route="meetings:groups", ok=CITY_KEEPERS + ("director",), refused=404, args=("sitting",)),
    Expect(route="meetings:speeches", ok=CITY_KEEPERS + ("director",), refused=404, args=("sitting",)),
    Expect(
        route="meetings:add_speech",
        ok=CITY_KEEPERS + ("director",),
        status=405,
        refused=404,
        args=("sitting",),
        post="recording (own speech only) is tested in tests/test_groups.py",
    ),
    Expect(
        route="meetings:add_group",
        ok=CITY_KEEPERS,
        refused=404,
        overrides={"director": 403},
        args=("sitting",),
        post="setting up groups is tested in tests/test_groups.py",
    ),
    Expect(
        route="meetings:group_members",
        ok=CITY_KEEPERS,
        refused=404,
        overrides={"director": 403},
        args=("sitting", "meeting_group"),
        post="assigning members is tested in tests/test_groups.py",
    ),
    Expect(
        route="meetings:circulate",
        ok=CITY_KEEPERS,
        status=405,
        refused=404,
        overrides={"director": 403},
        args=("sitting",),
        post="circulating is tested in tests/test_groups.py",
    ),
    # the plenary session as a sitting: read and kept as a committee sitting is
    Expect(route="meetings:session", ok=OVERSIGHT, refused=404, args=("plenary_session",)),
    Expect(
        route="meetings:session_add_item",
        ok=CITY_KEEPERS,
        refused=404,
        overrides=READERS_403,
        args=("plenary_session",),
        post="adding is tested in tests/test_plenary.py",
    ),
    Expect(
        route="meetings:session_attendance",
        ok=CITY_KEEPERS,
        refused=404,
        overrides=READERS_403,
        args=("plenary_session",),
        post="recording is tested in tests/test_plenary.py",
    ),
    # the hall: the console arranges the votes (the staff); the screen, its status and its event
    # stream are read by whoever reads the sitting (the stream cut short by ?seconds=)
    Expect(route="meetings:console", ok=CITY_KEEPERS, refused=404, overrides=READERS_403, args=("sitting",)),
    *(
        Expect(
            route=f"meetings:{name}",
            ok=CITY_KEEPERS,
            status=405,
            refused=404,
            overrides=READERS_403,
            args=("sitting", "meeting_item"),
            post=f"{name} is tested in tests/test_hall.py (quorum, the case's transition)",
        )
        for name in ("open_vote", "close_vote")
    ),
    Expect(route="meetings:screen", ok=OVERSIGHT, refused=404, args=("sitting",)),
    Expect(route="meetings:live", ok=OVERSIGHT, refused=404, args=("sitting",)),
    Expect(route="meetings:events", ok=OVERSIGHT, refused=404, args=("sitting",), query="seconds=0"),
    # video: the sitting's people only (the roll, the staff, the observers); POST only for joining
    # (the matrix's member reads the city's sittings but is not on this one's roll: 403, no token)
    Expect(
        route="meetings:video",
        ok=CITY_KEEPERS + ("director",),
        refused=404,
        overrides={"member": 403},
        args=("sitting",),
    ),
    Expect(
        route="meetings:video_joined",
        ok=CITY_KEEPERS + ("director",),
        overrides={"member": 403},
        status=405,
        refused=404,
        args=("sitting",),
        post="joining is tested in tests/test_video.py (only while the sitting is under way)",
    ),
)
