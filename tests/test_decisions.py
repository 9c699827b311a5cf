"""Resolutions and decisions (决议、决定, issue 13 item 5; rules.md APP-3): drafting, the sitting's
agenda (refused without a draft), the vote through the one ballot mechanism (a majority of ALL
members, not of those voting), publication with a number and the adopted text; withdrawal;
scoping (members read drafts, the public only what is published); the list's constant queries;
the metric decisions.resolutions and the summary's sentence."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from factories import PASSWORD, add_decision_samples, person
from renda.ballots import motions
from renda.ballots import services as ballots
from renda.core import services as core_services
from renda.core.models import CommitteeMember, Role
from renda.core.scoping import PUBLIC, visible
from renda.decisions import services
from renda.decisions.models import Resolution
from renda.reports import metrics, summary
from renda.workflow import documents
from renda.workflow.engine import WorkflowError, perform
from renda.workflow.links import links_of

pytestmark = pytest.mark.django_db
DAY = date(2020, 10, 9)


@pytest.fixture
def sitting(world):
    meeting = core_services.create_committee_meeting(world.admin, world.term, 23, DAY)
    world.samples["sitting"] = meeting
    return meeting


@pytest.fixture
def committee(world):
    """Nine members in all (周主任 + eight), each with an account: five make a majority of all."""
    users = [world.users["director"]]
    for n in range(8):
        p = person(world.admin, f"委员{n}")
        core_services.create_committee_member(
            world.admin,
            term=world.term,
            person=p,
            position=CommitteeMember.Position.MEMBER,
            start_date=date(2017, 1, 6),
        )
        users.append(
            core_services.create_account(
                world.admin,
                username=f"wy{n}",
                password=PASSWORD,
                display_name=f"委员{n}",
                person=p,
                roles=[dict(role=Role.MEMBER, congress=world.city)],
            )
        )
    return users


def draft(world, **extra):
    fields = dict(
        congress=world.city,
        title="关于批准2019年市本级财政决算的决议",
        kind="resolution",
        subject="final_accounts",
        proposer="市人民政府",
        draft="巴彦淖尔市第四届人民代表大会常务委员会第二十三次会议审查和批准2019年市本级财政决算。",
    )
    fields.update(extra)
    return services.create_resolution(world.users["staff"], **fields)


def vote(item, users, yes: int, no: int = 0):
    ballot = motions.ballots_about(item).get(state="open")
    options = {o.label: o for o in ballot.options.all()}
    for i, user in enumerate(users[: yes + no]):
        ballots.cast(ballot, user, [options["赞成" if i < yes else "反对"]], idempotency_key=f"t{item.pk}-{i}")
    return ballot


def adopted(world, users, **extra):
    item = draft(world, **extra)
    staff = world.users["staff"]
    perform(item, "schedule", staff, {"sitting": world.samples["sitting"].pk}, today=DAY)
    perform(item, "open_vote", staff, {"kind": "secret"}, today=DAY)
    vote(item, users, yes=5)
    perform(item, "close_vote", staff, {}, today=DAY)
    item.refresh_from_db()
    return item


def test_flow_draft_agenda_vote_publish(world, sitting, committee, client):
    staff = world.users["staff"]
    item = draft(world)
    assert item.state == "drafting"
    perform(item, "schedule", staff, {"sitting": sitting.pk}, today=DAY)
    item.refresh_from_db()
    assert (item.state, item.sitting) == ("scheduled", sitting)
    perform(item, "open_vote", staff, {"kind": "named"}, today=DAY)
    ballot = vote(item, committee, yes=6, no=1)
    assert (ballot.rule, ballot.voters.count()) == ("majority_of_all", 9)
    perform(item, "close_vote", staff, {}, today=DAY)
    item.refresh_from_db()
    assert (item.state, item.adopted_on) == ("adopted", DAY)
    perform(item, "publish", staff, {}, today=date(2020, 10, 12))
    item.refresh_from_db()
    assert item.state == "published" and item.published_on == date(2020, 10, 12)
    assert item.number == "巴人常发〔2020〕1号"
    assert "审查和批准2019年市本级财政决算" in documents.current(item, "text").text  # the draft voted on
    second = adopted(world, committee, title="关于批准2020年市本级预算调整方案的决议", subject="budget_adjustment")
    perform(second, "publish", staff, {}, today=date(2020, 10, 12))
    second.refresh_from_db()
    assert second.number == "巴人常发〔2020〕2号"
    # the public reads it, with its text; the draft stays out
    page = client.get(reverse("decisions_public:resolution", args=[item.pk]))
    assert page.status_code == 200
    body = page.content.decode()
    assert "巴人常发〔2020〕1号" in body and "审查和批准2019年市本级财政决算" in body and "2020年10月9日通过" in body
    listing = client.get(reverse("decisions_public:index")).content.decode()
    assert item.title in listing


def test_agenda_needs_a_draft_and_a_sitting_of_the_congress(world, sitting):
    staff = world.users["staff"]
    bare = draft(world, draft="")
    with pytest.raises(ValidationError) as exc:
        perform(bare, "schedule", staff, {"sitting": sitting.pk}, today=DAY)
    assert "草案" in str(exc.value)
    county_sitting = core_services.create_committee_meeting(world.admin, world.county_term, 5, DAY)
    services.add_draft(bare, "一、……", staff)
    with pytest.raises(ValidationError):  # narrowed to the congress's own sittings
        perform(bare, "schedule", staff, {"sitting": county_sitting.pk}, today=DAY)
    with pytest.raises(WorkflowError):  # not on the agenda: no vote
        perform(bare, "open_vote", staff, {"kind": "secret"}, today=DAY)
    perform(bare, "schedule", staff, {"sitting": sitting.pk}, today=date(2020, 9, 30))
    with pytest.raises(ValidationError) as exc:  # the vote is at the sitting, not before it
        perform(bare, "open_vote", staff, {"kind": "secret"}, today=date(2020, 9, 30))
    assert "会议举行时方可交付表决" in str(exc.value)


def test_a_revised_draft_is_a_new_version_until_the_vote(world, sitting):
    from django.core.files.uploadedfile import SimpleUploadedFile

    staff = world.users["staff"]
    item = draft(world)
    with pytest.raises(ValidationError):
        perform(item, "revise", staff, {}, today=DAY)
    revised = SimpleUploadedFile("修改稿.txt", "会议决定批准2019年市本级财政决算。".encode(), content_type="text/plain")
    perform(item, "revise", staff, {"note": "根据财经委意见修改"}, {"files": [revised]}, today=DAY)
    current = documents.current(item, "draft")
    assert (current.number, current.note) == (2, "根据财经委意见修改") and item.state == "drafting"
    perform(item, "schedule", staff, {"sitting": sitting.pk}, today=DAY)
    perform(item, "open_vote", staff, {"kind": "secret"}, today=DAY)
    with pytest.raises(WorkflowError):
        perform(item, "revise", staff, {}, {"files": [revised]}, today=DAY)


def test_passes_only_with_a_majority_of_all_members(world, sitting, committee):
    """Nine members: 4 for and 0 against of 4 voting is not enough (more than half of ALL is 5)."""
    staff = world.users["staff"]
    item = draft(world)
    perform(item, "schedule", staff, {"sitting": sitting.pk}, today=DAY)
    perform(item, "open_vote", staff, {"kind": "secret"}, today=DAY)
    vote(item, committee, yes=4)
    perform(item, "close_vote", staff, {}, today=DAY)
    item.refresh_from_db()
    assert item.state == "rejected" and item.adopted_on is None
    assert adopted(world, committee).state == "adopted"  # five of nine: passes


def test_withdraw_before_the_vote_with_a_note(world, sitting, committee):
    staff = world.users["staff"]
    item = draft(world)
    with pytest.raises(ValidationError):
        perform(item, "withdraw", staff, {"note": ""}, today=DAY)
    perform(item, "withdraw", staff, {"note": "提请机关申请撤回。"}, today=DAY)
    item.refresh_from_db()
    assert item.state == "withdrawn"
    voting = draft(world)
    perform(voting, "schedule", staff, {"sitting": sitting.pk}, today=DAY)
    perform(voting, "open_vote", staff, {"kind": "secret"}, today=DAY)
    with pytest.raises(WorkflowError):
        perform(voting, "withdraw", staff, {"note": "太晚了。"}, today=DAY)


def test_matter_is_linked_and_scoped(world, sitting):
    from renda.legislation import services as legislation

    staff = world.users["staff"]
    report = legislation.create_bill(
        staff, congress=world.city, title="巴彦淖尔市城市绿化条例（草案）", area="urban", drafter="市住建局"
    )
    choices = dict(services.matter_choices(staff, world.city))
    assert services.matter_choices(world.users["county_staff"], world.county_a) == []
    value = next(v for v, label in choices["法规案"] if label == report.title)
    matter = services.matter_from_choice(staff, value, world.city)
    item = draft(world, matter=matter)
    assert services.matter_of(item, staff) == report
    assert [v.phrase for v in links_of(report, staff)] == ["由…决定"]
    with pytest.raises(ValidationError):  # another congress's
        services.matter_from_choice(world.users["county_staff"], value, world.county_a)
    with pytest.raises(ValidationError):
        services.matter_from_choice(staff, "999999:1", world.city)


def test_scoping_members_read_drafts_public_only_published(world, sitting, committee, client_for, client):
    add_decision_samples(world)
    s = world.samples
    drafting, published = s["resolution_drafting"], s["resolution_published"]
    for role in ("member", "director", "staff"):
        assert drafting in visible(world.users[role], Resolution)
        assert client_for(role).get(reverse("decisions:resolution", args=[drafting.pk])).status_code == 200
    for role in ("deputy", "unit", "county_staff"):
        assert drafting not in visible(world.users[role], Resolution)
        assert client_for(role).get(reverse("decisions:resolution", args=[drafting.pk])).status_code == 404
    assert set(visible(PUBLIC, Resolution)) == {published}
    for name in ("resolution_drafting", "resolution_scheduled", "resolution_voting", "resolution_adopted"):
        assert client.get(reverse("decisions_public:resolution", args=[s[name].pk])).status_code == 404
        assert s[name].title not in client.get(reverse("decisions_public:index")).content.decode()
    # the published one: the deputy reads it without the process (no drafts, no timeline)
    page = client_for("deputy").get(reverse("decisions:resolution", args=[published.pk])).content.decode()
    assert published.title in page and "草案（第" not in page and 'data-testid="actions"' not in page
    with pytest.raises(PermissionDenied):
        services.create_resolution(
            world.users["member"], congress=world.city, title="x", kind="decision", subject="other"
        )


def test_list_constant_queries(world, sitting, committee, client_for, django_assert_max_num_queries):
    staff_client = client_for("staff")
    for n in range(3):
        adopted(world, committee, title=f"关于样例的决定{n}", kind="decision", subject="major_matter")
    with django_assert_max_num_queries(40) as few:
        assert staff_client.get(reverse("decisions:index")).status_code == 200
    for n in range(20):
        draft(world, title=f"关于更多样例的决议{n}")
    for n in range(3, 8):
        adopted(world, committee, title=f"关于样例的决定{n}", kind="decision", subject="major_matter")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert staff_client.get(reverse("decisions:index")).status_code == 200


def test_create_form_keeps_what_was_typed(world, client_for):
    staff = client_for("staff")
    response = staff.post(
        reverse("decisions:create"), {"title": "关于设立样例日的决定", "kind": "", "subject": "other"}
    )
    assert response.status_code == 422
    body = response.content.decode()
    assert "关于设立样例日的决定" in body and "errorlist" in body
    ok = staff.post(
        reverse("decisions:create"),
        {"title": "关于设立样例日的决定", "kind": "decision", "subject": "other", "draft": "一、设立样例日。"},
    )
    item = Resolution.objects.get(title="关于设立样例日的决定")
    assert ok.status_code == 302 and ok["Location"] == reverse("decisions:resolution", args=[item.pk])
    assert documents.current(item, "draft") is not None
    assert client_for("member").get(reverse("decisions:create")).status_code == 403


def figure(world, year=2020):
    return metrics.compute("decisions.resolutions", metrics.Scope(world.city, metrics.Period.year(year))).value


def test_metric_counts_adopted_by_the_day_of_the_vote(world, sitting, committee):
    assert figure(world) == 0
    item = adopted(world, committee)
    assert figure(world) == 1 and figure(world, 2021) == 0
    perform(item, "publish", world.users["staff"], {}, today=date(2021, 1, 5))
    assert figure(world) == 1  # published in January 2021, adopted in 2020
    failed = draft(world, title="关于样例的决议（未通过）")
    perform(failed, "schedule", world.users["staff"], {"sitting": sitting.pk}, today=DAY)
    perform(failed, "open_vote", world.users["staff"], {"kind": "secret"}, today=DAY)
    vote(failed, committee, yes=2, no=5)
    perform(failed, "close_vote", world.users["staff"], {}, today=DAY)
    assert figure(world) == 1  # not passed: not counted
    assert "全年作出决议决定1件" in summary.to_markdown(summary.build(world.city, 2020))


def test_shared_motion_helper(world, sitting, committee):
    """ballots/motions.py, used by the bill and the resolution: one open motion at a time about a
    record, closed and counted by the ballots; a re-vote is a new ballot on the same record."""
    item = draft(world)
    staff = world.users["staff"]
    assert motions.last_result(item) is None and motions.passed(item) is False
    with pytest.raises(ValidationError, match="没有进行中的表决"):
        motions.close_motion(staff, item)
    ballot = motions.open_motion(staff, item, title="样例表决", kind="named")
    assert (ballot.state, ballot.rule, ballot.subject) == ("open", "majority_of_all", item)
    vote(item, committee, yes=5)
    result = motions.close_motion(staff, item, publish=True)
    ballot.refresh_from_db()
    assert result.outcome.passed and ballot.published and motions.passed(item)
    motions.open_motion(staff, item, title="样例再次表决", kind="secret")
    motions.close_motion(staff, item)  # nobody voted the second time
    assert motions.ballots_about(item).count() == 2 and motions.passed(item) is False
