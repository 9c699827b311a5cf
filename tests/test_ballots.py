"""Ballots: the pass rules (property tests), the database's guarantees (one ballot per
voter, append-only, secret papers unlinkable), the services' checks, concurrency, the API."""

from __future__ import annotations

import json
import threading
import time
from itertools import count

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, OperationalError, connection, transaction
from django.db.models import ForeignKey
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from renda.ballots import rules_of_vote, sealing, services
from renda.ballots.models import Ballot, Cast, NamedChoice, SealedPaper, SecretChoice, Voter
from renda.ballots.rules_of_vote import ABSTAIN, AGAINST, FOR, PASS_RULES, Counts
from renda.core.models import User
from renda.core.scoping import allowed, visible

PURE = settings(max_examples=300, deadline=None)
WITH_DB = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
KEYS = count(1)


# ---------------------------------------------------------------- pass rules (no database)

MOTION_OPTIONS = {1: FOR, 2: AGAINST, 3: ABSTAIN}


@st.composite
def motion_counts(draw):
    eligible = draw(st.integers(1, 200))
    yes = draw(st.integers(0, eligible))
    no = draw(st.integers(0, eligible - yes))
    abstain = draw(st.integers(0, eligible - yes - no))
    cast = yes + no + abstain
    present = draw(st.integers(cast, eligible))
    return Counts(eligible, present, cast, {1: yes, 2: no, 3: abstain}, MOTION_OPTIONS)


def with_one_more_for(c: Counts, source: str) -> Counts | None:
    """The same ballot with one voter more for: from against, from abstain, or a non-voter."""
    votes = dict(c.votes)
    cast, present = c.cast, c.present
    if source == "against" and votes[2]:
        votes[2] -= 1
    elif source == "abstain" and votes[3]:
        votes[3] -= 1
    elif source == "absent" and cast < c.eligible:
        cast += 1
        present = max(present, cast)
    else:
        return None
    votes[1] += 1
    return Counts(c.eligible, present, cast, votes, c.positions)


@PURE
@given(motion_counts())
def test_majority_of_all_passes_iff_more_than_half_of_all(c):
    assert PASS_RULES["majority_of_all"](c).passed is (2 * c.votes[1] > c.eligible)


@PURE
@given(motion_counts())
def test_two_thirds_includes_two_thirds_and_implies_a_majority(c):
    two_thirds = PASS_RULES["two_thirds_of_all"](c).passed
    assert two_thirds is (3 * c.votes[1] >= 2 * c.eligible)
    if two_thirds and c.eligible > 1:
        assert PASS_RULES["majority_of_all"](c).passed


@PURE
@given(motion_counts())
def test_majority_of_present_needs_a_quorum(c):
    passed = PASS_RULES["majority_of_present"](c).passed
    assert passed is (2 * c.present > c.eligible and 2 * c.votes[1] > c.present)


@PURE
@given(motion_counts(), st.sampled_from(["against", "abstain", "absent"]))
def test_one_more_for_never_turns_a_pass_into_a_fail(c, source):
    more = with_one_more_for(c, source)
    if more is None:
        return
    for key, rule in PASS_RULES.items():
        if rule.mode == rules_of_vote.MOTION and rule(c).passed:
            # the quorum may only grow, the base of majority_of_cast by one with a new "for"
            assert rule(more).passed, key


def test_known_motion_figures():
    c = Counts(eligible=37, present=30, cast=30, votes={1: 19, 2: 8, 3: 3}, positions=MOTION_OPTIONS)
    assert PASS_RULES["majority_of_all"](c).passed  # 19 > 18.5
    assert not PASS_RULES["two_thirds_of_all"](c).passed  # 19 < 24.67
    assert "赞成19票，反对8票，弃权3票；全体组成人员37人，通过。" == PASS_RULES["majority_of_all"](c).text
    c = Counts(eligible=36, present=30, cast=30, votes={1: 18, 2: 9, 3: 3}, positions=MOTION_OPTIONS)
    assert not PASS_RULES["majority_of_all"](c).passed  # exactly half is not a majority
    c = Counts(eligible=36, present=30, cast=30, votes={1: 24, 2: 6, 3: 0}, positions=MOTION_OPTIONS)
    assert PASS_RULES["two_thirds_of_all"](c).passed  # 以上 includes 24 = 2/3 of 36


@st.composite
def choice_counts(draw):
    m = draw(st.integers(1, 12))
    seats = draw(st.integers(1, m))
    eligible = draw(st.integers(1, 60))
    cast = draw(st.integers(0, eligible))
    # each option gets at most one vote per paper; small values make ties frequent
    votes = {o: draw(st.integers(0, cast)) for o in range(1, m + 1)}
    present = draw(st.integers(cast, eligible))
    return Counts(eligible, present, cast, votes, {o: "" for o in votes}, seats)


@PURE
@given(choice_counts(), st.sampled_from(["cast", "eligible", "present", "none"]), st.sampled_from(["runoff", "none"]))
def test_n_of_m_elects_at_most_n_above_the_threshold_and_declares_ties(c, base, tie):
    out = PASS_RULES["n_of_m"](c, {"base": base, "tie": tie})
    quota = {"cast": c.cast, "eligible": c.eligible, "present": c.present, "none": 0}[base]
    elected, tied = set(out.elected), set(out.tied)
    assert len(elected) <= c.seats
    assert all(2 * c.votes[o] > quota and c.votes[o] > 0 for o in elected | tied)
    assert not elected & tied
    losers = [o for o in c.votes if o not in elected]
    # nobody elected has fewer votes than someone left out who also reached the threshold
    qualified_losers = [o for o in losers if 2 * c.votes[o] > quota and c.votes[o] > 0]
    for o in elected:
        assert all(c.votes[o] > c.votes[x] for x in qualified_losers)
    if tied:
        assert len({c.votes[o] for o in tied}) == 1  # tied: the same votes, at the last seat
        assert len(elected) + len(tied) > c.seats
        assert out.runoff_seats == (c.seats - len(elected) if tie == "runoff" else 0)
    else:
        assert out.runoff_seats == 0
        # no tie at the boundary: every qualified option is elected while seats remain
        assert len(elected) == min(c.seats, len(elected) + len(qualified_losers))


def test_n_of_m_tie_rules_on_an_example():
    votes = {1: 40, 2: 35, 3: 30, 4: 30, 5: 10}
    c = Counts(60, 60, 60, votes, {o: "" for o in votes}, seats=3, labels={3: "项目丙", 4: "项目丁"})
    runoff = PASS_RULES["n_of_m"](c, {"base": "cast", "tie": "runoff"})
    assert runoff.elected == (1, 2) and runoff.tied == () and runoff.runoff_seats == 0  # 30 is not > 60/2
    c = Counts(50, 50, 50, votes, {o: "" for o in votes}, seats=3, labels={3: "项目丙", 4: "项目丁"})
    runoff = PASS_RULES["n_of_m"](c, {"base": "cast", "tie": "runoff"})
    assert runoff.elected == (1, 2) and runoff.tied == (3, 4) and runoff.runoff_seats == 1
    assert "项目丙、项目丁得票相同（各30票），须就剩余1个名额另行表决。" in runoff.text
    none = PASS_RULES["n_of_m"](c, {"base": "cast", "tie": "none"})
    assert none.elected == (1, 2) and none.tied == (3, 4) and none.runoff_seats == 0
    assert "按规定均不当选" in none.text
    plurality = PASS_RULES["plurality"](Counts(9, 9, 9, {1: 4, 2: 4, 3: 1}, {1: "", 2: "", 3: ""}, seats=1))
    assert plurality.elected == () and plurality.tied == (1, 2) and plurality.runoff_seats == 1


def test_every_rule_states_its_citation_and_refuses_unknown_parameters():
    for rule in PASS_RULES.values():
        assert rule.citation and rule.label
    with pytest.raises(ValidationError, match="没有参数"):
        PASS_RULES["majority_of_all"].clean({"tie": "none"})
    with pytest.raises(ValidationError, match="取值无效"):
        PASS_RULES["n_of_m"].clean({"base": "half"})
    with pytest.raises(ValidationError, match="未声明的表决规则"):
        rules_of_vote.get("unanimity")


# ---------------------------------------------------------------- services and the database


def make_users(n: int, prefix: str = "v") -> list[User]:
    return [User.objects.create(username=f"{prefix}{next(KEYS)}") for _ in range(n)]


def open_ballot(world, voters, *, rule="majority_of_all", kind="secret", **extra) -> Ballot:
    ballot = services.create_ballot(
        world.users["staff"], congress=world.city, title="关于任命某某为市教育局局长的表决", rule=rule,
        voters=voters, kind=kind, **extra,
    )  # fmt: skip
    return services.open_ballot(world.users["staff"], ballot)


def option(ballot, label) -> int:
    return ballot.options.get(label=label).pk


def vote(ballot, user, *labels, key=None):
    return services.cast(ballot, user, [option(ballot, x) for x in labels], idempotency_key=key or f"k{next(KEYS)}")


@pytest.mark.django_db
def test_a_motion_from_creation_to_result(world):
    voters = make_users(5)
    ballot = open_ballot(world, voters)
    assert [o.label for o in ballot.options.all()] == ["赞成", "反对", "弃权"]
    vote(ballot, voters[0], "赞成")
    vote(ballot, voters[1], "赞成")
    vote(ballot, voters[2], "反对")
    vote(ballot, voters[3], "弃权")
    with pytest.raises(ValidationError, match="尚未结束"):
        services.tally(ballot)
    services.close_ballot(world.users["staff"], ballot)
    result = services.tally(ballot)
    assert (result.eligible, result.cast, result.papers, result.present) == (5, 4, 4, 4)
    assert result.totals == {"for": 2, "against": 1, "abstain": 1}
    assert result.outcome.passed is False  # 2 of 5 is not a majority of all
    assert result.consistent


@pytest.mark.django_db
def test_the_database_refuses_a_second_ballot_by_the_same_voter(world):
    voters = make_users(2)
    ballot = open_ballot(world, voters)
    vote(ballot, voters[0], "赞成", key="first")
    voter = Voter.objects.get(ballot=ballot, user=voters[0])
    with pytest.raises(IntegrityError), transaction.atomic():
        Cast.objects.create(voter=voter, idempotency_key="direct")
    with pytest.raises(services.AlreadyVoted, match="您已投票"):
        vote(ballot, voters[0], "反对", key="second")
    receipt = vote(ballot, voters[0], "赞成", key="first")  # a retry of the first request
    assert receipt.replayed and receipt.choices is None  # secret: the choice is not kept with the voter
    assert Cast.objects.filter(voter__ballot=ballot).count() == 1
    assert SealedPaper.objects.filter(ballot=ballot).count() == 1  # sealed in the box until the close
    assert not SecretChoice.objects.filter(ballot=ballot).exists()


@pytest.mark.django_db
def test_a_secret_papers_cannot_be_joined_to_voters(world):
    fields = {f.name: f for f in SecretChoice._meta.get_fields()}
    assert set(fields) == {"id", "ballot", "paper", "option"}
    assert not any(isinstance(f, ForeignKey) and f.related_model in (Voter, Cast, User) for f in fields.values())
    columns = {
        c.name for c in connection.introspection.get_table_description(connection.cursor(), "ballots_secretchoice")
    }
    assert columns == {"id", "ballot_id", "paper", "option_id"}
    box = {c.name for c in connection.introspection.get_table_description(connection.cursor(), "ballots_sealedpaper")}
    assert box == {"id", "ballot_id", "sealed"}
    voters = make_users(30)
    ballot = open_ballot(world, voters)
    for i, user in enumerate(voters):
        vote(ballot, user, ["赞成", "反对", "弃权"][i % 3])

    def stored_in_key_order(table):
        # the id is the rowid: rows are stored in random order, no hidden insertion counter
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT rowid, id FROM {table} WHERE ballot_id = %s", [ballot.pk])
            rows = cursor.fetchall()
        assert len(rows) == 30 and all(rowid == pk for rowid, pk in rows)
        assert [pk for _, pk in rows] == sorted(pk for _, pk in rows)  # storage order is key order

    if connection.vendor == "sqlite":
        stored_in_key_order("ballots_sealedpaper")
    services.close_ballot(world.users["staff"], ballot)
    if connection.vendor == "sqlite":
        stored_in_key_order("ballots_secretchoice")
    assert not SealedPaper.objects.filter(ballot=ballot).exists()  # the box is emptied at the close
    assert services.tally(ballot).totals == {"for": 10, "against": 10, "abstain": 10}
    # nobody may read the papers, and who voted how is nobody's for a secret ballot
    assert not visible(world.users["admin"], SecretChoice).exists()
    assert not allowed(world.users["director"], "view_votes", ballot)
    with pytest.raises(PermissionDenied):
        services.named_votes(ballot)


@pytest.mark.django_db
def test_cast_ballots_are_append_only(world):
    voters = make_users(1)
    ballot = open_ballot(world, voters, kind="named")
    vote(ballot, voters[0], "赞成")
    secret = open_ballot(world, voters, kind="secret")
    vote(secret, voters[0], "反对")
    services.close_ballot(world.users["staff"], secret)
    record = Cast.objects.get(voter__ballot=ballot)
    choice = NamedChoice.objects.get(ballot=ballot)
    with pytest.raises(PermissionError):
        record.save()
    with pytest.raises(PermissionError):
        choice.delete()
    for table in ("ballots_cast", "ballots_namedchoice", "ballots_secretchoice"):
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            column = "idempotency_key" if table == "ballots_cast" else "ballot_id"
            cursor.execute(f"UPDATE {table} SET {column} = {column}")
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {table}")
    assert NamedChoice.objects.filter(ballot=ballot).count() == 1
    assert Cast.objects.count() == 2 and SecretChoice.objects.count() == 1


@pytest.mark.django_db
def test_refusals_are_in_chinese(world):
    voters = make_users(2)
    draft = services.create_ballot(
        world.users["staff"], congress=world.city, title="民生实事项目票决", rule="n_of_m", voters=voters,
        options=["项目甲", "项目乙", "项目丙"], max_choices=2, rule_params={"abstention": False},
    )  # fmt: skip
    with pytest.raises(ValidationError, match="尚未开始"):
        vote(draft, voters[0], "项目甲")
    ballot = services.open_ballot(world.users["staff"], draft)
    with pytest.raises(PermissionDenied, match="不是本次表决的投票人"):
        vote(ballot, world.users["deputy"], "项目甲")
    with pytest.raises(ValidationError, match="最多只能选择2项"):
        vote(ballot, voters[0], "项目甲", "项目乙", "项目丙")
    with pytest.raises(ValidationError, match="不允许弃权"):
        vote(ballot, voters[0])
    with pytest.raises(ValidationError, match="不能重复选择"):
        services.cast(ballot, voters[0], [option(ballot, "项目甲")] * 2, idempotency_key="dup")
    with pytest.raises(ValidationError, match="不属于本次表决"):
        services.cast(ballot, voters[0], [999999], idempotency_key="alien")
    with pytest.raises(ValidationError, match="不属于本次表决"):  # True == 1, but it names no option
        services.cast(ballot, voters[0], [True], idempotency_key="boolean")
    with pytest.raises(ValidationError, match="幂等键"):
        services.cast(ballot, voters[0], [option(ballot, "项目甲")], idempotency_key="")
    assert not Cast.objects.filter(voter__ballot=ballot).exists()  # nothing was cast by the refusals
    services.close_ballot(world.users["staff"], ballot)
    with pytest.raises(ValidationError, match="已结束"):
        vote(ballot, voters[1], "项目甲")
    with pytest.raises(PermissionDenied):
        services.create_ballot(
            world.users["deputy"], congress=world.city, title="x", rule="plurality", voters=voters, options=["a"]
        )
    with pytest.raises(PermissionDenied):  # county staff do not manage the city's ballots
        services.open_ballot(world.users["county_staff"], ballot)
    with pytest.raises(ValidationError, match="不能为空"):
        services.create_ballot(world.users["staff"], congress=world.city, title="x", rule="majority_of_all", voters=[])
    with pytest.raises(ValidationError, match="最多选择的项数"):
        services.create_ballot(
            world.users["staff"],
            congress=world.city,
            title="x",
            rule="n_of_m",
            voters=voters,
            options=["a"],
            max_choices=2,
        )
    with pytest.raises(ValidationError, match="不允许弃权"):
        services.create_ballot(
            world.users["staff"], congress=world.city, title="x", rule="majority_of_all", voters=voters,
            options=services.MOTION_OPTIONS, rule_params={"abstention": False},
        )  # fmt: skip


@pytest.mark.django_db
def test_the_state_moves_only_through_the_services(world):
    from renda.ballots.models import StateChangeOutsideService

    ballot = open_ballot(world, make_users(1))
    ballot.state = Ballot.State.CLOSED
    with pytest.raises(StateChangeOutsideService):
        ballot.save()
    with pytest.raises(ValidationError, match="不能再次开始"):
        services.open_ballot(world.users["staff"], Ballot.objects.get(pk=ballot.pk))


@pytest.mark.django_db
def test_tally_equals_the_counts_of_random_casts(world):
    voters = make_users(12)
    labels = ["甲", "乙", "丙", "丁", "戊"]

    @WITH_DB
    @given(
        kind=st.sampled_from(["secret", "named"]),
        seats=st.integers(1, 3),
        papers=st.lists(st.sets(st.sampled_from(labels), max_size=3), max_size=12),
    )
    def check(kind, seats, papers):
        papers = [p for p in papers if len(p) <= seats]
        ballot = open_ballot(world, voters, rule="n_of_m", kind=kind, options=labels, max_choices=seats)
        for user, paper in zip(voters, papers):
            vote(ballot, user, *sorted(paper))
        services.close_ballot(world.users["staff"], ballot)
        result = services.tally(ballot)
        expected = {x: sum(x in p for p in papers) for x in labels}
        assert {o.label: o.votes for o in result.options} == expected
        assert (result.cast, result.papers, result.blank) == (len(papers), len(papers), sum(not p for p in papers))
        assert result.eligible == 12 and result.consistent
        assert len(result.outcome.elected) <= seats
        assert all(2 * expected[o.label] > len(papers) for o in result.options if o.elected)

    check()


@pytest.mark.django_db
def test_a_satisfaction_vote_and_those_present(world):
    voters = make_users(6)
    ballot = open_ballot(world, voters, rule="majority_of_cast", options=services.SATISFACTION_OPTIONS, kind="named")
    services.mark_present(world.users["staff"], ballot, voters[:5])
    for user, label in zip(voters, ["满意", "基本满意", "不满意", "不满意"]):
        vote(ballot, user, label)
    services.close_ballot(world.users["staff"], ballot)
    result = services.tally(ballot)
    assert {o.label: o.votes for o in result.options} == {"满意": 1, "基本满意": 1, "不满意": 2, "弃权": 0}
    assert result.outcome.passed is False  # 2 satisfied of 4 is not more than half
    assert result.present == 5
    votes = dict((str(v.user), [o.label for o in chosen]) for v, chosen in services.named_votes(ballot))
    assert votes[str(voters[2])] == ["不满意"] and votes[str(voters[5])] == []


@pytest.mark.django_db
def test_rolls_of_the_committee_and_of_deputies(world):
    roll = services.committee_roll(world.city)
    assert [line["user"].username for line in roll] == ["director"]
    roll = services.deputy_roll(world.term)
    assert sorted(line["user"].username for line in roll) == ["deputy", "other_deputy"]
    world.users["deputy"].roles.all().delete()
    with pytest.raises(ValidationError, match="王代表"):
        services.deputy_roll(world.term)


@pytest.mark.django_db(transaction=True)
def test_two_casts_by_the_same_voter_at_once_make_one_ballot():
    from factories import build_world

    world = build_world()
    voters = make_users(3)
    ballot = open_ballot(world, voters)
    yes, no = option(ballot, "赞成"), option(ballot, "反对")
    barrier = threading.Barrier(2)
    outcomes = []

    def attempt(choice, key):
        barrier.wait()
        try:
            for _ in range(200):
                try:
                    receipt = services.cast(ballot, voters[0], [choice], idempotency_key=key)
                    outcomes.append("replayed" if receipt.replayed else "cast")
                    return
                except OperationalError as exc:
                    # The test's in-memory SQLite (shared cache) refuses a second writer at once
                    # where the file database waits (busy_timeout): wait here the same way.
                    if "locked" not in str(exc):
                        raise
                    time.sleep(0.01)
        except services.AlreadyVoted:
            outcomes.append("already")
        finally:
            connection.close()

    for key in (("same", "same"), ("one", "two")):
        threads = [threading.Thread(target=attempt, args=(c, k)) for c, k in zip((yes, no), key)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert sorted(outcomes[:2]) == ["cast", "replayed"]  # the same key twice: one cast, one replay
    assert outcomes[2:] == ["already", "already"]  # the voter had already voted
    assert Cast.objects.filter(voter__ballot=ballot).count() == 1
    assert SealedPaper.objects.filter(ballot=ballot).count() == 1


@pytest.mark.django_db(transaction=True)
def test_casts_racing_the_close_are_all_in_the_count_or_refused():
    """A cast commits its sealed paper before the close reads the box, or sees the ballot closed."""
    from factories import build_world

    world = build_world()
    voters = make_users(8)
    ballot = open_ballot(world, voters)
    yes = option(ballot, "赞成")
    barrier = threading.Barrier(len(voters) + 1)
    outcomes = []

    def retrying(action):
        for _ in range(500):
            try:
                return action()
            except OperationalError as exc:  # the in-memory SQLite's second writer (see above)
                if "locked" not in str(exc):
                    raise
                time.sleep(0.005)
        raise AssertionError("the database stayed locked")

    def attempt(user):
        barrier.wait()
        try:
            retrying(lambda: services.cast(ballot, user, [yes], idempotency_key=f"race-{user.pk}"))
            outcomes.append("cast")
        except ValidationError:
            outcomes.append("closed")
        finally:
            connection.close()

    def close():
        barrier.wait()
        try:
            retrying(lambda: services.close_ballot(world.users["staff"], ballot))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(u,)) for u in voters] + [threading.Thread(target=close)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result = services.tally(ballot)
    assert len(outcomes) == 8 and result.cast == outcomes.count("cast")
    assert result.consistent and result.totals["for"] == result.cast  # every committed cast's paper is counted
    assert not SealedPaper.objects.filter(ballot=ballot).exists()


# ---------------------------------------------------------------- the ballot box (sealed papers)


def box(ballot) -> list[bytes]:
    return [bytes(b) for b in SealedPaper.objects.filter(ballot=ballot).values_list("sealed", flat=True)]


@pytest.mark.django_db
def test_the_ballot_box_holds_no_readable_choice(world):
    voters = make_users(4)
    ballot = open_ballot(world, voters, rule="n_of_m", options=["项目甲", "项目乙", "项目丙"], max_choices=2)
    other = open_ballot(world, voters)
    picks = [("项目甲",), ("项目甲",), ("项目乙", "项目丙"), ()]
    for user, paper in zip(voters, picks):
        vote(ballot, user, *paper)
    sealed = box(ballot)
    assert len(sealed) == 4 and not SecretChoice.objects.filter(ballot=ballot).exists()
    assert len(set(sealed)) == 4  # the same choice twice is sealed differently (random nonce)
    assert len({len(b) for b in sealed}) == 1  # a blank or a one-choice paper looks like a full one
    # the ids as the paper encodes them (8-byte slots) are nowhere in the stored bytes
    for pk in ballot.options.values_list("pk", flat=True):
        assert not any(sealing.SLOT.pack(pk) in b for b in sealed)
    # another ballot's key, or another secret, opens nothing
    for opener in (sealing.Opener(other.pk), sealing.Opener(ballot.pk, ["another-secret"])):
        for b in sealed:
            with pytest.raises(sealing.Unreadable):
                opener.open(b)
    # while only the ballot's own key opens each paper to what was chosen
    by_label = {o.pk: o.label for o in ballot.options.all()}
    opened = sorted(tuple(by_label[i] for i in sealing.Opener(ballot.pk).open(b)) for b in sealed)
    assert opened == sorted(picks)
    services.close_ballot(world.users["staff"], ballot)
    assert box(ballot) == [] and {o.label: o.votes for o in services.tally(ballot).options} == {
        "项目甲": 2, "项目乙": 1, "项目丙": 1
    }  # fmt: skip
    assert services.tally(ballot).blank == 1


@pytest.mark.django_db
def test_a_box_sealed_under_another_key_keeps_the_ballot_open(world, settings):
    voters = make_users(2)
    settings.RENDA_BALLOT_KEY = "the-key-of-the-sitting"
    ballot = open_ballot(world, voters)
    vote(ballot, voters[0], "赞成")
    settings.RENDA_BALLOT_KEY = "a-new-key"
    with pytest.raises(ValidationError, match="无法解封.*表决未结束"):
        services.close_ballot(world.users["staff"], ballot)
    assert Ballot.objects.get(pk=ballot.pk).state == Ballot.State.OPEN and len(box(ballot)) == 1
    vote(ballot, voters[1], "反对")  # sealed under the new key
    settings.RENDA_BALLOT_KEY_FALLBACKS = ["the-key-of-the-sitting"]  # the old key still opens
    services.close_ballot(world.users["staff"], ballot)
    assert services.tally(ballot).totals == {"for": 1, "against": 1, "abstain": 0}


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_nothing_links_a_voter_to_a_choice_after_the_close():
    """xmin (the inserting transaction) and ctid (the heap order) are readable with
    plain SELECT rights: the choices must carry the close's, not their voters'."""
    if connection.vendor != "postgresql":
        pytest.skip("xmin and ctid are PostgreSQL's: run with DATABASE_URL=postgres://…")
    from factories import build_world

    world = build_world()
    voters = make_users(10)
    labels = [f"项目{i}" for i in range(10)]
    ballot = open_ballot(world, voters, rule="n_of_m", options=labels)
    for user, label in zip(voters, labels):  # each voter a choice of their own: the heap order would show it
        vote(ballot, user, label)

    def rows(sql):
        with connection.cursor() as cursor:
            cursor.execute(sql, [ballot.pk])
            return cursor.fetchall()

    casts = (
        "SELECT ca.xmin::text FROM ballots_cast ca JOIN ballots_voter v ON v.id = ca.voter_id WHERE v.ballot_id = %s"
    )
    cast_xmins = {x for (x,) in rows(casts)}
    assert len(cast_xmins) == 10
    # while open, each sealed paper shares its voter's xmin: the link exists, to a sealed paper only
    sealed_xmins = [x for (x,) in rows("SELECT xmin::text FROM ballots_sealedpaper WHERE ballot_id = %s")]
    assert sorted(sealed_xmins) == sorted(cast_xmins)
    services.close_ballot(world.users["staff"], ballot)
    choice_xmins = {x for (x,) in rows("SELECT xmin::text FROM ballots_secretchoice WHERE ballot_id = %s")}
    assert len(choice_xmins) == 1 and not choice_xmins & cast_xmins  # all the close's, none a voter's
    linked = rows(
        """SELECT v.user_id, sc.option_id FROM ballots_cast ca JOIN ballots_voter v ON v.id = ca.voter_id
           JOIN ballots_secretchoice sc ON sc.xmin = ca.xmin WHERE v.ballot_id = %s"""
    )
    assert linked == []
    assert rows("SELECT id FROM ballots_sealedpaper WHERE ballot_id = %s") == []
    # the heap order of the choices is a shuffle, not the order of the casts (a false alarm once in 10! runs)
    by_label = dict(ballot.options.values_list("pk", "label"))
    stored = [
        by_label[o] for (o,) in rows("SELECT option_id FROM ballots_secretchoice WHERE ballot_id = %s ORDER BY ctid")
    ]
    assert sorted(stored) == sorted(labels) and stored != labels
    assert {o.label: o.votes for o in services.tally(ballot).options} == dict.fromkeys(labels, 1)


# ---------------------------------------------------------------- scoping and the API


@pytest.fixture
def hall(world):
    """An open named ballot of the city's deputies, and a closed secret one."""
    roll = services.deputy_roll(world.term)
    named = open_ballot(world, roll, rule="n_of_m", kind="named", options=["项目甲", "项目乙", "项目丙"], max_choices=2)
    secret = open_ballot(world, roll)
    vote(secret, world.users["deputy"], "赞成")
    services.close_ballot(world.users["staff"], secret)
    return named, secret


def post_vote(client, ballot, choices, key="k-1"):
    return client.post(
        f"/api/ballots/{ballot.pk}/votes", json.dumps({"choices": choices}), content_type="application/json",
        headers={"Idempotency-Key": key} if key else {},
    )  # fmt: skip


@pytest.mark.django_db
def test_api_vote_with_idempotency(world, client_for, hall):
    named, _ = hall
    deputy = client_for("deputy")
    body = deputy.get(f"/api/ballots/{named.pk}").json()
    assert body["me"] == {"eligible": True, "has_voted": False, "may_vote": True}
    assert [o["label"] for o in body["options"]] == ["项目甲", "项目乙", "项目丙"] and body["max_choices"] == 2
    picks = [option(named, "项目甲"), option(named, "项目丙")]
    first = post_vote(deputy, named, picks)
    assert first.status_code == 201 and first.json()["choices"] == picks
    retry = post_vote(deputy, named, picks)
    assert retry.status_code == 200 and retry.json()["replayed"]
    again = post_vote(deputy, named, picks, key="k-2")
    assert again.status_code == 409 and again.json()["detail"] == "您已投票，不能重复投票。"
    assert deputy.get(f"/api/ballots/{named.pk}").json()["me"]["has_voted"]
    too_many = post_vote(client_for("other_deputy"), named, [option(named, x) for x in ("项目甲", "项目乙", "项目丙")])
    assert too_many.status_code == 422 and "最多只能选择2项" in too_many.json()["errors"][0]["message"]
    missing_key = post_vote(client_for("other_deputy"), named, picks, key=None)
    assert missing_key.status_code == 422 and "幂等键" in missing_key.json()["errors"][0]["message"]
    assert post_vote(client_for("staff"), named, picks).status_code == 403  # manages, but not on the roll
    assert post_vote(client_for("noroles"), named, picks).status_code == 404
    assert post_vote(client_for("public"), named, picks).status_code == 403
    assert Cast.objects.filter(voter__ballot=named).count() == 1


@pytest.mark.django_db
def test_api_result_scoping(world, client_for, hall):
    named, secret = hall
    url = f"/api/ballots/{secret.pk}/result"
    got = {
        role: client_for(role).get(url).status_code
        for role in ("staff", "director", "member", "deputy", "noroles", "public", "county_staff")
    }
    assert got == {
        "staff": 200,
        "director": 200,
        "member": 200,
        "deputy": 403,
        "noroles": 404,
        "public": 404,
        "county_staff": 404,
    }
    body = client_for("member").get(url).json()
    assert body["totals"] == {"for": 1, "against": 0, "abstain": 0} and body["votes"] is None
    assert body["passed"] is False and body["eligible"] == 2 and "全体组成人员的过半数" in body["citation"]
    assert client_for("staff").get(f"/api/ballots/{named.pk}/result").status_code == 409  # still open
    # once published, everyone sees the result
    with pytest.raises(PermissionDenied):
        services.publish(world.users["member"], secret)
    services.publish(world.users["staff"], secret)
    assert client_for("public").get(url).status_code == 200
    # a named ballot: the oversight roles see who voted how once it is closed
    vote(named, world.users["other_deputy"], "项目乙")
    services.close_ballot(world.users["staff"], named)
    votes = client_for("director").get(f"/api/ballots/{named.pk}/result").json()["votes"]
    assert {v["voter"]: v["choices"] for v in votes} == {"王代表": [], "李代表": ["项目乙"]}


@pytest.mark.django_db
def test_a_draft_is_seen_only_by_its_keepers(world, client_for):
    voters = [world.users["deputy"]]
    ballot = services.create_ballot(
        world.users["staff"], congress=world.city, title="草稿", rule="majority_of_all", voters=voters
    )
    assert client_for("staff").get(f"/api/ballots/{ballot.pk}").status_code == 200
    assert client_for("deputy").get(f"/api/ballots/{ballot.pk}").status_code == 404
    assert client_for("member").get(f"/api/ballots/{ballot.pk}").status_code == 404


@pytest.mark.django_db
def test_api_vote_refusals_answer_as_the_ballot_is_seen(world, client_for, hall):
    """The vote endpoint casts without a visibility query first (the locked roll line is the
    permission); a refusal still answers 404 when the caller may not see the ballot."""
    named, secret = hall
    deputy, other = client_for("deputy"), client_for("other_deputy")
    draft = services.create_ballot(
        world.users["staff"], congress=world.city, title="草稿", rule="majority_of_all",
        voters=services.deputy_roll(world.term),
    )  # fmt: skip
    ok = [option(draft, "赞成")]
    assert post_vote(deputy, draft, ok).status_code == 404  # on the roll, but a draft is not seen by voters
    assert post_vote(client_for("county_staff"), named, [option(named, "项目甲")]).status_code == 404
    missing = deputy.post(
        "/api/ballots/2147483647/votes", json.dumps({"choices": ok}), content_type="application/json",
        headers={"Idempotency-Key": "k-1"},
    )  # fmt: skip
    assert missing.status_code == 404
    # a closed ballot: its voters still see it, so they are told why
    closed = other.post(
        f"/api/ballots/{secret.pk}/votes", json.dumps({"choices": [option(secret, "反对")]}),
        content_type="application/json", headers={"Idempotency-Key": "late"},
    )  # fmt: skip
    assert closed.status_code == 422 and "表决已结束" in closed.json()["errors"][0]["message"]
    # an option of another ballot
    wrong = post_vote(other, named, [option(secret, "赞成")])
    assert wrong.status_code == 422 and "不属于本次表决" in wrong.json()["errors"][0]["message"]
    assert not Cast.objects.filter(voter__ballot__in=[draft, named]).exists()
    assert Cast.objects.filter(voter__ballot=secret).count() == 1


@pytest.mark.django_db
def test_casting_and_counting_cost_the_same_queries_for_any_size(world, django_assert_num_queries):
    small, large = make_users(2), make_users(40)
    for voters in (small, large):
        ballot = open_ballot(world, voters, rule="n_of_m", options=[f"项目{i}" for i in range(12)], max_choices=8)
        picks = list(ballot.options.values_list("pk", flat=True))[:8]
        for user in voters[:-1]:
            services.cast(ballot, user, picks, idempotency_key=f"q{next(KEYS)}")
        # a savepoint, the roll line with its cast, the options with the ballot (one round trip on
        # PostgreSQL), the cast and its choices (one statement on PostgreSQL, two on SQLite), release
        with django_assert_num_queries(5 if connection.vendor == "postgresql" else 6):
            services.cast(ballot, voters[-1], picks, idempotency_key="last")
        # a savepoint, the roll, the ballot locked and moved, the audit (the chain head locked, the
        # entry, the head moved); the options, the box read, the choices inserted, the box emptied;
        # release. The insert is one query on PostgreSQL; SQLite's
        # limit of bound parameters (999 in Django) splits it in batches of 249 rows.
        rows = len(voters) * 8
        fields = SecretChoice._meta.concrete_fields
        inserts = -(-rows // connection.ops.bulk_batch_size(fields, [None] * rows))
        assert inserts == (1 if connection.vendor == "postgresql" else -(-rows // 249))
        with django_assert_num_queries(11 + inserts):
            services.close_ballot(world.users["staff"], ballot)
        with django_assert_num_queries(5):
            assert services.tally(ballot).cast == len(voters)


@pytest.mark.django_db
def test_role_matrix_of_the_ballot_routes(world, client_for, hall):
    """The expected outcome per role of each route (for the authorization matrix)."""
    named, secret = hall  # the city's deputies' roll; `named` open, `secret` closed
    roles = [
        "admin",
        "staff",
        "county_staff",
        "director",
        "member",
        "deputy",
        "other_deputy",
        "unit",
        "noroles",
        "public",
    ]

    def statuses(method, url, **kwargs):
        got = {}
        for role in roles:
            response = getattr(client_for(role), method)(url, **kwargs)
            got[role] = response.status_code
            if response.status_code >= 400:
                assert response.json()["detail"]
        return got

    keepers_and_roll = {"admin": 200, "staff": 200, "deputy": 200, "other_deputy": 200}
    assert statuses("get", f"/api/ballots/{named.pk}") == {r: keepers_and_roll.get(r, 404) for r in roles}
    closed = {"admin": 200, "staff": 200, "director": 200, "member": 200, "deputy": 200, "other_deputy": 200}
    assert statuses("get", f"/api/ballots/{secret.pk}") == {r: closed.get(r, 404) for r in roles}
    result = {"admin": 200, "staff": 200, "director": 200, "member": 200, "deputy": 403, "other_deputy": 403}
    assert statuses("get", f"/api/ballots/{secret.pk}/result") == {r: result.get(r, 404) for r in roles}
    still_open = {"admin": 409, "staff": 409, "deputy": 409, "other_deputy": 409}
    assert statuses("get", f"/api/ballots/{named.pk}/result") == {r: still_open.get(r, 404) for r in roles}
    body = json.dumps({"choices": [option(named, "项目甲")]})
    votes = statuses("post", f"/api/ballots/{named.pk}/votes", data=body, content_type="application/json",
                     headers={"Idempotency-Key": "matrix"})  # fmt: skip
    expected = {"admin": 403, "staff": 403, "deputy": 201, "other_deputy": 201, "public": 403}
    assert votes == {r: expected.get(r, 404) for r in roles}
