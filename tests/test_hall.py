"""Voting in the hall (issue 14 items 3–4): quorum before any vote on an agenda item (the
console and the case's own transition, through ballots.ballot_opening), a closed vote takes no
ballot, the pass rule of each kind of item against its arithmetic (hypothesis), only the roll
votes, a secret ballot's choices on no hall page nor the staff's API, the event stream."""

import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from factories import add_samples, build_world
from renda.ballots import services as ballots
from renda.ballots.models import Ballot
from renda.ballots.rules_of_vote import ABSTAIN, AGAINST, FOR
from renda.meetings import hall, services
from renda.workflow import registry
from renda.workflow.engine import perform

pytestmark = pytest.mark.django_db

# the sitting acts that open a vote, and the sample case each starts from
OPENERS = {
    "bill.open_vote": "bill_ready",
    "resolution.open_vote": "resolution_scheduled",
    "work_report.open_vote": "work_report_deliberated",
    "appointment_batch.open_votes": "appointment_batch_examined",
}


@pytest.fixture
def world(db):
    return add_samples(build_world())


def _item(world, name):
    type_key, transition = name.split(".")
    case = world.samples[OPENERS[name]]
    sitting = getattr(case, "sitting", None) or world.samples["sitting"]  # a case bound to its sitting
    return services.add_item(sitting, case, transition, world.admin)


def _all_present(world, sitting):
    for person in services.roll(sitting):
        services.record_attendance(sitting, person, "present", world.admin)


def _data(item):
    fields = registry.get(item.case_type).transition(item.transition).fields
    return {"kind": "secret"} if "kind" in fields else {}


def test_every_opening_sitting_act_declares_how_it_closes(world):
    declared = {f"{ct.key}.{t.key}" for ct, t in services.sitting_transitions()}
    votes = set(hall.sitting_votes())
    assert set(OPENERS) <= votes <= declared
    # the other supervision items put to a satisfaction vote share the work report's (cases.loop()):
    # the same effects open and count it, so the work report's sample stands for them
    report = registry.get("work_report").transition("open_vote")
    for name in votes - set(OPENERS):
        type_key, key = name.split(".")
        assert type_key in ("law_inspection", "investigation", "inquiry")
        assert registry.get(type_key).transition(key).effect is report.effect
    for name, vote in hall.sitting_votes().items():
        case_type = registry.get(name.split(".")[0])
        assert case_type.transition(vote.close)  # a real transition of the case type


def test_quorum_is_needed_to_open_from_the_console(world):
    item = _item(world, "resolution.open_vote")
    staff = world.users["staff"]
    with pytest.raises(ValidationError, match="法定人数"):
        hall.open_vote(item, staff, {"kind": "secret"})
    assert not hall.ballots_of(item).exists()
    roll = services.roll(item.sitting)
    half = len(roll) // 2  # exactly half present: not more than half
    for person in roll[:half]:
        services.record_attendance(item.sitting, person, "present", world.admin)
    with pytest.raises(ValidationError, match="法定人数"):
        hall.open_vote(item, staff, {"kind": "secret"})
    _all_present(world, item.sitting)
    hall.open_vote(item, staff, {"kind": "secret"})
    ballot = hall.ballots_of(item).get()
    assert ballot.state == Ballot.State.OPEN
    present = set(ballot.voters.filter(present=True).values_list("person", flat=True))
    assert present == {p.pk for p in roll}  # the members recorded present, marked on the ballot


def test_quorum_is_needed_from_the_case_page_too(world, client_for):
    item = _item(world, "resolution.open_vote")
    case = world.samples["resolution_scheduled"]
    with pytest.raises(ValidationError, match="法定人数"):  # the engine: what the case page performs
        perform(case, "open_vote", world.users["staff"], {"kind": "named"})
    case.refresh_from_db()
    assert case.state == "scheduled" and not hall.ballots_of(item).exists()
    _all_present(world, item.sitting)
    perform(case, "open_vote", world.users["staff"], {"kind": "named"})
    assert hall.ballots_of(item).get().state == Ballot.State.OPEN


def test_a_closed_vote_takes_no_ballot_and_only_the_roll_votes(world):
    item = _item(world, "resolution.open_vote")
    _all_present(world, item.sitting)
    staff = world.users["staff"]
    hall.open_vote(item, staff, {"kind": "named"})
    ballot = hall.ballots_of(item).get()
    yes = ballot.options.get(position=FOR)
    with pytest.raises(PermissionDenied):  # staff are not on the roll
        ballots.cast(ballot, staff, [yes], idempotency_key="k-staff")
    with pytest.raises(PermissionDenied):
        ballots.cast(ballot, world.users["deputy"], [yes], idempotency_key="k-deputy")
    voters = list(ballot.voters.select_related("user"))
    ballots.cast(ballot, voters[0].user, [yes], idempotency_key="k0")
    hall.close_vote(item, staff)
    ballot.refresh_from_db()
    assert ballot.state == Ballot.State.CLOSED
    with pytest.raises(ValidationError, match="表决已结束"):
        ballots.cast(ballot, voters[1].user, [yes], idempotency_key="k1")
    assert ballots.tally(ballot).cast == 1


def _expected(ballot, yes, no, abstain) -> bool:
    eligible, cast = ballot.voters.count(), yes + no + abstain
    if ballot.rule == "majority_of_all":
        return 2 * yes > eligible
    if ballot.rule == "majority_of_cast":
        share = ballot.rule_params["threshold"]
        return 2 * yes > cast if share == 50 else cast > 0 and 100 * yes >= share * cast
    raise AssertionError(f"no arithmetic for {ballot.rule}")


@pytest.mark.parametrize("name", sorted(OPENERS))
def test_pass_rule_of_each_kind_of_item(world, name):
    """Open the item's vote through the hall; then, for generated counts, a ballot like it (its
    rule, parameters, options, kind and roll) is cast through services.cast, closed and counted:
    the outcome is the rule's arithmetic."""
    item = _item(world, name)
    _all_present(world, item.sitting)
    staff = world.users["staff"]
    hall.open_vote(item, staff, _data(item))
    opened = hall.ballots_of(item).filter(state=Ballot.State.OPEN).get()
    options = list(opened.options.order_by("order"))
    by_position = {p: next((o for o in options if o.position == p), None) for p in (FOR, AGAINST, ABSTAIN)}
    roll = [dict(user=v.user, person=v.person) for v in opened.voters.select_related("user", "person")]
    n = len(roll)
    can_abstain = by_position[ABSTAIN] is not None

    @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
    @given(
        st.integers(0, n).flatmap(
            lambda yes: st.integers(0, n - yes).flatmap(
                lambda no: st.tuples(st.just(yes), st.just(no), st.integers(0, (n - yes - no) if can_abstain else 0))
            )
        )
    )
    def check(counts):
        yes, no, abstain = counts
        ballot = ballots.create_ballot(
            staff,
            congress=opened.congress,
            title=opened.title,
            rule=opened.rule,
            rule_params=opened.rule_params,
            voters=roll,
            kind=opened.kind,
            options=[(o.label, o.position) for o in options],
        )
        ballots.open_ballot(staff, ballot)
        mine = {o.position: o for o in ballot.options.all()}
        choices = [FOR] * yes + [AGAINST] * no + [ABSTAIN] * abstain
        for line, position in zip(roll, choices, strict=False):
            ballots.cast(ballot, line["user"], [mine[position]], idempotency_key=f"h{ballot.pk}-{line['user'].pk}")
        result = ballots.tally(ballots.close_ballot(staff, ballot))
        assert result.cast == yes + no + abstain
        assert result.outcome.passed == _expected(ballot, yes, no, abstain), result.outcome.text

    check()
    hall.close_vote(item, staff)  # and the hall closes the item's own vote
    assert not hall.ballots_of(item).filter(state=Ballot.State.OPEN).exists()


def _events(client, sitting):
    response = client.get(f"/work/meetings/{sitting.pk}/events?seconds=0")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/event-stream")
    return b"".join(response.streaming_content).decode()


def test_secret_choices_are_on_no_hall_page(world, client_for):
    item = _item(world, "resolution.open_vote")
    _all_present(world, item.sitting)
    staff = world.users["staff"]
    hall.open_vote(item, staff, {"kind": "secret"})
    ballot = hall.ballots_of(item).get()
    voters = list(ballot.voters.select_related("user", "person"))
    yes, no = ballot.options.get(position=FOR), ballot.options.get(position=AGAINST)
    ballots.cast(ballot, voters[0].user, [yes], idempotency_key="s0")
    ballots.cast(ballot, voters[1].user, [no], idempotency_key="s1")
    client = client_for("staff")
    sid = item.sitting.pk
    pages = {
        "console": client.get(f"/work/meetings/{sid}/console/").content.decode(),
        "screen": client.get(f"/work/meetings/{sid}/screen/").content.decode(),
        "live": client.get(f"/work/meetings/{sid}/live.json").content.decode(),
        "events": _events(client, item.sitting),
        "api": client.get(f"/api/ballots/{ballot.pk}").content.decode(),
    }
    live = json.loads(pages["live"])
    assert live["current"]["current"] == {
        "id": ballot.pk,
        "title": ballot.title,
        "kind": "无记名投票",
        "state": "open",
        "state_label": ballot.get_state_display(),
        "cast": 2,
        "eligible": len(voters),
        "result": "",
    }
    assert "2 / " in pages["screen"] and "已投票2人" in pages["console"]
    for where, text in pages.items():
        assert "赞成1" not in text and "反对1" not in text, where  # no count by option while open
        for v in voters[:2]:  # nor who voted how
            assert v.person.name not in text, where

    def keys(node):
        if isinstance(node, dict):
            return set(node) | {k for value in node.values() for k in keys(value)}
        if isinstance(node, list):
            return {k for value in node for k in keys(value)}
        return set()

    allowed_keys = {"sitting", "quorum", "members", "present", "needed", "met", "current", "items", "id", "order"}
    allowed_keys |= {"title", "votable", "state", "kind", "state_label", "cast", "eligible", "result"}
    assert keys(live) <= allowed_keys  # counts only: no options, no choices, no voters
    hall.close_vote(item, staff)
    live = client.get(f"/work/meetings/{sid}/live.json").json()
    result = ballots.tally(ballot).outcome.text
    assert live["current"]["current"]["result"] == result and "赞成1票，反对1票" in result
    screen = client.get(f"/work/meetings/{sid}/screen/").content.decode()
    assert result in screen
    for v in voters[:2]:  # who voted how: on no page, for nobody
        for text in (screen, json.dumps(live), _events(client, item.sitting)):
            assert v.person.name not in text


def test_the_event_stream_carries_the_count_and_members_see_it(world, client_for):
    item = _item(world, "resolution.open_vote")
    _all_present(world, item.sitting)
    hall.open_vote(item, world.users["staff"], {"kind": "named"})
    ballot = hall.ballots_of(item).get()
    voter = ballot.voters.select_related("user").first()
    ballots.cast(ballot, voter.user, [ballot.options.get(position=FOR)], idempotency_key="e0")
    body = _events(client_for("staff"), item.sitting)
    event = next(block for block in body.split("\n\n") if block.startswith("event: status"))
    data = json.loads(event.split("data: ", 1)[1])
    assert data["current"]["current"]["cast"] == ballot.voters.exclude(cast=None).count()
    # a member sees the sitting's open vote with the link to vote; the console is the staff's
    page = client_for("director").get(f"/work/meetings/{item.sitting.pk}/").content.decode()  # 周主任, on the roll
    assert "去投票" in page and f"/ballots/{ballot.pk}/" in page
    member = client_for("member")  # a member's account without a seat on this roll: no link
    assert "去投票" not in member.get(f"/work/meetings/{item.sitting.pk}/").content.decode()
    assert member.get(f"/work/meetings/{item.sitting.pk}/screen/").status_code == 200
    assert member.get(f"/work/meetings/{item.sitting.pk}/console/").status_code == 403
    assert client_for("public").get(f"/work/meetings/{item.sitting.pk}/live.json").status_code in (302, 404)
    assert client_for("deputy").get(f"/work/meetings/{item.sitting.pk}/screen/").status_code == 404


def test_console_buttons_refuse_without_quorum(world, client_for):
    item = _item(world, "resolution.open_vote")
    staff = client_for("staff")
    url = f"/work/meetings/{item.sitting.pk}/console/{item.pk}/open/"
    assert staff.get(url).status_code == 405
    response = staff.post(url, {f"i{item.pk}-kind": "secret"}, follow=True)
    assert "法定人数" in response.content.decode() and not hall.ballots_of(item).exists()
    _all_present(world, item.sitting)
    response = staff.post(url, {f"i{item.pk}-kind": "secret"}, follow=True)
    assert "已开始表决" in response.content.decode() and hall.ballots_of(item).get().state == "open"
    assert client_for("member").post(url).status_code == 403
