"""Expected outcomes of the deputies module's routes (see core/access.py and rules.py).

The roster: read by the oversight roles (a county's staff: their county's tree); changes of a
mandate are recorded by the keepers of the deputy's congress.

A deputy's archive: the deputy themselves and the city's administrators, staff and directors;
everyone else does not find it (404). Hand-recorded activities: the sample is the deputy's
(待确认); its owner edits it, the city's keepers confirm it; readers who may not act are refused
(403), the others do not find it (404)."""

from renda.core.access import (
    CITY_KEEPERS,
    DEPUTIES,
    EVERYONE,
    KEEPERS,
    OVERSEERS,
    SIGNED_IN,
    SUPERVISORS,
    UNITS,
    Expect,
    declare,
)

ARCHIVE_READERS = ("admin", "staff", "director", "deputy")
# readers of the sample activity who may not act on it
READ_ONLY = {"admin": 403, "staff": 403, "director": 403}

declare(
    Expect(route="deputies:roster", ok=OVERSEERS),
    Expect(route="deputies:elect", ok=KEEPERS, post="by-elections are tested in test_deputies_roster"),
    # the city's deputy: its keepers record a change; directors and members read only; a
    # county's staff do not find a city deputy; whoever may not record at all is refused first
    Expect(
        route="deputies:record_event",
        ok=CITY_KEEPERS,
        overrides={"county_staff": 404},
        args=("deputy",),
        post="recording changes is tested in test_deputies_roster",
    ),
    Expect(route="deputies:archive", ok=ARCHIVE_READERS, refused=404, args=("deputy",)),
    Expect(route="deputies:archive_docx", ok=ARCHIVE_READERS, refused=404, args=("deputy",)),
    Expect(route="deputies:activities", ok=DEPUTIES),
    Expect(
        route="deputies:activity_create",
        ok=DEPUTIES,
        post="recording activities is tested in test_deputies_archive",
    ),
    Expect(route="deputies:activity", ok=ARCHIVE_READERS, refused=404, args=("activity",)),
    Expect(
        route="deputies:activity_edit",
        ok=("deputy",),
        refused=404,
        overrides=READ_ONLY,
        args=("activity",),
        post="editing own activities is tested in test_deputies_archive",
    ),
    # GET goes back to the activity's page (its buttons post here)
    Expect(
        route="deputies:activity_review",
        ok=CITY_KEEPERS,
        status=302,
        refused=404,
        overrides={"director": 403, "deputy": 403},
        args=("activity",),
        post="confirming and returning are tested in test_deputies_archive",
    ),
    Expect(route="deputies:queue", ok=KEEPERS),
    Expect(route="deputies:evaluation", ok=SUPERVISORS),
    # the installable app (views_offline): the worker and the manifest hold no personal data
    # (anyone, so a lost session never breaks the worker's update); the CSRF token for the
    # offline queue: whoever is signed in
    Expect(route="deputies:sw", ok=EVERYONE, anonymous=200),
    Expect(route="deputies:webmanifest", ok=EVERYONE, anonymous=200),
    Expect(route="deputies:token", ok=SIGNED_IN),
    # the published summary of a serving deputy: everyone; an ended mandate: nobody finds it
    Expect(route="deputies_public:archive", ok=EVERYONE, anonymous=200, args=("deputy",)),
    Expect(
        route="deputies_public:archive", variant="ended mandate", refused=404, anonymous=404, args=("ended_deputy",)
    ),
)

# Liaison stations and 码上见代表 (rules.py, the end). The sample station is the city's; its
# sample message was left through the deputy's code. Directors and members read a station but
# may not change it (403); those who do not see it do not find it (404). A message: its
# deputy and the city's keepers; nobody else finds it (units: only the messages referred to
# them, and the sample is not). The public pages: everyone.
STATION_READERS = ("admin", "staff", "director", "member")
STATION_VIEW_ONLY = {"director": 403, "member": 403}
declare(
    Expect(route="deputies:stations", ok=OVERSEERS),
    Expect(route="deputies:station_create", ok=KEEPERS, post="creating stations is tested in test_deputies_stations"),
    Expect(
        route="deputies:station",
        ok=STATION_READERS,
        refused=404,
        args=("station",),
        post="duty schedules are tested in test_deputies_stations (directors and members: 403)",
    ),
    Expect(
        route="deputies:station_edit",
        ok=CITY_KEEPERS,
        overrides={"county_staff": 404},
        args=("station",),
        post="editing stations is tested in test_deputies_stations",
    ),
    Expect(
        route="deputies:reception_create",
        ok=CITY_KEEPERS,
        refused=404,
        overrides=STATION_VIEW_ONLY,
        args=("station",),
        post="reception days are tested in test_deputies_stations",
    ),
    Expect(route="deputies:station_code", ok=CITY_KEEPERS, refused=404, overrides=STATION_VIEW_ONLY, args=("station",)),
    Expect(route="deputies:deputy_code", ok=("admin", "staff", "deputy"), refused=404, args=("deputy",)),
    Expect(route="deputies:messages", ok=CITY_KEEPERS + ("county_staff",) + DEPUTIES + UNITS),
    Expect(
        route="deputies:message",
        ok=("admin", "staff", "deputy"),
        refused=404,
        args=("meet_message",),
        post="answering and converting are tested in test_deputies_stations",
    ),
    Expect(
        route="deputies_public:meet",
        ok=EVERYONE,
        anonymous=200,
        args=("meet_code",),
        post="leaving a message (and its throttle) is tested in test_deputies_stations",
    ),
    Expect(route="deputies_public:meet_received", ok=EVERYONE, status=302, anonymous=302),
    Expect(route="deputies_public:meet_receipt", ok=EVERYONE, anonymous=200),
)

# Double contact (双联系). The sample is the deputy's contact with constituents (with matters
# raised and a constituent's phone). Lists and the form: deputies, members and directors, and
# the keepers; the record: the deputy and the city's readers of archives (a member sees only
# their own visits, a county's staff their county's records); its deputy and the city's
# keepers correct it; only the deputy turns it into a suggestion (GET goes back to the record).
CONTACT_USERS = OVERSEERS + DEPUTIES
declare(
    Expect(route="deputies:contacts", ok=CONTACT_USERS),
    Expect(
        route="deputies:contact_create", ok=CONTACT_USERS, post="recording contacts is tested in test_deputies_contacts"
    ),
    Expect(route="deputies:contact", ok=ARCHIVE_READERS, refused=404, args=("contact",)),
    Expect(
        route="deputies:contact_edit",
        ok=("admin", "staff", "deputy"),
        refused=404,
        overrides={"director": 403},
        args=("contact",),
        post="editing contacts is tested in test_deputies_contacts",
    ),
    Expect(
        route="deputies:contact_suggest",
        ok=("deputy",),
        status=302,
        refused=404,
        overrides=READ_ONLY,
        args=("contact",),
        post="turning a matter into a suggestion is tested in test_deputies_contacts",
    ),
)

# Report-back (述职). The sample is the deputy's report-back, held and open for evaluation. The
# list: deputies (their own) and the archive's readers; scheduling and recording: the keepers
# of the deputy's congress (a county's staff do not find a city deputy's); a report-back's page:
# its deputy and the city's archive readers, nobody else finds it; the page of deputies not yet
# reported: the archive's readers. The public: only the evaluation form, through the code.
REPORTBACK_READERS = ("admin", "staff", "director", "deputy")
declare(
    Expect(route="deputies:reportbacks", ok=("admin", "staff", "county_staff", "director") + DEPUTIES),
    Expect(
        route="deputies:reportback_create",
        ok=KEEPERS,
        post="scheduling is tested in test_deputies_reportback",
    ),
    Expect(route="deputies:reportbacks_pending", ok=("admin", "staff", "county_staff", "director")),
    Expect(route="deputies:reportback", ok=REPORTBACK_READERS, refused=404, args=("report_back",)),
    Expect(
        route="deputies:reportback_held",
        ok=CITY_KEEPERS,
        refused=404,
        overrides={"director": 403, "deputy": 403},
        args=("report_back",),
        post="recording a report-back held is tested in test_deputies_reportback",
    ),
    Expect(
        route="deputies:reportback_evaluation",
        ok=CITY_KEEPERS,
        status=302,
        refused=404,
        overrides={"director": 403, "deputy": 403},
        args=("report_back",),
        post="opening and closing the evaluation are tested in test_deputies_reportback",
    ),
    Expect(
        route="deputies_public:reportback_evaluate",
        ok=EVERYONE,
        anonymous=200,
        args=("report_back_code",),
        post="evaluating (one answer per device, no more than the attendees) is tested in test_deputies_reportback",
    ),
    Expect(route="deputies_public:reportback_thanks", ok=EVERYONE, anonymous=200),
)

# Report-back: the hall's paper evaluation forms (录入纸质测评表), entered by the keepers of the
# deputy's congress while the evaluation is open (the sample is open); its readers who may not
# act are refused (403), nobody else finds it (404). The matrix posts one 满意 form per keeper.
declare(
    Expect(
        route="deputies:reportback_paper",
        ok=CITY_KEEPERS,
        refused=404,
        overrides={"director": 403, "deputy": 403},
        args=("report_back",),
        post=lambda w, role: {"satisfied": "1"},
    ),
)
