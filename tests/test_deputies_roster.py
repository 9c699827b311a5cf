"""The roster over the term (issue 15, item 1): dated changes of a mandate (DeputyEvent) kept
consistent with the mandate by one service, who is in office on a date (one query, the
congress tree), the counts the committee reports (GROUP BY, constant queries), the roster page
and the form that records a change, and who may do what."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import ROLES, person
from renda.core import services as core_services
from renda.core.models import AuditEntry, Deputy, Person
from renda.deputies import roster
from renda.deputies.models import DeputyEvent

Kind = DeputyEvent.Kind
URL = "/work/deputies/roster/"
TERM_START = date(2017, 1, 6)  # the city's fourth term (tests/factories.py)


def staff(world):
    return world.users["staff"]


def new_deputy(world, name, *, term=None, elected=None, **person_fields):
    term = term or world.term
    p = person(world.admin, name, **person_fields)
    return core_services.create_deputy(world.admin, person=p, term=term, elected_date=elected or term.start_date)


def office_ids(congress_or_qs, on, **kw):
    return set(roster.in_office(congress_or_qs, on, **kw).values_list("id", flat=True))


# ---------------------------------------------------------------- events and in office


@pytest.mark.parametrize("kind", sorted(DeputyEvent.ENDING))
def test_an_end_takes_the_deputy_out_of_office_from_its_day(world, kind):
    deputy = world.deputy
    day = date(2020, 6, 1)
    event = roster.record_event(staff(world), deputy, kind, day, "市人大常委会第二十次会议决定")
    deputy.refresh_from_db()
    assert (deputy.status, deputy.ended_date) == (Deputy.Status.ENDED, day)
    assert deputy.end_reason.startswith(Kind(kind).label)
    assert event.recorded_by == staff(world)
    for on, inside in [
        (TERM_START - timedelta(days=1), False),
        (TERM_START, True),
        (day - timedelta(days=1), True),
        (day, False),
        (day + timedelta(days=1), False),
    ]:
        assert (deputy.pk in office_ids(world.city, on)) is inside, (kind, on)
    assert AuditEntry.objects.filter(model="deputies.DeputyEvent", object_id=str(event.pk)).exists()


def test_a_by_election_creates_the_mandate(world):
    p = person(world.admin, "补选代表", ethnicity="蒙古族", gender="F")
    event = roster.elect(staff(world), person=p, term=world.term, date=date(2019, 3, 1), reference="补选公告第1号")
    deputy = event.deputy
    assert event.kind == Kind.BY_ELECTION and deputy.elected_date == date(2019, 3, 1)
    assert deputy.congress == world.city and deputy.status == Deputy.Status.SERVING
    assert deputy.pk not in office_ids(world.city, date(2019, 2, 28))
    assert deputy.pk in office_ids(world.city, date(2019, 3, 1))
    with pytest.raises(ValidationError) as refused:
        roster.elect(staff(world), person=p, term=world.term, date=date(2019, 4, 1), reference="又一次")
    assert "已是" in str(refused.value)


def test_an_opening_event_on_an_existing_mandate_sets_its_date_once(world):
    deputy = new_deputy(world, "后录代表")
    roster.record_event(staff(world), deputy, Kind.ELECTED, date(2017, 2, 1), "选举结果公告")
    deputy.refresh_from_db()
    assert deputy.elected_date == date(2017, 2, 1)
    assert deputy.pk not in office_ids(world.city, date(2017, 1, 31))
    with pytest.raises(ValidationError) as refused:
        roster.record_event(staff(world), deputy, Kind.BY_ELECTION, date(2017, 3, 1), "补选")
    assert "已登记当选" in str(refused.value)


def test_a_transfer_in_moves_the_deputy_and_keeps_them_in_office(world):
    deputy = world.deputy
    other = core_services.create_delegation(world.admin, world.term, "五原县代表团")
    group = core_services.create_deputy_group(world.admin, world.term, "五原县第1代表小组")
    with pytest.raises(ValidationError) as refused:
        roster.record_event(staff(world), deputy, Kind.TRANSFER_IN, date(2019, 1, 1), "调动")
    assert "调入须选择" in str(refused.value)
    roster.record_event(staff(world), deputy, Kind.TRANSFER_IN, date(2019, 1, 1), "调动", delegation=other, group=group)
    deputy.refresh_from_db()
    assert (deputy.delegation, deputy.group, deputy.status) == (other, group, Deputy.Status.SERVING)
    assert deputy.pk in office_ids(world.city, date(2019, 1, 2))


def test_a_mandate_ended_in_core_without_an_event_is_out_of_office_from_its_end(world):
    ended = world.ended_deputy  # ended 2019-06-01 through core's end_mandate
    assert ended.pk in office_ids(world.city, date(2019, 5, 31))
    assert ended.pk not in office_ids(world.city, date(2019, 6, 1))


def test_in_office_follows_the_congress_tree(world):
    on = date(2020, 1, 1)
    city_tree = office_ids(world.city, on)
    assert world.county_deputy.pk in city_tree and world.deputy.pk in city_tree
    assert world.county_deputy.pk not in office_ids(world.city, on, below=False)
    assert office_ids(world.county_a, on) == {world.county_deputy.pk}
    # a queryset of mandates is narrowed, not replaced
    assert office_ids(Deputy.objects.filter(pk=world.deputy.pk), on) == {world.deputy.pk}
    with CaptureQueriesContext(connection) as queries:
        list(roster.in_office(world.city, on))
    assert len(queries) == 1


def test_before_its_term_and_after_the_term_a_mandate_is_not_in_office(world):
    world.term.end_date = date(2021, 12, 31)
    world.term.save()
    assert world.deputy.pk not in office_ids(world.city, TERM_START - timedelta(days=1))
    assert world.deputy.pk in office_ids(world.city, date(2021, 12, 31))
    assert world.deputy.pk not in office_ids(world.city, date(2022, 1, 1))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    mandates=st.lists(
        st.tuples(
            st.integers(0, 900), st.one_of(st.none(), st.integers(1, 900)), st.sampled_from(sorted(DeputyEvent.ENDING))
        ),
        min_size=1,
        max_size=6,
    ),
    probe=st.integers(-5, 1400),
)
def test_in_office_is_elected_on_or_before_and_not_yet_ended(world, mandates, probe):
    """Whatever the by-elections and ends recorded, in office on a day = by-elected on or
    before it and not ended on or before it."""
    on = TERM_START + timedelta(days=probe)
    with transaction.atomic():
        expected, made = set(), set()
        for i, (elected, lasted, kind) in enumerate(mandates):
            elected_on = TERM_START + timedelta(days=elected)
            p = person(world.admin, f"性质代表{i}")
            deputy = roster.elect(staff(world), person=p, term=world.term, date=elected_on, reference="补选").deputy
            ended_on = None if lasted is None else elected_on + timedelta(days=lasted)
            if ended_on is not None:
                roster.record_event(staff(world), deputy, kind, ended_on, "决定")
            made.add(deputy.pk)
            if elected_on <= on and (ended_on is None or on < ended_on):
                expected.add(deputy.pk)
        assert office_ids(world.city, on) & made == expected
        transaction.set_rollback(True)


# ---------------------------------------------------------------- refusals


@pytest.mark.parametrize(
    "setup, kind, on, reference, message",
    [
        (None, Kind.RESIGNATION, date(2016, 12, 31), "辞职", "早于"),
        (None, Kind.RESIGNATION, date(2099, 1, 1), "辞职", "今天以后"),
        (None, Kind.RESIGNATION, date(2020, 1, 1), "  ", "请填写决定或依据"),
        (None, "promoted", date(2020, 1, 1), "x", "请选择变动类型"),
        (None, Kind.RECALL, None, "x", "请填写日期"),
        ("ended", Kind.RECALL, date(2020, 7, 1), "罢免", "不能再登记罢免"),
        ("ended", Kind.TRANSFER_IN, date(2020, 7, 1), "调入", "不能登记此后的变动"),
        ("term_end", Kind.TERMINATION, date(2020, 1, 1), "终止", "晚于"),
        (None, Kind.RESIGNATION, date(2017, 1, 6), "x", None),  # on the term's first day: accepted
    ],
)
def test_refusals_say_why_in_chinese(world, setup, kind, on, reference, message):
    deputy = world.deputy
    if setup == "ended":
        roster.record_event(staff(world), deputy, Kind.RESIGNATION, date(2020, 6, 1), "接受辞职")
    if setup == "term_end":
        world.term.end_date = date(2019, 12, 31)
        world.term.save()
    if message is None:
        roster.record_event(staff(world), deputy, kind, on, reference)
        return
    before = DeputyEvent.objects.count()
    with pytest.raises(ValidationError) as refused:
        roster.record_event(staff(world), deputy, kind, on, reference)
    assert message in " ".join(refused.value.messages)
    assert DeputyEvent.objects.count() == before


def test_a_second_end_is_refused_even_by_another_kind(world):
    roster.record_event(staff(world), world.deputy, Kind.TRANSFER_OUT, date(2019, 6, 1), "调离本行政区域")
    with pytest.raises(ValidationError, match="已于2019年6月1日终止"):
        roster.record_event(staff(world), world.deputy, Kind.RESIGNATION, date(2019, 6, 1), "辞职")


def test_no_event_before_the_deputys_election(world):
    deputy = new_deputy(world, "晚当选", elected=date(2018, 5, 1))
    with pytest.raises(ValidationError, match="早于该代表的当选日期"):
        roster.record_event(staff(world), deputy, Kind.RESIGNATION, date(2018, 4, 30), "辞职")


def test_a_by_election_outside_the_term_is_refused_before_anything_is_written(world):
    p = person(world.admin, "届前补选")
    before = Deputy.objects.count()
    with pytest.raises(ValidationError, match="起始日期"):
        roster.elect(staff(world), person=p, term=world.term, date=date(2016, 1, 1), reference="补选")
    assert Deputy.objects.count() == before


def test_events_are_append_only(world):
    event = roster.record_event(staff(world), world.deputy, Kind.RESIGNATION, date(2020, 6, 1), "接受辞职")
    event.reference = "改写"
    with pytest.raises(ValidationError):
        event.save()
    with pytest.raises(ValidationError):
        event.delete()
    assert DeputyEvent.objects.get(pk=event.pk).reference == "接受辞职"


def test_only_the_keepers_of_the_deputys_congress_record(world):
    for role in ("director", "member", "deputy", "unit", "county_staff"):
        with pytest.raises(PermissionDenied):
            roster.record_event(world.users[role], world.deputy, Kind.RESIGNATION, date(2020, 6, 1), "辞职")
    # a county's staff keep their county's deputies
    roster.record_event(
        world.users["county_staff"], world.county_deputy, Kind.RESIGNATION, date(2020, 6, 1), "区人大常委会接受辞职"
    )
    assert DeputyEvent.objects.filter(deputy=world.county_deputy).count() == 1


# ---------------------------------------------------------------- counts


def _counts(result, key):
    table = next(t for t in result["tables"] if t["key"] == key)
    return {label: n for label, n, _ in table["rows"]}


def test_counts_by_level_sex_ethnicity_occupation_party_and_grassroots(world, django_assert_num_queries):
    on = date(2020, 1, 1)
    for i in range(3):
        d = new_deputy(world, f"蒙古族代表{i}", ethnicity="蒙古族", gender="F", party="群众")
        d.occupation, d.is_grassroots = Deputy.Occupation.FARMER, True
        d.save()
    new_deputy(world, "回族代表", ethnicity="回族", party="民盟盟员")
    new_deputy(world, "区代表二", term=world.county_term, ethnicity="蒙古族")
    gone = new_deputy(world, "已辞职", ethnicity="蒙古族")
    roster.record_event(staff(world), gone, Kind.RESIGNATION, date(2019, 12, 1), "接受辞职")
    expected_total = len(office_ids(world.city, on))
    with django_assert_num_queries(len(roster.DIMENSIONS)):
        result = roster.roster_counts(world.city, on)
    assert result["total"] == expected_total == 8  # deputy, other, 3 Mongolian, Hui; 2 of the county
    assert _counts(result, "level") == {"设区的市": 6, "县（旗、区）": 2}
    ethnicity = _counts(result, "ethnicity")
    assert ethnicity["蒙古族"] == 4 and ethnicity["回族"] == 1 and ethnicity["少数民族合计"] == 5
    assert [label for label, *_ in result["tables"][2]["rows"]][:2] == ["汉族", "蒙古族"]
    assert _counts(result, "gender")["女"] == 3
    assert _counts(result, "occupation")["农牧民"] >= 3
    assert _counts(result, "party")["群众"] == 3 and _counts(result, "party")["民盟盟员"] == 1
    assert _counts(result, "grassroots")["基层代表"] >= 3
    # the same on the city alone, and the day before the resignation counts it
    assert roster.roster_counts(world.city, on, below=False)["total"] == 6
    assert roster.roster_counts(world.city, date(2019, 11, 30))["total"] == 9
    percent = next(p for label, n, p in result["tables"][1]["rows"] if label == "女")
    assert percent == round(100 * 3 / 8, 1)


# ---------------------------------------------------------------- the page


def test_who_reads_the_roster(world, client_for):
    got = {role: client_for(role).get(URL).status_code for role in ROLES}
    readers = ("admin", "staff", "county_staff", "director", "member")
    assert got == {r: 200 if r in readers else 302 if r == "public" else 403 for r in ROLES}


def test_a_countys_staff_see_their_countys_tree_only(world, client_for):
    page = client_for("county_staff").get(URL, {"on": "2020-01-01"}).content.decode()
    assert "孙代表" in page and world.deputy.person.name not in page
    # asking for the city is reported and answered with their own county
    page = client_for("county_staff").get(URL, {"congress": world.city.pk, "on": "2020-01-01"}).content.decode()
    assert "所选人大不在您的范围内" in page and "孙代表" in page and world.deputy.person.name not in page


def test_the_page_shows_counts_mandates_and_their_events(world, client_for):
    roster.record_event(staff(world), world.other_deputy, Kind.RESIGNATION, date(2020, 6, 1), "接受辞职")
    page = client_for("director").get(URL, {"congress": world.city.pk, "on": "2020-05-31"}).content.decode()
    assert 'data-testid="roster-counts"' in page and "按民族" in page
    assert world.other_deputy.person.name in page and "辞职 2020年6月1日" in page
    assert "登记变动" not in page  # directors read only
    page = client_for("staff").get(URL, {"congress": world.city.pk, "on": "2020-06-01"}).content.decode()
    assert world.other_deputy.person.name not in page and "登记变动" in page


@pytest.mark.parametrize(
    "query", [{"on": "2020-13-45"}, {"congress": "99999999999999"}, {"scope": "all"}, {"page": "x"}]
)
def test_bad_query_input_is_reported_not_a_server_error(world, client_for, query):
    response = client_for("staff").get(URL, query)
    assert response.status_code == 200
    if "on" in query:
        assert "日期无效" in response.content.decode()


def test_the_list_issues_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for("staff")
    client.get(URL)  # warm the per-process lookups
    query = {"congress": world.city.pk, "on": "2020-01-01"}
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL, query).status_code == 200
    for i in range(30):
        d = new_deputy(world, f"加测代表{i}", ethnicity="蒙古族" if i % 2 else "汉族", party=f"党派{i % 5}")
        if i % 3 == 0:
            roster.record_event(staff(world), d, Kind.ELECTED, TERM_START, "选举结果公告")
        if i % 4 == 0:
            roster.record_event(staff(world), d, Kind.RESIGNATION, date(2020, 6, 1), "接受辞职")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(URL, query).content.decode()
    assert page.count('data-testid="mandate"') == len(office_ids(world.city, date(2020, 1, 1)))


# ---------------------------------------------------------------- the form


def test_recording_a_change_on_the_page(world, client_for):
    url = f"/work/deputies/roster/{world.deputy.pk}/event/"
    client = client_for("staff")
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": Kind.RESIGNATION, "date": "2020-06-01", "reference": "第二十次会议接受辞职"})
    assert response.status_code == 302 and "on=2020-06-01" in response["Location"]
    world.deputy.refresh_from_db()
    assert world.deputy.status == Deputy.Status.ENDED
    # a second end: refused, the form keeps what was typed
    response = client.post(url, {"kind": Kind.RECALL, "date": "2020-07-01", "reference": "罢免决定第3号"})
    page = response.content.decode()
    assert response.status_code == 200 and "不能再登记罢免" in page and "罢免决定第3号" in page


@pytest.mark.parametrize(
    "data, message",
    [
        ({"kind": "resignation", "date": "", "reference": "我的依据"}, "请填写日期"),
        ({"kind": "resignation", "date": "2020-02-30", "reference": "我的依据"}, "请输入有效日期"),
        ({"kind": "resignation", "date": "2016-01-01", "reference": "我的依据"}, "早于"),
        (
            {"kind": "transfer_in", "date": "2020-01-01", "reference": "我的依据", "delegation": "99999999999999"},
            "选择",
        ),
        ({"kind": "transfer_in", "date": "2020-01-01", "reference": "我的依据"}, "调入须选择"),
    ],
)
def test_bad_input_on_the_form_is_explained_and_kept(world, client_for, data, message):
    response = client_for("staff").post(f"/work/deputies/roster/{world.deputy.pk}/event/", data)
    page = response.content.decode()
    assert response.status_code == 200 and message in page and "我的依据" in page
    assert not DeputyEvent.objects.exists()


def test_the_form_refuses_whom_may_not_record(world, client_for):
    url = f"/work/deputies/roster/{world.deputy.pk}/event/"
    data = {"kind": "resignation", "date": "2020-06-01", "reference": "x"}
    others = [r for r in ROLES if r not in ("admin", "staff")]
    got = {role: client_for(role).post(url, data).status_code for role in others}
    assert got == {r: 302 if r == "public" else 404 if r == "county_staff" else 403 for r in others}
    assert not DeputyEvent.objects.exists()
    assert client_for("staff").post(url, data).status_code == 302
    assert DeputyEvent.objects.filter(deputy=world.deputy).count() == 1


# ---------------------------------------------------------------- the by-election form

ELECT_URL = "/work/deputies/roster/elect/"


def election(world, **changes):
    data = {
        "kind": "by_election",
        "term": world.term.pk,
        "date": "2019-03-01",
        "reference": "市第四届人大第三次会议补选",
        "name": "乌兰",
        "gender": "F",
        "ethnicity": "蒙古族",
        "party": "中共党员",
        "delegation": "乌拉特前旗代表团",
        "constituency": "乌拉特前旗人民代表大会",
        "occupation": "farmer",
        "is_grassroots": "on",
    }
    return {**data, **changes}


def test_a_by_election_on_the_page_creates_the_mandate(world, client_for):
    response = client_for("staff").post(ELECT_URL, election(world))
    assert response.status_code == 302 and "on=2019-03-01" in response["Location"]
    deputy = Deputy.objects.get(person__name="乌兰")
    assert (deputy.term, deputy.elected_date, deputy.delegation.name) == (
        world.term,
        date(2019, 3, 1),
        "乌拉特前旗代表团",
    )
    assert deputy.events.get().kind == Kind.BY_ELECTION
    page = client_for("staff").get(response["Location"]).content.decode()
    assert "乌兰" in page and "补选 2019年3月1日" in page


@pytest.mark.parametrize(
    "role, changes, message",
    [
        ("staff", {"date": "2016-01-01"}, "起始日期"),
        ("staff", {"date": "2099-01-01"}, "今天以后"),
        ("staff", {"reference": ""}, "请填写决定或依据"),
        ("staff", {"term": "99999999999999"}, "请选择您所在人大的届次"),
        ("county_staff", {}, "请选择您所在人大的届次"),  # the city's term is not theirs
    ],
)
def test_a_refused_by_election_keeps_what_was_typed_and_writes_nothing(world, client_for, role, changes, message):
    response = client_for(role).post(ELECT_URL, election(world, **changes))
    page = response.content.decode()
    assert response.status_code == 200 and message in page and "乌兰" in page
    assert not Person.objects.filter(name="乌兰").exists()
    assert not DeputyEvent.objects.exists()


def test_a_countys_staff_by_elect_in_their_county(world, client_for):
    data = election(world, term=world.county_term.pk, delegation="", constituency="新华镇选区")
    assert client_for("county_staff").post(ELECT_URL, data).status_code == 302
    assert Deputy.objects.get(person__name="乌兰").congress == world.county_a


# ---------------------------------------------------------------- metrics


def test_metrics_count_by_elections_and_ended_mandates_with_their_records(world):
    from renda.reports.metrics import Period, Scope, compute, get

    p = person(world.admin, "补选甲")
    event = roster.elect(staff(world), person=p, term=world.term, date=date(2020, 3, 1), reference="补选")
    roster.record_event(staff(world), world.county_deputy, Kind.RECALL, date(2020, 8, 1), "罢免决定")
    city_2020 = Scope(world.city, Period.year(2020))
    tree_2020 = Scope(world.city, Period.year(2020), include_lower=True)
    assert compute("deputies.by_elections", city_2020).value == 1
    assert compute("deputies.mandates_ended", city_2020).value == 0
    assert compute("deputies.mandates_ended", tree_2020).value == 1
    # the ended deputy of the test world ended in 2019 through core, without an event: counted
    assert compute("deputies.mandates_ended", Scope(world.city, Period.year(2019))).value == 1
    assert "on=2020-03-01" in get("deputies.by_elections").url(event)
